//! `esc action ID add|done`: add an action to the Enterprise Status, or mark one done.

use super::Ctx;
use super::save::{Edit, SaveArgs, message, save};
use crate::error::{Error, Result};
use crate::model::doc::Doc;
use crate::model::edit::Value;
use chrono::NaiveDate;
use serde_json::Value as Json;
use std::io::Write;

/// Add an action to the Enterprise Status, or mark one done.
///
/// Actions are numbered from 1 in the order `esc show` lists them. Closing as
/// resolved needs every action done.
///
/// Examples:
///   esc action K7QD add "Raise throttling limits" --owner support --due 2026-11-07
///   esc action K7QD done 1 --date 2026-11-06
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The escalation id, or a unique part of it.
    pub id: String,
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Add an open action.
    Add {
        /// What is to be done.
        #[arg(value_name = "WHAT", allow_hyphen_values = true)]
        what: String,
        /// Who does it (a person, or a party such as support or customer).
        #[arg(long, value_name = "OWNER", allow_hyphen_values = true)]
        owner: String,
        /// When it is due.
        #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
        due: NaiveDate,
        #[command(flatten)]
        save: SaveArgs,
    },
    /// Mark action N done (default date: today).
    Done {
        /// The action's number, from 1.
        #[arg(value_name = "N")]
        n: usize,
        /// The day it was done.
        #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
        date: Option<NaiveDate>,
        #[command(flatten)]
        save: SaveArgs,
    },
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let save_args = match &args.what {
        What::Add { save, .. } | What::Done { save, .. } => *save,
    };
    let mut make = |doc: &Doc| -> Result<Edit> {
        let id = doc.id().unwrap_or(&args.id).to_string();
        let mut editor = doc.editor();
        let err = |e: crate::model::edit::EditError| Error::Data(format!("{}: {e}", doc.rel));
        let summary = match &args.what {
            What::Add {
                what, owner, due, ..
            } => {
                let item = Value::map([
                    ("what", Some(Value::Str(what.clone()))),
                    ("owner", Some(Value::Str(owner.clone()))),
                    ("due", Some(Value::Raw(due.to_string()))),
                ]);
                editor.append("/status/actions", &item).map_err(err)?;
                format!("action added: {what}")
            }
            What::Done { n, date, .. } => {
                let n = *n;
                let actions = doc.data.pointer("/status/actions").and_then(Json::as_array);
                let count = actions.map_or(0, Vec::len);
                if n == 0 || n > count {
                    return Err(Error::Usage(format!(
                        "{id} has {count} action(s); N must be 1 to {count}"
                    )));
                }
                let action = &actions.map(|a| a[n - 1].clone()).unwrap_or_default();
                if action.get("done").is_some() {
                    return Err(Error::Data(format!("action {n} is already done")));
                }
                let date = date.unwrap_or_else(|| ws.config.today(ctx.today));
                editor
                    .set(
                        &format!("/status/actions/{}/done", n - 1),
                        &Value::Raw(date.to_string()),
                    )
                    .map_err(err)?;
                let what = action.get("what").and_then(Json::as_str).unwrap_or("?");
                format!("action {n} done: {what}")
            }
        };
        Ok(Edit {
            text: editor.into_text(),
            message: message(&id, &summary, None, &[]),
            what: summary,
        })
    };
    save(ctx, &ws, &args.id, false, save_args, out, &mut make)
}
