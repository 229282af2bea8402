//! `esc render TEMPLATE [ID]`: any template, or the context it sees.

use super::{Ctx, stdout_err};
use crate::error::{Error, Result};
use crate::out::context::Inputs;
use std::io::Write;

/// Render a template, or print the context it sees (--context), as JSON.
///
/// With an ID, the template gets that escalation's context (as `esc status` and
/// `esc notify` do); without, the weekly report's. Templates in the repository's
/// templates/ replace the built-in ones by name.
///
/// Examples:
///   esc render status.md.j2 K7QD --context
///   esc render report.md.j2 --context | jq .figures
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The template's name, e.g. status.md.j2 (built in: status.md.j2, notify-stakeholders.txt.j2,
    /// notify-confirmation.txt.j2, notify-resolved.txt.j2, report.md.j2, report.html.j2).
    #[arg(value_name = "TEMPLATE", value_parser = super::hints::Hint::Template, hide_possible_values = true)]
    pub template: String,
    /// The escalation id (or a unique part of it), for escalation templates.
    pub id: Option<String>,
    /// Print the context as JSON instead of rendering.
    #[arg(long)]
    pub context: bool,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let process = ws.config.process();
    let context = match &args.id {
        Some(id) => {
            let doc = crate::store::files::find(&ws, id)?;
            let timelines = crate::timeline::timelines_if_git(&ws.root, &process)?;
            let inputs = Inputs {
                schema: &ws.schemas.current.json,
                config: &ws.config,
                process: &process,
                today: ws.config.today(ctx.today),
                tz: ws.config.tz().map_err(Error::Usage)?,
            };
            let t = timelines.as_ref().and_then(|t| t.get(doc.id()?));
            inputs.escalation(&doc.rel, &doc.data, t)
        }
        None => {
            let snap = crate::ops::snapshot::snapshot(ctx.workspace()?, ctx.today, None)?;
            crate::ops::snapshot::report_context(&snap, crate::out::report::Week::of(snap.today))?.0
        }
    };
    let text = if args.context {
        serde_json::to_string_pretty(&context).map_err(|e| Error::Data(e.to_string()))? + "\n"
    } else {
        let mut env = crate::out::render::environment(
            crate::out::render::Source::Dir(crate::out::render::templates_dir(&ws.root)),
            ws.config.working_day_numbers(),
            crate::out::render::fuel_for(1000),
        );
        crate::out::render::use_schema_labels(&mut env, &ws.schemas.current.json);
        crate::out::render::render(&env, &args.template, &context)?
    };
    out.write_all(text.as_bytes()).map_err(stdout_err)?;
    Ok(0)
}
