//! The escalation repository on disk: its root, config, schemas and escalation files.

use crate::error::{Error, Result};
use crate::rules::config::Config;
use crate::rules::schema::Schemas;
use std::path::{Path, PathBuf};

/// Where escalations live, below the root.
pub const ESCALATIONS: &str = "escalations";

/// An escalation repository: its root and what it configures.
pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
    pub schemas: Schemas,
}

/// A candidate file below `escalations/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Entry {
    /// A file that is not a link: path relative to the root (with `/`). Loading it refuses
    /// anything but a regular file (a named pipe, a socket, a device).
    File(String),
    /// A symbolic link: never followed, reported as a problem.
    Symlink(String),
}

impl Entry {
    pub fn rel(&self) -> &str {
        match self {
            Entry::File(r) | Entry::Symlink(r) => r,
        }
    }

    /// The id the file's name claims (`ESC-2611-K7QD` for `.../ESC-2611-K7QD.md`).
    pub fn stem(&self) -> &str {
        crate::model::id::claimed(self.rel())
    }
}

impl Workspace {
    /// Opens the repository containing `start` (or `start` itself).
    pub fn open(start: &Path) -> Result<Workspace> {
        let root = find_root(start)?;
        let config = Config::load(&root)?;
        let schemas = Schemas::load(&root)?;
        Ok(Workspace {
            root,
            config,
            schemas,
        })
    }

    /// [`Workspace::open`], except that a config with problems does not stop it: the valid
    /// part of the config is used, with the defaults for the rest, and the problem returned.
    pub fn open_lenient(start: &Path) -> Result<(Workspace, Option<Error>)> {
        let root = find_root(start)?;
        let (config, problem) = Config::load_lenient(&root)?;
        let schemas = Schemas::load(&root)?;
        let ws = Workspace {
            root,
            config,
            schemas,
        };
        Ok((ws, problem))
    }

    pub fn abs(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Every escalation file (sorted), or those under `paths` when given (relative ones
    /// from the process's working folder).
    pub fn entries(&self, paths: &[PathBuf]) -> Result<Vec<Entry>> {
        if paths.is_empty() {
            return self.entries_from(&self.root, paths);
        }
        let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        self.entries_from(&cwd, paths)
    }

    /// [`Workspace::entries`] with relative `paths` taken from `cwd` (the folder given
    /// with `-C`, say).
    pub fn entries_from(&self, cwd: &Path, paths: &[PathBuf]) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        if paths.is_empty() {
            walk(&self.root, &self.root.join(ESCALATIONS), &mut out)?;
        } else {
            for p in paths {
                let abs = if p.is_absolute() {
                    p.clone()
                } else {
                    cwd.join(p)
                };
                let meta = std::fs::symlink_metadata(&abs).map_err(|e| Error::io(p, e))?;
                let rel = self.relative(&abs).ok_or_else(|| {
                    Error::Usage(format!(
                        "{} is outside the escalation repository at {}",
                        p.display(),
                        self.root.display()
                    ))
                })?;
                if meta.file_type().is_symlink() {
                    out.push(Entry::Symlink(rel));
                } else if meta.is_dir() {
                    walk(&self.root, &abs, &mut out)?;
                } else {
                    out.push(Entry::File(rel));
                }
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// `abs` relative to the root, with `/` separators, if it is inside it.
    pub fn relative(&self, abs: &Path) -> Option<String> {
        let root = std::fs::canonicalize(&self.root).ok()?;
        let parent = abs.parent()?;
        let parent = std::fs::canonicalize(parent).ok()?;
        let rel = parent.strip_prefix(&root).ok()?.join(abs.file_name()?);
        let s = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        Some(s)
    }
}

/// The nearest ancestor of `start` (itself included) with an `esc.yaml` or `escalations/`.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    let start = std::fs::canonicalize(start).map_err(|e| Error::io(start, e))?;
    start
        .ancestors()
        .find(|d| d.join(crate::rules::config::FILE).is_file() || d.join(ESCALATIONS).is_dir())
        .map(Path::to_path_buf)
        .ok_or(Error::NoRepository(start))
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<Entry>) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let ty = entry.file_type().map_err(|e| Error::io(&path, e))?;
        let rel = || {
            path.strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        };
        if ty.is_symlink() {
            out.push(Entry::Symlink(rel()));
        } else if ty.is_dir() {
            walk(root, &path, out)?;
        } else if name.ends_with(".md") {
            out.push(Entry::File(rel()));
        }
    }
    Ok(())
}
