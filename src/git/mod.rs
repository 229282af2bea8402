//! The only user of git2: the repository (open, read at a revision, commit) and the raw tree
//! reader the history walk uses.

/// The repository: open, status, read at a revision, commit one file.
pub mod repo;
/// Git tree objects read raw, for the history walk.
pub mod tree;
