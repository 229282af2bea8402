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
    /// Run git's pre-commit, commit-msg and post-commit hooks (esc does not, by default).
    #[arg(long, conflicts_with_all = ["no_commit", "dry_run"])]
    pub verify: bool,
}

/// Edits the escalation `query` names: `make` decides the edit from the file as it is
/// (read again under git's lock when committing), then the text is checked, written and
/// committed, and what happened is said. Returns the exit code: 1 when the new content has
/// problems (nothing changed).
pub fn save(
    ctx: &Ctx,
    ws: &Workspace,
    query: &str,
    allow_closed: bool,
    args: SaveArgs,
    out: &mut dyn Write,
    make: &mut dyn FnMut(&Doc) -> Result<Edit>,
) -> Result<u8> {
    let opts = crate::ops::save::Options {
        today: ws.config.today(ctx.today),
        commit: !args.no_commit,
        dry_run: args.dry_run,
        allow_closed,
        verify: args.verify,
    };
    let done = crate::ops::save::save(ws, query, &opts, make)?;
    let (id, what) = (done.id.as_str(), done.what.as_str());
    match done.saved {
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
