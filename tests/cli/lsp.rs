//! `esc lsp` driven by a real client process: tests/lsp_client.py, a JSON-RPC client in
//! Python's standard library, against the binary on a real git repository. The scenario
//! (open, diagnostics, completion, hover, quick fix, esc.yaml, bad input, shutdown) and its
//! assertions are in the script; this test builds the repository and reads the verdict.

use super::support::{TestRepo, manifest_dir, path_for, raised};
use super::template_support::{commit_all, git};
use std::process::Command;

const CONFIG: &str = "timezone: Europe/Berlin\npeople:\n  architect:\n    - Dana Whitfield <dana@example.com>\n    - Lee Park <lee@example.com>\n";

#[test]
fn lsp_serves_a_real_client_from_initialize_to_exit() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("SKIPPED lsp_serves_a_real_client_from_initialize_to_exit: python3 is missing");
        return;
    }
    let id = "ESC-2611-AAAA";
    let repo = TestRepo::new()
        .write("esc.yaml", CONFIG)
        .escalation(id, &raised(id));
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["config", "user.name", "Test Runner"]);
    git(
        repo.path(),
        &["config", "user.email", "test.runner@example.com"],
    );
    commit_all(&repo, "an escalation");
    let out = Command::new("python3")
        .arg(manifest_dir().join("tests/lsp_client.py"))
        .arg(env!("CARGO_BIN_EXE_esc"))
        .arg(repo.path())
        .arg(path_for(id))
        .output()
        .expect("run python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("checks passed"),
        "the client's scenario failed:\n{stdout}\n{stderr}"
    );
    // Nothing was left behind by the check the script runs on the bad text.
    assert_eq!(repo.read(&path_for(id)), raised(id));
}
