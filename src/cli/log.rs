//! `esc log ID`: an escalation's timeline from git history.

use super::{Ctx, stdout_err};
use crate::error::{Error, Result};
use std::io::Write;

/// Print an escalation's timeline, read from git history: when it entered each step, who
/// made the change, in which commit, and how long it stayed.
///
/// Examples:
///   esc log K7QD
///   esc log K7QD --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The escalation id, or a unique part of it.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: super::show::ShowFormat,
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
    let json = crate::timeline::to_json(t, tz, today, &process.closed);
    if let super::show::ShowFormat::Json = args.format {
        let text = serde_json::to_string_pretty(&json).map_err(|e| Error::Data(e.to_string()))?;
        writeln!(out, "{text}").map_err(stdout_err)?;
        return Ok(0);
    }
    write_text(out, &id, &json).map_err(stdout_err)?;
    Ok(0)
}

/// The timeline as aligned lines.
pub fn write_text(out: &mut dyn Write, id: &str, json: &serde_json::Value) -> std::io::Result<()> {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let days = |v: &serde_json::Value| match v.as_i64() {
        Some(1) => "1 day".to_string(),
        Some(n) => format!("{n} days"),
        None => "? days".to_string(),
    };
    let (age, in_step) = (days(&json["age_days"]), days(&json["days_in_step"]));
    if json["closed"] == true {
        match json["days_in_step"].as_i64() {
            Some(0) => writeln!(out, "{id}: closed after {age}, today")?,
            _ => writeln!(out, "{id}: closed after {age}, {in_step} ago")?,
        }
    } else {
        writeln!(out, "{id}: age {age}, {in_step} in the current step")?;
    }
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
