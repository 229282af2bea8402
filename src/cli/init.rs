//! `esc init [DIR]`: scaffold an escalation repository.

use super::{Ctx, stdout_err};
use crate::error::{Error, Result};
use crate::ops::init::Source;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Set up an escalation repository, with CI workflows and a pre-commit hook.
///
/// It writes the config, schemas, templates, GitHub and Azure workflows that run
/// `esc check` on pull requests and `esc due` on working-day mornings, and a
/// pre-commit configuration.
///
/// Existing files are left alone. Runs `git init` when DIR is not in a git
/// repository. The workflows install esc with cargo from --esc-source (default:
/// this version's tag of the esc repository) and run on the current branch (or
/// git's init.defaultBranch, else main). The scheduled ones run at 07:00 in the
/// team's time zone (an existing esc.yaml's, else UTC), written as UTC cron. No
/// escalation is created unless you ask for --example: a new repository holds only
/// real ones, so reports and checks count nothing made up.
///
/// Examples:
///   esc init escalations-emea
///   esc init emea --esc-source https://github.com/acme/esc@v0.1.0
///   esc init escalations-try --example
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Where to create it (default: the current directory).
    // Its own id: the global `-C DIR` is also `dir`, and clap would give this value to both
    // (`esc init x` made x/x).
    #[arg(id = "init_dir", value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
    /// Where CI and pre-commit install esc from: a git URL, optionally with @REF (a tag,
    /// branch or commit; default: this version's tag).
    #[arg(long, value_name = "URL[@REF]")]
    pub esc_source: Option<String>,
    /// Also create one example escalation (it counts in `esc check` and the report until you
    /// delete it).
    #[arg(long)]
    pub example: bool,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    // Everything that can be refused is decided before anything is written.
    let source = match &args.esc_source {
        Some(text) => Source::parse(text)?,
        None => Source::default_for_this_build(),
    };
    let dir = match args.dir {
        Some(d) if d.is_absolute() => d,
        Some(d) => ctx.cwd.join(d),
        None => ctx.cwd.clone(),
    };
    let branch = crate::git::repo::branch_for(&dir);
    crate::ops::init::check_branch(&branch)?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut created = Vec::new();
    let config = crate::ops::init::existing_config(&dir);
    let schedule = crate::ops::init::Schedule::for_team(&config, config.today(ctx.today));
    for (rel, text) in crate::ops::init::scaffold(&source, &branch, &schedule) {
        if write_new(&dir, rel, &text)? {
            created.push(rel.to_string());
        }
    }
    let ws = crate::store::workspace::Workspace::open(&dir)?;
    if args.example && ws.entries(&[])?.is_empty() {
        let sub = Ctx {
            cwd: dir.clone(),
            today: ctx.today,
        };
        let example = super::new::Args {
            title: Some("Example: mailbox migration stalled at 40%".into()),
            customer: Some("Contoso Ltd".into()),
            segment: Some("S1500".into()),
            owner: Some("Dana Whitfield <dana.whitfield@example.com>".into()),
            owner_role: Some("architect".into()),
            source: Some("account-team".into()),
            by: Some("Sam Ortiz <sam.ortiz@example.com>".into()),
            customer_contact: Some("Priya Raman <priya.raman@contoso.example>".into()),
            ..Default::default()
        };
        let (rel, text) = super::new::create(&ws, &sub, example, false)?;
        if write_new(&dir, &rel, &text)? {
            created.push(rel);
        }
    }
    let git = crate::git::repo::init(&dir)?;
    for c in &created {
        writeln!(out, "created {c}").map_err(stdout_err)?;
    }
    if git {
        writeln!(out, "initialised a git repository").map_err(stdout_err)?;
    }
    writeln!(
        out,
        "CI installs esc from {} and runs on branch {branch} (--esc-source URL@REF to change)",
        source.describe()
    )
    .map_err(stdout_err)?;
    writeln!(
        out,
        "the scheduled esc due runs at {} (UTC): {} (see .github/workflows/escalations-due.yml)",
        schedule.cron, schedule.local
    )
    .map_err(stdout_err)?;
    writeln!(
        out,
        "next: commit and push, then record the first escalation with esc new --title ... \
         (esc help new); esc check validates them"
    )
    .map_err(stdout_err)?;
    Ok(0)
}

/// Writes `root/rel` unless it exists. Returns whether it wrote.
fn write_new(root: &Path, rel: &str, text: &str) -> Result<bool> {
    let path = root.join(rel);
    if path.exists() {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    Ok(true)
}
