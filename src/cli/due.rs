//! `esc due`: what is due now, per owner; exit 1 when anything is, for scheduled jobs.

use super::{Ctx, stdout_err};
use crate::error::{Error, Result};
use crate::ops::due::Who;
use std::io::Write;
use std::path::PathBuf;

/// What is due now, grouped by owner.
///
/// Enterprise Status updates due by the agreed cadence (or the severity's target
/// while none is agreed), the status not brought up to date after the last meeting,
/// actions overdue or due in the next --within working days, the step-4 decision,
/// notices not sent (stakeholder notice, stakeholder updates during step 5,
/// confirmation request, resolved notice), stale escalations, and target breaches
/// (esc.yaml `targets`) with whom to tell. Computed now, in the team's time zone
/// and working days; nothing is stored.
///
/// Exit codes: 0 nothing is due, 1 something is (a scheduled job fails loudly), 2
/// esc could not run.
///
/// Examples:
///   esc due
///   esc due --owner me --within 5
///   esc due --owner dana --format md
///   esc due --format json
///   esc due --format eml --dir outbox
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Only this owner: part of the name or address, or `me` (git's user.name/user.email).
    #[arg(long, value_name = "NAME|me")]
    pub owner: Option<String>,
    /// List actions due within this many working days from today.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub within: u32,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// With --format eml: the folder to write `due-OWNER.eml` drafts into (made if missing).
    // Its own id: the global `-C DIR` is also `dir`.
    #[arg(
        id = "eml_dir",
        long = "dir",
        value_name = "DIR",
        required_if_eq("format", "eml")
    )]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For a terminal (coloured there, unless NO_COLOR is set).
    Text,
    /// Markdown: a table per owner.
    Md,
    /// One object on one line: today, horizon, count, owners with their items.
    Json,
    /// One RFC 5322 draft per owner in --dir, copied to whom breaches tell.
    Eml,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let who = match args.owner.as_deref() {
        None => Who::All,
        Some("me") => Who::Me(crate::git::repo::Repo::open(&ws.root)?.me()?),
        Some(name) => Who::Matching(name.to_string()),
    };
    let due = crate::ops::due::due(&ws, ctx.today, args.within, &who)?;
    for d in &due.left_out {
        eprintln!(
            "esc: left out {}:{}:{}: {} (run `esc check`)",
            d.file, d.line, d.column, d.message
        );
    }
    match args.format {
        Format::Text => {
            let color = super::color(&std::io::stdout());
            let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
            w.write_all(due.to_text(color).as_bytes())
                .and_then(|()| w.flush())
                .map_err(stdout_err)?;
        }
        Format::Md => out.write_all(due.to_md().as_bytes()).map_err(stdout_err)?,
        Format::Json => {
            // One line: a due list can be long (`| jq .` indents it).
            let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
            due.write_json(&mut w)
                .map_err(|e| Error::io("stdout", e.into()))?;
            writeln!(w).map_err(stdout_err)?;
            w.flush().map_err(stdout_err)?;
        }
        Format::Eml => {
            let dir = ctx.cwd.join(args.dir.unwrap_or_default());
            std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
            let date = crate::ops::notice::sent_at(&ws, ctx.today)?;
            for (name, text) in due.to_eml(&date) {
                let path = dir.join(name);
                crate::store::files::write_atomic(&path, text.as_bytes())
                    .map_err(|e| Error::io(&path, e))?;
                writeln!(out, "wrote {}", path.display()).map_err(stdout_err)?;
            }
        }
    }
    let code = u8::from(due.count() > 0);
    // The process ends here: freeing tens of thousands of items one by one would only
    // delay the exit.
    std::mem::forget(due);
    Ok(code)
}
