//! `esc demo`: build the demonstration repository and print its report.

use super::{Ctx, stdout_err};
use crate::error::Result;
use std::io::Write;
use std::path::PathBuf;

/// Build a demo repository from the bundled samples, and print its weekly report.
///
/// The samples get a realistic history (one commit per step, meetings, actions).
///
/// The ten sample escalations, one or more in every step, moved through the
/// playbook on the dates their own fields give. Then try: cd DIR && esc list && esc
/// log 7FJX && esc status X2KP
///
/// Example:
///   esc demo /tmp/esc-demo
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Where to build it (default: a new folder in the system's temporary folder); must not
    /// exist or be empty.
    // Its own id: the global `-C DIR` is also `dir` (`esc demo x` made x/x).
    #[arg(id = "demo_dir", value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let dir = match args.dir {
        Some(d) if d.is_absolute() => d,
        Some(d) => ctx.cwd.join(d),
        None => new_temp_dir()?,
    };
    let today = ctx
        .today
        .unwrap_or_else(|| crate::rules::config::Config::default().today(None));
    let commits = crate::ops::demo::build(&dir, today)?;
    out.flush().map_err(stdout_err)?;
    let sub = Ctx {
        cwd: dir.clone(),
        today: ctx.today,
    };
    let report = super::report::Args {
        // The demo moves escalations in the week of today: show that week.
        week: Some("current".to_string()),
        as_of: None,
        output: None,
        format: super::report::Format::Md,
        context: false,
        from: None,
        repos: Vec::new(),
    };
    let mut text = Vec::new();
    let code = super::report::run(&sub, report, &mut text)?;
    let file = crate::ops::demo::keep_report(&dir, &text)?;
    out.write_all(&text).map_err(stdout_err)?;
    // `esc` may not be on PATH yet (after `cargo run`): name this very binary.
    let esc = std::env::current_exe()
        .ok()
        .filter(|p| !p.starts_with(std::env::temp_dir()))
        .map_or_else(|| "esc".to_string(), |p| p.display().to_string());
    eprintln!(
        "\nbuilt {} ({commits} commits); the report above is also in {}.\n\
         Next: cd {} && {esc} list\n\
         (to have `esc` on your PATH: cargo install --path . in the esc source folder)",
        dir.display(),
        file.display(),
        dir.display(),
    );
    Ok(code)
}

fn new_temp_dir() -> Result<PathBuf> {
    let base = std::env::temp_dir();
    for i in 0..1000u32 {
        let dir = base.join(format!("esc-demo-{}-{i}", std::process::id()));
        if std::fs::create_dir(&dir).is_ok() {
            return Ok(dir);
        }
    }
    Err(crate::error::Error::Usage(format!(
        "cannot make a folder in {}; give one: esc demo DIR",
        base.display()
    )))
}
