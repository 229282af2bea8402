//! `esc report`: the weekly status report.

use super::Ctx;
use crate::error::{Error, Result};
use crate::ops::org::Scope;
use crate::ops::snapshot::{WeekChoice, for_report, report_context};
use crate::out::render::Source;
use std::io::Write;
use std::path::PathBuf;

/// The weekly status report for managers.
///
/// Headline figures, the open escalations, overdue actions and pending notices
/// (each named: escalation, what, owner, due), targets missed, what changed this
/// week (from the timelines), the risk/watch list, stale escalations, analytics
/// (time to resolve and in each step, raised and resolved per week, moves back,
/// reopenings, closing reviews by root cause; `esc stats` breaks them down), and
/// charts.
/// By default the last complete week (Monday to Sunday before today); --week
/// current for the week in progress. A week that has ended is read as the
/// repository was at its end (the last commit on or before Sunday 23:59 in the
/// team's time zone), so its report never changes.
///
/// With --as-of REV, everything (escalations, templates, config) is read as it was
/// at REV, and REV's date is today unless --today says otherwise: the same
/// repository, week and revision always give the same bytes.
///
/// --format eml writes it as an e-mail draft to the roles the RACI consults (people
/// in esc.yaml), the roles it informs in copy: text and HTML parts, ready to send.
///
/// The organisation's report: --repo DIR for each repository (local clones), or
/// a reporting repository whose esc.yaml lists them under `repositories:`. Each
/// is read with its own config, time zone and cache, in parallel where cores
/// allow; figures are summed, every table gains a repository column, and an id
/// found in two repositories is an error (exit 1) naming both files. The
/// reporting repository (else the first --repo) decides the week, and gives the
/// templates and people.
///
/// Examples:
///   esc report
///   esc report --week current
///   esc report --week 2026-W47 --format html -o report.html
///   esc report --as-of main~5
///   esc report --format eml --from "Noor Haddad <noor@example.com>" -o week.eml
///   esc report --repo ../emea --repo ../apac --format html -o org.html
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The ISO week to report on, or `current` (default: the last complete week).
    #[arg(long, value_name = "YYYY-Www|current")]
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
    /// With --format eml: who sends it ("Name <address>").
    #[arg(long, value_name = "PERSON")]
    pub from: Option<String>,
    /// A repository of the organisation's report (repeat it for each; replaces the
    /// `repositories:` of esc.yaml).
    #[arg(long = "repo", value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub repos: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Markdown with Mermaid charts (GitHub draws them).
    Md,
    /// One self-contained page with inline SVG charts and no script.
    Html,
    /// An e-mail draft (RFC 5322) with both: to the RACI's consulted roles, informed in Cc.
    Eml,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let choice = match &args.week {
        Some(w) => WeekChoice::parse(w).ok_or_else(|| {
            Error::Usage(format!(
                "--week: expected YYYY-Www such as 2026-W48, or current; found `{w}`"
            ))
        })?,
        None => WeekChoice::LastComplete,
    };
    let scope = crate::ops::org::scope(&ctx.cwd, &args.repos)?;
    // `held`: what the context was made from, kept to the end (see below).
    let (context, templates, working_days, files, week, ws, held) = match scope {
        Scope::One(ws) => {
            let (snap, week) = for_report(*ws, ctx.today, args.as_of.as_deref(), choice)?;
            let (context, left_out) = report_context(&snap, week)?;
            for d in left_out {
                eprintln!(
                    "esc: left out {}:{}:{}: {} (run `esc check`)",
                    d.file, d.line, d.column, d.message
                );
            }
            let days = snap.config.working_day_numbers();
            let (templates, files) = (snap.templates.clone(), snap.files.count());
            (context, templates, days, files, week, None, Some(snap))
        }
        Scope::Many { lead, members } => {
            if args.as_of.is_some() {
                return Err(Error::Usage(
                    "--as-of reads one repository at a revision; it does not go with an \
                     organisation's report (--repo, or repositories: in esc.yaml)"
                        .into(),
                ));
            }
            let org = crate::ops::report_org::context(&lead, &members, ctx.today, choice)?;
            for n in &org.notes {
                eprintln!("note: {n}");
            }
            for (repo, d) in &org.left_out {
                eprintln!(
                    "esc: left out {repo}/{}:{}:{}: {} (run `esc -C {repo} check`)",
                    d.file, d.line, d.column, d.message
                );
            }
            let templates = Source::Dir(crate::out::render::templates_dir(&lead.root));
            let days = lead.config.working_day_numbers();
            (
                org.context,
                templates,
                days,
                org.files,
                org.week,
                Some(*lead),
                None,
            )
        }
    };
    if let Some(from) = &args.from
        && crate::model::person::address(from).is_none()
    {
        return Err(Error::Usage(format!(
            "--from: expected \"Name <address>\" with an e-mail address; found `{from}`"
        )));
    }
    let env = || {
        crate::out::render::environment(
            templates.clone(),
            working_days.clone(),
            crate::out::render::fuel_for(files),
        )
    };
    let text = if args.context {
        serde_json::to_string_pretty(&context).map_err(|e| Error::Data(e.to_string()))? + "\n"
    } else {
        match args.format {
            Format::Md => crate::out::render::render(&env(), "report.md.j2", &context)?,
            Format::Html => crate::out::render::render(&env(), "report.html.j2", &context)?,
            Format::Eml => {
                let env = env();
                let md = crate::out::render::render(&env, "report.md.j2", &context)?;
                let html = crate::out::render::render(&env, "report.html.j2", &context)?;
                let ws = match ws {
                    Some(ws) => ws,
                    None => ctx.workspace()?,
                };
                let mail = crate::ops::report_mail::draft(
                    &ws,
                    &md,
                    &html,
                    &week.label(),
                    args.from.as_deref(),
                    ctx.today,
                )?;
                for n in mail.notes {
                    eprintln!("note: {n}");
                }
                mail.eml
            }
        }
    };
    super::write_output(ctx, args.output.as_deref(), &text, out)?;
    // The process ends here: freeing every file's bytes and timeline one by one would only
    // delay the exit.
    std::mem::forget((held, context));
    Ok(0)
}
