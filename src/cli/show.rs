//! `esc show ID`: one escalation, what its next step needs, and its timeline.

use super::{Ctx, stdout_err};
use crate::error::{Error, Result};
use crate::store::files::find;
use serde_json::Value;
use std::io::Write;

/// Show one escalation: key fields, what the next step needs, and its notes.
///
/// ID may be the whole id or a unique part of it.
///
/// Examples:
///   esc show ESC-2611-K7QD
///   esc show k7qd
///   esc show K7QD --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The escalation id, or a unique part of it.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ShowFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ShowFormat {
    Text,
    /// `file`, every front-matter field, `watch_lists` (each watch list with its label and
    /// link), and `timeline` from git history (steps entered, owners, activity).
    Json,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let doc = find(&ws, &args.id)?;
    let process = ws.config.process();
    // The timeline, when the escalation has history in a git repository.
    let timeline = match crate::git::repo::Repo::open(&ws.root) {
        Ok(repo) => {
            let timelines = crate::timeline::timelines(&repo, &process)?;
            match timelines.get(doc.id().unwrap_or_default()) {
                Some(t) => {
                    let tz = ws.config.tz().map_err(Error::Usage)?;
                    Some(crate::timeline::to_json(
                        t,
                        tz,
                        ws.config.today(ctx.today),
                        &process.closed,
                        doc.date("/raised/date"),
                    ))
                }
                None => None,
            }
        }
        Err(_) => None,
    };
    let labels = crate::out::labels::Labels::builtin().merged(
        crate::out::labels::Labels::from_schema(&ws.schemas.current.json),
    );
    let watch = crate::out::watch::labelled(&doc.data, &ws.config, &labels);
    if let ShowFormat::Json = args.format {
        let mut m = serde_json::Map::new();
        m.insert("file".into(), Value::String(doc.rel.clone()));
        if let Value::Object(f) = &doc.data {
            m.extend(f.clone());
        }
        m.insert("watch_lists".into(), Value::Array(watch));
        if let Some(t) = timeline {
            m.insert("timeline".into(), t);
        }
        let text = serde_json::to_string_pretty(&Value::Object(m))
            .map_err(|e| Error::Data(e.to_string()))?;
        writeln!(out, "{text}").map_err(stdout_err)?;
        return Ok(0);
    }
    let s = |p: &str| doc.str(p).unwrap_or("-").to_string();
    let step = s("/step");
    let step_line = match process.steps.iter().position(|x| x.id == step) {
        Some(i) => format!(
            "{step} ({} of {}: {})",
            i + 1,
            process.steps.len(),
            process.steps[i].name
        ),
        None => match doc.str("/closing/outcome") {
            Some(o) => format!("{step} ({o})"),
            None => step.clone(),
        },
    };
    let mut lines = vec![
        format!("{}  {}", s("/id"), s("/title")),
        String::new(),
        format!("customer   {} ({})", s("/customer"), s("/segment")),
        format!("step       {step_line}"),
        format!("severity   {}", s("/severity")),
        format!("owner      {} ({})", s("/owner"), s("/owner_role")),
        format!(
            "raised     {} by {} via {}",
            s("/raised/date"),
            s("/raised/by"),
            s("/raised/source")
        ),
    ];
    if let Some(services) = doc
        .data
        .pointer("/gathering/services")
        .and_then(Value::as_array)
    {
        let names: Vec<&str> = services.iter().filter_map(Value::as_str).collect();
        lines.push(format!("services   {}", names.join(", ")));
    }
    for (i, w) in watch.iter().enumerate() {
        let head = if i == 0 { "watch list" } else { "" };
        lines.push(format!(
            "{head:<10} {}",
            crate::out::watch::line(std::slice::from_ref(w))
        ));
    }
    if let Some(actions) = doc
        .data
        .pointer("/status/actions")
        .and_then(Value::as_array)
    {
        // Numbered as `esc action ID done N` counts them: all actions, from 1.
        let open: Vec<(usize, &Value)> = actions
            .iter()
            .enumerate()
            .filter(|(_, a)| a.get("done").is_none())
            .collect();
        if !open.is_empty() {
            lines.push(format!("open actions ({}):", open.len()));
            for (i, a) in open {
                lines.push(format!(
                    "  {}. {} ({}, due {})",
                    i + 1,
                    a.get("what").and_then(Value::as_str).unwrap_or("?"),
                    a.get("owner").and_then(Value::as_str).unwrap_or("?"),
                    a.get("due").and_then(Value::as_str).unwrap_or("?"),
                ));
            }
        }
    }
    lines.push(format!("file       {}", doc.rel));
    if let Some(next) = crate::ops::next::next_step(&ws, &doc) {
        if next.missing.is_empty() {
            lines.push(format!("next       {} ({}): ready", next.id, next.name));
        } else {
            lines.push(format!(
                "next       {} ({}) needs: {}",
                next.id,
                next.name,
                next.missing.join(", ")
            ));
        }
    }
    let mut text = lines.join("\n");
    if let (Some(json), Some(id)) = (&timeline, doc.id()) {
        let mut buf = Vec::new();
        super::log::write_text(&mut buf, id, json).map_err(stdout_err)?;
        text.push_str("\n\ntimeline   ");
        text.push_str(String::from_utf8_lossy(&buf).trim_end());
    }
    let body = doc.body().trim();
    if !body.is_empty() {
        text.push_str("\n\n");
        text.push_str(body);
    }
    writeln!(out, "{text}").map_err(stdout_err)?;
    Ok(0)
}
