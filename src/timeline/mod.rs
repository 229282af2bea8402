//! Timelines read from git history: when each escalation entered each step, and every other
//! change that matters (activity: owner, severity, meetings, actions, notices, status), who
//! made it, in which commit.
//!
//! One pass over the first-parent line of HEAD, oldest first. For each commit only the trees
//! that changed below `escalations/` are opened (month folders make that a handful), and for
//! each changed file only its digest (`step`, `id` and the fields activity is made of) is
//! read, by a line scan of the front matter that falls back to the full YAML parse whenever
//! the scan is not sure. The step value is the
//! source of truth, so a hand edit merged through a pull request counts exactly like
//! `esc advance`, and squash merges, merge commits and rebases all give the commit that
//! brought the change onto the branch.
//!
//! The result is cached under `.git/esc/`, one file per escalation root, keyed by the head
//! commit, the root's escalations folder, the process steps and the parse mode; a later run
//! walks only the commits made since, and rebuilds from scratch when the cache is missing, stale or from
//! another history.

pub mod activity;
mod view;

use crate::error::{Error, Result};
use crate::git::Id;
use crate::git::repo::Repo;
use crate::model::digest::Digest;
use crate::rules::process::Process;
pub use activity::{Activity, What};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
pub use view::{View, days_in_step, to_json, view};

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
    /// The newest commit that changed the file (any change: see [`Timeline::last_update`]
    /// for the last update people read).
    pub last_update: Option<Entered>,
    /// Every change that matters, oldest first (empty from [`timelines_without_activity`]).
    pub activity: Vec<Activity>,
    /// The author time of [`Timeline::last_update`], kept beside the activity so a reader
    /// that skips the activity still has it.
    #[serde(default)]
    pub updated_at: Option<i64>,
}

impl Timeline {
    /// The last update: the newest activity that [`What::is_update`] (status, meetings,
    /// actions, notices, steps, or the file's creation). The one reading of "last update".
    pub fn last_update(&self) -> Option<&Activity> {
        self.activity.iter().rev().find(|a| a.what.is_update())
    }

    /// When [`Timeline::last_update`] was, with or without the activity loaded.
    pub fn last_update_time(&self) -> Option<i64> {
        self.last_update().map(|a| a.time).or(self.updated_at)
    }
}

/// The cache file, below the git directory, of the root whose escalations folder is
/// `escalations` at the top of the work tree. The version changes whenever the same history
/// gives other timelines (v2: symbolic links are not escalation files; v3: activity; v4: the
/// last update's time beside it; v5: the activity in a second file, `*.detail.json`).
const CACHE: &str = "esc/timelines-v5.json";

/// The cache file of the escalations folder `esc_dir` (a path in git): each root of a
/// repository with several keeps its own, so they do not evict each other. Two folders may
/// share a file name (`a/b` and `a_b`); the folder recorded in the state tells them apart.
fn cache_file(esc_dir: &str) -> String {
    if esc_dir == crate::store::workspace::ESCALATIONS {
        return CACHE.to_string();
    }
    let key: String = esc_dir
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(100)
        .collect();
    format!("esc/timelines-v5-{key}.json")
}

