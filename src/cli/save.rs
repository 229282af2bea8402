//! How every editing command saves: the flags, and what it prints. The work is `ops::save`.

use crate::ops::save::Saved;
pub use crate::ops::save::{Edit, message, open_for_edit};

use super::{Ctx, stdout_err};
use crate::error::Result;
use crate::model::doc::Doc;
use crate::store::workspace::Workspace;
use std::io::Write;

/// How an edit is saved.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct SaveArgs {
    /// Edit the file but do not commit.
    #[arg(long)]
    pub no_commit: bool,
    /// Say what would change; change nothing.
    #[arg(long, conflicts_with = "no_commit")]
    pub dry_run: bool,
}

/// Checks the edit's text as the new content of `doc`, then writes and commits it, and
/// says what happened. Returns the exit code: 1 when the new content has problems (nothing
/// changed).
pub fn save(
    ctx: &Ctx,
    ws: &Workspace,
    doc: &Doc,
    edit: Edit,
    args: SaveArgs,
    out: &mut dyn Write,
) -> Result<u8> {
    let id = doc.id().unwrap_or_default();
    let what = edit.what.as_str();
    let today = ws.config.today(ctx.today);
    match crate::ops::save::save(ws, doc, &edit, today, !args.no_commit, args.dry_run)? {
        Saved::Refused(problems) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(
                err,
                "{id}: {what} refused: fill in or fix these first (nothing was changed):"
            );
            let _ = crate::out::diag::write(
                &mut err,
                &problems,
                1,
                crate::out::diag::Format::Human,
                super::color(&std::io::stderr()),
            );
            Ok(1)
        }
        Saved::DryRun(lines) => {
            writeln!(out, "{id}: {what} (dry run; nothing changed)").map_err(stdout_err)?;
            for (old, new) in lines {
                if let Some(old) = old {
                    writeln!(out, "- {old}").map_err(stdout_err)?;
                }
                if let Some(new) = new {
                    writeln!(out, "+ {new}").map_err(stdout_err)?;
                }
            }
            Ok(0)
        }
        Saved::Written { commit } => {
            match commit {
                Some(short) => writeln!(out, "{id}: {what} (commit {short})"),
                None => writeln!(out, "{id}: {what} (not committed)"),
            }
            .map_err(stdout_err)?;
            Ok(0)
        }
    }
}
