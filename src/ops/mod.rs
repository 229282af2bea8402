//! What a command does, without the command line: the steps each one takes through the
//! layers below, returning data for `cli` to print.

/// `esc assign`: a handoff to another owner, saved as one edit.
pub mod assign;
/// `esc check`: all files, ids across files, process agreement, the template smoke test.
pub mod check;
/// `esc demo`: a repository with a realistic history from the samples.
pub mod demo;
/// What is due now, per owner: updates, actions, notices, decisions, stale, breaches.
pub mod due;
/// `esc init`: where CI installs esc from, and the scaffold filled in with it.
pub mod init;
/// What the next step of an escalation still needs.
pub mod next;
/// Notices: whether one fits, who receives it, the draft.
pub mod notice;
/// The organisation's view: several repositories, each with its own config, read as one.
pub mod org;
/// `esc check --base REV`: changed files and the moves they make.
pub mod pr;
/// The weekly report as an e-mail draft to the roles the RACI consults.
pub mod report_mail;
/// The organisation's weekly report: every repository's week, added up.
pub mod report_org;
/// Saving one edit: refuse, check, write atomically, commit.
pub mod save;
/// Every template rendered against real and hostile escalations.
pub mod smoke;
/// The repository now or at a revision, and the report's context from it.
pub mod snapshot;
/// `esc stats`: time in each step and to resolve, weekly counts, rates, reviews, by group.
pub mod stats;
