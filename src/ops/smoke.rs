//! The template smoke test `esc check` runs: every template rendered against the repository's
//! own escalations (one per step) and against hostile values, without history.

use crate::model::diag::Diagnostic;
use crate::model::doc::Doc;
use crate::store::workspace::Workspace;
use chrono::NaiveDate;
use serde_json::Value;

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
    let week = crate::out::report::Week::of(today);
    let pieces = crate::par::parallel(&items, |it| crate::ops::snapshot::piece(&inputs, week, it));
    let report = crate::ops::snapshot::assemble(&inputs, week, "esc check", pieces);
    let mut env = crate::out::render::environment(
        crate::out::render::Source::Dir(dir),
        ws.config.working_day_numbers(),
        crate::out::render::fuel_for(items.len() + 10),
    );
    crate::out::render::use_schema_labels(&mut env, &ws.schemas.current.json);
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
