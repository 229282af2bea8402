//! The escalation repository on disk: where it is, which files are escalations, loading them
//! (one, all, streamed, by id) and writing one atomically.

/// Escalation files as parsed documents: load one, load all, find by id, write atomically.
pub mod files;
/// Finds the repository root and the escalation files in it.
pub mod workspace;
