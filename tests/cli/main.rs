//! End-to-end tests of the `esc` binary: each runs the real executable on a real temporary
//! repository (no mocks) and checks its exit code, its messages and what it left on disk.

mod activity;
mod advance;
mod bad_input;
mod check;
mod ci_lint;
mod commands;
mod due;
mod fastpath;
mod formats;
mod git_support;
mod help_examples;
mod history;
mod init_ci;
mod lsp;
mod newcomer;
mod notify;
mod org;
mod other_tools;
mod page;
mod pr_check;
mod read_path;
mod readers;
mod readme;
mod report;
mod shell;
mod stats;
mod support;
mod template_support;
mod templates;
mod transaction;
mod versions;
mod watch;
