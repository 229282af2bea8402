//! Timelines read from git history: when each escalation entered each step, who made the
//! change, in which commit.
//!
//! One pass over the first-parent line of HEAD, oldest first. For each commit only the trees
//! that changed below `escalations/` are opened (month folders make that a handful), and for
//! each changed file only its `step` and `id` are read, by a line scan of the front matter
//! that falls back to the full YAML parse whenever the scan is not sure. The step value is the
//! source of truth, so a hand edit merged through a pull request counts exactly like
//! `esc advance`, and squash merges, merge commits and rebases all give the commit that
//! brought the change onto the branch.
//!
//! The result is cached under `.git/esc/` keyed by the head commit; a later run walks only
//! the commits made since, and rebuilds from scratch when the cache is missing, stale or from
//! another history.

use crate::error::{Error, Result};
use crate::git::repo::Repo;
use crate::git::tree as gitobj;
use crate::rules::process::Process;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One step entered.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entered {
    pub step: String,
    /// Full commit id.
    pub commit: String,
    /// `Name <email>` of the commit's author.
    pub author: String,
    /// Author time, seconds since the epoch.
    pub time: i64,
}

/// The history of one escalation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Timeline {
    pub id: String,
    /// Path (relative to the git work tree) at the newest commit; empty once deleted.
    pub path: String,
    /// Every step entered, oldest first (a move past several steps enters each).
    pub entered: Vec<Entered>,
    /// The newest commit that changed the file.
    pub last_update: Option<Entered>,
}

/// The cache file, below the git directory.
const CACHE: &str = "esc/timelines-v1.json";

#[derive(Serialize, Deserialize, Default)]
struct State {
    /// The commit the state is as of.
    head: String,
    /// The process steps the state was computed with (a changed process invalidates it).
    steps: Vec<String>,
    /// Built with the full parse only (ESC_FULL_PARSE=1).
    #[serde(default)]
    full_parse: bool,
    /// path -> id of the escalation file there.
    paths: HashMap<String, String>,
    timelines: BTreeMap<String, Timeline>,
}

/// The `step` and `id` of a file's front matter. The line scan is exact for the shapes it
/// accepts (every top-level line is `key: plain-or-simply-quoted-value`), else `None`.
pub fn scan_fast(text: &str) -> Option<(Option<String>, Option<String>)> {
    let split = crate::model::document::split(text).ok()?;
    let (mut step, mut id) = (None, None);
    for line in split.yaml.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first == '#' {
            continue;
        }
        if first == ' ' {
            // Below a top-level key; but a quote or flow collection its value opens and does
            // not close may run on into a top-level-looking line.
            let mut t = line.trim_start_matches(' ');
            while let Some(r) = t.strip_prefix("- ") {
                t = r.trim_start_matches(' ');
            }
            let value = match t
                .match_indices(':')
                .find(|(i, _)| t[i + 1..].starts_with([' ', '\t']))
            {
                _ if t.starts_with(['"', '\'', '[', '{']) => t,
                Some((i, _)) => t[i + 1..].trim_start_matches([' ', '\t']),
                None => "",
            };
            if !closes_on_its_line(value) {
                return None;
            }
            continue;
        }
        // A top-level line must be `key:` with a plain key; anything else is not for us.
        let colon = line.find(':')?;
        let key = &line[..colon];
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return None;
        }
        let rest = &line[colon + 1..];
        if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
            return None;
        }
        // A quote or flow collection left open runs on into the next lines, where a line
        // such as `step: x` is part of this value, not a key.
        if !closes_on_its_line(rest.trim_start_matches([' ', '\t'])) {
            return None;
        }
        let slot = match key {
            "step" => &mut step,
            "id" => &mut id,
            _ => continue,
        };
        if slot.is_some() {
            return None; // a duplicate key: let the parser say so
        }
        *slot = Some(simple_value(rest)?);
    }
    Some((step, id))
}

