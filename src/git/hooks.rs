//! Git's commit hooks, run only when asked (`--verify`), the way `git commit` runs them:
//! `pre-commit` with the new index, `commit-msg` with the message in a file it may change,
//! `post-commit` once the commit is on the branch. Their output goes to standard error.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where the hooks are, and what they run against.
pub(super) struct Hooks {
    dir: PathBuf,
    workdir: PathBuf,
    /// The index the hooks see (the new one, still in `index.lock`).
    index: PathBuf,
    gitdir: PathBuf,
}

impl Hooks {
    /// `core.hooksPath` (relative to the work tree) when set, else `hooks/` in the git folder.
    pub(super) fn find(repo: &git2::Repository, index: &Path) -> Hooks {
        let workdir = repo.workdir().unwrap_or(repo.path()).to_path_buf();
        let dir = repo
            .config()
            .and_then(|c| c.get_path("core.hooksPath"))
            .map(|p| if p.is_absolute() { p } else { workdir.join(p) })
            .unwrap_or_else(|_| repo.commondir().join("hooks"));
        Hooks {
            dir,
            workdir,
            index: index.to_path_buf(),
            gitdir: repo.path().to_path_buf(),
        }
    }

    /// Runs hook `name` if it exists and is executable; a failure refuses the commit.
    fn run(&self, name: &str, args: &[&Path]) -> Result<()> {
        let path = self.dir.join(name);
        if !is_executable(&path) {
            return Ok(());
        }
        let out = Command::new(&path)
            .args(args)
            .current_dir(&self.workdir)
            .env("GIT_INDEX_FILE", &self.index)
            .env("GIT_DIR", &self.gitdir)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| Error::io(&path, e))?;
        eprint!("{}", String::from_utf8_lossy(&out.stdout));
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        if out.status.success() {
            Ok(())
        } else {
            Err(Error::Data(format!(
                "the {name} hook refused the commit ({})",
                out.status
            )))
        }
    }

    pub(super) fn pre_commit(&self) -> Result<()> {
        self.run("pre-commit", &[])
    }

    /// The message after `commit-msg`, which may rewrite it.
    pub(super) fn commit_msg(&self, message: &str) -> Result<String> {
        let file = self.gitdir.join("COMMIT_EDITMSG");
        std::fs::write(&file, message).map_err(|e| Error::io(&file, e))?;
        self.run("commit-msg", &[&file])?;
        std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))
    }

    /// Runs `post-commit`; the commit is made whatever it says.
    pub(super) fn post_commit(&self) {
        let _ = self.run("post-commit", &[]);
    }
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}
