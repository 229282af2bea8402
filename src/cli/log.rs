//! `esc log ID`: an escalation's activity (or, with `--steps`, its steps) from git history.

use super::{Ctx, stdout_err};
use crate::error::{Error, Result};
use std::io::Write;

/// Print an escalation's history, read from git: every change that matters.
///
/// Oldest first, each with its date, commit and author: created, step moves and
/// reopenings (with their reason), owner handoffs (who held it when), severity
/// changes, meetings added, actions added and done, notices recorded, the status
/// brought up to date. `--steps` prints when it entered each step and how long it
/// stayed instead.
///
/// Examples:
///   esc log K7QD
///   esc log K7QD --steps
///   esc log K7QD --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The escalation id, or a unique part of it.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: super::show::ShowFormat,
    /// Only the steps: when each was entered, by whom, and how long it lasted.
    #[arg(long)]
    pub steps: bool,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let doc = crate::store::files::find(&ws, &args.id)?;
    let id = doc.id().unwrap_or(&args.id).to_string();
    let repo = crate::git::repo::Repo::open(&ws.root)?;
    let process = ws.config.process();
    let timelines = crate::timeline::timelines(&repo, &process)?;
    let tz = ws.config.tz().map_err(Error::Usage)?;
    let today = ws.config.today(ctx.today);
    let Some(t) = timelines.get(&id) else {
        writeln!(out, "{id}: not committed yet, so it has no history").map_err(stdout_err)?;
        return Ok(0);
    };
    let raised = doc.date("/raised/date");
    let json = crate::timeline::to_json(t, tz, today, &process.closed, raised);
    if let super::show::ShowFormat::Json = args.format {
        let text = serde_json::to_string_pretty(&json).map_err(|e| Error::Data(e.to_string()))?;
        writeln!(out, "{text}").map_err(stdout_err)?;
        return Ok(0);
    }
    if args.steps {
        write_text(out, &id, &json).map_err(stdout_err)?;
    } else {
        write_activity(out, &id, &json).map_err(stdout_err)?;
    }
    Ok(0)
}

/// The first line: age and time in the current step, or when it closed.
fn write_head(out: &mut dyn Write, id: &str, json: &serde_json::Value) -> std::io::Result<()> {
    let days = |v: &serde_json::Value| match v.as_i64() {
        Some(1) => "1 day".to_string(),
        Some(n) => format!("{n} days"),
        None => "? days".to_string(),
    };
    let (age, in_step) = (days(&json["age_days"]), days(&json["days_in_step"]));
    if json["closed"] == true {
        match json["days_in_step"].as_i64() {
            Some(0) => writeln!(out, "{id}: closed after {age}, today"),
            _ => writeln!(out, "{id}: closed after {age}, {in_step} ago"),
        }
    } else {
        writeln!(out, "{id}: age {age}, {in_step} in the current step")
    }
}

/// The activity as aligned lines: date, commit, author's name, what changed.
pub fn write_activity(
    out: &mut dyn Write,
    id: &str,
    json: &serde_json::Value,
) -> std::io::Result<()> {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    write_head(out, id, json)?;
    let list = json["activity"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let name = |e: &serde_json::Value| crate::model::person::display_name(&s(&e["author"]));
    let width = list
        .iter()
        .map(|e| name(e).chars().count())
        .max()
        .unwrap_or(0);
    for e in list {
        let (at, commit) = (s(&e["date"]), s(&e["commit"]));
        writeln!(
            out,
            "  {}  {}  {:<width$}  {}",
            at.get(..16).unwrap_or(&at).replace('T', " "),
            commit.get(..7).unwrap_or(&commit),
            name(e),
            s(&e["text"]),
        )?;
    }
    Ok(())
}

/// The timeline as aligned lines.
pub fn write_text(out: &mut dyn Write, id: &str, json: &serde_json::Value) -> std::io::Result<()> {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    write_head(out, id, json)?;
    for e in json["entered"].as_array().into_iter().flatten() {
        let at = s(&e["at"]);
        let commit = s(&e["commit"]);
        writeln!(
            out,
            "  {:<12}  {}  {:>3} d  {}  {}",
            s(&e["step"]),
            at.get(..16).unwrap_or(&at).replace('T', " "),
            // A JSON value ignores the width: format it as text first.
            e["days"].to_string(),
            commit.get(..7).unwrap_or(&commit),
            s(&e["author"]),
        )?;
    }
    Ok(())
}