/// A single-line plain or simply-quoted scalar, with any trailing comment removed.
fn simple_value(rest: &str) -> Option<String> {
    let v = rest.trim_matches([' ', '\t']);
    let v = match v.find(" #").or_else(|| v.find("\t#")) {
        Some(i) if !v.starts_with(['"', '\'']) => v[..i].trim_end(),
        _ => v,
    };
    if let Some(inner) = v.strip_prefix('"') {
        let (inner, after) = inner.split_once('"')?;
        if inner.contains('\\')
            || !after.trim_start().is_empty() && !after.trim_start().starts_with('#')
        {
            return None;
        }
        return Some(inner.to_string());
    }
    if let Some(inner) = v.strip_prefix('\'') {
        let (inner, after) = inner.split_once('\'')?;
        if after.starts_with('\'')
            || !after.trim_start().is_empty() && !after.trim_start().starts_with('#')
        {
            return None;
        }
        return Some(inner.to_string());
    }
    // A plain scalar is a string only when the parser does not read it as a number, a
    // boolean or null (`12`, `0x1F`, `.5`, `true`, `~`): accept only what starts with a
    // letter and is none of those words.
    if !v.starts_with(|c: char| c.is_ascii_alphabetic())
        || matches!(
            v,
            "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | "null" | "Null" | "NULL"
        )
    {
        return None;
    }
    Some(v.to_string())
}

/// Whether a value that opens a quoted scalar or a flow collection (`"..`, `'..`, `[..`,
/// `{..`) also closes it on its own line. Anything else is a single-line value here.
fn closes_on_its_line(v: &str) -> bool {
    if !v.starts_with(['"', '\'', '[', '{']) {
        return true;
    }
    let mut depth = 0usize;
    // The last character that is not a space: a quote opens a scalar only after one of
    // `[{,:` (or at the start), elsewhere it is part of a plain scalar (`it's`).
    let mut last = '[';
    let mut space = true;
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' if matches!(last, '[' | '{' | ',' | ':') => loop {
                match chars.next() {
                    None => return false,
                    Some('\\') if c == '"' => {
                        chars.next();
                    }
                    Some('\'') if c == '\'' && chars.peek() == Some(&'\'') => {
                        chars.next();
                    }
                    Some(q) if q == c => break,
                    Some(_) => {}
                }
            },
            '#' if space => break,
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        space = c == ' ' || c == '\t';
        if !space {
            last = c;
        }
    }
    depth == 0
}

/// The `step` and `id` by the full parse.
pub fn scan_full(text: &str) -> (Option<String>, Option<String>) {
    let parsed = crate::model::document::split(text)
        .ok()
        .and_then(|s| crate::model::document::parse_yaml(&s).ok());
    let get = |k: &str| {
        parsed
            .as_ref()
            .and_then(|v| v.get(k))
            .and_then(|v| v.as_str())
            .map(String::from)
    };
    (get("step"), get("id"))
}

use crate::model::document::full_parse_only;

fn scan(bytes: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return (None, None);
    };
    if full_parse_only() {
        return scan_full(text);
    }
    scan_fast(text).unwrap_or_else(|| scan_full(text))
}

/// All timelines, by escalation id, as of HEAD.
pub fn timelines(repo: &Repo, process: &Process) -> Result<BTreeMap<String, Timeline>> {
    Ok(state(repo, process, None)?.timelines)
}

/// The timelines when the escalation root is in a git repository (None when it is not).
pub fn timelines_if_git(
    root: &std::path::Path,
    process: &Process,
) -> Result<Option<BTreeMap<String, Timeline>>> {
    match Repo::open(root) {
        Ok(repo) => Ok(Some(timelines(&repo, process)?)),
        Err(_) => Ok(None),
    }
}

/// All timelines as of commit `at` (the cache is read when it helps, and written only for
/// HEAD).
pub fn timelines_at(
    repo: &Repo,
    process: &Process,
    at: git2::Oid,
) -> Result<BTreeMap<String, Timeline>> {
    Ok(state(repo, process, Some(at))?.timelines)
}