#[derive(Serialize, Deserialize, Default)]
struct State {
    /// The commit the state is as of.
    head: String,
    /// The process steps the state was computed with (a changed process invalidates it).
    steps: Vec<String>,
    /// Built with the full parse only (ESC_FULL_PARSE=1).
    #[serde(default)]
    full_parse: bool,
    /// The escalations folder read (a path in git): each root of a repository has its own.
    #[serde(default)]
    esc_dir: String,
    /// path -> id of the escalation file there.
    paths: HashMap<String, String>,
    timelines: BTreeMap<String, Timeline>,
    /// id -> the digest of its newest readable version, which the next is compared with.
    digests: HashMap<String, Digest>,
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

/// The timelines without their activity, for readers that need only the steps and the last
/// update (`esc due`): from a current cache, only its core file is read (the activity, most
/// of the bytes, is in the detail file). Otherwise the same as [`timelines_if_git`].
pub fn timelines_without_activity(
    root: &std::path::Path,
    process: &Process,
) -> Result<Option<BTreeMap<String, Timeline>>> {
    let Ok(repo) = Repo::open(root) else {
        return Ok(None);
    };
    let esc_dir = repo.git_path(crate::store::workspace::ESCALATIONS);
    let steps: Vec<String> = process.step_ids().map(String::from).collect();
    // The core file alone is a `State` whose timelines have no activity.
    let core = std::fs::read(repo.git_dir().join(cache_file(&esc_dir)))
        .ok()
        .and_then(|b| serde_json::from_slice::<State>(&b).ok())
        .filter(|s| {
            repo.head().is_some_and(|h| s.head == h.to_string())
                && s.steps == steps
                && s.full_parse == crate::model::document::full_parse_only()
                && s.esc_dir == esc_dir
                && !repo.is_shallow()
        });
    match core {
        Some(s) => Ok(Some(s.timelines)),
        None => Ok(Some(timelines(&repo, process)?)),
    }
}

/// All timelines as of commit `at` (the cache is read when it helps, and written only for
/// HEAD).
pub fn timelines_at(repo: &Repo, process: &Process, at: Id) -> Result<BTreeMap<String, Timeline>> {
    let head = repo.head();
    if head == Some(at) {
        return timelines(repo, process);
    }
    // A commit on HEAD's first-parent line (a past week's end): the walk is one pass in
    // that line's order, so the timelines as of `at` are HEAD's, cut where `at` ends; the
    // cache at HEAD serves instead of a walk from the first commit.
    // ESC_TIMELINES_AT_WALK=1 walks from the first commit instead, for a test to compare.
    let walk = std::env::var_os("ESC_TIMELINES_AT_WALK").is_some_and(|v| v == "1");
    if let Some(head) = head.filter(|_| !walk)
        && repo.on_first_parent_line(head, at)?
    {
        let later: std::collections::HashSet<String> = repo
            .first_parents(head, Some(at))?
            .iter()
            .map(Id::to_string)
            .collect();
        let mut all = state(repo, process, None)?.timelines;
        all.retain(|_, t| {
            t.entered.retain(|e| !later.contains(&e.commit));
            t.activity.retain(|a| !later.contains(&a.commit));
            // Any commit's change (not read by outputs): unknown before `at` once cut.
            if t.last_update
                .as_ref()
                .is_some_and(|e| later.contains(&e.commit))
            {
                t.last_update = None;
            }
            t.updated_at = t.last_update().map(|a| a.time);
            !(t.entered.is_empty() && t.activity.is_empty())
        });
        return Ok(all);
    }
    Ok(state(repo, process, Some(at))?.timelines)
}

fn state(repo: &Repo, process: &Process, at: Option<Id>) -> Result<State> {
    if repo.is_shallow() {
        return Err(Error::Git(
            "this is a shallow clone, so the history esc reads timelines from is missing; \
             fetch it with `git fetch --unshallow` (in CI: actions/checkout with fetch-depth: 0)"
                .into(),
        ));
    }
    let real_head = repo.head();
    let head = match at.or(real_head) {
        Some(h) => h,
        None => return Ok(State::default()),
    };
    let write_cache = Some(head) == real_head;
    let steps: Vec<String> = process.step_ids().map(String::from).collect();
    let full_parse = crate::model::document::full_parse_only();
    let esc_dir = repo.git_path(crate::store::workspace::ESCALATIONS);
    let cache_path = repo.git_dir().join(cache_file(&esc_dir));
    let cached: Option<State> = read_cache(&cache_path)
        .filter(|s: &State| s.steps == steps && s.full_parse == full_parse && s.esc_dir == esc_dir);
    let mut state = State {
        steps,
        full_parse,
        esc_dir: esc_dir.clone(),
        ..State::default()
    };
    let mut since = None;
    if let Some(c) = cached {
        if c.head == head.to_string() {
            return Ok(c);
        }
        // Usable only when the cached head is on HEAD's first-parent line.
        if let Ok(old) = c.head.parse::<Id>()
            && repo.on_first_parent_line(head, old)?
        {
            since = Some(old);
            state = c;
        }
    }
    let chain = repo.first_parents(head, since)?;
    for (commit, changes) in repo.changes(&chain, &esc_dir, &crate::model::scan::digest)? {
        let at = Entered {
            step: String::new(),
            commit: commit.id.to_string(),
            author: commit.author.clone(),
            time: commit.time,
        };
        apply(&mut state, process, changes, &at, &commit);
    }
    state.head = head.to_string();
    for t in state.timelines.values_mut() {
        t.updated_at = t.last_update().map(|a| a.time);
    }
    // A cache that cannot be written is only slower next time.
    if let Some(dir) = cache_path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if write_cache {
        write_cache_files(&cache_path, &mut state);
    }
    Ok(state)
}

/// The second cache file, beside `cache_path`: the activity and the digests, which only a
/// reader of the whole history needs (most of the bytes). The core file stays small, so
/// [`timelines_without_activity`] reads only it.
fn detail_path(cache_path: &std::path::Path) -> std::path::PathBuf {
    cache_path.with_extension("detail.json")
}

/// What the detail file holds; `head` pairs it with its core file.
#[derive(Serialize, Deserialize, Default)]
struct Detail {
    head: String,
    activity: HashMap<String, Vec<Activity>>,
    digests: HashMap<String, Digest>,
}

/// The cached state, from the core file and its detail file; None unless both are there
/// and of the same head.
fn read_cache(cache_path: &std::path::Path) -> Option<State> {
    let mut state: State = serde_json::from_slice(&std::fs::read(cache_path).ok()?).ok()?;
    let detail: Detail =
        serde_json::from_slice(&std::fs::read(detail_path(cache_path)).ok()?).ok()?;
    if detail.head != state.head {
        return None;
    }
    let mut activity = detail.activity;
    for (id, t) in &mut state.timelines {
        t.activity = activity.remove(id).unwrap_or_default();
    }
    state.digests = detail.digests;
    Some(state)
}

/// Writes the core and detail files (a cache that cannot be written is only slower next
/// time; a reader takes the two only when their heads agree).
fn write_cache_files(cache_path: &std::path::Path, state: &mut State) {
    let mut detail = Detail {
        head: state.head.clone(),
        activity: HashMap::with_capacity(state.timelines.len()),
        digests: std::mem::take(&mut state.digests),
    };
    for (id, t) in &mut state.timelines {
        detail
            .activity
            .insert(id.clone(), std::mem::take(&mut t.activity));
    }
    if let Ok(bytes) = serde_json::to_vec(&detail) {
        let _ = crate::store::files::write_atomic(&detail_path(cache_path), &bytes);
    }
    if let Ok(bytes) = serde_json::to_vec(&*state) {
        let _ = crate::store::files::write_atomic(cache_path, &bytes);
    }
    state.digests = detail.digests;
    for (id, t) in &mut state.timelines {
        t.activity = detail.activity.remove(id).unwrap_or_default();
    }
}

/// What a changed file now says: its digest.
type Change = crate::git::walk::Change<Digest>;

fn apply(
    state: &mut State,
    process: &Process,
    changes: Vec<Change>,
    at: &Entered,
    commit: &crate::git::walk::Commit,
) {
    // Deletions first, so a rename (delete + add of the same id) carries the timeline over.
    let mut deleted: Vec<(String, String)> = Vec::new();
    for c in changes.iter().filter(|c| c.now.is_none()) {
        if let Some(id) = state.paths.remove(&c.path) {
            deleted.push((id, c.path.clone()));
        }
    }
    for c in changes {
        let Some(digest) = c.now else { continue };
        let id =
            (digest.id.clone()).unwrap_or_else(|| crate::model::id::claimed(&c.path).to_string());
        if let Some(old_id) = state.paths.insert(c.path.clone(), id.clone())
            && old_id != id
            && let Some(mut t) = state.timelines.remove(&old_id)
        {
            // The id in the file changed: follow the file.
            t.id = id.clone();
            state.timelines.insert(id.clone(), t);
            if let Some(d) = state.digests.remove(&old_id) {
                state.digests.insert(id.clone(), d);
            }
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
        // A version without a readable step (broken YAML, a file half written) is not
        // compared: the next readable one is compared with the one before it.
        let Some(step) = digest.step.clone() else {
            continue;
        };
        let current = t.entered.last().map(|e| e.step.clone());
        let event = |what| Activity {
            commit: at.commit.clone(),
            author: at.author.clone(),
            time: at.time,
            what,
        };
        let old = state.digests.get(&id);
        let mut found = Vec::new();
        match (&current, old) {
            (None, _) | (_, None) if t.activity.is_empty() => found.push(What::Created {
                step: Some(step.clone()),
                owner: digest.owner.clone(),
                role: digest.owner_role.clone(),
                severity: digest.severity.clone(),
            }),
            (Some(from), _) if *from != step => {
                let reason = digest.step_reason.clone();
                found.push(if *from == process.closed {
                    What::Reopened {
                        from: from.clone(),
                        to: step.clone(),
                        reason,
                    }
                } else {
                    let back = matches!(
                        (process.index(&step), process.index(from)),
                        (Some(to), Some(from)) if to < from
                    );
                    What::Step {
                        from: from.clone(),
                        to: step.clone(),
                        back,
                        reason: reason.filter(|_| back),
                    }
                });
            }
            _ => {}
        }
        if let Some(old) = old.filter(|_| !t.activity.is_empty()) {
            found.extend(activity::changes(old, &digest, handoff_reason(commit, &id)));
        }
        t.activity.extend(found.into_iter().map(event));
        state.digests.insert(id.clone(), digest);
        if current.as_deref() == Some(step.as_str()) {
            continue;
        }
        let from_i = current.as_deref().and_then(|s| process.index(s));
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

/// The `Reason:` trailer of a commit that hands escalation `id` over (`esc assign`: trailers
/// `Escalation: ID` and `Owner:`).
fn handoff_reason<'a>(commit: &'a crate::git::walk::Commit, id: &str) -> Option<&'a str> {
    (commit.trailer("Escalation") == Some(id) && commit.trailer("Owner").is_some())
        .then(|| commit.trailer("Reason"))
        .flatten()
}
