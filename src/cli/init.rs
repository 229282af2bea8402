//! `esc init [DIR]`: scaffold an escalation repository.

use super::{Ctx, stdout_err};
use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Set up an escalation repository: config, schema, templates, an example escalation and
/// CI workflows that run `esc check` on pull requests.
///
/// Existing files are left alone. Runs `git init` when DIR is not in a git repository.
///
/// Example:
///   esc init escalations-emea && cd escalations-emea && esc check
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Where to create it (default: the current directory).
    // Its own id: the global `-C DIR` is also `dir`, and clap would give this value to both
    // (`esc init x` made x/x).
    #[arg(id = "init_dir", value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

const FILES: [(&str, &str); 5] = [
    ("esc.yaml", include_str!("../scaffold/esc.yaml")),
    (
        "schemas/escalation.schema.json",
        crate::rules::schema::EMBEDDED,
    ),
    (
        "templates/README.md",
        include_str!("../scaffold/templates-README.md"),
    ),
    (
        ".github/workflows/escalations.yml",
        include_str!("../scaffold/github-workflow.yml"),
    ),
    (
        "azure-pipelines.yml",
        include_str!("../scaffold/azure-pipelines.yml"),
    ),
];

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let dir = match args.dir {
        Some(d) if d.is_absolute() => d,
        Some(d) => ctx.cwd.join(d),
        None => ctx.cwd.clone(),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut created = Vec::new();
    for (rel, text) in FILES {
        if write_new(&dir, rel, text)? {
            created.push(rel.to_string());
        }
    }
    let ws = crate::store::workspace::Workspace::open(&dir)?;
    if ws.entries(&[])?.is_empty() {
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
    writeln!(out, "next: esc check, then commit and push").map_err(stdout_err)?;
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
