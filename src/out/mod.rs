//! What people read: the template engine, the context a template sees, the weekly report and
//! e-mail drafts.

/// What templates see for one escalation.
pub mod context;
/// Problems in the data as people and CI systems read them.
pub mod diag;
/// Human labels for coded values, from the schema.
pub mod labels;
/// E-mail drafts: RFC 5322 messages with encoded headers.
pub mod mail;
/// The template engine: loader, filters, escaping, fuel.
pub mod render;
/// The weekly report: figures and context.
pub mod report;
