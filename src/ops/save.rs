//! Saving an edit of one escalation: refuse files that must not be edited, check the new text
//! as the escalation it would be, write it atomically, commit that one file.

use crate::error::{Error, Result};
use crate::model::diag::Diagnostic;
use crate::model::doc::Doc;
use crate::store::workspace::Workspace;
use chrono::NaiveDate;

/// Finds the escalation and refuses files it must not edit: conflict markers, and (unless
/// `allow_closed`) a closed escalation, which is read-only until reopened.
pub fn open_for_edit(ws: &Workspace, query: &str, allow_closed: bool) -> Result<Doc> {
    let doc = crate::store::files::find(ws, query)?;
    if let Some(line) = conflict_marker(&doc.text) {
        return Err(Error::Data(format!(
            "{}:{line}: the file has merge conflict markers; resolve the conflict first",
            doc.rel
        )));
    }
    let closed = ws.config.process().closed;
    if !allow_closed && doc.str("/step") == Some(closed.as_str()) {
        return Err(Error::Data(format!(
            "{} is closed, so it is read-only; reopen it first (esc advance {} --to STEP --reason TEXT)",
            doc.id().unwrap_or_default(),
            doc.id().unwrap_or_default()
        )));
    }
    Ok(doc)
}

/// The first line (1-based) that is a merge conflict marker. git writes `<<<<<<< ` and
/// `>>>>>>> ` around every conflict; a `=======` line alone is a Markdown heading underline.
pub fn conflict_marker(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.starts_with("<<<<<<< ") || l.starts_with(">>>>>>> "))
        .map(|i| i + 1)
}

/// An edit ready to be saved.
pub struct Edit {
    /// The file's new text.
    pub text: String,
    /// What the edit does, for people: `gathering -> validation`, `set severity`.
    pub what: String,
    /// The commit message.
    pub message: String,
}

/// What saving did.
pub enum Saved {
    /// The new text has problems; nothing was changed.
    Refused(Vec<Diagnostic>),
    /// A dry run: the lines that would change (old, new).
    DryRun(Vec<(Option<String>, Option<String>)>),
    /// Written, and committed unless asked not to (the short commit id).
    Written { commit: Option<String> },
}

/// Checks `edit.text` as the new content of `doc` (as of `today`), then writes it and, when
/// `commit`, commits that one file. A refused or failed save changes nothing.
pub fn save(
    ws: &Workspace,
    doc: &Doc,
    edit: &Edit,
    today: NaiveDate,
    commit: bool,
    dry_run: bool,
) -> Result<Saved> {
    let new_doc = crate::model::doc::parse(&doc.rel, edit.text.clone().into_bytes())
        .map_err(|d| Error::Data(d.message))?;
    let problems = crate::rules::check::check_doc(&ws.config, &ws.schemas, &new_doc, today);
    if !problems.is_empty() {
        return Ok(Saved::Refused(problems));
    }
    if dry_run {
        let lines = changed_lines(&doc.text, &edit.text)
            .into_iter()
            .map(|(a, b)| (a.map(String::from), b.map(String::from)))
            .collect();
        return Ok(Saved::DryRun(lines));
    }
    // Refuse before writing anything, so a failed commit changes nothing.
    let repo = if commit {
        let repo = crate::git::repo::Repo::open(&ws.root)?;
        repo.ready_to_commit()?;
        Some(repo)
    } else {
        None
    };
    let path = ws.abs(&doc.rel);
    crate::store::files::write_atomic(&path, edit.text.as_bytes())
        .map_err(|e| Error::io(&path, e))?;
    let commit = match repo {
        Some(repo) => Some(repo.commit_file(&doc.rel, &edit.message)?.short()),
        None => None,
    };
    Ok(Saved::Written { commit })
}

/// `ID: summary`, an optional body, then trailers in `git interpret-trailers` form.
pub fn message(id: &str, summary: &str, body: Option<&str>, trailers: &[(&str, &str)]) -> String {
    let mut m = format!("{id}: {summary}\n\n");
    if let Some(b) = body {
        m.push_str(b);
        m.push_str("\n\n");
    }
    m.push_str(&format!("Escalation: {id}\n"));
    for (k, v) in trailers {
        // A trailer is one line.
        let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
        m.push_str(&format!("{k}: {v}\n"));
    }
    m
}

/// Old and new lines where two texts differ: `(Some(old), Some(new))` for a changed line,
/// `(None, Some(new))` for an added one, `(Some(old), None)` for a removed one.
pub fn changed_lines<'a>(old: &'a str, new: &'a str) -> Vec<(Option<&'a str>, Option<&'a str>)> {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    // The common prefix and suffix, then a longest common subsequence of what is left
    // (unless that is too big to compare line by line: then all of it, paired in order).
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let (n, m) = (a.len(), b.len());
    let rows = if n * m <= 1 << 22 { n + 1 } else { 0 };
    let mut lcs = vec![vec![0u32; m + 1]; rows];
    for i in (0..rows.saturating_sub(1)).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let at = |i: usize, j: usize| lcs.get(i).map_or(0, |r| r[j]);
    let mut out = Vec::new();
    let (mut dels, mut adds): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    let mut flush = |dels: &mut Vec<&'a str>, adds: &mut Vec<&'a str>| {
        for k in 0..dels.len().max(adds.len()) {
            out.push((dels.get(k).copied(), adds.get(k).copied()));
        }
        dels.clear();
        adds.clear();
    };
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            flush(&mut dels, &mut adds);
            i += 1;
            j += 1;
        } else if j < m && (i == n || at(i, j + 1) >= at(i + 1, j)) {
            adds.push(b[j]);
            j += 1;
        } else {
            dels.push(a[i]);
            i += 1;
        }
    }
    flush(&mut dels, &mut adds);
    out
}
