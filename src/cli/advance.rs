use super::{Ctx, stdout_err};
use crate::edit::{Editor, Value};
use crate::error::{Error, Result};
use crate::process::Move;
use std::io::Write;

/// Move an escalation to its next step (or --to STEP), and commit that one file.
///
/// The step's guard must hold: every field the step needs is filled and valid. Moving back
/// or reopening needs --reason, written to `step_reason`; closing needs --outcome (resolved,
/// withdrawn, duplicate). Only `step` (and the reason or outcome) change; every other byte of
/// the file stays. The commit holds exactly this file as it is in the working tree, so the
/// fields you just filled in go with it; anything else staged stays staged.
///
/// Examples:
///   esc advance K7QD                         # to the next step
///   esc advance K7QD --to gathering --reason "Customer disputes the scope"
///   esc advance K7QD --to closed --outcome withdrawn --reason "Customer cancelled the project"
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The escalation id, or a unique part of it.
    pub id: String,
    /// Target step (default: the next one).
    #[arg(long, value_name = "STEP")]
    pub to: Option<String>,
    /// Why: required to move back, reopen, or close as withdrawn or duplicate.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Closing outcome: resolved, withdrawn or duplicate.
    #[arg(long, value_name = "OUTCOME")]
    pub outcome: Option<String>,
    /// Edit the file but do not commit.
    #[arg(long)]
    pub no_commit: bool,
    /// Say what would change; change nothing.
    #[arg(long, conflicts_with = "no_commit")]
    pub dry_run: bool,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let doc = crate::store::find(&ws, &args.id)?;
    let id = doc.id().unwrap_or(&args.id).to_string();
    if let Some(line) = conflict_marker(&doc.text) {
        return Err(Error::Data(format!(
            "{}:{line}: the file has merge conflict markers; resolve the conflict first",
            doc.rel
        )));
    }
    let process = ws.config.process();
    let from = doc.str("/step").unwrap_or_default().to_string();
    let mv = process
        .plan(
            &from,
            args.to.as_deref(),
            args.outcome.as_deref(),
            args.reason.as_deref(),
        )
        .map_err(|e| Error::Data(format!("{id}: cannot move: {e}")))?;
    let to = mv.to(&process).to_string();
    let reason = args
        .reason
        .as_deref()
        .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" "));

    let repo = if args.no_commit || args.dry_run {
        None
    } else {
        let repo = crate::repo::Repo::open(&ws.root)?;
        repo.ready_to_commit()?;
        Some(repo)
    };

    let yaml_end = doc.yaml_start + doc.yaml().len();
    let mut editor = Editor::new(doc.text.clone(), doc.yaml_start, yaml_end);
    let edit_err = |e: crate::edit::EditError| Error::Data(format!("{}: {e}", doc.rel));
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
    let text = editor.into_text();

    // The guard: the edited file must be valid at its new step.
    let new_doc = crate::store::parse(&doc.rel, text.clone().into_bytes())
        .map_err(|d| Error::Data(d.message))?;
    let problems = crate::check::check_doc(&ws, &new_doc, ws.config.today(ctx.today));
    if !problems.is_empty() {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "{id}: cannot move {from} -> {to}: fill in or fix these first (nothing was changed):"
        );
        let _ = crate::diag::write(
            &mut err,
            &problems,
            1,
            crate::diag::Format::Human,
            super::color(&std::io::stderr()),
        );
        return Ok(1);
    }

    if args.dry_run {
        writeln!(out, "{id}: {from} -> {to} (dry run; nothing changed)").map_err(stdout_err)?;
        for (old, new) in changed_lines(&doc.text, &text) {
            writeln!(out, "- {old}\n+ {new}").map_err(stdout_err)?;
        }
        return Ok(0);
    }
    let path = ws.abs(&doc.rel);
    crate::store::write_atomic(&path, text.as_bytes()).map_err(|e| Error::io(&path, e))?;
    match repo {
        Some(repo) => {
            let message = commit_message(&id, &from, &to, &mv, reason.as_deref());
            let oid = repo.commit_file(&doc.rel, &message)?;
            let short = &oid.to_string()[..7];
            writeln!(out, "{id}: {from} -> {to} (commit {short})").map_err(stdout_err)?;
        }
        None => writeln!(out, "{id}: {from} -> {to} (not committed)").map_err(stdout_err)?,
    }
    Ok(0)
}

/// `ID: from -> to`, then the trailers `git interpret-trailers` reads.
pub fn commit_message(id: &str, from: &str, to: &str, mv: &Move, reason: Option<&str>) -> String {
    let mut m = format!("{id}: {from} -> {to}\n\n");
    if let Some(r) = reason {
        m.push_str(r);
        m.push_str("\n\n");
    }
    m.push_str(&format!(
        "Escalation: {id}\nStep: {to}\nFrom-Step: {from}\n"
    ));
    if let Move::Close { outcome, .. } = mv {
        m.push_str(&format!("Outcome: {outcome}\n"));
    }
    if let Some(r) = reason {
        m.push_str(&format!("Reason: {r}\n"));
    }
    m
}

/// The first line (1-based) that is a merge conflict marker.
pub fn conflict_marker(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.starts_with("<<<<<<< ") || l.starts_with(">>>>>>> ") || l.trim_end() == "======="
        })
        .map(|i| i + 1)
}

fn changed_lines<'a>(old: &'a str, new: &'a str) -> Vec<(&'a str, &'a str)> {
    // Edits change lines in place or add lines; show the old and new line where they differ.
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if a.get(i + 1) == b.get(j + 1) || b.len() == a.len() => {
                out.push((*x, *y));
                i += 1;
                j += 1;
            }
            (_, Some(y)) => {
                out.push(("", *y));
                j += 1;
            }
            (Some(x), None) => {
                out.push((*x, ""));
                i += 1;
            }
            (None, None) => break,
        }
    }
    out
}
