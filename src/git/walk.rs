//! The raw history walk: the commits on HEAD's first-parent line, and for each one the `.md`
//! files below a folder that it changed, with a value read from each new version on the
//! thread that read it.
//!
//! Trees are read raw from the object database and compared as bytes (`tree`); each tree
//! is read once, since the tree a commit's parent has at a path is the one read last there.

use super::repo::{Repo, git};
use super::{Id, tree as gitobj};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::Path;

/// A commit: its id, author (`Name <email>`), author time (seconds since the epoch) and
/// the trailers of its message (its last paragraph when every line is `Key: value`, as
/// `git interpret-trailers --parse` reads the trailers esc writes; read with `trailer`).
#[derive(Debug, Clone)]
pub struct Commit {
    pub id: Id,
    pub author: String,
    pub time: i64,
    pub trailers: String,
}

impl Commit {
    /// The value of the trailer `key` (`Reason` in `Reason: ...`), if the commit has one.
    pub fn trailer(&self, key: &str) -> Option<&str> {
        self.trailers.lines().find_map(|l| {
            let (k, v) = l.split_once(": ")?;
            (k == key).then(|| v.trim())
        })
    }
}

impl Repo {
    /// Whether this is a shallow clone (its history is cut off).
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The commit HEAD points at, if any.
    pub fn head(&self) -> Option<Id> {
        self.repo.head().ok().and_then(|h| h.target()).map(Id)
    }

    /// The git directory (`.git`), where esc keeps its cache.
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    /// The first-parent line from `head` back to, not including, `since` (to the root when
    /// `since` is None), oldest first.
    pub fn first_parents(&self, head: Id, since: Option<Id>) -> Result<Vec<Id>> {
        let mut walk = self.repo.revwalk().map_err(git)?;
        walk.push(head.0).map_err(git)?;
        walk.simplify_first_parent().map_err(git)?;
        if let Some(old) = since {
            walk.hide(old.0).map_err(git)?;
        }
        // A first-parent walk is one line of commits; without sorting, libgit2 gives it
        // newest first without a preparation pass over the whole graph.
        let mut chain: Vec<Id> = walk
            .map(|r| r.map(Id))
            .collect::<std::result::Result<_, _>>()
            .map_err(git)?;
        chain.reverse();
        Ok(chain)
    }

    /// The newest commit on HEAD's first-parent line committed at or before `secs` (seconds
    /// since the epoch, committer time: when it reached the branch), if any.
    pub fn last_commit_until(&self, secs: i64) -> Result<Option<Id>> {
        let Some(head) = self.head() else {
            return Ok(None);
        };
        let mut walk = self.repo.revwalk().map_err(git)?;
        walk.push(head.0).map_err(git)?;
        walk.simplify_first_parent().map_err(git)?;
        for oid in walk {
            let oid = oid.map_err(git)?;
            let commit = self.repo.find_commit(oid).map_err(git)?;
            if commit.time().seconds() <= secs {
                return Ok(Some(Id(oid)));
            }
        }
        Ok(None)
    }

    /// Whether `old` is on the first-parent line of `head`.
    pub fn on_first_parent_line(&self, head: Id, old: Id) -> Result<bool> {
        Ok(head == old
            || (self
                .repo
                .graph_descendant_of(head.0, old.0)
                .unwrap_or(false)
                && first_parent_of(&self.repo, head.0, old.0)?))
    }

    /// The changes below `dir` (a path in git) of every commit of `chain` (oldest first,
    /// each commit's first parent the one before it), in that order; `scan` turns each new
    /// file version into the value kept.
    pub fn changes<T: Send>(
        &self,
        chain: &[Id],
        dir: &str,
        scan: &(dyn Fn(&[u8]) -> T + Sync),
    ) -> Result<Vec<CommitChanges<T>>> {
        let chain: Vec<git2::Oid> = chain.iter().map(|i| i.0).collect();
        read_changes(&self.repo, &chain, dir, scan)
    }
}

/// A commit that changed files below the folder, and what each changed file now says.
pub type CommitChanges<T> = (Commit, Vec<Change<T>>);

