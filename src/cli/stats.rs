//! `esc stats`: time in each step and to resolve, weekly counts, rates and closing reviews,
//! per group of a dimension.

use super::Ctx;
use crate::error::{Error, Result};
use crate::out::stats::Dimension;
use std::io::Write;
use std::path::PathBuf;

/// How long escalations take, how many come and go, how often they go back.
///
/// For all escalations, and with --by for each severity, type, service, source,
/// segment or owner: days in each step and to resolve (median, 90th percentile,
/// count), raised and resolved per week, the share moved back to an earlier step
/// and the share reopened, and closing reviews by root cause (with how many that
/// needed one have none).
///
/// Days are calendar days in the team's time zone, whole days as `esc log --steps`
/// counts them. A step's days run from the day it was entered to the day it was
/// left, each escalation's visits to it added up, once the escalation has left it.
/// To resolve: from raised.date to closing.date, of those closed as resolved. An
/// escalation with several types or services is counted under each. Owner is the
/// owner now. Read from the working tree and the history up to HEAD.
///
/// The organisation's figures: --repo DIR for each repository (local clones), or
/// a reporting repository whose esc.yaml lists them under `repositories:`. Each
/// is read with its own esc.yaml and time zone, in parallel; an id found in two
/// repositories is an error (exit 1) naming both files; --by repository splits
/// the figures per repository.
///
/// --since DATE leaves out the escalations closed before DATE (those open on it or
/// raised later count, with their whole history), and the weekly counts start with
/// its week (at most 520 weeks; without --since, the last 12).
///
/// --format md is tables with the schema's labels; json and csv have the raw codes.
/// CSV is one figure per line: by,group,measure,key,count,of,rate,median_days,
/// p90_days (measures: escalations, open, time_to_resolve, time_in_step, raised,
/// resolved, moved_back, reopened, review, review_missing).
///
/// Examples:
///   esc stats
///   esc stats --by severity
///   esc stats --by service --since 2026-09-01
///   esc stats --by owner --format json | jq -c '.groups[] | [.label, .open]'
///   esc stats --by type --format csv -o stats.csv
///   esc stats --repo ../emea --repo ../apac --by repository
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Group by this field (default: all escalations together).
    #[arg(long, value_enum, value_name = "DIMENSION")]
    pub by: Option<By>,
    /// Leave out the escalations closed before DATE; weeks from DATE's on.
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    pub since: Option<chrono::NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: Format,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub output: Option<PathBuf>,
    /// A repository of the organisation's figures (repeat it for each; replaces the
    /// `repositories:` of esc.yaml).
    #[arg(long = "repo", value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub repos: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum By {
    /// severity (critical, high, medium, low).
    Severity,
    /// gathering.types: one escalation counts under each of its types.
    Type,
    /// gathering.services: one escalation counts under each of its services.
    Service,
    /// raised.source.
    Source,
    /// segment.
    Segment,
    /// owner, as the file has it now.
    Owner,
    /// the repository, in an organisation's figures (--repo, or repositories:).
    Repository,
}

impl From<By> for Dimension {
    fn from(b: By) -> Dimension {
        match b {
            By::Severity => Dimension::Severity,
            By::Type => Dimension::Type,
            By::Service => Dimension::Service,
            By::Source => Dimension::Source,
            By::Segment => Dimension::Segment,
            By::Owner => Dimension::Owner,
            By::Repository => Dimension::Repository,
        }
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Markdown tables, with labels for people.
    Md,
    /// One JSON object: all, groups, steps, weeks; raw codes.
    Json,
    /// One figure per line, for spreadsheets and pivot tables.
    Csv,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let scope = crate::ops::org::scope(&ctx.cwd, &args.repos)?;
    let (stats, left_out, notes) =
        crate::ops::stats::of_scope(scope, ctx.today, args.by.map(Into::into), args.since)?;
    for n in &notes {
        eprintln!("note: {n}");
    }
    for d in left_out {
        eprintln!(
            "esc: left out {}:{}:{}: {} (run `esc check`)",
            d.file, d.line, d.column, d.message
        );
    }
    let text = match args.format {
        Format::Md => stats.to_md(),
        Format::Json => {
            serde_json::to_string_pretty(&stats.to_json())
                .map_err(|e| Error::Data(e.to_string()))?
                + "\n"
        }
        Format::Csv => stats.to_csv(),
    };
    super::write_output(ctx, args.output.as_deref(), &text, out)?;
    Ok(0)
}