fn git(e: git2::Error) -> Error {
    Error::Git(e.message().to_string())
}

fn state(repo: &Repo, process: &Process, at: Option<git2::Oid>) -> Result<State> {
    let r = &repo.repo;
    if r.is_shallow() {
        return Err(Error::Git(
            "this is a shallow clone, so the history esc reads timelines from is missing; \
             fetch it with `git fetch --unshallow` (in CI: actions/checkout with fetch-depth: 0)"
                .into(),
        ));
    }
    let real_head = r.head().ok().and_then(|h| h.target());
    let head = match at.or(real_head) {
        Some(h) => h,
        None => return Ok(State::default()),
    };
    let write_cache = Some(head) == real_head;
    let steps: Vec<String> = process.step_ids().map(String::from).collect();
    let cache_path = r.path().join(CACHE);
    let cached: Option<State> = std::fs::read(&cache_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|s: &State| s.steps == steps && s.full_parse == full_parse_only());
    let mut walk = r.revwalk().map_err(git)?;
    walk.push(head).map_err(git)?;
    walk.simplify_first_parent().map_err(git)?;
    let mut state = State {
        steps,
        full_parse: full_parse_only(),
        ..State::default()
    };
    if let Some(c) = cached {
        if c.head == head.to_string() {
            return Ok(c);
        }
        // Usable only when the cached head is on HEAD's first-parent line.
        if let Ok(old) = git2::Oid::from_str(&c.head)
            && r.graph_descendant_of(head, old).unwrap_or(false)
            && on_first_parent_line(r, head, old)?
        {
            walk.hide(old).map_err(git)?;
            state = c;
        }
    }
    // A first-parent walk is one line of commits; without sorting, libgit2 gives it newest
    // first without a preparation pass over the whole graph.
    let mut chain: Vec<git2::Oid> = walk.collect::<std::result::Result<_, _>>().map_err(git)?;
    chain.reverse();
    let esc_dir = repo.git_path(crate::store::workspace::ESCALATIONS);
    for (at, changes) in read_changes(r, &chain, &esc_dir)? {
        apply(&mut state, process, changes, &at);
    }
    state.head = head.to_string();
    // A cache that cannot be written is only slower next time.
    if let Some(dir) = cache_path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if write_cache && let Ok(bytes) = serde_json::to_vec(&state) {
        let _ = crate::store::files::write_atomic(&cache_path, &bytes);
    }
    Ok(state)
}

/// A commit that changed escalation files, and what each changed file now says.
type CommitChanges = (Entered, Vec<Change>);

/// The changes of every commit of `chain` (oldest first, each commit's first parent the one
/// before it), in that order. Each commit's changes depend only on its tree and its
/// parent's, so runs of commits are read on all cores, each thread with its own handle on
/// the repository; only applying them, which is cheap, goes in order.
fn read_changes(
    r: &git2::Repository,
    chain: &[git2::Oid],
    esc_dir: &str,
) -> Result<Vec<CommitChanges>> {
    // Commits per run: long enough that the trees read at the start of a run are few,
    // short enough that the cores stay busy to the end. ESC_HISTORY_RUN changes it, for
    // the test that compares short runs with one long one.
    let run = std::env::var("ESC_HISTORY_RUN")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(2048);
    if chain.len() <= run {
        return read_run(r, chain, esc_dir);
    }
    let runs: Vec<&[git2::Oid]> = chain.chunks(run).collect();
    let git_dir = r.path();
    let mut all = Vec::new();
    for run in crate::par::parallel(&runs, |run| {
        let r = git2::Repository::open(git_dir).map_err(git)?;
        read_run(&r, run, esc_dir)
    }) {
        all.extend(run?);
    }
    Ok(all)
}

