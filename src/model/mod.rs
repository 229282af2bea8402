//! The document an escalation is: its text, its front matter and where everything sits in it.
//! Pure: no I/O beyond what a caller hands in.

/// The calendar: the one date parser (four-digit years), ISO weeks, working days, checked
/// arithmetic.
pub mod dates;
/// Problems found in the data: a position, a rule and a message.
pub mod diag;
/// What the history keeps of one file version: the fields activity is made of.
pub mod digest;
/// One escalation file parsed: text, front matter position, data.
pub mod doc;
/// Splits a file into front matter and body; parses the front matter (fast and full paths).
pub mod document;
/// Surgical edits of front matter that keep every other byte.
pub mod edit;
/// Escalation ids: format and generation.
pub mod id;
/// Columns, node starts and content ends on the lines of a YAML text, for the editor.
pub mod layout;
/// People as files write them: `Name <address>`.
pub mod person;
/// Every edit read back, with a safe style to fall back on.
mod readback;
/// One string as a YAML scalar in the style its context needs (block or flow).
pub mod scalar;
/// A file version's digest (`step`, `id`, owner, meetings, ...) by a line scan that declines
/// when unsure.
pub mod scan;
/// A value to write (text, token, list, mapping) as YAML for its context.
pub mod value;
/// Line and column of every key and value in a YAML text.
pub mod yamlpos;
