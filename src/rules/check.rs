//! The checks of one escalation: its schema for its step, then the rules JSON Schema cannot
//! express (dates in order and not in the future, the id matches the file name, no open
//! action on a resolved closing, the severity policy); and the check of one move between two
//! versions of a file. Pure: the caller loads the files.

use crate::model::diag::{Diagnostic, Issue, dotted, show};
use crate::model::doc::At;
use crate::model::doc::Doc;
use crate::rules::config::Config;
use crate::rules::process::Refusal;
use crate::rules::schema::Schemas;
use chrono::NaiveDate;
use serde_json::Value;

/// Every problem in one parsed document (schema and semantic rules; not cross-file ones).
pub fn check_doc(
    config: &Config,
    schemas: &Schemas,
    doc: &Doc,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let process = config.process.as_ref();
    let closed = process.map_or("closed", |p| p.closed.as_str());
    let schema = schemas.for_document(&doc.data, closed);
    let mut issues = if schema.is_valid(&doc.data) {
        Vec::new()
    } else {
        schema.issues(&doc.data)
    };
    // A field the base schema and a step's guard both constrain fails both the same way:
    // say it once.
    let mut seen = std::collections::HashSet::new();
    issues.retain(|i| seen.insert((i.pointer.clone(), i.rule.clone(), i.message.clone())));
    issues.extend(semantic(config, doc, today, closed));
    issues.extend(crate::rules::roles::issues(config, &doc.data));
    issues.extend(ambiguous_scalars(doc, &issues));
    if issues.is_empty() {
        Vec::new()
    } else {
        doc.locate(issues)
    }
}

/// Plain scalars esc reads as text that other YAML readers (PyYAML, python-frontmatter,
/// gray-matter, check-jsonschema, yaml-language-server) take for a number, a boolean, null or
/// a date and time: `ticket: 012345` is 12345 or 5349 elsewhere. The fix is to quote it. A
/// field that already has a problem gets no second one.
fn ambiguous_scalars(doc: &Doc, issues: &[Issue]) -> Vec<Issue> {
    use crate::model::scalar::{Context, other_reading, scalar};
    use crate::model::yamlpos::{Positions, ScalarStyle};
    if !doc.ambiguous_plain {
        return Vec::new();
    }
    let pos = Positions::build(doc.yaml());
    let mut out = Vec::new();
    for node in pos.nodes() {
        if node.scalar_style != Some(ScalarStyle::Plain) || node.tagged || node.alias_of != 0 {
            continue;
        }
        let Some(text) = doc.data.at(&node.pointer).and_then(Value::as_str) else {
            continue;
        };
        let Some(reading) = other_reading(text) else {
            continue;
        };
        if issues.iter().any(|i| i.pointer == node.pointer) {
            continue;
        }
        let quoted = scalar(text, Context::Flow, 0, "\n");
        out.push(Issue {
            pointer: node.pointer.clone(),
            rule: "ambiguous-scalar".into(),
            message: format!(
                "`{}` is text for esc, but other YAML tools read `{text}` as {reading}; \
                 quote it: `{quoted}`",
                dotted(&node.pointer)
            ),
            expected: Some(format!("text in quotes, `{quoted}`")),
            found: Some(format!("`{text}` without quotes")),
        });
    }
    out
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
    crate::model::dates::parse(data.at(pointer)?.as_str()?)
}

