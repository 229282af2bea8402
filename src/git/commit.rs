//! The commit transaction: one file written and committed the way `git commit` does it. Take
//! `index.lock` (create-exclusive) first; write the file; write the new index into the lock;
//! write the objects; move the branch only if it still points where it did (compare and
//! swap); then rename the lock onto the index. Any failure puts the file's old bytes back and
//! releases the lock, so the repository is as it was.
//!
//! While it holds the lock, esc keeps a note beside it (`esc-commit` in the git folder: its
//! process id, the lock's inode, the commit it is about to make), so that another esc waits
//! for a live one, and reports exactly what to do about the lock of one that was killed.

use super::repo::{Repo, git};
use super::{Id, ident};
use crate::error::{Error, Result};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How often esc tries again when another esc holds the lock.
const TRIES: u32 = 100;

/// A commit of one file in progress. Dropping it without [`Txn::commit`] undoes it.
pub struct Txn<'r> {
    repo: &'r Repo,
    gitdir: PathBuf,
    /// The lock, while this transaction owns it.
    lock: Option<File>,
    /// The git path of the file and its place on disk.
    path: String,
    abs: PathBuf,
    /// The file's bytes before [`Txn::write_file`], to put back on failure.
    old: Option<Vec<u8>>,
    /// Those bytes as a blob, named in the note so they can be put back after a crash.
    old_blob: Option<git2::Oid>,
    /// The file is new: [`Txn::create_file`] made it, and undoing removes it.
    created: bool,
    branch: String,
    head: git2::Oid,
    idents: ident::Idents,
    abort_at: Option<String>,
    /// Run git's commit hooks (`--verify`).
    verify: bool,
}

/// What the commit of a transaction did.
pub enum Committed {
    /// The commit, on the branch; index and file match it.
    Done(Id),
    /// The branch moved while esc worked (compare and swap lost): everything was undone, and
    /// the whole edit may be tried again.
    BranchMoved,
}

impl Repo {
    /// Refuses what would make a commit wrong (no commits yet, a detached HEAD, a merge or
    /// rebase in progress, no identity), then takes the index lock for committing `rel`
    /// (relative to the escalation root), waiting a little for another esc.
    pub fn begin(&self, rel: &str) -> Result<Txn<'_>> {
        let r = &self.repo;
        let state = r.state();
        if state != git2::RepositoryState::Clean {
            return Err(Error::Git(format!(
                "a {} is in progress; finish or abort it first",
                format!("{state:?}").to_lowercase()
            )));
        }
        if r.head_detached().unwrap_or(false) {
            return Err(Error::Git(
                "HEAD is detached; check out a branch first (git switch BRANCH)".into(),
            ));
        }
        // No commits yet is fine: esc makes the first one (after `esc init`, `esc new` is
        // the natural first commit). A HEAD that names no branch is not.
        if r.head().is_err()
            && !r
                .find_reference("HEAD")
                .ok()
                .and_then(|h| h.symbolic_target().ok().flatten().map(String::from))
                .is_some_and(|t| t.starts_with("refs/heads/"))
        {
            return Err(Error::Git(
                "HEAD names no branch; check out a branch first (git switch -c main)".into(),
            ));
        }
        let idents = ident::idents(r)?;
        let path = self.git_path(rel);
        let workdir = r
            .workdir()
            .ok_or_else(|| Error::Git("a bare repository has no files to edit".into()))?;
        let abs = workdir.join(&path);
        let gitdir = r.path().to_path_buf();
        let shown = shown(workdir, &gitdir.join("index.lock"));
        let lock = take_lock(r, &gitdir, &shown)?;
        let mut txn = Txn {
            repo: self,
            gitdir,
            lock: Some(lock),
            path,
            abs,
            old: None,
            old_blob: None,
            created: false,
            branch: String::new(),
            head: git2::Oid::ZERO_SHA1,
            idents,
            abort_at: std::env::var("ESC_TEST_ABORT_AT").ok(),
            verify: false,
        };
        // Under the lock: the branch and where it points now (nowhere yet: ZERO, and the
        // commit will be the first).
        match r.find_reference("HEAD").and_then(|h| h.resolve()) {
            Ok(head) => {
                txn.branch = head.name().unwrap_or_default().to_string();
                txn.head = head
                    .target()
                    .ok_or_else(|| Error::Git("HEAD does not point at a commit".into()))?;
            }
            Err(_) => {
                txn.branch = r
                    .find_reference("HEAD")
                    .ok()
                    .and_then(|h| h.symbolic_target().ok().flatten().map(String::from))
                    .unwrap_or_default();
            }
        }
        txn.note(None)?;
        txn.checkpoint("locked");
        Ok(txn)
    }
}

