//! Every example in `esc help COMMAND` is one pasteable command per line: each is run, as a
//! user would paste it, in a demo repository (with a sample's id for the placeholder K7QD).
//! It may find problems in the data (exit 1) or refuse (exit 2 with esc's own message), but
//! its command line must parse, and it must not panic or hang. Stdin is /dev/null, so a
//! command that reads it (`esc lsp`) meets its end at once. On an 80-column terminal
//! (`COLUMNS=80`) no example is wrapped: clap wraps help text, verbatim blocks too.

use super::template_support::demo;
use std::process::Command;

/// The subcommands with examples in their help.
pub const COMMANDS: [&str; 23] = [
    "check",
    "due",
    "advance",
    "assign",
    "set",
    "meeting",
    "action",
    "edit",
    "status",
    "notify",
    "report",
    "stats",
    "render",
    "demo",
    "init",
    "new",
    "list",
    "show",
    "log",
    // Serves stdin until it ends: run with stdin from /dev/null, it exits at once.
    "lsp",
    "schema",
    "completions",
    "man",
];

/// The example lines of `esc help COMMAND` on a terminal `columns` wide. Every line of an
/// example block is a whole command: one that starts otherwise is the rest of a wrapped one.
fn examples(command: &str, columns: u16) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_esc"))
        .args(["help", command])
        .env("COLUMNS", columns.to_string())
        .output()
        .expect("esc help");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("Example") {
            inside = true;
        } else if inside && line.starts_with("  ") {
            let example = line.trim();
            // A command, perhaps after environment variables (EDITOR="code --wait" esc ...).
            let command_start = example.starts_with("esc ")
                || (example.starts_with(|c: char| c.is_ascii_uppercase())
                    && example.contains("=")
                    && example.contains(" esc "));
            assert!(
                command_start,
                "esc help {command} at {columns} columns: `{example}` is not a whole command \
                 (a wrapped example?)\n{text}"
            );
            assert!(
                line.chars().count() <= 80,
                "esc help {command}: `{example}` is wider than 80 columns"
            );
            lines.push(example.to_string());
        } else if inside {
            inside = false;
        }
    }
    lines
}

/// `esc help new`, `set` and `action` had examples cut in two; at 80 columns and at the
/// widest help (100) every command's examples are the same whole lines.
#[test]
fn help_examples_are_whole_lines_at_80_columns() {
    for command in COMMANDS {
        assert_eq!(examples(command, 80), examples(command, 100), "{command}");
    }
}

#[test]
fn every_help_example_runs_as_pasted() {
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_esc"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let mut ran = 0;
    for command in COMMANDS {
        let found = examples(command, 100);
        assert!(!found.is_empty(), "esc help {command} has no example");
        for example in found {
            assert!(!example.ends_with('\\'), "a wrapped example: {example}");
            let repo = demo();
            let home = tempfile::tempdir().expect("home");
            for d in [
                ".local/share/bash-completion/completions",
                ".local/share/man/man1",
                ".zfunc",
                ".config/fish/completions",
            ] {
                std::fs::create_dir_all(home.path().join(d)).expect("mkdir");
            }
            let pasted = example
                .replace("ESC-2611-K7QD", "ESC-2610-7FJX")
                .replace("K7QD", "7FJX")
                .replace("k7qd", "7fjx")
                .replace("/tmp/esc-demo", "demo-copy");
            let path = format!(
                "{}:{}",
                bin_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            );
            let out = Command::new("bash")
                .arg("-c")
                .arg(format!("{pasted}\nexit ${{PIPESTATUS[0]}}"))
                .current_dir(repo.path())
                .env("PATH", path)
                .env("HOME", home.path())
                .env("NO_COLOR", "1")
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env_remove("EDITOR")
                .env_remove("VISUAL")
                .stdin(std::process::Stdio::null())
                .output()
                .expect("run the example");
            let stderr = String::from_utf8_lossy(&out.stderr);
            let code = out.status.code().unwrap_or(-1);
            assert!(matches!(code, 0..=2), "`{pasted}` exited {code}:\n{stderr}");
            assert!(
                !stderr.contains("Usage: esc") && !stderr.contains("panicked"),
                "`{pasted}` did not parse or panicked:\n{stderr}"
            );
            ran += 1;
        }
    }
    assert!(ran >= 35, "only {ran} examples ran");
}

/// Help reads on an 80-column terminal as written: every line of a command's description
/// fits in 80 columns (clap would break it mid-sentence), and `esc --help` lists each
/// command on one line.
#[test]
fn help_text_fits_80_columns_and_the_command_list_one_line_each() {
    let help = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_esc"))
            .args(args)
            .env("COLUMNS", "100")
            .output()
            .expect("esc help");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    for command in COMMANDS {
        let text = help(&["help", command]);
        let about = text.split("\nUsage:").next().unwrap_or_default();
        for line in about.lines() {
            assert!(
                line.chars().count() <= 80,
                "esc help {command}: a line of {} columns:\n{line}",
                line.chars().count()
            );
        }
    }
    let top = help(&["--help"]);
    let commands = top
        .split("Commands:\n")
        .nth(1)
        .and_then(|s| s.split("\n\n").next())
        .expect("a command list");
    for line in commands.lines() {
        assert!(
            !line.starts_with("               "),
            "a command's summary runs over two lines:\n{commands}"
        );
    }
}
