//! What a command does, without the command line: the steps each one takes through the
//! layers below, returning data for `cli` to print.

/// `esc demo`: a repository with a realistic history from the samples.
pub mod demo;