/// The changes of every commit of `chain` (oldest first, each commit's first parent the one
/// before it), in that order. Each commit's changes depend only on its tree and its
/// parent's, so runs of commits are read on all cores, each thread with its own handle on
/// the repository; only applying them, which is cheap, goes in order.
fn read_changes<T: Send>(
    r: &git2::Repository,
    chain: &[git2::Oid],
    esc_dir: &str,
    scan: &(dyn Fn(&[u8]) -> T + Sync),
) -> Result<Vec<CommitChanges<T>>> {
    // Commits per run: long enough that the trees read at the start of a run are few,
    // short enough that the cores stay busy to the end. ESC_HISTORY_RUN changes it, for
    // the test that compares short runs with one long one.
    let run = std::env::var("ESC_HISTORY_RUN")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(2048);
    if chain.len() <= run {
        return read_run(r, chain, esc_dir, scan);
    }
    let runs: Vec<&[git2::Oid]> = chain.chunks(run).collect();
    let git_dir = r.path();
    let mut all = Vec::new();
    for run in crate::par::parallel(&runs, |run| {
        let r = git2::Repository::open(git_dir).map_err(git)?;
        read_run(&r, run, esc_dir, scan)
    }) {
        all.extend(run?);
    }
    Ok(all)
}

/// The changes of a run of consecutive first-parent commits, oldest first. Each commit's
/// parent is the commit before it, so the trees read on the new side of one commit serve
/// as the old side of the next: every tree is read once.
fn read_run<T>(
    r: &git2::Repository,
    run: &[git2::Oid],
    esc_dir: &str,
    scan: &(dyn Fn(&[u8]) -> T + Sync),
) -> Result<Vec<CommitChanges<T>>> {
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
        let mut found = Vec::new();
        trees.diff(old, new, esc_dir, 0, &mut found)?;
        if found.is_empty() {
            continue;
        }
        let mut changes = Vec::with_capacity(found.len());
        for (path, blob) in found {
            let now = match blob {
                Some(blob) => Some(scan(read(&odb, blob, git2::ObjectType::Blob)?.data())),
                None => None,
            };
            changes.push(Change { path, now });
        }
        let author = commit.author();
        let at = Commit {
            id: Id(oid),
            author: format!(
                "{} <{}>",
                author.name().unwrap_or("?"),
                author.email().unwrap_or("?")
            ),
            time: author.when().seconds(),
            trailers: trailers(&String::from_utf8_lossy(commit.message_bytes())),
        };
        out.push((at, changes));
    }
    Ok(out)
}

/// The last paragraph of a message when every line of it is a trailer (`Key: value`, the
/// key letters, digits and dashes), else "".
fn trailers(message: &str) -> String {
    let Some((_, last)) = message.trim_end().rsplit_once("\n\n") else {
        return String::new();
    };
    let trailer = |l: &str| {
        l.split_once(": ").is_some_and(|(k, _)| {
            !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
    };
    if last.lines().all(trailer) {
        last.to_string()
    } else {
        String::new()
    }
}

fn first_parent_of(r: &git2::Repository, head: git2::Oid, old: git2::Oid) -> Result<bool> {
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

/// How many folders deep below the escalations folder the walk reads (escalations sit two
/// deep: `escalations/2026-11/ESC-2611-K7QD.md`); deeper ones are no escalations, and a
/// crafted history could nest folders deep enough to exhaust the stack.
const MAX_DEPTH: usize = 32;

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

    /// Pushes the `.md` files that differ between two versions of the tree at `path`,
    /// `depth` folders below the escalations folder.
    fn diff(
        &mut self,
        old: Option<git2::Oid>,
        new: Option<git2::Oid>,
        path: &str,
        depth: usize,
        out: &mut Vec<(String, Option<git2::Oid>)>,
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
            self.entry(x, y, path, depth, out)
        })?;
        if let (Some(id), Some(t)) = (new, indexed) {
            self.latest.insert(path.to_string(), (id, t));
        }
        Ok(())
    }

    /// One entry of the tree at `prefix` that differs between two versions. Only regular
    /// files (100644, 100755) are escalation files: a symbolic link's blob is its target,
    /// and a submodule is another repository. Folders deeper than [`MAX_DEPTH`] are not read.
    fn entry(
        &mut self,
        old: Option<gitobj::Entry<'_>>,
        new: Option<gitobj::Entry<'_>>,
        prefix: &str,
        depth: usize,
        out: &mut Vec<(String, Option<git2::Oid>)>,
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
        if (t_old.is_some() || t_new.is_some()) && depth < MAX_DEPTH {
            self.diff(t_old, t_new, &path, depth + 1, out)?;
        }
        let (b_old, b_new) = (of(old, Kind::Blob), of(new, Kind::Blob));
        if name.ends_with(".md") && (b_old.is_some() || b_new.is_some()) {
            out.push((path, b_new));
        }
        Ok(())
    }
}

/// A changed `.md` file: its path and what its new content says (`None` when deleted).
pub struct Change<T> {
    pub path: String,
    pub now: Option<T>,
}
