//! Escalation files read from disk: load one, load all, stream, find one by id, write one.

use crate::model::doc::{Doc, parse};

use crate::error::{Error, Result};
use crate::model::diag::Diagnostic;
use crate::model::document::MAX_FILE_BYTES;
use crate::par::parallel;
use crate::store::workspace::{Entry, Workspace};
use std::io::Read;

/// Reads and parses one file. A file that cannot be read as an escalation gives the one
/// diagnostic that says why.
pub fn load(ws: &Workspace, entry: &Entry) -> Result<Doc, Box<Diagnostic>> {
    load_below(&ws.root, entry)
}

/// [`load`] for a file below `root`.
pub fn load_below(root: &std::path::Path, entry: &Entry) -> Result<Doc, Box<Diagnostic>> {
    let rel = entry.rel();
    let whole = |rule: &str, message: String| Diagnostic::new(rel, 1, 1, rule, message);
    let path = match entry {
        Entry::Symlink(_) => {
            let target = std::fs::read_link(root.join(rel))
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            return Err(Box::new(whole(
                "symlink",
                format!(
                    "this is a symbolic link (to `{target}`); esc does not follow links, so keep the file itself here"
                ),
            )));
        }
        Entry::File(_) => root.join(rel),
    };
    // Opening a named pipe blocks until a writer comes (and a device may never end): look
    // before opening, and read regular files only.
    if let Ok(meta) = std::fs::symlink_metadata(&path)
        && !meta.is_file()
    {
        let what = kind_of(&meta.file_type());
        return Err(Box::new(whole(
            "not-a-file",
            format!(
                "this is {what}, not a regular file; an escalation is a regular Markdown file, so remove this one or rename it so it does not end in `.md`"
            ),
        )));
    }
    let file = std::fs::File::open(&path).map_err(|e| whole("io", format!("cannot read: {e}")))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_FILE_BYTES {
        return Err(Box::new(whole(
            "file-too-large",
            format!(
                "the file is {:.1} MiB; an escalation may be at most {} MiB (move logs and attachments elsewhere and link them)",
                len as f64 / 1048576.0,
                MAX_FILE_BYTES / 1048576
            ),
        )));
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| whole("io", format!("cannot read: {e}")))?;
    parse(rel, bytes)
}

/// What a file that is not a regular one is, in words.
fn kind_of(ty: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ty.is_fifo() {
            return "a named pipe";
        } else if ty.is_socket() {
            return "a socket";
        } else if ty.is_block_device() || ty.is_char_device() {
            return "a device";
        }
    }
    if ty.is_dir() {
        "a folder"
    } else if ty.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// Every escalation that parses, in path order, and a diagnostic for each that does not.
pub fn load_all(ws: &Workspace) -> Result<(Vec<Doc>, Vec<Diagnostic>)> {
    let entries = ws.entries(&[])?;
    let mut docs = Vec::with_capacity(entries.len());
    let mut bad = Vec::new();
    for r in parallel(&entries, |e| load(ws, e)) {
        match r {
            Ok(d) => docs.push(d),
            Err(d) => bad.push(*d),
        }
    }
    Ok((docs, bad))
}

/// What reading one escalation file gives: the document, or why it could not be read.
pub type Loaded = std::result::Result<Doc, Box<Diagnostic>>;

/// Every escalation in path order, as an iterator handed to `body`. The files are read on
/// all cores, at most a window ahead of `body`, so output starts at once and memory stays
/// flat however many files there are.
pub fn stream<R>(
    ws: &Workspace,
    body: impl FnOnce(&mut dyn Iterator<Item = Loaded>) -> R,
) -> Result<R> {
    let entries = ws.entries(&[])?;
    Ok(crate::par::ordered(&entries, |e| load(ws, e), body))
}

/// The escalation with id `query`: exact, case-insensitive, or a unique part of the id
/// (`K7QD`). Unknown and ambiguous ids are usage errors that list the candidates.
pub fn find(ws: &Workspace, query: &str) -> Result<Doc> {
    let entries = ws.entries(&[])?;
    let stem = |e: &Entry| e.stem().to_string();
    let q = query.to_ascii_uppercase();
    let exact: Vec<&Entry> = entries.iter().filter(|e| stem(e) == q).collect();
    let matches: Vec<&Entry> = if exact.is_empty() {
        entries.iter().filter(|e| stem(e).contains(&q)).collect()
    } else {
        exact
    };
    match matches.as_slice() {
        [one] => load(ws, one)
            .map_err(|d| Error::Data(format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))),
        [] => {
            let names: Vec<String> = entries.iter().map(stem).collect();
            // A typo in a short id (`K7QE` for ESC-2611-K7QD) is compared with the ends.
            let tail = |n: &str| {
                n.char_indices()
                    .rev()
                    .nth(q.chars().count().saturating_sub(1))
                    .map_or(n.to_string(), |(i, _)| n[i..].to_string())
            };
            let hint = crate::model::diag::did_you_mean(&q, names.iter().map(String::as_str))
                .map(String::from)
                .or_else(|| {
                    let tails: Vec<String> = names.iter().map(|n| tail(n)).collect();
                    let t = crate::model::diag::did_you_mean(&q, tails.iter().map(String::as_str))?;
                    names.iter().find(|n| tail(n) == t).cloned()
                })
                .map(|s| format!("; did you mean {s}?"))
                .unwrap_or_else(|| "; `esc list` shows the ids".into());
            Err(Error::Usage(format!(
                "no escalation with id `{query}`{hint}"
            )))
        }
        many => Err(Error::Usage(format!(
            "`{query}` matches {} escalations: {}; give more of the id",
            many.len(),
            many.iter().map(|e| stem(e)).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// Replaces `path` with `bytes` atomically: a temporary file in the same folder, flushed,
/// given the original's mode, renamed over the original, and the folder flushed. A failure at any point leaves the original intact.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, bytes, || Ok(()))
}

/// [`write_atomic`] with a hook run between writing the temporary file and the rename
/// (tests inject a failure there).
pub fn write_atomic_with(
    path: &std::path::Path,
    bytes: &[u8],
    before_rename: impl FnOnce() -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.esc-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        before_rename()?;
        std::fs::rename(&tmp, path)?;
        // The rename itself is durable only once the folder is.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_before_the_rename_leaves_the_old_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("ESC-2611-AAAA.md");
        std::fs::write(&path, "old").expect("write");
        let err = write_atomic_with(&path, b"new", || Err(std::io::Error::other("injected")));
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "old");
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(left.len(), 1, "the temporary file is removed");
        write_atomic(&path, b"new").expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
    }
}
