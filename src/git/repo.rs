//! The only user of git2: discover, init, read blobs at a revision, status since a base.

use super::Id;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

pub(super) fn git(e: git2::Error) -> Error {
    Error::Git(e.message().to_string())
}

/// Makes `dir` a git repository unless it is already inside one. Returns whether it did.
pub fn init(dir: &Path) -> Result<bool> {
    if git2::Repository::discover(dir).is_ok() {
        return Ok(false);
    }
    init_new(dir)?;
    Ok(true)
}

/// The branch a new repository starts on: git's `init.defaultBranch`, else `main` (the
/// scaffolded workflows run on it).
pub fn default_branch() -> String {
    git2::Config::open_default()
        .and_then(|c| c.get_string("init.defaultBranch"))
        .ok()
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| "main".to_string())
}

/// The branch the scaffolded workflows run on: the current branch of the repository `dir`
/// is in (or would be in: the nearest existing folder counts), even before its first commit;
/// else the one a new repository starts on ([`default_branch`]).
pub fn branch_for(dir: &Path) -> String {
    let existing = dir.ancestors().find(|d| d.exists()).unwrap_or(dir);
    git2::Repository::discover(existing)
        .ok()
        .and_then(|r| {
            let head = r.find_reference("HEAD").ok()?;
            let target = head.symbolic_target().ok()??;
            target.strip_prefix("refs/heads/").map(String::from)
        })
        .filter(|b| !b.is_empty())
        .unwrap_or_else(default_branch)
}

/// Makes `dir` a repository of its own, even inside another work tree, on
/// [`default_branch`].
pub fn init_new(dir: &Path) -> Result<()> {
    let mut opts = git2::RepositoryInitOptions::new();
    opts.initial_head(&default_branch());
    git2::Repository::init_opts(dir, &opts).map_err(git)?;
    Ok(())
}

/// A git repository holding an escalation root (possibly in a subfolder).
pub struct Repo {
    pub(super) repo: git2::Repository,
    /// The escalation root relative to the git work tree (`""` when they are the same).
    prefix: String,
}

impl Repo {
    /// The git repository containing `root`.
    pub fn open(root: &Path) -> Result<Repo> {
        let repo = git2::Repository::discover(root).map_err(|e| {
            if e.code() == git2::ErrorCode::NotFound {
                Error::Git(format!(
                    "{} is not in a git repository (run `git init`, or `esc init`)",
                    root.display()
                ))
            } else {
                // A repository that is there but cannot be opened says why (a SHA-256
                // repository, an unknown extension, a broken config): git2's own words.
                Error::Git(format!(
                    "cannot open the repository at {}: {}",
                    root.display(),
                    e.message()
                ))
            }
        })?;
        // Reading history must not pay for hashing every object again.
        git2::opts::strict_hash_verification(false);
        git2::opts::enable_caching(false);
        let workdir = repo
            .workdir()
            .ok_or_else(|| Error::Git("a bare repository has no files to edit".into()))?;
        let workdir: PathBuf = std::fs::canonicalize(workdir).map_err(|e| Error::io(workdir, e))?;
        let root = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
        let prefix = root
            .strip_prefix(&workdir)
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default();
        Ok(Repo { repo, prefix })
    }

    /// The path in git of a path relative to the escalation root.
    pub fn git_path(&self, rel: &str) -> String {
        if self.prefix.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.prefix)
        }
    }
}

/// What differs between the merge base of a revision and the working tree.
pub struct Changes {
    /// The merge base.
    pub base: Id,
    /// Escalation files (paths relative to the escalation root) added, modified or deleted.
    pub files: Vec<(String, Status)>,
    /// The schema, the config or the templates changed: everything must be checked.
    pub rules_changed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Added,
    Modified,
    Deleted,
}

