//! `esc check`: every file parsed once, validated against its schema, then the semantic rules
//! JSON Schema cannot express. Files are checked on all cores; positions are computed only for
//! files that have problems.

use crate::model::diag::{Diagnostic, dotted};
use crate::par::parallel;
use crate::rules::schema::{Issue, show};
use crate::store::files::{Doc, load};
use crate::store::workspace::{Entry, Workspace};
use chrono::NaiveDate;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// What `check` found.
pub struct Report {
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks `entries` (sorted) with `today` as the latest allowed date.
pub fn check(ws: &Workspace, entries: &[Entry], today: NaiveDate) -> Report {
    let mut diagnostics = process_agreement(ws);
    // One valid escalation per step (the first in path order) to render the templates with.
    let samples: Mutex<BTreeMap<String, (usize, Doc)>> = Mutex::new(BTreeMap::new());
    let indexed: Vec<(usize, &Entry)> = entries.iter().enumerate().collect();
    let results = parallel(&indexed, |(i, entry)| {
        let (diags, id, doc) = check_one(ws, entry, today);
        if let Some(doc) = doc.filter(|_| diags.is_empty())
            && let Some(step) = doc.str("/step").map(String::from)
            && let Ok(mut map) = samples.lock()
            && map.get(&step).is_none_or(|(j, _)| i < j)
        {
            map.insert(step, (*i, doc));
        }
        (diags, id)
    });
    let mut ids: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut per_file: Vec<Vec<Diagnostic>> = Vec::with_capacity(results.len());
    for (i, (diags, id)) in results.into_iter().enumerate() {
        if let Some(id) = id {
            ids.entry(id).or_default().push(i);
        }
        per_file.push(diags);
    }
    for (id, files) in ids.iter().filter(|(_, f)| f.len() > 1) {
        for &i in files {
            let others: Vec<&str> = files
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| entries[j].rel())
                .collect();
            if let Ok(doc) = load(ws, &entries[i]) {
                let issue = Issue {
                    pointer: "/id".into(),
                    rule: "duplicate-id".into(),
                    message: format!(
                        "id `{id}` is also used by {}; ids must be unique (give one of them a new id with `esc new --id`)",
                        others.join(", ")
                    ),
                    expected: Some("a unique id".into()),
                    found: Some(id.clone()),
                };
                per_file[i].extend(doc.locate(vec![issue]));
            }
        }
    }
    for mut d in per_file {
        d.sort_by_key(|d| (d.line, d.column));
        diagnostics.extend(d);
    }
    let samples: Vec<Doc> = samples
        .into_inner()
        .map(|m| m.into_values().map(|(_, d)| d).collect())
        .unwrap_or_default();
    diagnostics.extend(check_templates(ws, &samples, today));
    Report {
        files: entries.len(),
        diagnostics,
    }
}

/// A file's problems and id, and the document itself when it parsed.
fn check_one(
    ws: &Workspace,
    entry: &Entry,
    today: NaiveDate,
) -> (Vec<Diagnostic>, Option<String>, Option<Doc>) {
    match load(ws, entry) {
        Ok(doc) => {
            let diags = check_doc(ws, &doc, today);
            let id = doc.id().map(String::from);
            (diags, id, Some(doc))
        }
        Err(d) => (vec![*d], None, None),
    }
}

/// Text that tries to break every output: Markdown tables and links, HTML, e-mail headers.
const HOSTILE: &str = " | `x` <script>alert(1)</script> [link](http://evil.example) *b* _i_\r\nBcc: evil@example.com Zoë Ångström";

