//! `esc check`: every file parsed once and checked on all cores, ids unique across files,
//! the process, the id prefix and the schema in agreement, and every template rendered once. Positions are
//! computed only for files that have problems.

use crate::model::diag::{Diagnostic, Issue};
use crate::model::doc::Doc;
use crate::par::parallel;
use crate::rules::check::{check_doc, process_agreement};
use crate::store::files::load;
use crate::store::workspace::{Entry, Workspace};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// What `check` found.
pub struct Report {
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks `entries` (sorted) with `today` as the latest allowed date.
pub fn check(ws: &Workspace, entries: &[Entry], today: NaiveDate) -> Report {
    let mut diagnostics = process_agreement(&ws.config, &ws.schemas);
    diagnostics.extend(crate::rules::ids::schema_agreement(&ws.config, &ws.schemas));
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
    diagnostics.extend(super::smoke::check_templates(ws, &samples, today));
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
            let diags = check_doc(&ws.config, &ws.schemas, &doc, today);
            let id = doc.id().map(String::from);
            (diags, id, Some(doc))
        }
        Err(d) => (vec![*d], None, None),
    }
}
