//! `esc assign ID --owner NAME`: hand an escalation over, with a one-file commit.

use super::Ctx;
use super::save::Edit;
use crate::error::Result;
use crate::model::doc::Doc;
use std::io::Write;

/// Hand an escalation to another owner, and commit that one file.
///
/// NAME is `Name <address>`, or the name or address of someone esc.yaml lists for
/// the role (`people.architect`, `people.fasttrack_manager_health`), written as
/// esc.yaml has them. Where esc.yaml lists the people of the role, an owner who is
/// not one of them is refused (rule `owner-role`) and nothing changes. --role
/// changes `owner_role` too; --reason goes into the commit (trailer `Reason:`), and
/// `esc log` shows it with the handoff.
///
/// Examples:
///   esc assign K7QD --owner "Sam Ortiz" --reason "Dana is on leave"
///   esc assign K7QD --owner "Joana Pires" --role manager-health
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The escalation id, or a unique part of it.
    pub id: String,
    /// The new owner.
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub owner: String,
    /// The new owner role (default: the one it has).
    #[arg(long, value_name = "ROLE", value_parser = crate::ops::assign::ROLES)]
    pub role: Option<String>,
    /// Why it changes hands.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub reason: Option<String>,
    #[command(flatten)]
    pub save: super::save::SaveArgs,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let config = ws.config.clone();
    let mut make = |doc: &Doc| -> Result<Edit> {
        crate::ops::assign::handoff(
            &config,
            doc,
            &args.owner,
            args.role.as_deref(),
            args.reason.as_deref(),
        )
    };
    super::save::save(ctx, &ws, &args.id, false, args.save, out, &mut make)
}