impl Repo {
    /// Files that differ between the merge base of `rev` and HEAD, and the working tree
    /// (staged or not, untracked included). Only the index's stat data and the changed files
    /// are read, so this does not grow with history or with the number of escalations.
    pub fn changes_since(&self, rev: &str) -> Result<Changes> {
        let r = &self.repo;
        let target = r
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| Error::Usage(format!("--base {rev}: {}", e.message())))?;
        let head = r
            .head()
            .and_then(|h| h.peel_to_commit())
            .map_err(|_| Error::Git("the repository has no commits yet".into()))?;
        let base = r.merge_base(target.id(), head.id()).map_err(|_| {
            Error::Git(format!(
                "{rev} and HEAD have no common history (in CI, fetch it: fetch-depth: 0)"
            ))
        })?;
        let base_tree = r.find_commit(base).and_then(|c| c.tree()).map_err(git)?;
        let mut opts = git2::DiffOptions::new();
        opts.include_untracked(true).recurse_untracked_dirs(true);
        for p in [
            crate::store::workspace::ESCALATIONS,
            "schemas",
            "templates",
            crate::rules::config::FILE,
        ] {
            opts.pathspec(self.git_path(p));
        }
        let diff = r
            .diff_tree_to_workdir_with_index(Some(&base_tree), Some(&mut opts))
            .map_err(git)?;
        // A sparse checkout leaves files out of the working tree and marks their index
        // entries skip-worktree: those are hidden, not deleted.
        let index = r.index().map_err(git)?;
        let hidden = |path: &Path| {
            index.get_path(path, 0).is_some_and(|e| {
                git2::IndexEntryExtendedFlag::from_bits_truncate(e.flags_extended)
                    .is_skip_worktree()
            })
        };
        let mut files = Vec::new();
        let mut rules_changed = false;
        let esc_prefix = format!("{}/", self.git_path(crate::store::workspace::ESCALATIONS));
        for d in diff.deltas() {
            let (file, status) = match d.status() {
                git2::Delta::Added | git2::Delta::Untracked => (d.new_file(), Status::Added),
                git2::Delta::Deleted => (d.old_file(), Status::Deleted),
                _ => (d.new_file(), Status::Modified),
            };
            if status == Status::Deleted && file.path().is_some_and(hidden) {
                continue;
            }
            let Some(path) = file.path().and_then(|p| p.to_str()) else {
                continue;
            };
            if path.starts_with(&esc_prefix) {
                if path.ends_with(".md") {
                    let rel = path.strip_prefix(&self.prefix_slash()).unwrap_or(path);
                    files.push((rel.to_string(), status));
                }
            } else {
                rules_changed = true;
            }
        }
        Ok(Changes {
            base: Id(base),
            files,
            rules_changed,
        })
    }

    fn prefix_slash(&self) -> String {
        if self.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.prefix)
        }
    }

    /// The bytes of `rel` (relative to the escalation root) at `commit`, if it existed there.
    pub fn read_at(&self, commit: Id, rel: &str) -> Result<Option<Vec<u8>>> {
        let tree = self
            .repo
            .find_commit(commit.0)
            .and_then(|c| c.tree())
            .map_err(git)?;
        let Ok(entry) = tree.get_path(Path::new(&self.git_path(rel))) else {
            return Ok(None);
        };
        let blob = self.repo.find_blob(entry.id()).map_err(git)?;
        Ok(Some(blob.content().to_vec()))
    }
}

impl Repo {
    /// Resolves a revision to a commit id.
    pub fn commit_id(&self, rev: &str) -> Result<Id> {
        self.repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map(|c| Id(c.id()))
            .map_err(|e| {
                Error::Usage(format!(
                    "`{rev}` is not a commit in this repository ({}); try a branch, a tag, \
                     a commit id or HEAD~3",
                    e.message()
                ))
            })
    }

    /// The commit's author time, seconds since the epoch.
    pub fn commit_time(&self, commit: Id) -> Result<i64> {
        Ok(self
            .repo
            .find_commit(commit.0)
            .map_err(git)?
            .time()
            .seconds())
    }

    /// Every file below `dir` (relative to the escalation root) at `commit`, as
    /// (path relative to `dir`'s parent root, bytes). Symbolic links are left out.
    ///
    /// A recent commit mostly holds what the working tree holds: a file there whose bytes
    /// hash to the blob's id is that blob, and reading it from disk (on all cores) costs a
    /// fraction of inflating it from a pack. The hash proves it; anything else is read
    /// from git.
    pub fn files_at(&self, commit: Id, dir: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let listed = self.listed_at(commit, dir)?;
        self.read_listed(listed, None)
    }

    /// Every file below `dir` at `commit` (symbolic links left out), with its blob's id.
    fn listed_at(&self, commit: Id, dir: &str) -> Result<Vec<(String, git2::Oid)>> {
        let tree = self
            .repo
            .find_commit(commit.0)
            .and_then(|c| c.tree())
            .map_err(git)?;
        let Ok(entry) = tree.get_path(Path::new(&self.git_path(dir))) else {
            return Ok(Vec::new());
        };
        let Ok(sub) = self.repo.find_tree(entry.id()) else {
            return Ok(Vec::new());
        };
        let mut listed: Vec<(String, git2::Oid)> = Vec::new();
        sub.walk(git2::TreeWalkMode::PreOrder, |parent, e| {
            if e.kind() == Some(git2::ObjectType::Blob)
                && e.filemode() != i32::from(git2::FileMode::Link)
            {
                let name = format!("{dir}/{parent}{}", e.name().unwrap_or_default());
                listed.push((name, e.id()));
            }
            git2::TreeWalkResult::Ok
        })
        .map_err(git)?;
        Ok(listed)
    }