/// Rules the schema cannot express: date order, no future dates, file name matches the id,
/// the month folder matches the raised date, no open actions on a resolved closing, the
/// severity policy.
fn semantic(config: &Config, doc: &Doc, today: NaiveDate, closed: &str) -> Vec<Issue> {
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
        // A date in the future is reported as such below; later dates are not wrong for
        // being earlier than it.
        if let Some(d) = date_at(data, pointer).filter(|d| *d <= today) {
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
    // `gathering.watch_list` is one entry or a list of entries.
    match data.at("/gathering/watch_list") {
        Some(Value::Array(entries)) => {
            dates.extend((0..entries.len()).map(|i| format!("/gathering/watch_list/{i}/date")));
        }
        _ => dates.push("/gathering/watch_list/date".into()),
    }
    for (list, field) in [("/meetings", "date"), ("/status/actions", "done")] {
        let n = data.at(list).and_then(Value::as_array).map_or(0, Vec::len);
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
                    config.timezone
                ),
            );
        }
    }

    // The file is named after its id.
    if let Some(id) = doc.id() {
        let stem = crate::model::id::claimed(&doc.rel);
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
        && data.at("/closing/outcome").and_then(Value::as_str) == Some("resolved")
    {
        let actions = data.at("/status/actions").and_then(Value::as_array);
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

    // The repository's id prefix: the ids of an organisation's repositories never collide.
    if let Some(i) = doc
        .id()
        .and_then(|id| crate::rules::ids::prefix_issue(config, id))
    {
        out.push(i);
    }

    // A file in a month folder (`escalations/2026-11/...`) sits in the month it was raised.
    if let Some(raised) = date_at(data, "/raised/date")
        && let Some(rest) = doc.rel.strip_prefix("escalations/")
        && let Some((folder, name)) = rest.split_once('/')
        && is_month(folder)
    {
        let month = raised.format("%Y-%m").to_string();
        if folder != month {
            let belongs = format!("escalations/{month}/{name}");
            out.push(Issue {
                pointer: "/raised/date".into(),
                rule: "misfiled".into(),
                message: format!(
                    "raised in {month} but filed under escalations/{folder}/; it belongs at {belongs} (git mv {} {belongs})",
                    doc.rel
                ),
                expected: Some(belongs),
                found: Some(doc.rel.clone()),
            });
        }
    }

    // The stakeholder notice's date lives in `stakeholders.notified` (the step-4 decision);
    // `notices.stakeholders` is read from old files but must not say something else.
    if let Some(sent) = data.at("/notices/stakeholders").and_then(Value::as_str) {
        let notified = data.at("/stakeholders/notified").and_then(Value::as_str);
        let open = data.get("step").and_then(Value::as_str) != Some(closed);
        if notified.is_some_and(|n| n != sent) || (open && notified.is_none()) {
            out.push(Issue {
                pointer: "/notices/stakeholders".into(),
                rule: "notice-date".into(),
                message: format!(
                    "the stakeholder notice's date belongs in `stakeholders.notified`{}; move it there and remove `notices.stakeholders`",
                    notified.map_or_else(String::new, |n| format!(
                        " (which says {n}, and this says {sent})"
                    ))
                ),
                expected: Some("stakeholders.notified".into()),
                found: Some("notices.stakeholders".into()),
            });
        }
    }

    // Severity policy: an architect must notify stakeholders for these severities.
    let severity = data.get("severity").and_then(Value::as_str);
    if let Some(sev) = severity
        && data.at("/stakeholders/decision").and_then(Value::as_str) == Some("not-needed")
        && data.get("owner_role").and_then(Value::as_str) == Some("architect")
        && config.severity_policy.notify.iter().any(|s| s == sev)
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

/// `YYYY-MM`, the name of a month folder.
fn is_month(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
}

/// The process and the schema must name the same steps.
pub fn process_agreement(config: &Config, schemas: &Schemas) -> Vec<Diagnostic> {
    let process = config.process();
    let file = if config.process.is_some() {
        crate::rules::config::FILE.to_string()
    } else {
        schemas.current.origin.clone()
    };
    process
        .disagreements(&schemas.current.steps())
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

/// The problems with the change from `old` to `new` of one escalation file.
pub fn transition(config: &Config, old: &Doc, new: &Doc) -> Vec<Diagnostic> {
    let process = &config.process();
    let mut issues: Vec<Issue> = crate::rules::review::on_close(config, old, new, &process.closed)
        .into_iter()
        .collect();
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
        // Recording that the resolved notice was sent is the one edit a closed escalation
        // accepts (the notice goes out after closing).
        let without_notice = |d: &Doc| {
            let mut v = d.data.clone();
            if let Some(n) = v.get_mut("notices").and_then(Value::as_object_mut) {
                n.remove("resolved");
                if n.is_empty()
                    && let Some(m) = v.as_object_mut()
                {
                    m.remove("notices");
                }
            }
            v
        };
        if old.text != new.text && without_notice(old) != without_notice(new) {
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
            let e = match e {
                Refusal::NeedsReason { .. } => format!(
                    "moving from `{from}` to `{to}` needs a reason: write it in `step_reason:` (a new one for this move)"
                ),
                e => e.to_string(),
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
