//! `esc completions SHELL`: a completion script, from the same clap definitions as `--help`.

use super::{Cli, stdout_err};
use crate::error::Result;
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;

/// Print a shell completion script.
///
/// The script completes commands, flags and the values esc has built in (steps,
/// severities, notice kinds, formats, shells...); it does not complete escalation
/// ids. The folders below may not exist yet on a new account: `mkdir -p` them
/// first.
///
/// Examples:
///   esc completions bash > ~/.local/share/bash-completion/completions/esc
///   esc completions zsh > ~/.zfunc/_esc
///   esc completions fish > ~/.config/fish/completions/esc.fish
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The shell.
    #[arg(value_name = "SHELL")]
    pub shell: Shell,
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<u8> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "esc", out);
    if let Shell::Fish = args.shell {
        out.write_all(fish_positionals(&cmd).as_bytes())
            .map_err(stdout_err)?;
    }
    Ok(0)
}

/// clap_complete's fish script completes options only; this adds the values of positional
/// arguments (`esc notify ID KIND`, `esc completions SHELL`), by their position after the
/// command (words that start with `-` are not counted).
fn fish_positionals(cmd: &clap::Command) -> String {
    let mut text = String::from(
        "\n# Positional arguments with known values (esc).\n\
         function __fish_esc_positional_is\n    \
             set -l words (commandline -opc)\n    \
             set -l n 0\n    \
             for w in $words[3..-1]\n        \
                 string match -q -- '-*' $w; or set n (math $n + 1)\n    \
             end\n    \
             test $n -eq $argv[1]\n\
         end\n",
    );
    for sub in cmd.get_subcommands() {
        for (i, arg) in sub.get_positionals().enumerate() {
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if values.is_empty() {
                continue;
            }
            text.push_str(&format!(
                "complete -c esc -n \"__fish_esc_using_subcommand {}; and __fish_esc_positional_is {i}\" -f -a \"{}\"\n",
                sub.get_name(),
                values.join(" ")
            ));
        }
    }
    text
}