    /// The escalation files at `commit`, as [`Repo::files_at`] gives them. When `commit` is
    /// on HEAD's line, git's status says which files the working tree holds as they were
    /// there: those are read from the disk without hashing them.
    pub fn escalations_at(&self, commit: Id) -> Result<Vec<(String, Vec<u8>)>> {
        let dir = crate::store::workspace::ESCALATIONS;
        let changed: Option<std::collections::HashSet<String>> = self
            .changes_since(&commit.to_string())
            .ok()
            .filter(|c| c.base == commit)
            .map(|c| c.files.into_iter().map(|(f, _)| f).collect());
        match changed {
            Some(changed) => {
                let listed = self.listed_at(commit, dir)?;
                self.read_listed(listed, Some(&changed))
            }
            None => self.files_at(commit, dir),
        }
    }

    /// Reads `listed` (path, blob id): from the disk where the file there is that blob
    /// (not among `changed` when git's status gave them, else proved by its hash), else
    /// from git.
    fn read_listed(
        &self,
        listed: Vec<(String, git2::Oid)>,
        changed: Option<&std::collections::HashSet<String>>,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        /// How a file on the disk may stand for its blob.
        enum Disk {
            /// git's status named it: read it from git.
            Changed,
            /// git's status did not name it: it is the blob.
            Same,
            /// No status: it is the blob if its hash says so.
            Hash(git2::Oid),
        }
        let on_disk: Vec<(PathBuf, Disk)> = match self.repo.workdir() {
            Some(w) => listed
                .iter()
                .map(|(name, id)| {
                    let disk = match changed {
                        None => Disk::Hash(*id),
                        Some(c) if c.contains(name) => Disk::Changed,
                        Some(_) => Disk::Same,
                    };
                    (w.join(self.git_path(name)), disk)
                })
                .collect(),
            None => Vec::new(),
        };
        let mut same = crate::par::parallel(&on_disk, |(path, disk)| {
            if matches!(disk, Disk::Changed) {
                return None;
            }
            let meta = std::fs::symlink_metadata(path).ok()?;
            if !meta.is_file() || meta.len() > crate::model::document::MAX_FILE_BYTES {
                return None;
            }
            let bytes = std::fs::read(path).ok()?;
            match disk {
                Disk::Hash(id) => {
                    let hashed = git2::Oid::hash_object(git2::ObjectType::Blob, &bytes).ok()?;
                    (hashed == *id).then_some(bytes)
                }
                _ => Some(bytes),
            }
        })
        .into_iter();
        let mut out = Vec::with_capacity(listed.len());
        for (name, id) in listed {
            let bytes = match same.next().flatten() {
                Some(b) => b,
                None => self.repo.find_blob(id).map_err(git)?.content().to_vec(),
            };
            out.push((name, bytes));
        }
        out.sort();
        Ok(out)
    }
}

impl Repo {
    /// Commits `files` (path relative to the escalation root, bytes) on top of HEAD (or as
    /// the first commit) with the given author and time, without touching the index or the
    /// working tree. For building histories (`esc demo`); `sync_worktree` checks it out.
    pub fn commit_files(
        &self,
        files: &[(String, Vec<u8>)],
        name: &str,
        email: &str,
        time: i64,
        message: &str,
    ) -> Result<Id> {
        let r = &self.repo;
        let parent = r.head().ok().and_then(|h| h.peel_to_commit().ok());
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, bytes) in files {
            let blob = r.blob(bytes).map_err(git)?;
            update.upsert(self.git_path(path), blob, git2::FileMode::Blob);
        }
        let base = match &parent {
            Some(p) => p.tree().map_err(git)?,
            None => {
                let empty = r.treebuilder(None).and_then(|b| b.write()).map_err(git)?;
                r.find_tree(empty).map_err(git)?
            }
        };
        let tree_id = update.create_updated(r, &base).map_err(git)?;
        let tree = r.find_tree(tree_id).map_err(git)?;
        let sig = git2::Signature::new(name, email, &git2::Time::new(time, 0)).map_err(git)?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        r.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .map(Id)
            .map_err(git)
    }

    /// Makes the index and working tree match HEAD.
    pub fn sync_worktree(&self) -> Result<()> {
        let mut opts = git2::build::CheckoutBuilder::new();
        opts.force();
        self.repo.checkout_head(Some(&mut opts)).map_err(git)
    }
}