/// The changes of a run of consecutive first-parent commits, oldest first. Each commit's
/// parent is the commit before it, so the trees read on the new side of one commit serve
/// as the old side of the next: every tree is read once.
fn read_run(r: &git2::Repository, run: &[git2::Oid], esc_dir: &str) -> Result<Vec<CommitChanges>> {
    let mut out = Vec::new();
    let odb = r.odb().map_err(git)?;
    let mut trees = Trees::new(&odb);
    // The previous commit read, and the id of its escalations tree.
    let mut prev: Option<(git2::Oid, Option<git2::Oid>)> = None;
    for &oid in run {
        let commit = r.find_commit(oid).map_err(git)?;
        let new = subtree_id(&odb, commit.tree_id(), esc_dir)?;
        let old = match (commit.parent_id(0), prev) {
            (Ok(p), Some((prev_commit, prev_tree))) if p == prev_commit => prev_tree,
            (Ok(p), _) => {
                let parent = r.find_commit(p).map_err(git)?;
                subtree_id(&odb, parent.tree_id(), esc_dir)?
            }
            (Err(_), _) => None,
        };
        prev = Some((oid, new));
        if new == old {
            continue;
        }
        let mut changes = Vec::new();
        trees.diff(old, new, esc_dir, &mut changes)?;
        if changes.is_empty() {
            continue;
        }
        for c in &mut changes {
            if let Some(blob) = c.blob {
                let blob = read(&odb, blob, git2::ObjectType::Blob)?;
                c.now = Some(scan(blob.data()));
            }
        }
        let author = commit.author();
        let at = Entered {
            step: String::new(),
            commit: oid.to_string(),
            author: format!(
                "{} <{}>",
                author.name().unwrap_or("?"),
                author.email().unwrap_or("?")
            ),
            time: author.when().seconds(),
        };
        out.push((at, changes));
    }
    Ok(out)
}

fn on_first_parent_line(r: &git2::Repository, head: git2::Oid, old: git2::Oid) -> Result<bool> {
    let mut c = r.find_commit(head).map_err(git)?;
    loop {
        if c.id() == old {
            return Ok(true);
        }
        match c.parent(0) {
            Ok(p) => c = p,
            Err(_) => return Ok(false),
        }
    }
}

/// The id of the tree at `path` (`a/b`) below the root tree `root`, if there is one.
fn subtree_id(odb: &git2::Odb<'_>, root: git2::Oid, path: &str) -> Result<Option<git2::Oid>> {
    let mut id = root;
    for name in path.split('/') {
        let tree = read(odb, id, git2::ObjectType::Tree)?;
        match gitobj::find(tree.data(), name.as_bytes()).map_err(|_| malformed(id))? {
            Some(e) if e.kind == gitobj::Kind::Tree => {
                id = e.oid().ok_or_else(|| malformed(id))?;
            }
            _ => return Ok(None),
        }
    }
    Ok(Some(id))
}

/// An object's raw bytes, straight from the object database.
fn read<'o>(
    odb: &'o git2::Odb<'_>,
    id: git2::Oid,
    kind: git2::ObjectType,
) -> Result<git2::OdbObject<'o>> {
    let obj = odb.read(id).map_err(git)?;
    if obj.kind() != kind {
        return Err(Error::Git(format!("object {id} is not a {kind}")));
    }
    Ok(obj)
}

fn malformed(id: git2::Oid) -> Error {
    Error::Git(format!("tree {id} is malformed"))
}

/// The newest tree read at each path below the escalations folder. The walk goes oldest
/// first along first parents, so the tree a commit's parent has at a path is the one read
/// last there: each tree is read once, and compared with the next version of itself.
struct Trees<'o> {
    odb: &'o git2::Odb<'o>,
    latest: HashMap<String, (git2::Oid, gitobj::Indexed)>,
}

impl<'o> Trees<'o> {
    fn new(odb: &'o git2::Odb<'o>) -> Self {
        Trees {
            odb,
            latest: HashMap::new(),
        }
    }

