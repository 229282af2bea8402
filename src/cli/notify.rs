//! `esc notify ID KIND`: a notice drafted as Markdown or an .eml file.

use super::Ctx;
use super::save::{Edit, SaveArgs, message, save};
use crate::error::{Error, Result};
use crate::model::doc::Doc;
use crate::model::edit::Value;
use std::io::Write;
use std::path::PathBuf;

/// Draft a notification e-mail for an escalation.
///
/// KIND is `stakeholders` (step 4: to the CXP stakeholders and the sponsor, copy to
/// the intermediate leadership), `update` (step 5: the recurring update to the same
/// audience: the Enterprise Status now, what changed since the last update sent,
/// the next meeting and the next update by the agreed cadence), `confirmation`
/// (step 6: asks the customer contact to confirm in writing that nothing is
/// outstanding) or `resolved` (step 6: to the roles the RACI row informs, and to
/// the step-4 audience when the step-4 notice went out). Recipients come from
/// esc.yaml (`people`, `raci`, `sponsors`) and the escalation; the sender (the
/// owner, or --from) is never copied, and each address appears once. `--format eml`
/// writes an RFC 5322 draft (From, Date, Message-ID, X-Unsent: 1) that mail clients
/// open ready to review and send; with --today its Date is that day at 09:00 in the
/// team's time zone. Once you have sent it, --mark-sent records the date and
/// commits.
///
/// Examples:
///   esc notify K7QD stakeholders
///   esc notify K7QD update --format eml -o update.eml
///   esc notify K7QD update --mark-sent
///   esc notify K7QD resolved --from "Noor Haddad <noor@example.com>"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The escalation id, or a unique part of it.
    pub id: String,
    /// stakeholders, update, confirmation or resolved.
    #[arg(value_name = "KIND", value_parser = super::hints::Hint::Notice, hide_possible_values = true)]
    pub kind: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: Format,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub output: Option<PathBuf>,
    /// The sender, "Name <address>", when it is not the owner; signs the draft too.
    #[arg(long, value_name = "PERSON")]
    pub from: Option<String>,
    /// Record today as the date this notice was sent, and commit: `stakeholders.notified` (with
    /// `stakeholders.decision: notify`) for the stakeholder notice, a new date in
    /// `notices.updates` for an update, else `notices.KIND`.
    #[arg(long)]
    pub mark_sent: bool,
    #[command(flatten)]
    pub save: SaveArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Headers as a list, then the body: for reading or pasting.
    Md,
    /// An RFC 5322 message with a plain-text and an HTML body.
    Eml,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let doc = crate::store::files::find(&ws, &args.id)?;
    let id = doc.id().unwrap_or(&args.id).to_string();
    if let Some(from) = &args.from
        && crate::model::person::address(from).is_none()
    {
        return Err(Error::Usage(format!(
            "--from: expected \"Name <address>\" with an e-mail address; found `{from}`"
        )));
    }
    let today = ws.config.today(ctx.today);
    let notice = crate::ops::notice::draft(&ws, &doc, &args.kind, today, args.from.as_deref())?;
    for note in &notice.notes {
        eprintln!("note: {note}");
    }
    let text = match args.format {
        Format::Md => crate::ops::notice::to_md(&notice.draft),
        Format::Eml => {
            let date = crate::ops::notice::sent_at(&ws, ctx.today)?;
            crate::ops::notice::to_eml(notice.draft, &id, &args.kind, &date)
        }
    };
    super::write_output(ctx, args.output.as_deref(), &text, out)?;
    if args.mark_sent {
        let today = ws.config.today(ctx.today).to_string();
        let mut make = |doc: &Doc| -> Result<Edit> {
            let mut editor = doc.editor();
            let err = |e: crate::model::edit::EditError| Error::Data(format!("{}: {e}", doc.rel));
            if args.kind == "stakeholders" {
                // The step-4 decision and its date, said once (not also in `notices`).
                if doc.str("/stakeholders/decision") != Some("notify") {
                    editor
                        .set("/stakeholders/decision", &Value::Str("notify".into()))
                        .map_err(err)?;
                }
                editor
                    .set("/stakeholders/notified", &Value::Raw(today.clone()))
                    .map_err(err)?;
            } else if args.kind == "update" {
                // A list: every update sent during escalation management.
                let sent = doc
                    .data
                    .pointer("/notices/updates")
                    .and_then(serde_json::Value::as_array)
                    .is_some_and(|a| a.iter().any(|d| d.as_str() == Some(today.as_str())));
                if sent {
                    return Err(Error::Data(format!(
                        "{}: an update sent on {today} is already recorded in notices.updates",
                        doc.rel
                    )));
                }
                editor
                    .append("/notices/updates", &Value::Raw(today.clone()))
                    .map_err(err)?;
            } else {
                editor
                    .set(
                        &format!("/notices/{}", args.kind),
                        &Value::Raw(today.clone()),
                    )
                    .map_err(err)?;
            }
            let summary = format!("{} notice sent {today}", args.kind);
            Ok(Edit {
                text: editor.into_text(),
                message: message(&id, &summary, None, &[("Notice", &args.kind)]),
                what: summary,
            })
        };
        let mut sink = std::io::stderr();
        // The resolved notice goes out once the escalation is closed.
        let allow_closed = args.kind == "resolved";
        return save(ctx, &ws, &id, allow_closed, args.save, &mut sink, &mut make);
    }
    Ok(0)
}
