//! The CI files, linted as their hosts would read them: this repository's workflows and the
//! workflows `esc init` writes (checks and the scheduled `esc due`) with actionlint (which runs shellcheck on each `run:`), the
//! action's scripts and the Azure pipeline's with shellcheck, the pipeline against Azure's
//! schema (both pipelines), and every Azure `$(macro)` against the variables that exist. A missing tool skips
//! its part with a notice; `.ci/run` installs them and sets ESC_REQUIRE_TOOLS.

use crate::init_ci::{tool, yaml};
use crate::support::{TestRepo, manifest_dir};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

/// Azure's predefined variables the pipeline may use (the `$(HOME)` of old was none of them).
const AZURE_PREDEFINED: [&str; 9] = [
    "Agent.OS",
    "Agent.HomeDirectory",
    "Agent.TempDirectory",
    "Pipeline.Workspace",
    "Build.Reason",
    "Build.ArtifactStagingDirectory",
    "Build.SourcesDirectory",
    "System.DefaultWorkingDirectory",
    "System.PullRequest.TargetBranch",
];

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().expect("run a linter");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// shellcheck on `script` (bash), from stdin; what it said when it found anything.
fn shellcheck(shellcheck: &Path, script: &str) -> Option<String> {
    let mut child = Command::new(shellcheck)
        .args(["--shell=bash", "--severity=style", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start shellcheck");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(script.as_bytes()).expect("write script");
    }
    let out = child.wait_with_output().expect("shellcheck");
    (!out.status.success()).then(|| {
        format!(
            "{}{}\n--- script:\n{script}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The GitHub workflows and the Azure pipelines `esc init` writes.
const GITHUB: [&str; 2] = [
    ".github/workflows/escalations.yml",
    ".github/workflows/escalations-due.yml",
];
const AZURE: [&str; 2] = ["azure-pipelines.yml", "azure-pipelines-due.yml"];

/// A repository `esc init` made with the default source and one with a branch ref.
fn scaffolded() -> Vec<TestRepo> {
    let plain = TestRepo::empty();
    plain.esc(&["init"]).code(0);
    let other = TestRepo::empty();
    other
        .esc(&[
            "init",
            "--esc-source",
            "https://git.example.com/tools/esc@release/2026",
        ])
        .code(0);
    vec![plain, other]
}

/// actionlint wants shellcheck on PATH to check `run:` blocks: both, or skip.
fn actionlint_with_shellcheck() -> Option<std::path::PathBuf> {
    let actionlint = tool("actionlint")?;
    tool("shellcheck")?;
    Some(actionlint)
}

#[test]
fn this_repository_s_workflows_pass_actionlint() {
    let Some(actionlint) = actionlint_with_shellcheck() else {
        return;
    };
    let dir = manifest_dir().join(".github/workflows");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read .github/workflows")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no workflows in {}", dir.display());
    let (ok, said) = run(Command::new(&actionlint)
        .arg("-no-color")
        .args(&files)
        .current_dir(manifest_dir()));
    assert!(ok, "actionlint:\n{said}");
}

#[test]
fn the_workflows_esc_init_writes_pass_actionlint() {
    let Some(actionlint) = actionlint_with_shellcheck() else {
        return;
    };
    for repo in scaffolded() {
        for rel in GITHUB {
            let (ok, said) = run(Command::new(&actionlint)
                .arg("-no-color")
                .arg(repo.abs(rel))
                .current_dir(repo.path()));
            assert!(
                ok,
                "actionlint on {rel}:\n{said}\n--- file:\n{}",
                repo.read(rel)
            );
        }
    }
}

#[test]
fn the_action_s_scripts_pass_shellcheck() {
    let action = yaml(&manifest_dir(), "action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    for input in ["version", "base", "format", "args"] {
        assert!(
            action["inputs"][input].is_object(),
            "action.yml has no input {input}"
        );
    }
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let scripts: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert_eq!(scripts.len(), 2, "{scripts:?}");
    for s in &scripts {
        // Inputs reach scripts through env:, never as ${{ }} pasted into the shell.
        assert!(!s.contains("${{"), "an expression in a script:\n{s}");
    }
    assert_eq!(action["inputs"]["format"]["default"], "github");
    assert!(scripts[1].contains("origin/$GITHUB_BASE_REF"));
    let Some(shellcheck_bin) = tool("shellcheck") else {
        return;
    };
    for s in scripts {
        if let Some(said) = shellcheck(&shellcheck_bin, s) {
            panic!("shellcheck on action.yml:\n{said}");
        }
    }
}

/// Every `$(Name)` macro in `text`.
fn macros(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("$(") {
        rest = &rest[i + 2..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        if !name.is_empty() && rest[name.len()..].starts_with(')') {
            out.push(name);
        }
    }
    out
}

#[test]
fn the_azure_pipelines_use_only_variables_that_exist() {
    // The tool-free part: it runs everywhere.
    for (repo, rel) in scaffolded().iter().flat_map(|r| AZURE.map(|rel| (r, rel))) {
        let text = repo.read(rel);
        let az = yaml(repo.path(), rel);
        let defined: Vec<&str> = az["variables"]
            .as_object()
            .expect("variables")
            .keys()
            .map(String::as_str)
            .collect();
        for m in macros(&text) {
            assert!(
                defined.contains(&m.as_str()) || AZURE_PREDEFINED.contains(&m.as_str()),
                "{rel} uses $({m}), which is neither in `variables:` nor predefined\n{text}"
            );
        }
        assert!(macros("a $(HOME)/b $(x) $(Agent.OS)") == ["HOME", "x", "Agent.OS"]);
    }
}

#[test]
fn the_azure_pipelines_match_azure_s_schema_and_their_scripts_pass_shellcheck() {
    let repos = scaffolded();
    let files: Vec<(&TestRepo, &str)> = repos
        .iter()
        .flat_map(|r| AZURE.map(|rel| (r, rel)))
        .collect();
    if let Some(check_jsonschema) = tool("check-jsonschema") {
        for (repo, rel) in &files {
            // Azure's schema has patterns Python's regex reads and the default engine does not.
            let (ok, said) = run(Command::new(&check_jsonschema)
                .args([
                    "--builtin-schema",
                    "vendor.azure-pipelines",
                    "--regex-variant",
                    "python",
                ])
                .arg(repo.abs(rel)));
            assert!(
                ok,
                "check-jsonschema on {rel}:\n{said}\n--- file:\n{}",
                repo.read(rel)
            );
        }
    }
    let Some(shellcheck_bin) = tool("shellcheck") else {
        return;
    };
    for (repo, rel) in &files {
        let az: Value = yaml(repo.path(), rel);
        let steps = az["steps"].as_array().expect("steps");
        let scripts: Vec<&str> = steps.iter().filter_map(|s| s["script"].as_str()).collect();
        assert!(scripts.len() >= 3, "{scripts:?}");
        for s in scripts {
            // Azure replaces $(Name) before the shell sees the script.
            let mut text = s.to_string();
            for m in macros(s) {
                text = text.replace(&format!("$({m})"), "/azure/macro");
            }
            if let Some(said) = shellcheck(&shellcheck_bin, &text) {
                panic!("shellcheck on a script of {rel}:\n{said}");
            }
        }
    }
}