/// `data` with every text value made hostile (dates, ids and step kept, so the context is
/// still an escalation at that step).
fn hostile(data: &Value) -> Value {
    fn walk(v: &Value, key: &str) -> Value {
        match v {
            Value::String(s) => {
                let date_like = s.len() == 10 && s.as_bytes().get(4) == Some(&b'-');
                if date_like
                    || matches!(
                        key,
                        "id" | "step"
                            | "owner_role"
                            | "cadence"
                            | "decision"
                            | "outcome"
                            | "severity"
                    )
                {
                    v.clone()
                } else {
                    Value::String(format!("{s}{HOSTILE}"))
                }
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| walk(x, key)).collect()),
            Value::Object(m) => {
                Value::Object(m.iter().map(|(k, x)| (k.clone(), walk(x, k))).collect())
            }
            other => other.clone(),
        }
    }
    walk(data, "")
}

/// Renders every template (built-in and the repository's) against contexts from the
/// repository's own files, one per step, plus hostile values; no history is read. A
/// template that fails here would fail on Monday's report.
pub fn check_templates(ws: &Workspace, samples: &[Doc], today: NaiveDate) -> Vec<Diagnostic> {
    let process = ws.config.process();
    let Ok(tz) = ws.config.tz() else {
        return Vec::new();
    };
    let inputs = crate::out::context::Inputs {
        schema: &ws.schemas.current.json,
        config: &ws.config,
        process: &process,
        today,
        tz,
    };
    let dir = crate::out::render::templates_dir(&ws.root);
    let mut names: Vec<String> = crate::out::render::EMBEDDED
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".j2") && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names.sort();
    let mut contexts: Vec<Value> = Vec::new();
    let mut datas: Vec<Value> = samples.iter().map(|d| d.data.clone()).collect();
    if let Some(first) = samples.first() {
        datas.push(hostile(&first.data));
    }
    for (i, data) in datas.iter().enumerate() {
        let file = samples.get(i).map_or("(hostile)", |d| d.rel.as_str());
        contexts.push(inputs.escalation(file, data, None));
    }
    let items: Vec<crate::out::report::Item<'_>> = datas
        .iter()
        .enumerate()
        .map(|(i, data)| crate::out::report::Item {
            file: samples.get(i).map_or("(hostile)", |d| d.rel.as_str()),
            data,
            timeline: None,
        })
        .collect();
    let report = crate::out::report::context_of(
        &inputs,
        crate::out::report::Week::of(today),
        "esc check",
        &items,
    );
    let env = crate::out::render::environment(
        crate::out::render::Source::Dir(dir),
        ws.config.working_day_numbers(),
        crate::out::render::fuel_for(items.len() + 10),
    );
    let mut out = Vec::new();
    for name in &names {
        let file = if ws.root.join("templates").join(name).is_file() {
            format!("templates/{name}")
        } else {
            format!("templates/{name} (built in)")
        };
        let ctxs: Vec<&Value> = if name.starts_with("report") {
            vec![&report]
        } else {
            contexts.iter().collect()
        };
        for ctx in ctxs {
            let result = env
                .get_template(name)
                .and_then(|t| t.render(minijinja::Value::from(minijinja::value::Serde(ctx))));
            if let Err(e) = result {
                let what = ctx
                    .get("file")
                    .and_then(Value::as_str)
                    .unwrap_or("the report");
                let mut d = Diagnostic::new(
                    &file,
                    e.line().unwrap_or(1),
                    1,
                    "template",
                    format!(
                        "{} (rendering for {what})",
                        crate::out::render::template_error(name, &e)
                    ),
                );
                d.field = name.clone();
                out.push(d);
                break;
            }
        }
    }
    out
}

/// Every problem in one parsed document (schema and semantic rules; not cross-file ones).
pub fn check_doc(ws: &Workspace, doc: &Doc, today: NaiveDate) -> Vec<Diagnostic> {
    let process = ws.config.process.as_ref();
    let closed = process.map_or("closed", |p| p.closed.as_str());
    let schema = ws.schemas.for_document(&doc.data, closed);
    let mut issues = if schema.is_valid(&doc.data) {
        Vec::new()
    } else {
        schema.issues(&doc.data)
    };
    issues.extend(semantic(ws, doc, today, closed));
    if issues.is_empty() {
        Vec::new()
    } else {
        doc.locate(issues)
    }
}

