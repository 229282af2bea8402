//! `esc check --base REV`: the pull-request check of the files a change touches and the moves
//! between steps it makes.

use super::check::Report;
use crate::model::diag::{Diagnostic, Issue};
use crate::rules::check::transition;
use crate::store::files::load;
use crate::store::workspace::{Entry, Workspace};
use chrono::NaiveDate;

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
        super::check::check(ws, &all, today)
    } else {
        let changed: Vec<Entry> = changes
            .files
            .iter()
            .filter(|(_, s)| *s != crate::git::repo::Status::Deleted)
            .filter_map(|(rel, _)| all.iter().find(|e| e.rel() == rel).cloned())
            .collect();
        let mut r = super::check::check(ws, &changed, today);
        r.diagnostics.extend(duplicate_stems(ws, &changed, &all));
        r
    };
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
        let old_doc = old.and_then(|b| crate::model::doc::parse(rel, b).ok());
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
                            crate::model::doc::parse(r, bytes).ok()
                        })
                        .find(|d| d.id().is_some() && d.id() == new_doc.id())
                });
                let Some(old_doc) = old_doc else {
                    continue;
                };
                transitions.extend(transition(&ws.config, &old_doc, &new_doc));
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
