//! The command line: clap types and one module per subcommand. No domain logic lives here.

mod action;
mod advance;
mod assign;
mod check;
mod completions;
mod demo;
mod due;
mod edit;
mod hints;
mod init;
mod list;
mod log;
mod lsp;
mod man;
mod meeting;
mod new;
mod notify;
mod render;
mod report;
mod save;
mod set;
mod show;
mod stats;
mod status;

use crate::error::{Error, Result};
use crate::store::workspace::Workspace;
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Customer escalations as Markdown files in git: check them, move them through the
/// playbook's six steps, report on them.
///
/// Exit codes: 0 success, 1 the data has problems, 2 the command could not run.
#[derive(Debug, Parser)]
#[command(name = "esc", version, max_term_width = 100)]
pub struct Cli {
    /// Run as if started in DIR.
    #[arg(short = 'C', value_name = "DIR", global = true, value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
    /// Take this date (YYYY-MM-DD) as today, instead of today in the team's time zone.
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<chrono::NaiveDate>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Check(check::Args),
    Advance(advance::Args),
    Assign(assign::Args),
    Set(set::Args),
    Meeting(meeting::Args),
    Action(action::Args),
    Edit(edit::Args),
    Status(status::Args),
    Notify(notify::Args),
    Report(report::Args),
    Stats(stats::Args),
    Render(render::Args),
    Demo(demo::Args),
    Due(due::Args),
    Init(init::Args),
    New(new::Args),
    List(list::Args),
    Show(show::Args),
    Log(log::Args),
    Lsp(lsp::Args),
    Schema(SchemaArgs),
    Completions(completions::Args),
    Man(man::Args),
}

/// Print the gathering schema (the repository's, else the built-in one).
///
/// With --config, the schema of esc.yaml instead.
///
/// Examples:
///   esc schema | jq '.properties.gathering'
///   esc schema --builtin -o schemas/escalation.schema.json
///   esc schema --config -o schemas/esc.schema.json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct SchemaArgs {
    /// The schema built into esc, whatever the repository has (works outside one too).
    #[arg(long)]
    pub builtin: bool,
    /// The schema of esc.yaml instead, for editors: put
    /// `# yaml-language-server: $schema=schemas/esc.schema.json` on esc.yaml's first line.
    #[arg(long, conflicts_with = "builtin")]
    pub config: bool,
    /// Write to FILE (replaced only once the schema is read, so it may be the schema file
    /// itself) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub output: Option<PathBuf>,
}

pub fn parse_date(s: &str) -> std::result::Result<chrono::NaiveDate, String> {
    crate::model::dates::parse(s).ok_or_else(|| {
        let shaped = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if shaped {
            format!("`{s}` is not a day of the calendar (check the month and the day)")
        } else {
            format!("expected a date as YYYY-MM-DD, found `{s}`")
        }
    })
}

/// Shared context of a run.
pub struct Ctx {
    pub cwd: PathBuf,
    pub today: Option<chrono::NaiveDate>,
}

impl Ctx {
    pub fn workspace(&self) -> Result<Workspace> {
        Workspace::open(&self.cwd)
    }
}

/// Colour only for a terminal, and never when NO_COLOR is set.
pub fn color(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Parses arguments, runs the command, maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("esc: error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<u8> {
    let cwd = match &cli.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir().map_err(|e| Error::io(".", e))?,
    };
    let ctx = Ctx {
        cwd,
        today: cli.today,
    };
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Check(a) => check::run(&ctx, a, &mut out),
        Command::Advance(a) => advance::run(&ctx, a, &mut out),
        Command::Assign(a) => assign::run(&ctx, a, &mut out),
        Command::Set(a) => set::run(&ctx, a, &mut out),
        Command::Meeting(a) => meeting::run(&ctx, a, &mut out),
        Command::Action(a) => action::run(&ctx, a, &mut out),
        Command::Edit(a) => edit::run(&ctx, a, &mut out),
        Command::Status(a) => status::run(&ctx, a, &mut out),
        Command::Notify(a) => notify::run(&ctx, a, &mut out),
        Command::Report(a) => report::run(&ctx, a, &mut out),
        Command::Stats(a) => stats::run(&ctx, a, &mut out),
        Command::Render(a) => render::run(&ctx, a, &mut out),
        Command::Demo(a) => demo::run(&ctx, a, &mut out),
        Command::Due(a) => due::run(&ctx, a, &mut out),
        Command::Init(a) => init::run(&ctx, a, &mut out),
        Command::New(a) => new::run(&ctx, a, &mut out),
        Command::List(a) => list::run(&ctx, a, &mut out),
        Command::Show(a) => show::run(&ctx, a, &mut out),
        Command::Log(a) => log::run(&ctx, a, &mut out),
        Command::Lsp(a) => lsp::run(&ctx, a, &mut out),
        Command::Schema(a) => {
            let json = match ctx.workspace() {
                _ if a.config => serde_json::from_str(crate::rules::config::SCHEMA)
                    .map_err(|e| Error::Data(e.to_string()))?,
                Ok(ws) if !a.builtin => ws.schemas.current.json,
                // Outside a repository, or asked for: the one built in.
                Ok(_) | Err(Error::NoRepository(_)) => {
                    serde_json::from_str(crate::rules::schema::EMBEDDED)
                        .map_err(|e| Error::Data(e.to_string()))?
                }
                Err(e) => return Err(e),
            };
            let text =
                serde_json::to_string_pretty(&json).map_err(|e| Error::Data(e.to_string()))? + "\n";
            write_output(&ctx, a.output.as_deref(), &text, &mut out)?;
            Ok(0)
        }
        Command::Completions(a) => completions::run(a, &mut out),
        Command::Man(a) => man::run(&ctx, a, &mut out),
    }
}

/// Writes `text` to `-o FILE` (atomically, relative to the working folder) or to stdout.
pub fn write_output(
    ctx: &Ctx,
    output: Option<&std::path::Path>,
    text: &str,
    out: &mut dyn Write,
) -> Result<()> {
    match output {
        Some(path) => {
            let path = ctx.cwd.join(path);
            crate::store::files::write_atomic(&path, text.as_bytes())
                .map_err(|e| Error::io(&path, e))?;
            eprintln!("wrote {}", path.display());
        }
        None => out.write_all(text.as_bytes()).map_err(stdout_err)?,
    }
    Ok(())
}

pub fn stdout_err(e: std::io::Error) -> Error {
    Error::io("stdout", e)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