impl Txn<'_> {
    /// Replaces the file with `bytes` atomically, keeping its mode; the old bytes are put
    /// back if the commit does not happen.
    pub fn write_file(&mut self, bytes: &[u8]) -> Result<()> {
        let old = std::fs::read(&self.abs).map_err(|e| Error::io(&self.abs, e))?;
        self.old_blob = Some(self.repo.repo.blob(&old).map_err(git)?);
        self.note(None)?;
        crate::store::files::write_atomic(&self.abs, bytes).map_err(|e| Error::io(&self.abs, e))?;
        self.old = Some(old);
        self.checkpoint("file-written");
        Ok(())
    }

    /// Creates the file with `bytes` (it must not exist yet, and its folder is made); undoing
    /// removes it.
    pub fn create_file(&mut self, bytes: &[u8]) -> Result<()> {
        if let Some(dir) = self.abs.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&self.abs)
            .map_err(|e| Error::io(&self.abs, e))?;
        self.created = true;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(&self.abs, e))?;
        self.checkpoint("file-written");
        Ok(())
    }

    /// Runs git's commit hooks (pre-commit, commit-msg, post-commit) for this commit.
    pub fn verify(&mut self, on: bool) {
        self.verify = on;
    }

    /// Commits the file as it is in the working tree on top of the branch, and nothing else:
    /// other staged or modified files stay exactly as they were.
    pub fn commit(mut self, message: &str) -> Result<Committed> {
        match self.commit_inner(message) {
            Ok(Some(id)) => Ok(Committed::Done(id)),
            Ok(None) => {
                self.undo()?;
                Ok(Committed::BranchMoved)
            }
            Err(e) => {
                let undone = self.undo();
                let refused = matches!(e, Error::Data(_));
                let msg = e.to_string();
                let msg = msg.strip_prefix("git: ").unwrap_or(&msg).to_string();
                let msg = match undone {
                    Ok(()) => format!("{msg}; nothing was changed"),
                    Err(u) => format!("{msg}; and then {u}"),
                };
                // A hook's refusal is about the data (exit 1); anything else, git's (exit 2).
                Err(if refused {
                    Error::Data(msg)
                } else {
                    Error::Git(msg)
                })
            }
        }
    }

    fn commit_inner(&mut self, message: &str) -> Result<Option<Id>> {
        let r = &self.repo.repo;
        let index_path = self.gitdir.join("index");
        let index_time = std::fs::metadata(&index_path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(i64::MAX, |d| d.as_secs() as i64);
        // The new index, built in a copy of the index file bound to the repository, so that
        // git's filters (autocrlf, attributes) and the file's mode apply exactly as for
        // `git add`; libgit2 writes an index only through its own lock, so never the real
        // one. One parse and one write of the index, whatever its size.
        let (bytes, entry) =
            super::index::staged(r, &self.gitdir, &self.path, &index_path, index_time)?;
        let lock = self
            .lock
            .as_mut()
            .ok_or_else(|| Error::Git("the lock is gone".into()))?;
        lock.write_all(&bytes)
            .and_then(|()| lock.sync_all())
            .map_err(|e| Error::io(self.gitdir.join("index.lock"), e))?;
        self.checkpoint("index-written");
        let hooks = self
            .verify
            .then(|| super::hooks::Hooks::find(r, &self.gitdir.join("index.lock")));
        let message = match &hooks {
            Some(h) => {
                h.pre_commit()?;
                h.commit_msg(message)?
            }
            None => message.to_string(),
        };
        let message = message.as_str();

        let mode = match entry.mode {
            0o100755 => git2::FileMode::BlobExecutable,
            0o120000 => git2::FileMode::Link,
            _ => git2::FileMode::Blob,
        };
        let head = if self.head.is_zero() {
            None
        } else {
            Some(r.find_commit(self.head).map_err(git)?)
        };
        let base = match &head {
            Some(h) => h.tree().map_err(git)?,
            None => {
                let empty = r.treebuilder(None).and_then(|b| b.write()).map_err(git)?;
                r.find_tree(empty).map_err(git)?
            }
        };
        let mut update = git2::build::TreeUpdateBuilder::new();
        update.upsert(&self.path, entry.id, mode);
        let tree_id = update.create_updated(r, &base).map_err(git)?;
        let tree = r.find_tree(tree_id).map_err(git)?;
        let (author, committer) = (&self.idents.author, &self.idents.committer);
        let parents: Vec<&git2::Commit<'_>> = head.iter().collect();
        let new = r
            .commit(None, author, committer, message, &tree, &parents)
            .map_err(git)?;
        self.checkpoint("commit-written");

        self.note(Some(new))?;
        let subject = message.lines().next().unwrap_or_default();
        let moved = if self.head.is_zero() {
            // The first commit: the branch must not exist yet (another process may have
            // made it meanwhile).
            r.reference(
                &self.branch,
                new,
                false,
                &format!("commit (initial): {subject}"),
            )
            .map(|_| ())
        } else {
            r.reference_matching(
                &self.branch,
                new,
                true,
                self.head,
                &format!("commit: {subject}"),
            )
            .map(|_| ())
        };
        if let Err(e) = moved {
            return match e.code() {
                git2::ErrorCode::Modified | git2::ErrorCode::Exists => Ok(None),
                git2::ErrorCode::Locked => {
                    let lock = self
                        .repo
                        .repo
                        .commondir()
                        .join(format!("{}.lock", self.branch));
                    let workdir = r.workdir().unwrap_or(Path::new(""));
                    let shown = shown(workdir, &lock);
                    Err(Error::Git(format!(
                        "cannot move {}: another git process is updating it ({shown}); try \
                         again (remove {shown} if no git process is running)",
                        self.branch
                    )))
                }
                _ => Err(git(e)),
            };
        }
        self.checkpoint("ref-updated");

        let lock_path = self.gitdir.join("index.lock");
        if let Err(e) = std::fs::rename(&lock_path, &index_path) {
            // Put the branch back so HEAD and the index agree again.
            let back = if self.head.is_zero() {
                r.find_reference(&self.branch).and_then(|mut b| b.delete())
            } else {
                r.reference_matching(&self.branch, self.head, true, new, "esc: undo commit")
                    .map(|_| ())
            };
            return Err(Error::Git(format!(
                "cannot rename {} to {}: {e}{}",
                lock_path.display(),
                index_path.display(),
                if back.is_err() {
                    " (and the branch could not be put back)"
                } else {
                    ""
                }
            )));
        }
        self.lock = None;
        self.old = None;
        self.created = false;
        sync_dir(&self.gitdir);
        // The lock is released: another esc may have taken it and written its own note.
        let note = self.gitdir.join(NOTE);
        let mine = format!("pid {}\n", std::process::id());
        if std::fs::read_to_string(&note).is_ok_and(|n| n.starts_with(&mine)) {
            let _ = std::fs::remove_file(note);
        }
        if let Some(h) = hooks {
            h.post_commit();
        }
        Ok(Some(Id(new)))
    }

    /// Puts the file's old bytes back and releases the lock.
    fn undo(&mut self) -> Result<()> {
        let mut failed = None;
        if std::mem::take(&mut self.created)
            && let Err(e) = std::fs::remove_file(&self.abs)
        {
            failed = Some(format!("removing the new {} failed ({e})", self.path));
        }
        if let Some(old) = self.old.take()
            && let Err(e) = crate::store::files::write_atomic(&self.abs, &old)
        {
            failed = Some(format!(
                "restoring {} failed ({e}): it holds the edit, uncommitted",
                self.path
            ));
        }
        if self.lock.take().is_some() {
            let _ = std::fs::remove_file(self.gitdir.join(NOTE));
            let _ = std::fs::remove_file(self.gitdir.join("index.lock"));
        }
        match failed {
            Some(f) => Err(Error::Git(f)),
            None => Ok(()),
        }
    }

    /// Writes the note beside the lock: this process, the lock's inode, the branch's old
    /// value and, once made, the new commit.
    fn note(&self, commit: Option<git2::Oid>) -> Result<()> {
        let ino = self
            .lock
            .as_ref()
            .and_then(|f| f.metadata().ok())
            .map_or(0, |m| inode(&m));
        let mut text = format!(
            "pid {}\nlock {ino}\nbranch {}\nhead {}\npath {}\n",
            std::process::id(),
            self.branch,
            self.head,
            self.path,
        );
        if let Some(b) = self.old_blob {
            text.push_str(&format!("old {b}\n"));
        }
        if let Some(c) = commit {
            text.push_str(&format!("commit {c}\n"));
        }
        // Whole or not at all, for another esc reading it.
        let path = self.gitdir.join(NOTE);
        let tmp = self
            .gitdir
            .join(format!("{NOTE}.{}.tmp", std::process::id()));
        std::fs::write(&tmp, text)
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| Error::io(&path, e))
    }

    /// Stops the process here when a test asks (`ESC_TEST_ABORT_AT=POINT`), as a crash would.
    fn checkpoint(&self, point: &str) {
        if self.abort_at.as_deref() == Some(point) {
            std::process::abort();
        }
    }
}

