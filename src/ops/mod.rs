//! What a command does, without the command line: the steps each one takes through the
//! layers below, returning data for `cli` to print.

/// `esc check`: all files, ids across files, process agreement, the template smoke test.
pub mod check;
/// `esc demo`: a repository with a realistic history from the samples.
pub mod demo;
/// `esc check --base REV`: changed files and the moves they make.
pub mod pr;
/// Every template rendered against real and hostile escalations.
pub mod smoke;
