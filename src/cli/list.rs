//! `esc list`: query escalations, as a table, JSON lines or CSV.

use super::{Ctx, stdout_err};
use crate::error::{Error, Result};
use crate::model::doc::Doc;
use crate::store::files::stream;
use serde_json::Value;
use std::io::Write;

/// List escalations, filtered.
///
/// Filters of the same kind are alternatives (--step gathering --step validation);
/// different kinds must all match. Text filters match any part, ignoring case.
///
/// Examples:
///   esc list --open --severity critical --severity high
///   esc list --owner dana --format csv > mine.csv
///   esc list --service exchange-online --format json | jq '.[].id'
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Only escalations in this step (raised, gathering, validation, stakeholders,
    /// management, resolution, closed).
    #[arg(long, value_name = "STEP", value_parser = super::hints::Hint::Step, hide_possible_values = true)]
    pub step: Vec<String>,
    /// Only this severity (critical, high, medium, low).
    #[arg(long, value_name = "SEVERITY", value_parser = super::hints::Hint::Severity, hide_possible_values = true)]
    pub severity: Vec<String>,
    /// Only escalations of this type (technical, business, process, other).
    #[arg(long = "type", value_name = "TYPE", value_parser = super::hints::Hint::Type, hide_possible_values = true)]
    pub kind: Vec<String>,
    /// Only escalations impacting this service (e.g. exchange-online).
    #[arg(long, value_name = "SERVICE")]
    pub service: Vec<String>,
    /// Customer name contains this text.
    #[arg(long, value_name = "TEXT")]
    pub customer: Option<String>,
    /// Owner name or address contains this text.
    #[arg(long, value_name = "TEXT")]
    pub owner: Option<String>,
    /// Only open escalations (not closed).
    #[arg(long, conflicts_with = "closed")]
    pub open: bool,
    /// Only closed escalations.
    #[arg(long)]
    pub closed: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for people.
    Table,
    /// An array of objects, one per line: `file`, every front-matter field, `watch_lists`
    /// (each watch list with its label and link) and `timeline` from git history (steps
    /// entered, owners, activity).
    Json,
    /// A header, then a row per escalation (RFC 4180): id, step, severity, customer, owner,
    /// raised, title, file, step_entered, days_in_step, last_update, watch_lists (each watch
    /// list as `Label since DATE (LINK)`, joined by `; `).
    Csv,
}

fn allowed(ws_values: &[String], given: &[String], flag: &str) -> Result<()> {
    for g in given {
        if !ws_values.contains(g) {
            let hint = crate::model::diag::did_you_mean(g, ws_values.iter().map(String::as_str))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(Error::Usage(format!(
                "--{flag}: `{g}` is not one of {}{hint}",
                ws_values.join(", ")
            )));
        }
    }
    Ok(())
}

fn enum_values(ws: &crate::store::workspace::Workspace, pointer: &str) -> Vec<String> {
    ws.schemas.current.enum_values(pointer)
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let process = ws.config.process();
    let steps: Vec<String> = process.step_ids().map(String::from).collect();
    allowed(&steps, &args.step, "step")?;
    allowed(
        &enum_values(&ws, "/properties/severity/enum"),
        &args.severity,
        "severity",
    )?;
    allowed(
        &enum_values(&ws, "/properties/gathering/properties/types/items/enum"),
        &args.kind,
        "type",
    )?;
    let contains = |v: Option<&str>, q: &Option<String>| {
        q.as_ref()
            .is_none_or(|q| v.is_some_and(|v| v.to_lowercase().contains(&q.to_lowercase())))
    };
    let in_list = |doc: &Doc, pointer: &str, wanted: &[String]| {
        wanted.is_empty()
            || doc
                .data
                .pointer(pointer)
                .and_then(Value::as_array)
                .is_some_and(|a| {
                    a.iter()
                        .any(|v| v.as_str().is_some_and(|s| wanted.iter().any(|w| w == s)))
                })
    };
    let one_of = |v: Option<&str>, wanted: &[String]| {
        wanted.is_empty() || v.is_some_and(|v| wanted.iter().any(|w| w == v))
    };
    let wanted = |d: &Doc| {
        let closed = d.str("/step") == Some(process.closed.as_str());
        one_of(d.str("/step"), &args.step)
            && one_of(d.str("/severity"), &args.severity)
            && in_list(d, "/gathering/types", &args.kind)
            && in_list(d, "/gathering/services", &args.service)
            && contains(d.str("/customer"), &args.customer)
            && contains(d.str("/owner"), &args.owner)
            && (!args.open || !closed)
            && (!args.closed || closed)
    };
    // Timelines for json and csv, when the repository is a git repository.
    let timelines = match args.format {
        ListFormat::Table => None,
        _ => match crate::git::repo::Repo::open(&ws.root) {
            Ok(repo) => Some(crate::timeline::timelines(&repo, &process)?),
            Err(_) => None,
        },
    };
    let tz = ws.config.tz().map_err(Error::Usage)?;
    let today = ws.config.today(ctx.today);
    let labels = crate::out::labels::Labels::builtin().merged(
        crate::out::labels::Labels::from_schema(&ws.schemas.current.json),
    );
    let watch = |d: &Doc| crate::out::watch::labelled(&d.data, &ws.config, &labels);
    let timeline = |d: &Doc| {
        let t = timelines.as_ref()?.get(d.id()?)?;
        let raised = d.date("/raised/date");
        Some(crate::timeline::to_json(
            t,
            tz,
            today,
            &process.closed,
            raised,
        ))
    };
    // Files that do not parse are skipped here and reported after the output.
    let mut bad: Vec<crate::model::diag::Diagnostic> = Vec::new();
    let written = stream(&ws, |loaded| {
        let docs = loaded.filter_map(|r| match r {
            Ok(d) => wanted(&d).then_some(d),
            Err(d) => {
                bad.push(*d);
                None
            }
        });
        // Json and csv are written as the files are read; a buffer keeps the writes few.
        let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
        match args.format {
            ListFormat::Table => table(&mut out, &docs.collect::<Vec<_>>())?,
            ListFormat::Json => {
                // One escalation per line: greppable, diffable, and three quarters the size
                // of indented JSON (`jq .` indents it).
                write!(out, "[")?;
                for (i, doc) in docs.enumerate() {
                    // The timeline is written from the timeline itself, not a copy as a value.
                    let raised = doc.date("/raised/date");
                    let view = timelines
                        .as_ref()
                        .and_then(|all| all.get(doc.id()?))
                        .map(|t| crate::timeline::view(t, tz, today, &process.closed, raised));
                    let item = Item {
                        timeline: view,
                        watch: watch(&doc),
                        doc,
                    };
                    out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                    serde_json::to_writer(&mut out, &item).map_err(crate::out::diag::json_io)?;
                }
                writeln!(out, "\n]")?;
            }
            ListFormat::Csv => {
                writeln!(
                    out,
                    "id,step,severity,customer,owner,raised,title,file,step_entered,days_in_step,last_update,watch_lists"
                )?;
                for d in docs {
                    let lists = crate::out::watch::line(&watch(&d));
                    csv_row(&mut out, &d, timeline(&d), &lists)?;
                }
            }
        }
        out.flush()
    })?;
    written.map_err(stdout_err)?;
    for d in &bad {
        eprintln!(
            "esc: skipped {}:{}:{}: {} (run `esc check`)",
            d.file, d.line, d.column, d.message
        );
    }
    Ok(u8::from(!bad.is_empty()))
}

