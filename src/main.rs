//! The `esc` binary: everything is in the library; this only hands over the exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    esc::cli::main()
}
