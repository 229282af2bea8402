//! The organisation's view: several escalation repositories (one per region or business
//! unit, each a local clone) read as one. Which repositories (`--repo DIR...`, else the
//! `repositories:` of the reporting repository's `esc.yaml`), each opened with its own config
//! (time zone, severities, targets), schemas and timeline cache, in parallel where cores allow;
//! ids unique across them. `esc report --repo` reads them through here (`ops::report_org`);
//! any other command over several repositories reads them the same way: [`scope`], then
//! [`read`] with what one repository gives, then [`unique_ids`] over what they hold.

use crate::error::{Error, Result};
use crate::store::workspace::{ESCALATIONS, Workspace};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One repository of the organisation.
#[derive(Debug, Clone)]
pub struct Member {
    /// Its label in tables: the name of its folder (the path as given, when two folders
    /// share a name).
    pub name: String,
    /// The path as given (`--repo ../emea`, or as `repositories:` lists it), for messages.
    pub shown: String,
    /// Its root, canonical.
    pub root: PathBuf,
}

/// What a command reads: one repository, or an organisation's.
pub enum Scope {
    One(Box<Workspace>),
    /// The repositories, and the one that leads: the reporting repository when the command
    /// runs in one, else the first listed. Its time zone decides the week (each repository's
    /// own then decides where that week ends), its templates and people serve the output.
    Many {
        lead: Box<Workspace>,
        members: Vec<Member>,
    },
}

/// The repositories `dirs` name (relative to `cwd`; from `--repo`), else those the
/// `repositories:` of the repository at `cwd` lists (relative to its root), else that
/// repository alone. A folder that is not an escalation repository is a usage error naming it.
pub fn scope(cwd: &Path, dirs: &[PathBuf]) -> Result<Scope> {
    let here = if dirs.is_empty() {
        Some(Workspace::open(cwd)?)
    } else {
        match Workspace::open(cwd) {
            Ok(ws) => Some(ws),
            Err(Error::NoRepository(_)) => None,
            Err(e) => return Err(e),
        }
    };
    // (where it is named, the path as given, the folder)
    let listed: Vec<(String, String, PathBuf)> = match &here {
        _ if !dirs.is_empty() => dirs
            .iter()
            .map(|d| {
                let shown = d.display().to_string();
                (format!("--repo {shown}"), shown, cwd.join(d))
            })
            .collect(),
        Some(ws) => ws
            .config
            .repositories
            .iter()
            .map(|r| {
                let what = format!("{}: repositories: {r}", crate::rules::config::FILE);
                (what, r.clone(), ws.root.join(r))
            })
            .collect(),
        None => Vec::new(),
    };
    let here = match here {
        Some(ws) if listed.is_empty() => return Ok(Scope::One(Box::new(ws))),
        other => other,
    };
    let mut members: Vec<Member> = Vec::with_capacity(listed.len());
    for (what, shown, dir) in listed {
        let root = std::fs::canonicalize(&dir)
            .map_err(|e| Error::Usage(format!("{what}: cannot open {}: {e}", dir.display())))?;
        let is_repo =
            root.join(crate::rules::config::FILE).is_file() || root.join(ESCALATIONS).is_dir();
        if !is_repo {
            return Err(Error::Usage(format!(
                "{what}: {} is not an escalation repository (it has no {} and no {ESCALATIONS}/)",
                root.display(),
                crate::rules::config::FILE
            )));
        }
        if let Some(m) = members.iter().find(|m| m.root == root) {
            return Err(Error::Usage(format!(
                "{what}: {} is already listed as {}",
                root.display(),
                m.shown
            )));
        }
        let name = root
            .file_name()
            .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
        members.push(Member { name, shown, root });
    }
    // Two folders of the same name: their paths tell them apart.
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for m in &members {
        *count.entry(m.name.clone()).or_default() += 1;
    }
    for m in &mut members {
        if count.get(&m.name).is_some_and(|n| *n > 1) {
            m.name = m.shown.clone();
        }
    }
    let lead = match here {
        Some(ws) => ws,
        None => match members.first() {
            Some(m) => Workspace::open(&m.root).map_err(|e| within(m, e))?,
            None => return Err(Error::Usage("--repo: no repository given".into())),
        },
    };
    Ok(Scope::Many {
        lead: Box::new(lead),
        members,
    })
}

/// `read` over every member, opened with its own config and schemas: repositories in
/// parallel where cores allow (each also uses every core within), results in member order.
/// An error names the repository it came from.
pub fn read<R: Send>(
    members: &[Member],
    read: impl Fn(&Member, Workspace) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    crate::par::parallel(members, |m| {
        Workspace::open(&m.root)
            .and_then(|ws| read(m, ws))
            .map_err(|e| within(m, e))
    })
    .into_iter()
    .collect()
}

