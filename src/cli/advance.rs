//! `esc advance ID`: move an escalation to another step with a one-file commit.

use super::Ctx;
use super::save::Edit;
use crate::error::{Error, Result};
use crate::model::doc::Doc;
use crate::model::edit::Value;
use crate::rules::process::Move;
use std::io::Write;

/// Move an escalation to its next step (or --to STEP), and commit that one file.
///
/// The step's guard must hold: every field the step needs is filled and valid.
/// Moving back or reopening needs --reason, written to `step_reason`; closing needs
/// --outcome (resolved, withdrawn, duplicate). Only `step` (and the reason or
/// outcome) change; every other byte of the file stays. The commit holds exactly
/// this file as it is in the working tree, so the fields you just filled in go with
/// it; anything else staged stays staged.
///
/// Examples:
///   esc advance K7QD                         # to the next step
///   esc advance K7QD --to gathering --reason "Customer disputes the scope"
///   esc advance K7QD --to closed --outcome withdrawn --reason "Project cancelled"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The escalation id, or a unique part of it.
    pub id: String,
    /// Target step (default: the next one).
    #[arg(long, value_name = "STEP", value_parser = super::hints::Hint::Step, hide_possible_values = true)]
    pub to: Option<String>,
    /// Why: required to move back, reopen, or close as withdrawn or duplicate.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub reason: Option<String>,
    /// Closing outcome: resolved, withdrawn or duplicate.
    #[arg(long, value_name = "OUTCOME", value_parser = super::hints::Hint::Outcome, hide_possible_values = true)]
    pub outcome: Option<String>,
    #[command(flatten)]
    pub save: super::save::SaveArgs,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let process = ws.config.process();
    // An outcome is for closing: alone it means `--to closed`; with another step it is a
    // mistake to point out, not an option to ignore.
    let target = match (args.to.as_deref(), args.outcome.as_deref()) {
        (None, Some(_)) => Some(process.closed.as_str()),
        (Some(t), Some(_)) if t != process.closed => {
            return Err(Error::Usage(format!(
                "--outcome is for closing (--to {}), not for a move to `{t}`",
                process.closed
            )));
        }
        (t, _) => t,
    };
    // The reason as given (line breaks too: the file keeps them as a `|` block); only the
    // commit's trailer folds it onto one line.
    let reason = args.reason.as_deref().map(|r| r.trim().to_string());
    // The move is decided on the file as it is when esc holds the lock to commit it.
    let mut make = |doc: &Doc| -> Result<Edit> {
        let id = doc.id().unwrap_or(&args.id).to_string();
        let from = doc.str("/step").unwrap_or_default().to_string();
        let mv = process
            .plan(
                &from,
                target,
                args.outcome.as_deref(),
                args.reason.as_deref(),
            )
            .map_err(|e| {
                // A step or outcome that does not exist is a bad argument (exit 2), like
                // `esc list --step`; a move the process refuses is about the data (exit 1).
                let bad_arg = e.is_unknown_name();
                let e = format!("{id}: cannot move: {e}");
                if bad_arg {
                    Error::Usage(e)
                } else {
                    Error::Data(e)
                }
            })?;
        let to = mv.to(&process).to_string();
        let mut editor = doc.editor();
        let edit_err = |e: crate::model::edit::EditError| Error::Data(format!("{}: {e}", doc.rel));
        editor
            .set("/step", &Value::Str(to.clone()))
            .map_err(edit_err)?;
        match &mv {
            Move::Back { .. } | Move::Reopen { .. } => {
                let r = reason.clone().unwrap_or_default();
                editor
                    .set_after("/step_reason", &Value::Str(r), "/step")
                    .map_err(edit_err)?;
            }
            Move::Close { outcome, .. } => {
                editor
                    .set("/closing/outcome", &Value::Str(outcome.clone()))
                    .map_err(edit_err)?;
                if let Some(r) = &reason
                    && mv.needs_reason()
                {
                    editor
                        .set("/closing/reason", &Value::Str(r.clone()))
                        .map_err(edit_err)?;
                }
            }
            Move::Forward { .. } => {}
        }
        // The guard is the check of the edited file at its new step, done by `save`.
        let mut trailers = vec![("Step", to.as_str()), ("From-Step", from.as_str())];
        if let Move::Close { outcome, .. } = &mv {
            trailers.push(("Outcome", outcome.as_str()));
        }
        if let Some(r) = &reason {
            trailers.push(("Reason", r.as_str()));
        }
        let summary = format!("{from} -> {to}");
        let message = super::save::message(&id, &summary, reason.as_deref(), &trailers);
        Ok(Edit {
            text: editor.into_text(),
            what: summary,
            message,
        })
    };
    super::save::save(ctx, &ws, &args.id, true, args.save, out, &mut make)
}
