//! What people read: the template engine, the context a template sees, the weekly report and
//! e-mail drafts.

/// Target breaches of one escalation, from the file, its timeline and esc.yaml's targets.
pub mod breach;
/// What changed in one escalation between two versions of its file.
pub mod changes;
/// What templates see for one escalation.
pub mod context;
/// One CSV field, quoted, with formulas neutralised.
pub mod csv;
/// Problems in the data as people and CI systems read them.
pub mod diag;
/// What `esc due` shows, in every format.
pub mod due;
/// Human labels for coded values, from the schema.
pub mod labels;
/// E-mail drafts: RFC 5322 messages with encoded headers.
pub mod mail;
/// The template engine: loader, filters, escaping, fuel.
pub mod render;
/// The weekly report: its week, and what one escalation adds to it.
pub mod report;
/// `esc stats` and the report's analytics: tables, JSON, CSV.
pub mod stats;
/// The weekly report's figures and lists added up (per repository, and merged), sorted.
pub mod tally;
/// The watch lists an escalation is on, in either form, with their links.
pub mod watch;
