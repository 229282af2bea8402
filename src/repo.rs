//! The only user of git2: discover, init, commit one file, read blobs at a revision, walk
//! history.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

fn git(e: git2::Error) -> Error {
    Error::Git(e.message().to_string())
}

/// Makes `dir` a git repository unless it is already inside one. Returns whether it did.
pub fn init(dir: &Path) -> Result<bool> {
    if git2::Repository::discover(dir).is_ok() {
        return Ok(false);
    }
    git2::Repository::init(dir).map_err(git)?;
    Ok(true)
}

/// A git repository holding an escalation root (possibly in a subfolder).
pub struct Repo {
    pub repo: git2::Repository,
    /// The escalation root relative to the git work tree (`""` when they are the same).
    prefix: String,
}

impl Repo {
    /// The git repository containing `root`.
    pub fn open(root: &Path) -> Result<Repo> {
        let repo = git2::Repository::discover(root).map_err(|_| {
            Error::Git(format!(
                "{} is not in a git repository (run `git init`, or `esc init`)",
                root.display()
            ))
        })?;
        // Reading history must not pay for hashing every object again.
        git2::opts::strict_hash_verification(false);
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

    /// Refuses what would make a commit by esc wrong: no commits yet, a detached HEAD, a
    /// merge or rebase in progress, no identity.
    pub fn ready_to_commit(&self) -> Result<git2::Signature<'static>> {
        let state = self.repo.state();
        if state != git2::RepositoryState::Clean {
            return Err(Error::Git(format!(
                "a {} is in progress; finish or abort it first",
                format!("{state:?}").to_lowercase()
            )));
        }
        if self.repo.head_detached().unwrap_or(false) {
            return Err(Error::Git(
                "HEAD is detached; check out a branch first (git switch BRANCH)".into(),
            ));
        }
        if self.repo.head().is_err() {
            return Err(Error::Git(
                "the repository has no commits yet; commit the escalations first".into(),
            ));
        }
        self.repo.signature().map(|s| s.to_owned()).map_err(|_| {
            Error::Git(
                "no git identity: set one with `git config user.name \"Your Name\"` and \
                 `git config user.email you@example.com`"
                    .into(),
            )
        })
    }

    /// Commits the working-tree version of `rel` (relative to the escalation root) on top of
    /// HEAD, and nothing else: other staged or modified files stay exactly as they were.
    pub fn commit_file(&self, rel: &str, message: &str) -> Result<git2::Oid> {
        let sig = self.ready_to_commit()?;
        let path = self.git_path(rel);
        let head = self
            .repo
            .head()
            .and_then(|h| h.peel_to_commit())
            .map_err(git)?;
        // Stage the file through the index so git's filters (autocrlf, attributes) apply
        // exactly as for `git add`; other index entries are untouched.
        let mut index = self.repo.index().map_err(git)?;
        index.add_path(Path::new(&path)).map_err(git)?;
        let entry = index
            .get_path(Path::new(&path), 0)
            .ok_or_else(|| Error::Git(format!("{path} is not in the index after adding it")))?;
        let mut update = git2::build::TreeUpdateBuilder::new();
        update.upsert(&path, entry.id, git2::FileMode::Blob);
        let base = head.tree().map_err(git)?;
        let tree_id = update.create_updated(&self.repo, &base).map_err(git)?;
        let tree = self.repo.find_tree(tree_id).map_err(git)?;
        let oid = self
            .repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &[&head])
            .map_err(git)?;
        index.write().map_err(git)?;
        Ok(oid)
    }
}
