//! `esc lsp`: the language server, on stdin and stdout, for editors.

use super::Ctx;
use crate::error::Result;
use std::io::Write;

/// Run the language server for escalation files and esc.yaml on stdin/stdout.
///
/// Editors start it: problems as you type (the same rules and messages as `esc
/// check`), completion of keys and values, hover with a field's description and
/// what the next step still needs, and quick fixes for "did you mean". README.md
/// ("Editor") has the set-up for VS Code, Neovim and Helix. It speaks only the
/// protocol on stdout; logs go to stderr.
///
/// Example:
///   esc lsp        # started by the editor, which talks to it on stdin/stdout
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {}

pub fn run(ctx: &Ctx, _args: Args, out: &mut dyn Write) -> Result<u8> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    crate::lsp::serve(ctx.today, &mut input, out)
}
