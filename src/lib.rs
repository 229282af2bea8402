//! `esc`: customer escalations as Markdown files with YAML front matter in a git repository.
//!
//! Layers, each using only those listed before it (ARCHITECTURE.md has the map):
//! `error` and `par` (used by all), `model`, `rules`, `store`, `git`, `timeline`, `out`,
//! `ops`, `lsp`, `cli`. Only `git` knows git2; only `cli` knows clap.

/// Errors that stop a command from running, and the exit code each one means.
pub mod error;
/// Parallel helpers: map a slice on all cores, stream results in order.
pub mod par;

/// The command line: clap types and one module per subcommand.
pub mod cli;
/// The only user of git2: open, read at a revision, commit, and the raw history walk.
pub mod git;
/// The language server (`esc lsp`): diagnostics, completion, hover and fixes for editors.
pub mod lsp;
/// The document: front matter split and parse, positions, the editor, ids, dates, problems.
pub mod model;
/// What each command does, without the command line: save, notices, snapshots, checks.
pub mod ops;
/// What people read: templates, contexts, the weekly report, e-mail, problem reports.
pub mod out;
/// What a valid escalation is: config, process, schema, and the per-file and move checks.
pub mod rules;
/// The escalation repository on disk: its root, its files, loading and atomic writes.
pub mod store;
/// Timelines: when each escalation entered each step, read from history and cached.
pub mod timeline;
