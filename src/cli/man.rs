//! `esc man`: the man pages, rendered from the same clap definitions as `--help`.

use super::{Cli, Ctx, stdout_err};
use crate::error::{Error, Result};
use clap::{Command, CommandFactory};
use std::io::Write;
use std::path::PathBuf;

/// Print the man page of esc (roff), or write one page per command into a folder.
///
/// With --dir, writes esc.1 and one page per command (esc-check.1,
/// esc-action-add.1, ...); each page's SEE ALSO names its parent and its commands.
///
/// Examples:
///   esc man --dir ~/.local/share/man/man1
///   esc man > esc.1
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Write every page into DIR (created if missing) instead of esc.1 to standard output.
    // Its own id: the global `-C DIR` is also `dir`, and clap would give this value to both.
    #[arg(id = "man_dir", long = "dir", value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let pages = pages().map_err(stdout_err)?;
    let Some(dir) = args.dir else {
        // The first page is esc.1.
        if let Some((_, page)) = pages.first() {
            out.write_all(page).map_err(stdout_err)?;
        }
        return Ok(0);
    };
    let dir = ctx.cwd.join(dir);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    for (name, page) in &pages {
        let path = dir.join(name);
        crate::store::files::write_atomic(&path, page).map_err(|e| Error::io(&path, e))?;
    }
    eprintln!("wrote {} pages to {}", pages.len(), dir.display());
    Ok(0)
}

/// Every page, esc.1 first, then each command's (`esc-check.1`, `esc-action-add.1`), as
/// (file name, roff).
pub fn pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = without_help(Cli::command());
    cmd.build();
    let mut pages = Vec::new();
    collect(&cmd, None, &mut pages)?;
    Ok(pages)
}

/// No `help` subcommand at any level: it would be listed as a page that is not written.
fn without_help(cmd: Command) -> Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut cmd = cmd.disable_help_subcommand(true);
    for name in names {
        cmd = cmd.mut_subcommand(name, without_help);
    }
    cmd
}

fn page_name(cmd: &Command) -> &str {
    cmd.get_display_name().unwrap_or_else(|| cmd.get_name())
}

fn collect(
    cmd: &Command,
    parent: Option<&str>,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> std::io::Result<()> {
    let name = page_name(cmd).to_string();
    let subs: Vec<&Command> = cmd.get_subcommands().filter(|s| !s.is_hide_set()).collect();
    let mut page = Vec::new();
    // clap_mangen's synopsis leaves out what an option takes (`[--format]`): ours says it.
    let man_cmd = cmd.clone().override_usage(synopsis(cmd));
    clap_mangen::Man::new(man_cmd)
        .date(date())
        .source(format!("esc {}", env!("CARGO_PKG_VERSION")))
        .manual("esc")
        .render(&mut page)?;
    let see_also: Vec<String> = parent
        .into_iter()
        .chain(subs.iter().map(|s| page_name(s)))
        .map(|n| format!("\\fB{}\\fR(1)", n.replace('-', "\\-")))
        .collect();
    if !see_also.is_empty() {
        writeln!(page, ".SH \"SEE ALSO\"\n{}", see_also.join(",\n"))?;
    }
    pages.push((format!("{name}.1"), page));
    for sub in subs {
        collect(sub, Some(&name), pages)?;
    }
    Ok(())
}

/// `esc check [-C <DIR>] [--format <FORMAT>] [-h|--help] [PATH]...`: every option with
/// the value it takes, then the arguments, then the command if there are commands.
fn synopsis(cmd: &Command) -> String {
    let mut words = vec![
        cmd.get_bin_name()
            .unwrap_or_else(|| cmd.get_name())
            .to_string(),
    ];
    let options = cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_positional());
    for arg in options {
        let mut word = match (arg.get_short(), arg.get_long()) {
            (Some(s), Some(l)) => format!("-{s}|--{l}"),
            (Some(s), None) => format!("-{s}"),
            (None, Some(l)) => format!("--{l}"),
            (None, None) => continue,
        };
        if arg.get_num_args().is_some_and(|n| n.takes_values()) {
            word.push_str(&format!(" <{}>", value_name(arg)));
        }
        let repeats = matches!(arg.get_action(), clap::ArgAction::Append);
        words.push(match (arg.is_required_set(), repeats) {
            (true, false) => word,
            (true, true) => format!("{word}..."),
            (false, false) => format!("[{word}]"),
            (false, true) => format!("[{word}]..."),
        });
    }
    for arg in cmd.get_positionals().filter(|a| !a.is_hide_set()) {
        let name = value_name(arg);
        let repeats = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        words.push(match (arg.is_required_set(), repeats) {
            (true, false) => format!("<{name}>"),
            (true, true) => format!("<{name}>..."),
            (false, false) => format!("[{name}]"),
            (false, true) => format!("[{name}]..."),
        });
    }
    if cmd.has_subcommands() {
        words.push("<COMMAND>".to_string());
    }
    words.join(" ")
}

fn value_name(arg: &clap::Arg) -> String {
    arg.get_value_names()
        .map(|v| v.join(" "))
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase())
}

/// The pages' date: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC).
fn date() -> String {
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0));
    epoch
        .unwrap_or_else(chrono::Utc::now)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}