/// The business dates, in the order the process puts them.
const DATE_ORDER: [(&str, &str); 5] = [
    ("/gathering/occurred", "occurred"),
    ("/raised/date", "raised"),
    ("/validation/date", "validated"),
    ("/stakeholders/notified", "notified"),
    ("/closing/date", "resolved"),
];

fn date_at(data: &Value, pointer: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(data.pointer(pointer)?.as_str()?, "%Y-%m-%d").ok()
}

/// Rules the schema cannot express: date order, no future dates, file name matches the id,
/// no open actions on a resolved closing, the severity policy.
fn semantic(ws: &Workspace, doc: &Doc, today: NaiveDate, closed: &str) -> Vec<Issue> {
    let data = &doc.data;
    let mut out = Vec::new();
    let mut issue = |pointer: &str, rule: &str, message: String| {
        out.push(Issue {
            pointer: pointer.into(),
            rule: rule.into(),
            message,
            expected: None,
            found: None,
        })
    };

    // Dates in order: each one no earlier than the latest earlier one present.
    let mut latest: Option<(&str, NaiveDate)> = None;
    for (pointer, _) in DATE_ORDER {
        if let Some(d) = date_at(data, pointer) {
            if let Some((prev, pd)) = latest
                && d < pd
            {
                issue(
                    pointer,
                    "date-order",
                    format!(
                        "`{}` ({d}) is before `{}` ({pd}); dates go occurred <= raised <= validated <= notified <= resolved",
                        dotted(pointer),
                        dotted(prev)
                    ),
                );
                continue;
            }
            latest = Some((pointer, d));
        }
    }

    // No date in the future (action due dates excepted: they are plans).
    let mut dates: Vec<String> = [
        "/raised/date",
        "/gathering/occurred",
        "/gathering/service_request",
        "/gathering/watch_list/date",
        "/validation/date",
        "/stakeholders/notified",
        "/status/as_of",
        "/closing/date",
        "/notices/stakeholders",
        "/notices/confirmation",
        "/notices/resolved",
    ]
    .map(String::from)
    .to_vec();
    for (list, field) in [("/meetings", "date"), ("/status/actions", "done")] {
        let n = data
            .pointer(list)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        dates.extend((0..n).map(|i| format!("{list}/{i}/{field}")));
    }
    for pointer in &dates {
        if let Some(d) = date_at(data, pointer)
            && d > today
        {
            issue(
                pointer,
                "future-date",
                format!(
                    "`{}` is {d}, which is in the future (today is {today} in {}; use --today to check as of another day)",
                    dotted(pointer),
                    ws.config.timezone
                ),
            );
        }
    }

    // The file is named after its id.
    if let Some(id) = doc.id() {
        let stem = crate::store::workspace::stem(&doc.rel);
        if stem != id {
            issue(
                "/id",
                "id-mismatch",
                format!(
                    "id `{id}` does not match the file name `{stem}.md`; rename the file to `{id}.md`"
                ),
            );
        }
    }

    let step = data.get("step").and_then(Value::as_str);
    // A resolved escalation has no open actions.
    if step == Some(closed)
        && data.pointer("/closing/outcome").and_then(Value::as_str) == Some("resolved")
    {
        let actions = data.pointer("/status/actions").and_then(Value::as_array);
        for (i, a) in actions.into_iter().flatten().enumerate() {
            if a.get("done").is_none() {
                let what = a.get("what").map(show).unwrap_or_default();
                issue(
                    &format!("/status/actions/{i}"),
                    "open-action",
                    format!(
                        "closed as resolved with an open action (`{what}`): mark it done (`done: YYYY-MM-DD`) or do not close yet"
                    ),
                );
            }
        }
    }

    // Severity policy: an architect must notify stakeholders for these severities.
    let severity = data.get("severity").and_then(Value::as_str);
    if let Some(sev) = severity
        && data
            .pointer("/stakeholders/decision")
            .and_then(Value::as_str)
            == Some("not-needed")
        && data.get("owner_role").and_then(Value::as_str) == Some("architect")
        && ws.config.severity_policy.notify.iter().any(|s| s == sev)
    {
        out.push(Issue {
            pointer: "/stakeholders/decision".into(),
            rule: "notify-policy".into(),
            message: format!(
                "severity `{sev}` requires notifying stakeholders when an architect owns the escalation (severity_policy.notify in esc.yaml); found `not-needed`"
            ),
            expected: Some("notify".into()),
            found: Some("not-needed".into()),
        });
    }
    out
}