impl Drop for Txn<'_> {
    fn drop(&mut self) {
        let _ = self.undo();
    }
}

/// The note's name in the git folder.
const NOTE: &str = "esc-commit";

/// Creates `index.lock` exclusively, waiting while another live esc holds it.
fn take_lock(repo: &git2::Repository, gitdir: &Path, shown: &str) -> Result<File> {
    let lock = gitdir.join("index.lock");
    let busy = || {
        Error::Git(format!(
            "another git or esc process is writing ({shown}); try again (remove {shown} if no \
             git process is running)"
        ))
    };
    for attempt in 0..TRIES {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
        {
            Ok(f) => return Ok(f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                match holder(repo, gitdir, &lock, shown) {
                    Holder::Waiting => {}
                    Holder::Stale(msg) => return Err(Error::Git(msg)),
                    Holder::Other => return Err(busy()),
                }
                let ms = 5 + (u64::from(attempt) * 7 + u64::from(std::process::id() % 17)) % 45;
                std::thread::sleep(Duration::from_millis(ms));
            }
            Err(e) => return Err(Error::io(&lock, e)),
        }
    }
    Err(busy())
}

enum Holder {
    /// A live esc, or a lock just created: worth waiting for.
    Waiting,
    /// Left by an esc that no longer runs: what to do about it.
    Stale(String),
    /// git, or something else.
    Other,
}