    fn cached(&self, path: &str, id: git2::Oid) -> Option<&gitobj::Indexed> {
        self.latest
            .get(path)
            .filter(|(i, _)| *i == id)
            .map(|(_, t)| t)
    }

    fn read(&self, id: git2::Oid) -> Result<std::rc::Rc<[u8]>> {
        Ok(read(self.odb, id, git2::ObjectType::Tree)?.data().into())
    }

    /// Pushes the `.md` files that differ between two versions of the tree at `path`.
    fn diff(
        &mut self,
        old: Option<git2::Oid>,
        new: Option<git2::Oid>,
        path: &str,
        out: &mut Vec<Change>,
    ) -> Result<()> {
        let old_tree = match old {
            Some(id) => Some(match self.cached(path, id) {
                Some(t) => t.clone(),
                None => gitobj::Indexed::new(self.read(id)?)?,
            }),
            None => None,
        };
        let new_data = match new {
            Some(id) => Some(match self.cached(path, id) {
                Some(t) => t.data.clone(),
                None => self.read(id)?,
            }),
            None => None,
        };
        let indexed = gitobj::diff(old_tree.as_ref(), new_data, |x, y| {
            self.entry(x, y, path, out)
        })?;
        if let (Some(id), Some(t)) = (new, indexed) {
            self.latest.insert(path.to_string(), (id, t));
        }
        Ok(())
    }

    /// One entry of the tree at `prefix` that differs between two versions.
    fn entry(
        &mut self,
        old: Option<gitobj::Entry<'_>>,
        new: Option<gitobj::Entry<'_>>,
        prefix: &str,
        out: &mut Vec<Change>,
    ) -> Result<()> {
        use gitobj::Kind;
        let of =
            |e: Option<gitobj::Entry<'_>>, k: Kind| e.filter(|e| e.kind == k).and_then(|e| e.oid());
        let Some(name) = old.or(new).map(|e| e.name) else {
            return Ok(());
        };
        let name = String::from_utf8_lossy(name);
        let path = format!("{prefix}/{name}");
        let (t_old, t_new) = (of(old, Kind::Tree), of(new, Kind::Tree));
        if t_old.is_some() || t_new.is_some() {
            self.diff(t_old, t_new, &path, out)?;
        }
        let (b_old, b_new) = (of(old, Kind::Blob), of(new, Kind::Blob));
        if name.ends_with(".md") && (b_old.is_some() || b_new.is_some()) {
            out.push(Change {
                path,
                blob: b_new,
                now: None,
            });
        }
        Ok(())
    }
}

/// A changed `.md` file: its path, its new blob and what the blob says (`step`, `id`);
/// no blob when the file was deleted.
struct Change {
    path: String,
    blob: Option<git2::Oid>,
    now: Option<(Option<String>, Option<String>)>,
}

fn apply(state: &mut State, process: &Process, changes: Vec<Change>, at: &Entered) {
    // Deletions first, so a rename (delete + add of the same id) carries the timeline over.
    let mut deleted: Vec<(String, String)> = Vec::new();
    for c in changes.iter().filter(|c| c.now.is_none()) {
        if let Some(id) = state.paths.remove(&c.path) {
            deleted.push((id, c.path.clone()));
        }
    }
    for c in changes {
        let Some((step, id)) = c.now else { continue };
        let id = id.unwrap_or_else(|| crate::store::workspace::stem(&c.path).to_string());
        if let Some(old_id) = state.paths.insert(c.path.clone(), id.clone())
            && old_id != id
            && let Some(mut t) = state.timelines.remove(&old_id)
        {
            // The id in the file changed: follow the file.
            t.id = id.clone();
            state.timelines.insert(id.clone(), t);
        }
        let t = state
            .timelines
            .entry(id.clone())
            .or_insert_with(|| Timeline {
                id: id.clone(),
                ..Timeline::default()
            });
        t.path = c.path.clone();
        t.last_update = Some(at.clone());
        let Some(step) = step else { continue };
        let current = t.entered.last().map(|e| e.step.as_str());
        if current == Some(step.as_str()) {
            continue;
        }
        let from_i = current.and_then(|s| process.index(s));
        let to_i = process.index(&step);
        let passed: Vec<String> = match (from_i, to_i) {
            // Forward (or a first appearance): every step passed is entered here.
            (f, Some(t_i)) if f.is_none_or(|f| t_i > f) && step != process.closed => {
                let start = f.map_or(0, |f| f + 1);
                process
                    .step_ids()
                    .skip(start)
                    .take(t_i + 1 - start)
                    .map(String::from)
                    .collect()
            }
            _ => vec![step.clone()],
        };
        for s in passed {
            t.entered.push(Entered {
                step: s,
                ..at.clone()
            });
        }
    }
    for (id, _) in deleted {
        if !state.paths.values().any(|v| v == &id)
            && let Some(t) = state.timelines.get_mut(&id)
        {
            t.path.clear();
            t.last_update = Some(at.clone());
        }
    }
}

