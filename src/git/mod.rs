//! The only user of git2: the repository (open, read at a revision, commit), the raw tree
//! reader and the history walk. Nothing of git2 leaves this folder: ids are [`Id`].

/// The commit transaction: lock, write, index, commit, compare-and-swap the branch.
pub mod commit;
/// Git's commit hooks, run with `--verify`.
mod hooks;
/// Who commits and when: git's environment variables, config and date formats.
pub mod ident;
/// The new index of a commit: one file staged in a copy of the index.
mod index;
/// The repository: open, status, read at a revision.
pub mod repo;
/// Git tree objects read raw, for the history walk.
pub mod tree;
/// The first-parent history walk and the files each commit changed.
pub mod walk;

/// A commit (or other object) id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(git2::Oid);

impl Id {
    /// The first seven hex digits, as people quote a commit.
    pub fn short(&self) -> String {
        let mut s = self.0.to_string();
        s.truncate(7);
        s
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for Id {
    type Err = ();
    /// A full hex id (not a revision: see `Repo::commit_id` for those).
    fn from_str(s: &str) -> Result<Id, ()> {
        git2::Oid::from_str(s).map(Id).map_err(|_| ())
    }
}