/// The process and the schema must name the same steps.
fn process_agreement(ws: &Workspace) -> Vec<Diagnostic> {
    let process = ws.config.process();
    let file = if ws.config.process.is_some() {
        crate::rules::config::FILE.to_string()
    } else {
        ws.schemas.current.origin.clone()
    };
    process
        .disagreements(&ws.schemas.current.steps())
        .into_iter()
        .map(|m| {
            Diagnostic::new(
                &file,
                1,
                1,
                "process-schema",
                format!(
                    "{m}; the process (esc.yaml `process:`) and the schema must name the same steps"
                ),
            )
        })
        .collect()
}

/// `esc check --base REV`: the files changed since the merge base of REV and HEAD (working
/// tree included) must each be valid, and each change of step must be a move the process
/// allows, with its reason; closed escalations change only by a reopen; nothing is deleted;
/// no id changes. Only changed files are read unless the rules (schema, config, templates)
/// changed, in which case every file is checked too.
pub fn check_base(ws: &Workspace, rev: &str, today: NaiveDate) -> crate::error::Result<Report> {
    let repo = crate::git::repo::Repo::open(&ws.root)?;
    let changes = repo.changes_since(rev)?;
    let all = ws.entries(&[])?;
    let mut report = if changes.rules_changed {
        check(ws, &all, today)
    } else {
        let changed: Vec<Entry> = changes
            .files
            .iter()
            .filter(|(_, s)| *s != crate::git::repo::Status::Deleted)
            .filter_map(|(rel, _)| all.iter().find(|e| e.rel() == rel).cloned())
            .collect();
        let mut r = check(ws, &changed, today);
        r.diagnostics.extend(duplicate_stems(ws, &changed, &all));
        r
    };
    let process = ws.config.process();
    let mut transitions = Vec::new();
    let new_ids: Vec<(String, String)> = changes
        .files
        .iter()
        .filter(|(_, s)| *s != crate::git::repo::Status::Deleted)
        .filter_map(|(rel, _)| {
            let doc = load(ws, &Entry::File(rel.clone())).ok()?;
            Some((doc.id()?.to_string(), rel.clone()))
        })
        .collect();
    for (rel, status) in &changes.files {
        let old = repo.read_at(changes.base, rel)?;
        let old_doc = old.and_then(|b| crate::store::files::parse(rel, b).ok());
        match status {
            crate::git::repo::Status::Deleted => {
                let id = old_doc.as_ref().and_then(|d| d.id().map(String::from));
                let renamed = id
                    .as_ref()
                    .is_some_and(|id| new_ids.iter().any(|(n, _)| n == id));
                if !renamed {
                    transitions.push(Diagnostic::new(
                        rel,
                        1,
                        1,
                        "deleted",
                        format!(
                            "escalation {} was deleted; escalations are never deleted: close it instead (esc advance ID --to closed --outcome withdrawn|duplicate --reason TEXT)",
                            id.unwrap_or_else(|| rel.clone())
                        ),
                    ));
                }
            }
            _ => {
                let Ok(new_doc) = load(ws, &Entry::File(rel.clone())) else {
                    continue;
                };
                // A file moved (deleted at one path, added at another) is compared with its
                // old self, so the move cannot hide an edit of a closed escalation.
                let old_doc = old_doc.or_else(|| {
                    changes
                        .files
                        .iter()
                        .filter(|(_, s)| *s == crate::git::repo::Status::Deleted)
                        .filter_map(|(r, _)| {
                            let bytes = repo.read_at(changes.base, r).ok()??;
                            crate::store::files::parse(r, bytes).ok()
                        })
                        .find(|d| d.id().is_some() && d.id() == new_doc.id())
                });
                let Some(old_doc) = old_doc else {
                    continue;
                };
                transitions.extend(transition(&process, &old_doc, &new_doc));
            }
        }
    }
    report.diagnostics.extend(transitions);
    report
        .diagnostics
        .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    report.diagnostics.dedup();
    Ok(report)
}

