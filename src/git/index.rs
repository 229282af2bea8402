//! The new index of a commit by esc: the current index copied to a file of its own, opened
//! as the repository's index, the file staged there (git's filters and the file's mode apply
//! as for `git add`), written, and read back as bytes for the lock.

use super::repo::git;
use crate::error::{Error, Result};
use std::path::Path;

/// The index with the file's entry staged, as bytes, and that entry: the current index
/// copied to a file of its own, opened as the repository's index, changed and written
/// there, read back.
pub(super) fn staged(
    r: &git2::Repository,
    gitdir: &Path,
    path: &str,
    index_path: &Path,
    index_time: i64,
) -> Result<(Vec<u8>, git2::IndexEntry)> {
    let tmp = gitdir.join(format!("index.esc-{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = (|| {
        if index_path.exists() {
            std::fs::copy(index_path, &tmp).map_err(|e| Error::io(&tmp, e))?;
        }
        let mut out = git2::Index::open(&tmp).map_err(git)?;
        r.set_index(&mut out).map_err(git)?;
        if out.has_conflicts() {
            return Err(Error::Git(
                "the index has unresolved conflicts; resolve them (git add) first".into(),
            ));
        }
        let rel = Path::new(path);
        // Racily clean entries: a file changed in the same second the index was last
        // written can have the same size and mtime as its staged version, and git then
        // only finds the change because the entry is as new as the index. Rewriting the
        // index would hide it, so smudge those entries (size 0) the way git itself does:
        // git then compares their content.
        let racy: Vec<git2::IndexEntry> = out
            .iter()
            .filter(|e| i64::from(e.mtime.seconds()) >= index_time && e.path != path.as_bytes())
            .map(|mut e| {
                e.file_size = 0;
                e
            })
            .collect();
        for e in &racy {
            out.add(e).map_err(git)?;
        }
        out.add_path(rel).map_err(git)?;
        let entry = out
            .get_path(rel, 0)
            .ok_or_else(|| Error::Git(format!("{} is not in the index after adding it", path)))?;
        out.write().map_err(git)?;
        let bytes = std::fs::read(&tmp).map_err(|e| Error::io(&tmp, e))?;
        Ok((bytes, entry))
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}
