use std::process::ExitCode;

fn main() -> ExitCode {
    esc::cli::main()
}