fn csv_row(out: &mut dyn Write, d: &Doc, t: Option<Value>, lists: &str) -> std::io::Result<()> {
    let field = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.get(..10).unwrap_or(s).to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let entered = t.as_ref().and_then(|t| {
        t["entered"]
            .as_array()
            .and_then(|a| a.last())
            .map(|e| e["at"].clone())
    });
    let extra = [
        field(entered.as_ref()),
        field(t.as_ref().map(|t| &t["days_in_step"])),
        field(t.as_ref().map(|t| &t["last_update"]["at"])),
    ];
    let cells = [
        d.str("/id"),
        d.str("/step"),
        d.str("/severity"),
        d.str("/customer"),
        d.str("/owner"),
        d.str("/raised/date"),
        d.str("/title"),
        Some(d.rel.as_str()),
    ]
    .map(|c| crate::out::csv::cell(c.unwrap_or("")));
    writeln!(
        out,
        "{},{},{}",
        cells.join(","),
        extra.join(","),
        crate::out::csv::cell(lists)
    )
}

/// One item of `list --format json`: `file`, every front-matter field, `watch_lists`,
/// `timeline`.
struct Item<'a> {
    doc: Doc,
    watch: Vec<Value>,
    timeline: Option<crate::timeline::View<'a>>,
}

impl serde::Serialize for Item<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("file", &self.doc.rel)?;
        if let Value::Object(fields) = &self.doc.data {
            for (k, v) in fields {
                if k != "file" && k != "timeline" && k != "watch_lists" {
                    m.serialize_entry(k, v)?;
                }
            }
        }
        m.serialize_entry("watch_lists", &self.watch)?;
        if let Some(t) = &self.timeline {
            m.serialize_entry("timeline", t)?;
        }
        m.end()
    }
}

/// At most `n` characters, with `…` where it was cut.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}

/// The name part of `Name <address>`.
pub fn name_of(person: &str) -> &str {
    person.split(" <").next().unwrap_or(person).trim()
}

fn table(out: &mut dyn Write, docs: &[Doc]) -> std::io::Result<()> {
    let rows: Vec<[String; 7]> = docs
        .iter()
        .map(|d| {
            let title = cut(d.str("/title").unwrap_or(""), 60);
            [
                d.str("/id").unwrap_or("?").to_string(),
                d.str("/step").unwrap_or("").to_string(),
                d.str("/severity").unwrap_or("-").to_string(),
                cut(d.str("/customer").unwrap_or(""), 24),
                name_of(d.str("/owner").unwrap_or("")).to_string(),
                d.str("/raised/date").unwrap_or("").to_string(),
                title.replace(['\n', '\r'], " "),
            ]
        })
        .collect();
    let header = [
        "ID", "STEP", "SEVERITY", "CUSTOMER", "OWNER", "RAISED", "TITLE",
    ]
    .map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    for r in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (c, w)) in r.iter().zip(widths).enumerate() {
            if i + 1 == r.len() {
                line.push_str(c);
            } else {
                line.push_str(c);
                line.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    if rows.is_empty() {
        writeln!(out, "(no escalations match)")?;
    }
    Ok(())
}