/// Who holds the lock, from the note beside it.
fn holder(repo: &git2::Repository, gitdir: &Path, lock: &Path, shown: &str) -> Holder {
    let Ok(meta) = std::fs::metadata(lock) else {
        return Holder::Waiting; // released meanwhile
    };
    let note = std::fs::read_to_string(gitdir.join(NOTE)).unwrap_or_default();
    let field = |k: &str| {
        note.lines()
            .find_map(|l| l.strip_prefix(k).and_then(|v| v.strip_prefix(' ')))
            .map(str::to_string)
    };
    let ino = inode(&meta);
    if ino != 0 && field("lock").and_then(|v| v.parse::<u64>().ok()) == Some(ino) {
        let pid = field("pid")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(0);
        if alive(pid) {
            return Holder::Waiting;
        }
        // It may have finished just now: stale only if, with it gone, lock and note are
        // still the ones it left.
        let again = std::fs::read_to_string(gitdir.join(NOTE)).unwrap_or_default();
        if again != note || std::fs::metadata(lock).map_or(0, |m| inode(&m)) != ino {
            return Holder::Waiting;
        }
        let branch = field("branch").unwrap_or_default();
        let now = repo.refname_to_id(&branch).ok().map(|o| o.to_string());
        let index = shown.trim_end_matches(".lock");
        return Holder::Stale(match field("commit") {
            Some(c) if now.as_deref() == Some(c.as_str()) => format!(
                "{shown} was left by esc (process {pid}), stopped after committing {} on {branch} \
                 and before updating the index; if no git process is running, finish its \
                 commit with `mv {shown} {index}`",
                &c[..7.min(c.len())]
            ),
            _ => {
                let restore = restore_hint(repo, field("path"), field("old"));
                format!(
                    "{shown} was left by esc (process {pid}), stopped before it committed: \
                     remove {shown} if no git process is running{restore}"
                )
            }
        });
    }
    let young = meta
        .modified()
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|d| d < Duration::from_millis(300));
    if young {
        Holder::Waiting
    } else {
        Holder::Other
    }
}

/// How to put back a file esc rewrote but did not commit: `` and `git cat-file ...` ``, or
/// nothing when it holds its old bytes.
fn restore_hint(repo: &git2::Repository, path: Option<String>, old: Option<String>) -> String {
    let (Some(path), Some(old)) = (path, old) else {
        return String::new();
    };
    let abs = repo.workdir().map(|w| w.join(&path));
    let now = abs.and_then(|a| git2::Oid::hash_file(git2::ObjectType::Blob, a).ok());
    if now.is_some_and(|n| n.to_string() == old) {
        return String::new();
    }
    format!(
        ", and put {path} back as it was with `git cat-file blob {old} > {path}` (from the top of the work tree)"
    )
}

/// Whether process `pid` still runs (a zombie does not).
fn alive(pid: u32) -> bool {
    if pid == 0 {
        return false;
    }
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return match std::fs::read_to_string(proc.join(pid.to_string()).join("stat")) {
            Ok(stat) => !matches!(
                stat.rsplit_once(')')
                    .and_then(|(_, s)| s.trim_start().chars().next()),
                Some('Z' | 'X')
            ),
            Err(_) => false,
        };
    }
    std::process::Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .map_or(true, |s| s.success())
}

#[cfg(unix)]
fn inode(m: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(m)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// Makes a rename in `dir` durable.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// `path` as people would type it from the work tree (`.git/index.lock`).
fn shown(workdir: &Path, path: &Path) -> String {
    path.strip_prefix(workdir)
        .unwrap_or(path)
        .display()
        .to_string()
}
