//! `esc meeting ID`: record a meeting, and the Enterprise Status after it.

use super::Ctx;
use super::save::{Edit, SaveArgs, message, save};
use crate::error::Result;
use crate::model::doc::Doc;
use crate::model::edit::Value;
use chrono::NaiveDate;
use std::io::Write;

/// Log a meeting and update the Enterprise Status after it (playbook step 5).
///
/// Appends the meeting to `meetings`. With any `--status.*` field, also sets those
/// fields and `status.as_of` to the meeting date (a meeting alone leaves the
/// status, and whether an update is overdue, as it was). Commits unless
/// --no-commit.
///
/// Examples:
///   esc meeting K7QD --date 2026-11-05 --kind customer --summary "Weekly call"
///   esc meeting K7QD --date 2026-11-05 --summary "Call" --attendee "Priya Raman"
///   esc meeting K7QD --date 2026-11-06 --summary Plan --status.brief "Fix on 2/5"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The escalation id, or a unique part of it.
    pub id: String,
    /// The meeting's date.
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    pub date: NaiveDate,
    /// What was agreed.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub summary: String,
    /// internal, customer, product-group or executive.
    #[arg(long, default_value = "internal", value_name = "KIND", value_parser = super::hints::Hint::MeetingKind, hide_possible_values = true)]
    pub kind: String,
    /// Someone who attended (repeat for each).
    #[arg(long = "attendee", value_name = "NAME")]
    pub attendees: Vec<String>,
    /// Enterprise Status: brief description.
    #[arg(long = "status.brief", value_name = "TEXT", allow_hyphen_values = true)]
    pub brief: Option<String>,
    /// Enterprise Status: impact.
    #[arg(
        long = "status.impact",
        value_name = "TEXT",
        allow_hyphen_values = true
    )]
    pub impact: Option<String>,
    /// Enterprise Status: deployment status overview.
    #[arg(
        long = "status.deployment_status",
        value_name = "TEXT",
        allow_hyphen_values = true
    )]
    pub deployment_status: Option<String>,
    /// Enterprise Status: current activities.
    #[arg(
        long = "status.current_activities",
        value_name = "TEXT",
        allow_hyphen_values = true
    )]
    pub current_activities: Option<String>,
    /// Enterprise Status: risk/watch list.
    #[arg(long = "status.risk", value_name = "TEXT", allow_hyphen_values = true)]
    pub risk: Option<String>,
    /// Enterprise Status: awareness.
    #[arg(
        long = "status.awareness",
        value_name = "TEXT",
        allow_hyphen_values = true
    )]
    pub awareness: Option<String>,
    #[command(flatten)]
    pub save: SaveArgs,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let mut make = |doc: &Doc| -> Result<Edit> {
        let id = doc.id().unwrap_or(&args.id).to_string();
        let mut editor = doc.editor();
        let err = |e: crate::model::edit::EditError| {
            crate::error::Error::Data(format!("{}: {e}", doc.rel))
        };
        let attendees = (!args.attendees.is_empty())
            .then(|| Value::List(args.attendees.iter().cloned().map(Value::Str).collect()));
        let item = Value::map([
            ("date", Some(Value::Raw(args.date.to_string()))),
            ("kind", Some(Value::Str(args.kind.clone()))),
            ("attendees", attendees),
            ("summary", Some(Value::Str(args.summary.clone()))),
        ]);
        editor.append("/meetings", &item).map_err(err)?;
        let fields = [
            ("brief", &args.brief),
            ("impact", &args.impact),
            ("deployment_status", &args.deployment_status),
            ("current_activities", &args.current_activities),
            ("risk", &args.risk),
            ("awareness", &args.awareness),
        ];
        // The Enterprise Status is as of this meeting only when it was brought up to date:
        // a meeting alone must not make an overdue update look done.
        let refreshed = fields.iter().any(|(_, v)| v.is_some());
        if refreshed {
            editor
                .set("/status/as_of", &Value::Raw(args.date.to_string()))
                .map_err(err)?;
        }
        for (k, v) in fields {
            if let Some(v) = v {
                editor
                    .set(&format!("/status/{k}"), &Value::Str(v.clone()))
                    .map_err(err)?;
            }
        }
        let summary = format!("meeting {} ({})", args.date, args.kind);
        let what = if refreshed {
            format!("{summary}, status updated")
        } else {
            format!(
                "{summary}; the Enterprise Status was left as it was (give --status.* to update it)"
            )
        };
        let msg = message(
            &id,
            &summary,
            Some(&args.summary),
            &[("Meeting", &args.date.to_string())],
        );
        Ok(Edit {
            text: editor.into_text(),
            what,
            message: msg,
        })
    };
    save(ctx, &ws, &args.id, false, args.save, out, &mut make)
}