/// Changed files whose id is another file's name (the full check finds these itself).
fn duplicate_stems(ws: &Workspace, changed: &[Entry], all: &[Entry]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for e in changed {
        let Ok(doc) = load(ws, e) else { continue };
        let Some(id) = doc.id() else { continue };
        let others: Vec<&str> = all
            .iter()
            .filter(|o| o.rel() != e.rel() && o.stem() == id)
            .map(Entry::rel)
            .collect();
        if !others.is_empty() {
            out.extend(doc.locate(vec![Issue {
                pointer: "/id".into(),
                rule: "duplicate-id".into(),
                message: format!(
                    "id `{id}` is also used by {}; ids must be unique",
                    others.join(", ")
                ),
                expected: Some("a unique id".into()),
                found: Some(id.to_string()),
            }]));
        }
    }
    out
}

/// The problems with the change from `old` to `new` of one escalation file.
pub fn transition(
    process: &crate::rules::process::Process,
    old: &Doc,
    new: &Doc,
) -> Vec<Diagnostic> {
    let mut issues = Vec::new();
    let issue = |pointer: &str, rule: &str, message: String| Issue {
        pointer: pointer.into(),
        rule: rule.into(),
        message,
        expected: None,
        found: None,
    };
    let (old_id, new_id) = (old.id(), new.id());
    if old_id.is_some() && old_id != new_id {
        issues.push(issue(
            "/id",
            "id-changed",
            format!(
                "the id changed from `{}` to `{}`; an escalation keeps its id for life",
                old_id.unwrap_or_default(),
                new_id.unwrap_or_default()
            ),
        ));
    }
    let (Some(from), Some(to)) = (old.str("/step"), new.str("/step")) else {
        return new.locate(issues);
    };
    let closed = process.closed.as_str();
    let old_reason = old.str("/step_reason");
    let new_reason = new.str("/step_reason").filter(|r| Some(*r) != old_reason);
    if from == closed && to == closed {
        if old.text != new.text {
            // Point at the first line that differs.
            let line = old
                .text
                .lines()
                .zip(new.text.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| old.text.lines().count().min(new.text.lines().count()))
                + 1;
            let mut d = Diagnostic::new(
                &new.rel,
                line,
                1,
                "closed-edited",
                format!(
                    "{} is closed, so it is read-only; reopen it first (esc advance ID --to STEP --reason TEXT)",
                    new_id.unwrap_or_default()
                ),
            );
            d.source = crate::model::document::line_text(&new.text, line).map(String::from);
            let mut out = new.locate(issues);
            out.push(d);
            return out;
        }
    } else if from != to {
        let outcome = new.str("/closing/outcome");
        // For closing, the reason lives in closing.reason (the schema asks for it).
        let reason = if to == closed {
            new.str("/closing/reason").or(new_reason)
        } else {
            new_reason
        };
        if let Err(e) = process.plan(from, Some(to), outcome, reason) {
            let e = if e.contains("needs a reason") {
                format!(
                    "moving from `{from}` to `{to}` needs a reason: write it in `step_reason:` (a new one for this move)"
                )
            } else {
                e
            };
            issues.push(issue(
                "/step",
                "transition",
                format!("`step` changed from `{from}` to `{to}`: {e}"),
            ));
        }
    }
    new.locate(issues)
}
