//! `esc new`: create an escalation at `raised`.

use super::{Ctx, stdout_err};
use crate::error::{Error, Result};
use crate::model::edit::yaml_scalar;
use crate::ops::save::Saved;
use crate::store::workspace::{ESCALATIONS, Workspace};
use chrono::{Datelike, NaiveDate};
use std::io::{BufRead, IsTerminal, Write};

/// Create an escalation at step `raised`, in escalations/YYYY-MM/ID.md.
///
/// Flags you leave out are asked for when a terminal is attached; otherwise they
/// are required. The id is ESC-YYMM-XXXX with four random characters, so two people
/// creating escalations on two branches do not collide; ESC-EMEA-YYMM-XXXX where
/// esc.yaml says `id_prefix: EMEA`, so that two repositories do not either.
///
/// Example (on a terminal, esc asks for the rest; a script gives every flag below):
///   esc new --title "Mailbox migration stalled at 40%" --customer "Contoso Ltd"
#[derive(Debug, Default, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// One line saying what is wrong.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub title: Option<String>,
    /// The customer's name.
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub customer: Option<String>,
    /// Customer segment, e.g. S500 or S1500 (picks the RACI row).
    #[arg(long, value_name = "SEGMENT")]
    pub segment: Option<String>,
    /// Who owns it: "Name <address>".
    #[arg(long, value_name = "PERSON")]
    pub owner: Option<String>,
    /// architect or manager-health.
    #[arg(long, value_name = "ROLE", value_parser = super::hints::Hint::OwnerRole, hide_possible_values = true)]
    pub owner_role: Option<String>,
    /// Where it came from: fasttrack-manager, fasttrack-engineer, account-team, tam, customer,
    /// ttp, gethelp, rfa-process, slt-executive, other.
    #[arg(long, value_name = "SOURCE", value_parser = super::hints::Hint::Source, hide_possible_values = true)]
    pub source: Option<String>,
    /// With --source other: what the source was.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub source_detail: Option<String>,
    /// Who raised it: "Name <address>".
    #[arg(long, value_name = "PERSON")]
    pub by: Option<String>,
    /// Who received it, if not the owner.
    #[arg(long, value_name = "PERSON")]
    pub received_by: Option<String>,
    /// The customer's contact: "Name <address>".
    #[arg(long, value_name = "PERSON")]
    pub customer_contact: Option<String>,
    /// critical, high, medium or low (may be decided later).
    #[arg(long, value_name = "SEVERITY", value_parser = super::hints::Hint::Severity, hide_possible_values = true)]
    pub severity: Option<String>,
    /// The day it was raised (default: today).
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    pub date: Option<NaiveDate>,
    /// Use this id instead of a new random one.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// Write the file but do not commit it.
    #[arg(long)]
    pub no_commit: bool,
}

struct Prompter {
    interactive: bool,
    missing: Vec<&'static str>,
}

impl Prompter {
    fn get(&mut self, value: Option<String>, flag: &'static str, label: &str) -> Result<String> {
        if let Some(v) = value {
            return Ok(v);
        }
        if !self.interactive {
            self.missing.push(flag);
            return Ok(String::new());
        }
        eprint!("{label}: ");
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Error::io("stdin", e))?;
        Ok(line.trim().to_string())
    }
}

