//! `esc`: customer escalations as Markdown files with YAML front matter in a git repository.
//!
//! Data flows one way: files (and later history) in, a typed model, checks and renders out.

/// Checks every escalation: schema, semantic rules, process agreement.
pub mod check;
/// Command-line interface: clap types and one module per subcommand.
pub mod cli;
/// Repository configuration (`esc.yaml`).
pub mod config;
/// What templates see for one escalation.
pub mod context;
/// `esc demo`: a repository with a realistic history from the samples.
pub mod demo;
/// Problems found in the data, and how they are printed.
pub mod diag;
/// Splits a file into front matter and body; locates fields by JSON pointer.
pub mod document;
/// Surgical edits of front matter that keep every other byte.
pub mod edit;
/// Errors that stop a command from running (exit code 2).
pub mod error;
/// Git tree objects read raw, for the history walk.
pub mod gitobj;
/// Timelines read from git history, cached under `.git/esc/`.
pub mod history;
/// Escalation ids: format and generation.
pub mod id;
/// E-mail drafts: RFC 5322 messages with encoded headers.
pub mod mail;
/// Steps, their order and the moves between them.
pub mod process;
/// The template engine: loader, filters, escaping, fuel.
pub mod render;
/// The only user of git2.
pub mod repo;
/// The weekly report: figures and context.
pub mod report;
/// The gathering schema: embedded default, repository override, versions.
pub mod schema;
/// Escalation files as parsed documents: load one, load all, find by id.
pub mod store;
/// Finds the repository root and the escalation files in it.
pub mod workspace;
/// Line and column of every key and value in a YAML text.
pub mod yamlpos;