/// `e`, saying which repository it is about; the same variant, so the same exit code.
pub fn within(m: &Member, e: Error) -> Error {
    let at = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            Path::new(&m.shown).join(p)
        }
    };
    match e {
        Error::Io { path, source } => Error::Io {
            path: at(&path),
            source,
        },
        Error::Config {
            path,
            line,
            column,
            message,
        } => Error::Config {
            path: at(Path::new(&path)).display().to_string(),
            line,
            column,
            message,
        },
        Error::Schema { path, message } => Error::Schema {
            path: at(&path),
            message,
        },
        Error::NoRepository(p) => Error::NoRepository(p),
        Error::Usage(s) => Error::Usage(format!("{}: {s}", m.shown)),
        Error::Template(s) => Error::Template(format!("{}: {s}", m.shown)),
        Error::Git(s) => Error::Git(format!("{}: {s}", m.shown)),
        Error::Data(s) => Error::Data(format!("{}: {s}", m.shown)),
    }
}

/// Ids must be unique across the organisation's repositories: an id in two of them is a data
/// error (exit 1) naming both files. `held` is, per member, the (id, file) of its escalations.
pub fn unique_ids(members: &[Member], held: &[Vec<(String, String)>]) -> Result<()> {
    let mut first: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    let mut clashes: Vec<String> = Vec::new();
    for (i, ids) in held.iter().enumerate() {
        for (id, file) in ids {
            if id.is_empty() {
                continue;
            }
            match first.get(id.as_str()) {
                Some(&(j, other)) if j != i => clashes.push(format!(
                    "{id} is in {}/{other} and in {}/{file}",
                    members.get(j).map_or("?", |m| m.shown.as_str()),
                    members.get(i).map_or("?", |m| m.shown.as_str()),
                )),
                Some(_) => {}
                None => {
                    first.insert(id, (i, file));
                }
            }
        }
    }
    if clashes.is_empty() {
        return Ok(());
    }
    const SHOWN: usize = 10;
    let more = clashes.len().saturating_sub(SHOWN);
    clashes.truncate(SHOWN);
    Err(Error::Data(format!(
        "ids must be unique across the repositories; {}{}: give each repository its own \
         `id_prefix` in esc.yaml, and the escalation that came second a new id",
        clashes.join("; "),
        if more > 0 {
            format!("; and {more} more")
        } else {
            String::new()
        }
    )))
}

/// Notes for repositories that share an id prefix (or all have none): their ids may collide.
pub fn prefix_notes(members: &[Member], prefixes: &[Option<String>]) -> Vec<String> {
    let mut by: BTreeMap<Option<&str>, Vec<&str>> = BTreeMap::new();
    for (m, p) in members.iter().zip(prefixes) {
        by.entry(p.as_deref()).or_default().push(&m.name);
    }
    by.into_iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(p, names)| {
            let what = p.map_or_else(|| "no id prefix".to_string(), |p| format!("the id prefix {p}"));
            format!(
                "{} have {what}, so their ids may collide; give each its own `id_prefix` in esc.yaml",
                names.join(" and ")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str) -> Member {
        Member {
            name: name.into(),
            shown: format!("../{name}"),
            root: PathBuf::from(format!("/org/{name}")),
        }
    }

    /// `esc stats --repo` can read whole snapshots through [`read`].
    #[test]
    fn a_snapshot_can_come_back_from_a_worker() {
        fn send<T: Send>() {}
        send::<crate::ops::snapshot::Snapshot>();
    }

    #[test]
    fn an_id_in_two_repositories_names_both_files() {
        let members = [member("emea"), member("apac")];
        let file = |id: &str| (id.to_string(), format!("escalations/2026-11/{id}.md"));
        let apart = [
            vec![file("ESC-2611-AAAA"), file("ESC-2611-BBBB")],
            vec![file("ESC-2611-CCCC"), (String::new(), "bad.md".into())],
        ];
        assert!(unique_ids(&members, &apart).is_ok());
        // The same id twice in one repository is esc check's to report, not this.
        let within = [vec![file("ESC-2611-AAAA"), file("ESC-2611-AAAA")], vec![]];
        assert!(unique_ids(&members, &within).is_ok());
        let across = [vec![file("ESC-2611-AAAA")], vec![file("ESC-2611-AAAA")]];
        let e = unique_ids(&members, &across).expect_err("a clash");
        assert_eq!(e.exit_code(), 1);
        assert!(e.to_string().contains(
            "ESC-2611-AAAA is in ../emea/escalations/2026-11/ESC-2611-AAAA.md and in \
             ../apac/escalations/2026-11/ESC-2611-AAAA.md"
        ));
    }

    #[test]
    fn shared_prefixes_are_noted() {
        let members = [member("emea"), member("uk"), member("apac")];
        let notes = prefix_notes(
            &members,
            &[
                Some("EMEA".into()),
                Some("EMEA".into()),
                Some("APAC".into()),
            ],
        );
        assert_eq!(notes.len(), 1);
        assert!(notes[0].starts_with("emea and uk have the id prefix EMEA"));
        assert!(prefix_notes(&members, &[Some("A".into()), Some("B".into()), None]).is_empty());
    }
}
