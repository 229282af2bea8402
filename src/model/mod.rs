//! The document an escalation is: its text, its front matter and where everything sits in it.
//! Pure: no I/O beyond what a caller hands in.

/// Problems found in the data: a position, a rule and a message.
pub mod diag;
/// Splits a file into front matter and body; parses the front matter (fast and full paths).
pub mod document;
/// Surgical edits of front matter that keep every other byte.
pub mod edit;
/// Escalation ids: format and generation.
pub mod id;
/// Line and column of every key and value in a YAML text.
pub mod yamlpos;