/// A timeline as people and scripts read it: dates in the team's time zone, days spent in
/// each step, age.
/// Once the escalation is in the `closed` step, its age stops there: a closed escalation's
/// age is how long it was open.
pub fn to_json(
    t: &Timeline,
    tz: chrono_tz::Tz,
    today: chrono::NaiveDate,
    closed: &str,
) -> serde_json::Value {
    use serde_json::json;
    let date = |secs: i64| {
        chrono::DateTime::from_timestamp(secs, 0)
            .map(|d| d.with_timezone(&tz).to_rfc3339())
            .unwrap_or_default()
    };
    let day = |secs: i64| {
        chrono::DateTime::from_timestamp(secs, 0)
            .map(|d| d.with_timezone(&tz).date_naive())
            .unwrap_or(today)
    };
    let entered: Vec<serde_json::Value> = t
        .entered
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let until = t.entered.get(i + 1).map_or(today, |n| day(n.time));
            json!({
                "step": e.step,
                "at": date(e.time),
                "commit": e.commit,
                "author": e.author,
                "days": (until - day(e.time)).num_days(),
            })
        })
        .collect();
    let first = t.entered.first().map(|e| day(e.time));
    let last = t.entered.last();
    let is_closed = last.is_some_and(|e| e.step == closed);
    let end = last.filter(|_| is_closed).map_or(today, |e| day(e.time));
    json!({
        "entered": entered,
        "closed": is_closed,
        "age_days": first.map(|f| (end - f).num_days()),
        "days_in_step": t.entered.last().map(|e| (today - day(e.time)).num_days()),
        "last_update": t.last_update.as_ref().map(|e| json!({
            "at": date(e.time), "commit": e.commit, "author": e.author,
        })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_scan_agrees_with_the_parser_or_declines() {
        let cases = [
            "---\nid: A\nstep: gathering\n---\n",
            "---\nid: 'A'\nstep: \"gathering\"  # c\n---\n",
            "\u{feff}---\r\nid: A\r\nstep: validation\r\n---\r\n",
            "---\n{id: A, step: raised}\n---\n",
            "---\nid: A\nstep: &x gathering\n---\n",
            "---\nid: A\nstep: 'it''s'\n---\n",
            "---\nid: A\nstep: \"a\\u0041\"\n---\n",
            "---\nid: A\nstep:\n  gathering\n---\n",
            "---\nid: A\nstep: gathering\nstep: raised\n---\n",
            "---\nid: A\ntitle: \"x\n  y\"\nstep: raised # c\n---\n",
            "---\nid: A\n? step\n: raised\n---\n",
            "---\nid: A\nstep: !!str raised\n---\n",
        ];
        for c in cases {
            if let Some(fast) = scan_fast(c) {
                assert_eq!(fast, scan_full(c), "{c:?}");
            }
        }
        assert_eq!(
            scan_fast(cases[1]),
            Some((Some("gathering".into()), Some("A".into())))
        );
    }
}
