//! `esc edit ID`: edit a copy in $EDITOR; the escalation changes only when the copy is valid.

use super::Ctx;
use super::save::{Edit, SaveArgs, message, open_for_edit, save};
use crate::error::{Error, Result};
use crate::model::doc::Doc;
use std::io::{BufRead, IsTerminal, Write};

/// Edit an escalation in $VISUAL or $EDITOR, check it, then commit it.
///
/// You edit a copy; the escalation changes only when the copy is valid (a changed
/// `step` must also be a move the process allows, with its `step_reason`). When it
/// is not, the problems are listed and, on a terminal, you can edit again;
/// otherwise the copy is kept and its path printed.
///
/// Example:
///   EDITOR="code --wait" esc edit K7QD
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The escalation id, or a unique part of it.
    pub id: String,
    #[command(flatten)]
    pub save: SaveArgs,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let doc = open_for_edit(&ws, &args.id, false)?;
    let id = doc.id().unwrap_or(&args.id).to_string();
    let dir = tempfile_dir()?;
    let name = doc.rel.rsplit('/').next().unwrap_or("escalation.md");
    let copy = dir.join(name);
    std::fs::write(&copy, &doc.text).map_err(|e| Error::io(&copy, e))?;
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".into());
    let interactive = std::io::stdin().is_terminal();
    loop {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("sh")
            .arg(&copy)
            .status()
            .map_err(|e| Error::Usage(format!("cannot run the editor `{editor}`: {e}")))?;
        if !status.success() {
            return Err(Error::Usage(format!(
                "the editor `{editor}` failed ({status}); your copy is at {}",
                copy.display()
            )));
        }
        let text = std::fs::read_to_string(&copy).map_err(|e| Error::io(&copy, e))?;
        if text == doc.text {
            writeln!(out, "{id}: no changes").map_err(super::stdout_err)?;
            let _ = std::fs::remove_dir_all(&dir);
            return Ok(0);
        }
        let problems = match crate::model::doc::parse(&doc.rel, text.clone().into_bytes()) {
            Ok(new) => {
                let mut p = crate::rules::check::check_doc(
                    &ws.config,
                    &ws.schemas,
                    &new,
                    ws.config.today(ctx.today),
                );
                p.extend(crate::rules::check::transition(&ws.config, &doc, &new));
                p
            }
            Err(d) => vec![*d],
        };
        if problems.is_empty() {
            let new = crate::model::doc::parse(&doc.rel, text.clone().into_bytes())
                .map_err(|d| Error::Data(d.message))?;
            // Under the lock: the file must still be what was edited.
            let mut make = |now: &Doc| -> Result<Edit> {
                if now.text != doc.text {
                    return Err(Error::Data(format!(
                        "{} changed while you were editing it; nothing was changed; your edited \
                         copy is at {}",
                        doc.rel,
                        copy.display()
                    )));
                }
                let (from, to) = (
                    doc.str("/step").unwrap_or_default(),
                    new.str("/step").unwrap_or_default(),
                );
                let (what, msg) = if from == to {
                    ("edit".to_string(), message(&id, "edit", None, &[]))
                } else {
                    let summary = format!("{from} -> {to}");
                    // Only a reason written for this move (an old one stays from an earlier
                    // move).
                    let reason = new
                        .str("/step_reason")
                        .filter(|r| doc.str("/step_reason") != Some(*r));
                    let mut trailers = vec![("Step", to), ("From-Step", from)];
                    if let Some(r) = reason {
                        trailers.push(("Reason", r));
                    }
                    let m = message(&id, &summary, None, &trailers);
                    (summary, m)
                };
                Ok(Edit {
                    text: text.clone(),
                    what,
                    message: msg,
                })
            };
            let code = save(ctx, &ws, &args.id, false, args.save, out, &mut make)?;
            if code == 0 {
                let _ = std::fs::remove_dir_all(&dir);
            }
            return Ok(code);
        }
        let mut err = std::io::stderr().lock();
        let _ = crate::out::diag::write(
            &mut err,
            &problems,
            1,
            crate::out::diag::Format::Human,
            super::color(&std::io::stderr()),
        );
        if !interactive {
            let _ = writeln!(
                err,
                "{id}: nothing was changed; your edited copy is at {}",
                copy.display()
            );
            return Ok(1);
        }
        let _ = write!(err, "Edit again (e) or quit keeping the copy (q)? [e] ");
        let _ = err.flush();
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(|e| Error::io("stdin", e))?;
        if answer.trim().eq_ignore_ascii_case("q") {
            let _ = writeln!(
                err,
                "{id}: nothing was changed; your edited copy is at {}",
                copy.display()
            );
            return Ok(1);
        }
    }
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let base = std::env::temp_dir();
    for i in 0..100u32 {
        let dir = base.join(format!("esc-edit-{}-{i}", std::process::id()));
        if std::fs::create_dir(&dir).is_ok() {
            return Ok(dir);
        }
    }
    Err(Error::Usage(format!(
        "cannot make a temporary folder in {}",
        base.display()
    )))
}
