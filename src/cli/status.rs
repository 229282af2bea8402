//! `esc status ID`: the Enterprise Status summary from its template.

use super::{Ctx, stdout_err};
use crate::error::{Error, Result};
use crate::out::context::Inputs;
use std::io::Write;

/// Print the Enterprise Status summary of an escalation, ready to paste.
///
/// Brief description, impact, actions with owner and due date, deployment status,
/// current activities, risk/watch list and awareness, with the last meeting and
/// when the next update is due by the agreed cadence (in working days). Rendered
/// from templates/status.md.j2.
///
/// Examples:
///   esc status K7QD
///   esc status K7QD --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The escalation id, or a unique part of it.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Md,
    /// The status fields and what is derived from them, as JSON.
    Json,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let doc = crate::store::files::find(&ws, &args.id)?;
    let process = ws.config.process();
    let timelines = crate::timeline::timelines_if_git(&ws.root, &process)?;
    let inputs = Inputs {
        schema: &ws.schemas.current.json,
        config: &ws.config,
        process: &process,
        today: ws.config.today(ctx.today),
        tz: ws.config.tz().map_err(Error::Usage)?,
    };
    let t = timelines.as_ref().and_then(|t| t.get(doc.id()?));
    let c = inputs.escalation(&doc.rel, &doc.data, t);
    let text = match args.format {
        Format::Md => {
            let mut env = crate::out::render::environment(
                crate::out::render::Source::Dir(crate::out::render::templates_dir(&ws.root)),
                ws.config.working_day_numbers(),
                crate::out::render::fuel_for(1),
            );
            crate::out::render::use_schema_labels(&mut env, &ws.schemas.current.json);
            crate::out::render::render(&env, "status.md.j2", &c)?
        }
        Format::Json => {
            let keys = [
                "id",
                "title",
                "customer",
                "step",
                "step_name",
                "severity",
                "status",
                "actions_open",
                "actions_overdue",
                "last_meeting",
                "last_update",
                "next_update_due",
                "update_overdue",
            ];
            let mut m = serde_json::Map::new();
            for k in keys {
                m.insert(k.into(), c[k].clone());
            }
            serde_json::to_string_pretty(&m).map_err(|e| Error::Data(e.to_string()))?
        }
    };
    writeln!(out, "{}", text.trim_end()).map_err(stdout_err)?;
    Ok(0)
}