/// The text of a new escalation file.
pub fn render(id: &str, f: &[(&str, String)], raised: &[(&str, String)]) -> String {
    let mut s = String::from("---\nschema: 1\n");
    s.push_str(&format!("id: {id}\n"));
    for (k, v) in f {
        if !v.is_empty() {
            s.push_str(&format!("{k}: {}\n", yaml_scalar(v, 0)));
        }
    }
    s.push_str("raised:\n");
    for (k, v) in raised {
        if !v.is_empty() {
            s.push_str(&format!("  {k}: {}\n", yaml_scalar(v, 2)));
        }
    }
    s.push_str(crate::ops::save::GATHERING_HINT);
    s.push_str("---\n\n## Notes\n\n");
    s
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let commit = !args.no_commit;
    let (rel, text) = create(&ws, ctx, args, std::io::stdin().is_terminal())?;
    let id = crate::model::id::claimed(&rel).to_string();
    let opts = crate::ops::save::Options {
        today: ws.config.today(ctx.today),
        commit,
        dry_run: false,
        allow_closed: false,
        verify: false,
    };
    let message = crate::ops::save::message(&id, "raised", None, &[("Step", "raised")]);
    let outcome = crate::ops::save::create(&ws, &rel, &text, &message, &opts)?;
    match outcome.saved {
        Saved::Refused(problems) => {
            // A file esc creates must be valid: say why, write nothing.
            let mut buf = Vec::new();
            crate::out::diag::write(
                &mut buf,
                &problems,
                1,
                crate::out::diag::Format::Human,
                false,
            )
            .map_err(stdout_err)?;
            Err(Error::Data(format!(
                "the escalation would not be valid; nothing was written:\n{}",
                String::from_utf8_lossy(&buf).trim_end()
            )))
        }
        Saved::Written { commit } => {
            writeln!(out, "{rel}").map_err(stdout_err)?;
            match commit {
                Some(c) => {
                    eprintln!("created {id} at step raised (commit {c}); fill in `gathering:` next")
                }
                None => eprintln!(
                    "created {id} at step raised (not committed); fill in `gathering:` next, then commit"
                ),
            }
            Ok(0)
        }
        Saved::DryRun(_) => Ok(0),
    }
}

/// Builds the new file's path and text from the flags (and prompts).
pub fn create(
    ws: &Workspace,
    ctx: &Ctx,
    args: Args,
    interactive: bool,
) -> Result<(String, String)> {
    let mut p = Prompter {
        interactive,
        missing: Vec::new(),
    };
    let title = p.get(args.title, "--title", "Title (what is wrong, one line)")?;
    let customer = p.get(args.customer, "--customer", "Customer")?;
    let segment = p.get(args.segment, "--segment", "Segment (e.g. S500, S1500)")?;
    let owner = p.get(args.owner, "--owner", "Owner (Name <address>)")?;
    let owner_role = p.get(
        args.owner_role,
        "--owner-role",
        "Owner role (architect, manager-health)",
    )?;
    let source = p.get(
        args.source,
        "--source",
        "Source (account-team, customer, tam, ttp, gethelp, ..., other)",
    )?;
    let source_detail = if source == "other" {
        p.get(args.source_detail, "--source-detail", "Source detail")?
    } else {
        args.source_detail.unwrap_or_default()
    };
    let by = p.get(args.by, "--by", "Raised by (Name <address>)")?;
    if !p.missing.is_empty() {
        return Err(Error::Usage(format!(
            "missing {} (no terminal to ask on)",
            p.missing.join(", ")
        )));
    }
    let date = args.date.unwrap_or_else(|| ws.config.today(ctx.today));
    let existing: Vec<String> = ws
        .entries(&[])?
        .iter()
        .map(|e| e.stem().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let id = match args.id {
        Some(id) if existing.contains(&id) => {
            return Err(Error::Usage(format!("id {id} is already used")));
        }
        Some(id) => id,
        None => crate::model::id::generate(ws.config.id_prefix.as_deref(), date, &|c| {
            existing.iter().any(|e| e == c)
        }),
    };
    let fields = [
        ("title", title),
        ("customer", customer),
        ("step", "raised".to_string()),
        ("severity", args.severity.unwrap_or_default()),
        ("segment", segment),
        ("owner", owner),
        ("owner_role", owner_role),
        (
            "customer_contact",
            args.customer_contact.unwrap_or_default(),
        ),
    ];
    let raised = [
        ("date", date.to_string()),
        ("source", source),
        ("source_detail", source_detail),
        ("by", by),
        ("received_by", args.received_by.unwrap_or_default()),
    ];
    let rel = format!(
        "{ESCALATIONS}/{:04}-{:02}/{id}.md",
        date.year(),
        date.month()
    );
    Ok((rel, render(&id, &fields, &raised)))
}
