//! `esc report`: the weekly status report.

use super::Ctx;
use crate::error::{Error, Result};
use crate::ops::snapshot::{report_context, snapshot};
use crate::out::report::Week;
use std::io::Write;
use std::path::PathBuf;

/// The weekly status report for managers.
///
/// Headline figures, the open escalations, what changed this week (from the timelines), the
/// risk/watch list, stale escalations, time to resolve, and charts. With --as-of REV,
/// everything (escalations, templates, config) is read as it was at REV, and REV's date is
/// today unless --today says otherwise: the same repository, week and revision always give
/// the same bytes.
///
/// Examples:
///   esc report
///   esc report --week 2026-W47 --format html -o report.html
///   esc report --as-of main~5
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The ISO week to report on (default: the week of today).
    #[arg(long, value_name = "YYYY-Www")]
    pub week: Option<String>,
    /// Read everything as it was at this revision.
    #[arg(long, value_name = "REV")]
    pub as_of: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: Format,
    /// Print the context the template sees, as JSON, instead of the report.
    #[arg(long)]
    pub context: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Markdown with Mermaid charts (GitHub draws them).
    Md,
    /// One self-contained page with inline SVG charts and no script.
    Html,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let snap = snapshot(ctx.workspace()?, ctx.today, args.as_of.as_deref())?;
    let week = match &args.week {
        Some(w) => Week::parse(w).ok_or_else(|| {
            Error::Usage(format!(
                "--week: expected YYYY-Www such as 2026-W48, found `{w}`"
            ))
        })?,
        None => Week::of(snap.today),
    };
    let (context, left_out) = report_context(&snap, week)?;
    for d in left_out {
        eprintln!(
            "esc: left out {}:{}:{}: {} (run `esc check`)",
            d.file, d.line, d.column, d.message
        );
    }
    let text = if args.context {
        serde_json::to_string_pretty(&context).map_err(|e| Error::Data(e.to_string()))? + "\n"
    } else {
        let name = match args.format {
            Format::Md => "report.md.j2",
            Format::Html => "report.html.j2",
        };
        let mut env = crate::out::render::environment(
            snap.templates.clone(),
            snap.config.working_day_numbers(),
            crate::out::render::fuel_for(snap.files.count()),
        );
        crate::out::render::use_schema_labels(&mut env, &snap.schemas.current.json);
        crate::out::render::render(&env, name, &context)?
    };
    super::write_output(ctx, args.output.as_deref(), &text, out)?;
    Ok(0)
}
