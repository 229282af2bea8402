//! The same verdict as other tools: the published schemas work in check-jsonschema, in Ajv
//! with `strict: true`, and in yaml-language-server through the modeline the README gives;
//! and what those tools refuse, `esc check` refuses too.
//!
//! The tools come from PyPI and npm; `.ci/run` installs them (npm packages under
//! `$ESC_NODE_MODULES`, default `~/.cache/esc-test-tools/node_modules`) and sets
//! `ESC_REQUIRE_TOOLS=1`, so CI fails where a tool is missing while a local run skips it
//! with a notice.

use crate::support::{TestRepo, manifest_dir, path_for, raised};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::tool_found as have;

fn node_modules() -> PathBuf {
    std::env::var_os("ESC_NODE_MODULES").map_or_else(
        || {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/esc-test-tools/node_modules")
        },
        PathBuf::from,
    )
}

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The front matter of a Markdown file, as a YAML file other tools can read.
fn front_matter_file(dir: &Path, md: &Path) -> PathBuf {
    let text = std::fs::read_to_string(md).expect("read escalation");
    let yaml = text.split("---\n").nth(1).expect("front matter");
    let out = dir
        .join(md.file_name().expect("name"))
        .with_extension("yaml");
    std::fs::write(&out, yaml).expect("write yaml");
    out
}

fn samples() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for month in std::fs::read_dir(manifest_dir().join("escalations")).expect("samples") {
        for f in std::fs::read_dir(month.expect("entry").path()).expect("month") {
            out.push(f.expect("entry").path());
        }
    }
    out.sort();
    out
}

fn check_jsonschema(schema: &Path, files: &[PathBuf]) -> std::process::Output {
    Command::new("check-jsonschema")
        .arg("--schemafile")
        .arg(schema)
        .args(files)
        .output()
        .expect("run check-jsonschema")
}

/// check-jsonschema accepts every sample and the scaffolded esc.yaml; on a file with an
/// unquoted `012345` ticket both it and esc say no, and on the quoted fix both say yes.
#[test]
fn check_jsonschema_and_esc_agree() {
    if !have("check-jsonschema", runs("check-jsonschema", "--version")) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let files: Vec<PathBuf> = samples()
        .iter()
        .map(|md| front_matter_file(tmp.path(), md))
        .collect();
    let schemas = manifest_dir().join("schemas");
    let out = check_jsonschema(&schemas.join("escalation.schema.json"), &files);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let config = [manifest_dir().join("src/scaffold/esc.yaml")];
    let out = check_jsonschema(&schemas.join("esc.schema.json"), &config);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let id = "ESC-2611-K7QD";
    for agree in [false, true] {
        let text = raised(id).replace(
            "title: Mailbox migration stalled at 40%",
            if agree {
                "title: '012345'"
            } else {
                "title: 012345"
            },
        );
        let repo = TestRepo::new().escalation(id, &text);
        let md = repo.abs(&path_for(id));
        let yaml = front_matter_file(tmp.path(), &md);
        let theirs = check_jsonschema(&schemas.join("escalation.schema.json"), &[yaml]);
        let ours = repo.esc(&["check"]);
        assert_eq!(
            theirs.status.success(),
            agree,
            "check-jsonschema on {text}: {}",
            String::from_utf8_lossy(&theirs.stdout)
        );
        ours.code(if agree { 0 } else { 1 });
        if !agree {
            ours.stdout_has(&["ambiguous-scalar", "'012345'"]);
        }
    }
}

/// Both schemas compile in Ajv with `strict: true` and ajv-formats, and every sample and the
/// scaffolded esc.yaml validate, read as esc reads YAML (js-yaml's core schema).
#[test]
fn ajv_strict_accepts_the_schemas_and_the_samples() {
    let modules = node_modules();
    let found = runs("node", "--version") && modules.join("ajv-formats").is_dir();
    if !have("node with ajv, ajv-formats and js-yaml", found) {
        return;
    }
    let script = manifest_dir().join("tests/tools/ajv_check.js");
    let schemas = manifest_dir().join("schemas");
    for (schema, files) in [
        ("escalation.schema.json", samples()),
        (
            "esc.schema.json",
            vec![manifest_dir().join("src/scaffold/esc.yaml")],
        ),
    ] {
        let out = Command::new("node")
            .env("NODE_PATH", &modules)
            .arg(&script)
            .arg(schemas.join(schema))
            .args(&files)
            .output()
            .expect("run node");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{schema}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(stdout.lines().count(), files.len(), "{stdout}");
        for line in stdout.lines() {
            assert!(line.ends_with("\"errors\":[]}"), "{schema}: {line}");
        }
    }
}

/// The README's modeline gives an editor completion, hover and diagnostics for esc.yaml
/// through yaml-language-server, driven as an editor drives it (tests/tools/yamlls_client.py).
#[test]
fn yaml_language_server_completes_esc_yaml_through_the_modeline() {
    let server = node_modules().join("yaml-language-server/bin/yaml-language-server");
    let found = runs("node", "--version") && runs("python3", "--version") && server.is_file();
    if !have("yaml-language-server", found) {
        return;
    }
    // The esc.yaml and schema `esc init` writes, with two mistakes added at the end.
    let root = TestRepo::empty();
    root.esc(&["init", "team"]).code(0);
    let path = root.abs("team/esc.yaml");
    let written = std::fs::read_to_string(&path).expect("esc.yaml");
    assert!(written.starts_with("# yaml-language-server: $schema=schemas/esc.schema.json\n"));
    let mistakes = "stale_after_days: soon\nbogus: 1\n\n";
    std::fs::write(&path, format!("{written}{mistakes}")).expect("write esc.yaml");
    let out = Command::new("python3")
        .arg(manifest_dir().join("tests/tools/yamlls_client.py"))
        .arg("node")
        .arg(&server)
        .arg("--")
        .arg(&path)
        .output()
        .expect("run the client");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).expect("client JSON");
    let diagnostics = got["diagnostics"].to_string();
    assert!(diagnostics.contains("bogus"), "{got}");
    assert!(diagnostics.contains("Incorrect type"), "{got}");
    let completion = got["completion"].to_string();
    for key in ["people", "raci", "sponsors", "manager_health_notices"] {
        assert!(completion.contains(key), "{key} not offered: {got}");
    }
    assert!(
        got["hover"]
            .as_str()
            .is_some_and(|h| h.contains("IANA time zone")),
        "{got}"
    );
    // esc agrees with the editor (it reports the first key it refuses).
    root.esc(&["-C", "team", "check"])
        .code(1)
        .stdout_has(&["esc.yaml:"]);
}
