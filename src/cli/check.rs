//! `esc check`: every problem in every file, in the format a person or a CI system reads.

use super::{Ctx, color, stdout_err};
use crate::error::Result;
use crate::out::diag::{self, Format};
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
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Files or folders to check (default: everything under escalations/).
    #[arg(value_name = "PATH", value_hint = clap::ValueHint::AnyPath)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: FormatArg,
    /// Pull-request mode: check what changed since the merge base of REV (e.g. origin/main)
    /// and HEAD, working tree included, and the moves between steps those changes make.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
}

/// Output formats of `esc check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// `file:line:column: error[rule]: message`, with the source line.
    Human,
    /// A JSON array of objects: file, line, column, rule, field, message, expected, found.
    Json,
    /// GitHub Actions workflow commands, plus a Markdown table in $GITHUB_STEP_SUMMARY.
    Github,
    /// Azure Pipelines logging commands.
    Azure,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
            FormatArg::Azure => Format::Azure,
        }
    }
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let format = Format::from(args.format);
    // A config with problems is data with problems: report it like any file, and check the
    // files with what of the config is valid (defaults for the rest).
    let (ws, config_problem) = crate::store::workspace::Workspace::open_lenient(&ctx.cwd)?;
    let config_problem = config_problem.map(|e| match e {
        crate::error::Error::Config {
            path,
            line,
            column,
            message,
        } => crate::model::diag::Diagnostic::new(&path, line, column, "config", message),
        other => crate::model::diag::Diagnostic::new(
            crate::rules::config::FILE,
            1,
            1,
            "config",
            other.to_string(),
        ),
    });
    let today = ws.config.today(ctx.today);
    let mut report = match &args.base {
        Some(rev) => crate::ops::pr::check_base(&ws, rev, today)?,
        // Paths are relative to -C DIR when given (ctx.cwd), like everything else.
        None => crate::ops::check::check(&ws, &ws.entries_from(&ctx.cwd, &args.paths)?, today),
    };
    report.diagnostics.splice(0..0, config_problem);
    diag::write(
        out,
        &report.diagnostics,
        report.files,
        format,
        color(&std::io::stdout()),
    )
    .map_err(stdout_err)?;
    // A repository `esc init` just made: say what comes next.
    let whole = args.base.is_none() && args.paths.is_empty();
    if whole && report.files == 0 && matches!(format, Format::Human) {
        writeln!(
            out,
            "no escalations yet: `esc new` records the first (`esc help new` shows how)"
        )
        .map_err(stdout_err)?;
    }
    Ok(u8::from(!report.diagnostics.is_empty()))
}
