use super::{Ctx, color, stdout_err};
use crate::error::Result;
use crate::model::diag::{self, Format};
use std::io::Write;
use std::path::PathBuf;

/// Check escalation files: schema for their step, dates, ids, the process.
///
/// Reports every problem in every file as `file:line:column: error[rule]: message`.
/// Exit 0 when clean, 1 when there are problems, 2 when the check could not run.
///
/// Examples:
///   esc check
///   esc check escalations/2026-11/ESC-2611-K7QD.md
///   esc check --format github      # in a GitHub Actions job
///   esc check --base origin/main   # a pull request: changed files and their moves
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders to check (default: everything under escalations/).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Pull-request mode: check what changed since the merge base of REV (e.g. origin/main)
    /// and HEAD, working tree included, and the moves between steps those changes make.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = match ctx.workspace() {
        Ok(ws) => ws,
        // A config with problems is data with problems: report it like any file.
        Err(crate::error::Error::Config {
            path,
            line,
            column,
            message,
        }) => {
            let d = crate::model::diag::Diagnostic::new(&path, line, column, "config", message);
            diag::write(out, &[d], 0, args.format, color(&std::io::stdout()))
                .map_err(stdout_err)?;
            return Ok(1);
        }
        Err(e) => return Err(e),
    };
    let today = ws.config.today(ctx.today);
    let report = match &args.base {
        Some(rev) => crate::rules::check::check_base(&ws, rev, today)?,
        None => crate::rules::check::check(&ws, &ws.entries(&args.paths)?, today),
    };
    diag::write(
        out,
        &report.diagnostics,
        report.files,
        args.format,
        color(&std::io::stdout()),
    )
    .map_err(stdout_err)?;
    Ok(u8::from(!report.diagnostics.is_empty()))
}
