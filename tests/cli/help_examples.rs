//! Every example in `esc help COMMAND` is one pasteable command per line: each is run, as a
//! user would paste it, in a demo repository (with a sample's id for the placeholder K7QD).
//! It may find problems in the data (exit 1) or refuse (exit 2 with esc's own message), but
//! its command line must parse, and it must not panic or hang.

use super::template_support::demo;
use std::process::Command;

/// The subcommands with examples in their help.
const COMMANDS: [&str; 20] = [
    "check",
    "due",
    "advance",
    "set",
    "meeting",
    "action",
    "edit",
    "status",
    "notify",
    "report",
    "render",
    "demo",
    "init",
    "new",
    "list",
    "show",
    "log",
    "schema",
    "completions",
    "man",
];

/// The example lines of `esc help COMMAND`.
fn examples(command: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_esc"))
        .args(["help", command])
        .output()
        .expect("esc help");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("Example") {
            inside = true;
        } else if inside && line.starts_with("  ") && line.contains("esc ") {
            lines.push(line.trim().to_string());
        } else if inside {
            inside = false;
        }
    }
    lines
}

#[test]
fn every_help_example_runs_as_pasted() {
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_esc"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let mut ran = 0;
    for command in COMMANDS {
        let found = examples(command);
        assert!(!found.is_empty(), "esc help {command} has no example");
        for example in found {
            assert!(!example.ends_with('\\'), "a wrapped example: {example}");
            let repo = demo();
            let home = tempfile::tempdir().expect("home");
            for d in [
                ".local/share/bash-completion/completions",
                ".local/share/man/man1",
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
