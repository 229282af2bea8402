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
    editable(ws, &doc, allow_closed)?;
    Ok(doc)
}

/// Refuses a file with conflict markers and (unless `allow_closed`) a closed escalation.
fn editable(ws: &Workspace, doc: &Doc, allow_closed: bool) -> Result<()> {
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
    Ok(())
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

/// What saving did to which escalation, and what the edit was (`Edit::what`).
pub struct Outcome {
    pub id: String,
    pub what: String,
    pub saved: Saved,
}

/// How to save.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The day the new text is checked as of.
    pub today: NaiveDate,
    /// Commit the file (otherwise only write it).
    pub commit: bool,
    /// Say what would change; change nothing.
    pub dry_run: bool,
    /// A closed escalation may be edited (reopening it).
    pub allow_closed: bool,
    /// Run git's commit hooks.
    pub verify: bool,
}

/// The hint `esc new` leaves at the end of a new file's front matter; it goes once the
/// escalation has a `gathering` section.
pub const GATHERING_HINT: &str = "# Next, information gathering: add a `gathering:` section with description, types,\n\
     # occurred, services and deployment_phase (`esc schema` describes every field).\n";

/// `text` without the `esc new` hint once it has the `gathering:` section the hint asks for.
fn without_done_hint(mut text: String) -> String {
    if text.contains("\ngathering:")
        && let Some(at) = text.find(GATHERING_HINT)
    {
        text.replace_range(at..at + GATHERING_HINT.len(), "");
    }
    text
}

/// How many times an edit is tried again when the branch moves while esc commits.
const TRIES: usize = 20;

/// Edits the escalation `query` names: `make` decides the edit from the document as it is
/// on disk; the new text is checked as the escalation it would be (as of `opts.today`), then
/// written and, when `opts.commit`, committed as that one file. When committing, all of it
/// happens under git's index lock, with the file read again under it: two edits of one
/// escalation at once are made one after the other, the second deciding on the first's
/// result. A refused or failed save changes nothing.
pub fn save(
    ws: &Workspace,
    query: &str,
    opts: &Options,
    make: &mut dyn FnMut(&Doc) -> Result<Edit>,
) -> Result<Outcome> {
    let doc = open_for_edit(ws, query, opts.allow_closed)?;
    if opts.dry_run || !opts.commit {
        let mut edit = make(&doc)?;
        edit.text = without_done_hint(edit.text);
        return match checked(ws, &doc, &edit, opts)? {
            Some(refused) => Ok(refused),
            None if opts.dry_run => {
                let lines = changed_lines(&doc.text, &edit.text)
                    .into_iter()
                    .map(|(a, b)| (a.map(String::from), b.map(String::from)))
                    .collect();
                Ok(outcome(&doc, edit.what, Saved::DryRun(lines)))
            }
            None => {
                let path = ws.abs(&doc.rel);
                crate::store::files::write_atomic(&path, edit.text.as_bytes())
                    .map_err(|e| Error::io(&path, e))?;
                Ok(outcome(&doc, edit.what, Saved::Written { commit: None }))
            }
        };
    }
    let repo = crate::git::repo::Repo::open(&ws.root)?;
    let entry = crate::store::workspace::Entry::File(doc.rel.clone());
    for _ in 0..TRIES {
        let mut txn = repo.begin(&doc.rel)?;
        // Under the lock: the file as it is now, and the edit decided on it.
        let doc = crate::store::files::load(ws, &entry).map_err(|d| {
            Error::Data(format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
        })?;
        editable(ws, &doc, opts.allow_closed)?;
        let mut edit = make(&doc)?;
        edit.text = without_done_hint(edit.text);
        if let Some(refused) = checked(ws, &doc, &edit, opts)? {
            return Ok(refused);
        }
        txn.write_file(edit.text.as_bytes())?;
        txn.verify(opts.verify);
        if let crate::git::commit::Committed::Done(id) = txn.commit(&edit.message)? {
            let commit = Some(id.short());
            return Ok(outcome(&doc, edit.what, Saved::Written { commit }));
        }
    }
    Err(Error::Git(
        "the branch kept moving while esc committed; nothing was changed, try again".into(),
    ))
}

/// Creates the escalation file `rel` with `text` (`esc new`), checked first, and commits it as
/// that one file when `opts.commit`; a refused or failed creation leaves nothing behind.
pub fn create(
    ws: &Workspace,
    rel: &str,
    text: &str,
    message: &str,
    opts: &Options,
) -> Result<Outcome> {
    let doc = crate::model::doc::parse(rel, text.as_bytes().to_vec())
        .map_err(|d| Error::Data(d.message))?;
    let edit = Edit {
        text: text.to_string(),
        what: "created".into(),
        message: message.to_string(),
    };
    if let Some(refused) = checked(ws, &doc, &edit, opts)? {
        return Ok(refused);
    }
    if !opts.commit {
        let abs = ws.abs(rel);
        if let Some(dir) = abs.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&abs)
            .map_err(|e| Error::io(&abs, e))?;
        std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io(&abs, e))?;
        return Ok(outcome(&doc, edit.what, Saved::Written { commit: None }));
    }
    let repo = crate::git::repo::Repo::open(&ws.root)?;
    for _ in 0..TRIES {
        let mut txn = repo.begin(rel)?;
        txn.create_file(text.as_bytes())?;
        txn.verify(opts.verify);
        if let crate::git::commit::Committed::Done(id) = txn.commit(message)? {
            let commit = Some(id.short());
            return Ok(outcome(&doc, edit.what, Saved::Written { commit }));
        }
    }
    Err(Error::Git(
        "the branch kept moving while esc committed; nothing was changed, try again".into(),
    ))
}

/// The edit's text parsed and checked at its new step: `Some` refusal when it has problems.
fn checked(ws: &Workspace, doc: &Doc, edit: &Edit, opts: &Options) -> Result<Option<Outcome>> {
    let new_doc = crate::model::doc::parse(&doc.rel, edit.text.clone().into_bytes())
        .map_err(|d| Error::Data(d.message))?;
    let mut problems =
        crate::rules::check::check_doc(&ws.config, &ws.schemas, &new_doc, opts.today);
    let closed = ws.config.process().closed;
    if let Some(issue) = crate::rules::review::on_close(&ws.config, doc, &new_doc, &closed) {
        problems.extend(new_doc.locate(vec![issue]));
    }
    Ok((!problems.is_empty()).then(|| outcome(doc, edit.what.clone(), Saved::Refused(problems))))
}

fn outcome(doc: &Doc, what: String, saved: Saved) -> Outcome {
    Outcome {
        id: doc.id().unwrap_or_default().to_string(),
        what,
        saved,
    }
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
