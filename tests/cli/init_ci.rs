//! What `esc init` writes for CI and pre-commit: the esc source and the branch in every file,
//! the scheduled `esc due` (GitHub and Azure) at 07:00 of the team's working days in UTC,
//! `--esc-source URL@REF`, refusals that write nothing, files that parse as YAML (and the
//! commented examples too), and the pre-commit hook refusing a bad commit for real.

use crate::git_support::git_in;
use crate::support::{TestRepo, path_for, raised};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const GH: &str = ".github/workflows/escalations.yml";
const GH_DUE: &str = ".github/workflows/escalations-due.yml";
const AZ: &str = "azure-pipelines.yml";
const AZ_DUE: &str = "azure-pipelines-due.yml";
const PC: &str = ".pre-commit-config.yaml";

fn version_tag() -> String {
    format!("v{}", env!("CARGO_PKG_VERSION"))
}

/// `rel` below `dir`, parsed as YAML.
pub fn yaml(dir: &Path, rel: &str) -> Value {
    let text = std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    yaml_text(&text, rel)
}

fn yaml_text(text: &str, what: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{what} is not YAML: {e}\n{text}"))
}

/// The lines after the first line containing `marker`, with their leading `# ` removed.
fn uncommented_after(text: &str, marker: &str) -> String {
    let start = text.find(marker).unwrap_or_else(|| panic!("no {marker:?}"));
    text[start..]
        .lines()
        .skip(1)
        .filter_map(|l| l.strip_prefix("# ").or_else(|| l.strip_prefix("#")))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn init_writes_the_default_source_and_the_branch_into_every_file() {
    let root = TestRepo::empty();
    let run = root.esc(&["init", "team"]);
    let tag = version_tag();
    run.code(0).stdout_has(&[
        "created .pre-commit-config.yaml",
        &format!("CI installs esc from https://github.com/esc-project/esc at tag {tag}"),
        "runs on branch main",
    ]);
    let dir = root.abs("team");
    for rel in [GH, GH_DUE, AZ, AZ_DUE, PC] {
        let text = root.read(&format!("team/{rel}"));
        for gone in ["YOUR-ORG", "$(HOME)", "@ESC_", "@BRANCH@", "@DUE_"] {
            assert!(!text.contains(gone), "{rel} still has {gone}:\n{text}");
        }
    }
    let gh = yaml(&dir, GH);
    assert_eq!(gh["env"]["ESC_GIT"], "https://github.com/esc-project/esc");
    assert_eq!(gh["env"]["ESC_REF"], tag.as_str());
    assert_eq!(gh["on"]["push"]["branches"], serde_json::json!(["main"]));
    assert_eq!(
        gh["on"]["pull_request"]["branches"],
        serde_json::json!(["main"])
    );
    let steps = gh["jobs"]["check"]["steps"].as_array().expect("steps");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.iter()
            .any(|r| r.contains("cargo install --locked --git \"$ESC_GIT\" --tag \"$ESC_REF\" esc")),
        "{runs:?}"
    );
    assert!(
        runs.iter()
            .any(|r| r.contains("--base \"origin/$GITHUB_BASE_REF\" --format github"))
    );
    // Every action pinned by a full commit SHA, its version in a comment.
    for rel in [GH, GH_DUE] {
        let text = root.read(&format!("team/{rel}"));
        let uses: Vec<&str> = text
            .lines()
            .filter(|l| l.trim_start().starts_with("- uses:"))
            .collect();
        assert!(uses.len() >= 2, "{rel}: {uses:?}");
        for line in uses {
            let (_, rest) = line.split_once('@').expect("uses @");
            let sha: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
            assert_eq!(sha.len(), 40, "{rel}: not pinned by SHA: {line}");
            assert!(rest.contains("# v"), "{rel}: no version comment: {line}");
        }
    }
    let text = root.read(&format!("team/{GH}"));
    assert!(
        text.contains(&format!("# - uses: esc-project/esc@{tag}")),
        "{text}"
    );

    let az = yaml(&dir, AZ);
    assert_eq!(
        az["variables"]["ESC_GIT"],
        "https://github.com/esc-project/esc"
    );
    assert_eq!(az["variables"]["ESC_REF"], tag.as_str());
    assert_eq!(
        az["trigger"]["branches"]["include"],
        serde_json::json!(["main"])
    );
    // The cache keeps the folder cargo installs into.
    let root_var = az["variables"]["CARGO_INSTALL_ROOT"]
        .as_str()
        .expect("install root");
    assert_eq!(root_var, "$(Pipeline.Workspace)/esc");
    let cache = az["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["task"] == "Cache@2")
        .expect("a cache step");
    assert_eq!(cache["inputs"]["path"], "$(CARGO_INSTALL_ROOT)");

    scheduled_due_is_written(&dir, "main", "0 7 * * 1-5");

    let pc = yaml(&dir, PC);
    assert_eq!(pc["repos"][0]["repo"], "https://github.com/esc-project/esc");
    assert_eq!(pc["repos"][0]["rev"], tag.as_str());
    assert_eq!(pc["repos"][0]["hooks"][0]["id"], "esc-check");
    // The hook id is one this repository's .pre-commit-hooks.yaml defines.
    let hooks = yaml(&crate::support::manifest_dir(), ".pre-commit-hooks.yaml");
    assert_eq!(hooks[0]["id"], "esc-check");
}

/// The scheduled `esc due` in `dir`: GitHub's workflow and Azure's pipeline at `cron` on
/// `branch`, installing esc as the checks do, reporting, keeping the drafts and the report,
/// and failing last, unless ESC_FAIL_WHEN_DUE says not to.
fn scheduled_due_is_written(dir: &Path, branch: &str, cron: &str) {
    let gh = yaml(dir, GH_DUE);
    assert_eq!(gh["on"]["schedule"][0]["cron"], cron);
    assert!(gh["on"].get("workflow_dispatch").is_some(), "{gh:#}");
    assert!(gh["on"].get("pull_request").is_none(), "{gh:#}");
    assert_eq!(gh["permissions"]["contents"], "read");
    assert_eq!(gh["env"]["ESC_GIT"], yaml(dir, GH)["env"]["ESC_GIT"]);
    assert_eq!(gh["env"]["ESC_REF"], yaml(dir, GH)["env"]["ESC_REF"]);
    assert_eq!(gh["env"]["ESC_FAIL_WHEN_DUE"], "true");
    let steps = gh["jobs"]["due"]["steps"].as_array().expect("steps");
    let checkout = &steps[0];
    assert!(
        checkout["uses"]
            .as_str()
            .expect("uses")
            .starts_with("actions/checkout@")
    );
    assert_eq!(checkout["with"]["fetch-depth"], 0);
    assert_eq!(checkout["with"]["ref"], branch);
    let install = yaml(dir, GH)["jobs"]["check"]["steps"][2].clone();
    assert_eq!(
        steps[1],
        yaml(dir, GH)["jobs"]["check"]["steps"][1],
        "the same cache"
    );
    assert_eq!(steps[2], install, "the same install");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    for want in [
        "esc due --format md >> \"$GITHUB_STEP_SUMMARY\" || [ \"$?\" -eq 1 ]",
        "esc due --format eml --dir due-drafts || [ \"$?\" -eq 1 ]",
        "esc report --format md -o weekly-report.md",
    ] {
        assert!(runs.contains(&want), "no `{want}` in {runs:?}");
    }
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact@"))
        })
        .expect("an upload step");
    assert_eq!(upload["if"], "always()");
    assert_eq!(upload["with"]["path"], "due-drafts\nweekly-report.md\n");
    let last = steps.last().expect("a last step");
    assert_eq!(last["run"], "esc due");
    assert_eq!(last["if"], "env.ESC_FAIL_WHEN_DUE == 'true'");

    let az = yaml(dir, AZ_DUE);
    let schedule = &az["schedules"][0];
    assert_eq!(schedule["cron"], cron);
    assert_eq!(schedule["branches"]["include"], serde_json::json!([branch]));
    assert_eq!(schedule["always"], "true");
    assert_eq!(
        (&az["trigger"], &az["pr"]),
        (&Value::from("none"), &Value::from("none"))
    );
    let checks = yaml(dir, AZ);
    for var in ["ESC_GIT", "ESC_REF", "CARGO_INSTALL_ROOT"] {
        assert_eq!(az["variables"][var], checks["variables"][var], "{var}");
    }
    assert_eq!(az["variables"]["ESC_FAIL_WHEN_DUE"], "true");
    let steps = az["steps"].as_array().expect("steps");
    assert_eq!(steps[0]["fetchDepth"], "0");
    assert_eq!(
        steps[..4],
        checks["steps"].as_array().expect("steps")[..4],
        "the same install"
    );
    let scripts: Vec<&str> = steps.iter().filter_map(|s| s["script"].as_str()).collect();
    assert!(
        scripts
            .iter()
            .any(|s| s.contains("esc due --format md > due.md")),
        "{scripts:?}"
    );
    assert!(
        scripts
            .iter()
            .any(|s| s.contains("esc due --format eml --dir")),
        "{scripts:?}"
    );
    assert!(
        scripts
            .iter()
            .any(|s| s.contains("esc report --format md -o")),
        "{scripts:?}"
    );
    let publish = steps
        .iter()
        .find(|s| s["task"] == "PublishPipelineArtifact@1")
        .expect("a publish step");
    assert_eq!(publish["condition"], "succeededOrFailed()");
    let last = steps.last().expect("a last step");
    assert_eq!(last["script"], "esc due");
    assert_eq!(
        last["condition"],
        "and(succeeded(), eq(variables.ESC_FAIL_WHEN_DUE, 'true'))"
    );
}

/// The schedule follows the team's time zone and working days in an `esc.yaml` init finds
/// (with the UTC offset of the day init runs), and says so in a comment.
#[test]
fn the_scheduled_job_runs_at_seven_in_the_team_s_time_zone() {
    let root = TestRepo::empty().write(
        "team/esc.yaml",
        "timezone: Europe/Berlin\nworking_days: [sun, mon, tue, wed, thu]\n",
    );
    root.esc_raw(&["--today", "2026-07-06", "init", "team"])
        .code(0)
        .stdout_has(&["esc due runs at 0 5 * * 0-4 (UTC): 07:00 Europe/Berlin"]);
    let dir = root.abs("team");
    scheduled_due_is_written(&dir, "main", "0 5 * * 0-4");
    for rel in [GH_DUE, AZ_DUE] {
        let text = root.read(&format!("team/{rel}"));
        assert!(
            text.contains("# When: 07:00 Europe/Berlin (UTC+02:00 on 2026-07-06)."),
            "{text}"
        );
    }
    // Winter: an hour later in UTC.
    let root = TestRepo::empty().write("team/esc.yaml", "timezone: Europe/Berlin\n");
    root.esc_raw(&["--today", "2026-01-05", "init", "team"])
        .code(0);
    scheduled_due_is_written(&root.abs("team"), "main", "0 6 * * 1-5");
}

#[test]
fn init_writes_the_current_branch_or_git_s_default_branch() {
    // An existing repository on `trunk`, before its first commit.
    let root = TestRepo::empty();
    std::fs::create_dir_all(root.abs("team")).expect("mkdir");
    let out = git_in(&root.abs("team"), &["init", "-q", "-b", "trunk"], &[]);
    assert!(out.status.success(), "{out:?}");
    root.esc(&["init", "team"])
        .code(0)
        .stdout_has(&["runs on branch trunk"]);
    let dir = root.abs("team");
    assert_eq!(yaml(&dir, GH)["on"]["push"]["branches"][0], "trunk");
    assert_eq!(yaml(&dir, AZ)["trigger"]["branches"]["include"][0], "trunk");
    scheduled_due_is_written(&dir, "trunk", "0 7 * * 1-5");

    // A new repository: git's init.defaultBranch names its branch and the workflows'.
    let home = tempfile::tempdir().expect("home");
    let config = home.path().join(".gitconfig");
    std::fs::write(&config, "[init]\n\tdefaultBranch = develop\n").expect("gitconfig");
    let root = TestRepo::empty()
        .env("HOME", home.path().to_str().expect("utf-8"))
        .env("GIT_CONFIG_GLOBAL", config.to_str().expect("utf-8"));
    root.esc(&["init", "team"])
        .code(0)
        .stdout_has(&["runs on branch develop"]);
    let dir = root.abs("team");
    assert_eq!(yaml(&dir, GH)["on"]["push"]["branches"][0], "develop");
    assert_eq!(yaml(&dir, AZ)["pr"]["branches"]["include"][0], "develop");
    scheduled_due_is_written(&dir, "develop", "0 7 * * 1-5");
    let head = git_in(&dir, &["symbolic-ref", "HEAD"], &[]);
    assert_eq!(
        String::from_utf8_lossy(&head.stdout).trim(),
        "refs/heads/develop"
    );
}

#[test]
fn esc_source_with_a_ref_is_split_into_url_and_tag_branch_or_commit() {
    let cases = [
        (
            "https://git.example.com/tools/esc@release/2026",
            "https://git.example.com/tools/esc",
            "release/2026",
            "branch",
            "OWNER/esc@release/2026",
        ),
        (
            "https://github.com/acme/esc@v2.1.0",
            "https://github.com/acme/esc",
            "v2.1.0",
            "tag",
            "acme/esc@v2.1.0",
        ),
        (
            "ssh://git@github.com/acme/esc.git@0a1b2c3d4e5f",
            "ssh://git@github.com/acme/esc.git",
            "0a1b2c3d4e5f",
            "rev",
            "OWNER/esc@0a1b2c3d4e5f",
        ),
    ];
    for (arg, url, git_ref, kind, action) in cases {
        let root = TestRepo::empty();
        root.esc(&["init", "team", "--esc-source", arg])
            .code(0)
            .stdout_has(&[&format!("CI installs esc from {url} at {kind} {git_ref}")]);
        let dir = root.abs("team");
        let gh = yaml(&dir, GH);
        assert_eq!(gh["env"]["ESC_GIT"], url);
        assert_eq!(gh["env"]["ESC_REF"], git_ref);
        let gh_text = root.read(&format!("team/{GH}"));
        assert!(
            gh_text.contains(&format!("--{kind} \"$ESC_REF\"")),
            "{gh_text}"
        );
        assert!(
            gh_text.contains(&format!("# - uses: {action}")),
            "{gh_text}"
        );
        let az = yaml(&dir, AZ);
        assert_eq!(az["variables"]["ESC_GIT"], url);
        assert_eq!(az["variables"]["ESC_REF"], git_ref);
        assert!(
            root.read(&format!("team/{AZ}"))
                .contains(&format!("--{kind} \"$ESC_REF\""))
        );
        let pc = yaml(&dir, PC);
        assert_eq!(pc["repos"][0]["repo"], url);
        assert_eq!(pc["repos"][0]["rev"], git_ref);
        for rel in [GH_DUE, AZ_DUE] {
            assert!(
                root.read(&format!("team/{rel}"))
                    .contains(&format!("--{kind} \"$ESC_REF\"")),
                "{rel}"
            );
        }
        scheduled_due_is_written(&dir, "main", "0 7 * * 1-5");
    }
    // Without @REF: this version's tag.
    let root = TestRepo::empty();
    root.esc(&[
        "init",
        "team",
        "--esc-source",
        "https://git.example.com/tools/esc",
    ])
    .code(0);
    assert_eq!(
        yaml(&root.abs("team"), GH)["env"]["ESC_REF"],
        version_tag().as_str()
    );
}

#[test]
fn a_source_that_would_need_quoting_is_refused_and_nothing_is_written() {
    for bad in [
        "https://github.com/acme/esc;touch pwned",
        "https://github.com/acme/$(id)",
        "https://github.com/acme/esc\"",
        "https://github.com/acme/esc #comment",
        "https://github.com/acme/esc@",
        "git@github.com:acme/esc",
        "https://github.com/",
    ] {
        let root = TestRepo::empty();
        let run = root.esc(&["init", "team", "--esc-source", bad]);
        run.code(2)
            .stderr_has(&["--esc-source", "expected a git URL"]);
        assert!(root.snapshot().is_empty(), "wrote files for {bad:?}\n{run}");
        assert!(!root.abs("team").exists(), "{run}");
    }
    // In the current directory: nothing written there either, and no git init.
    let root = TestRepo::empty();
    root.esc(&["init", "--esc-source", "https://x.example/a/b'"])
        .code(2);
    assert!(root.snapshot().is_empty());
    assert!(!root.abs(".git").exists());
}

/// The commented examples in what init writes are valid as they stand once uncommented:
/// esc.yaml's roles, RACI, sponsors, severities and targets (esc check reads them), and
/// pre-commit's local hook.
#[test]
fn the_commented_examples_are_valid_once_uncommented() {
    let root = TestRepo::empty();
    root.esc(&["init", "team"]).code(0);
    let config = root.read("team/esc.yaml");
    let filled: String = config
        .lines()
        .map(|l| {
            let body = l.strip_prefix("# ").unwrap_or(l);
            // Only the example keys and their indented lines, not the prose.
            if body.starts_with("people:")
                || body.starts_with("raci:")
                || body.starts_with("sponsors:")
                || body.starts_with("severities:")
                || body.starts_with("targets:")
                || body.starts_with("id_prefix:")
                || body.starts_with("repositories:")
                || (body.starts_with("  ") && l.starts_with("# "))
            {
                format!("{body}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert!(filled.contains("\npeople:\n"), "{filled}");
    let root = root.write("team/esc.yaml", &filled);
    let config = yaml(&root.abs("team"), "esc.yaml");
    assert_eq!(config["people"].as_object().map(|m| m.len()), Some(7));
    assert_eq!(config["raci"]["*"]["informed"][0], "team_manager");
    let levels = ["critical", "high", "medium", "low"];
    for level in levels {
        assert!(config["severities"][level].is_string(), "{level}: {filled}");
    }
    let targets = config["targets"].as_object().expect("targets");
    assert_eq!(targets.len(), 5, "{filled}");
    assert_eq!(
        config["targets"]["critical"]["tell"],
        serde_json::json!(["team_manager", "regional_leadership"])
    );
    assert_eq!(config["id_prefix"], "EMEA");
    assert_eq!(config["repositories"][1], "../escalations-apac");
    root.esc(&["-C", "team", "check"])
        .code(0)
        .stdout_has(&["no problems"]);

    let pc = root.read(&format!("team/{PC}"));
    let local = yaml_text(&uncommented_after(&pc, "above with these."), "local hook");
    let hook = &local["repos"][0]["hooks"][0];
    assert_eq!(local["repos"][0]["repo"], "local");
    assert_eq!(hook["id"], "esc-check");
    assert_eq!(hook["language"], "system");
    assert_eq!(hook["entry"], "esc check");
}

pub use crate::support::tool;

/// The hook for real: `pre-commit install`, then a commit of a valid escalation goes in and
/// a commit of a broken one is refused, with the local hook init writes as a comment (esc
/// from this build, so it runs offline).
#[test]
fn the_pre_commit_hook_lets_a_good_commit_in_and_refuses_a_bad_one() {
    let Some(pre_commit) = tool("pre-commit") else {
        return;
    };
    let root = TestRepo::empty();
    root.esc(&["init", "team"]).code(0);
    let dir = root.abs("team");
    let pc = root.read(&format!("team/{PC}"));
    let local = uncommented_after(&pc, "above with these.").replace(
        "entry: esc check",
        &format!(
            "entry: {} check --today 2026-11-26",
            env!("CARGO_BIN_EXE_esc")
        ),
    );
    let root = root.write(&format!("team/{PC}"), &local);
    let cache = tempfile::tempdir().expect("pre-commit home");
    let envs = [
        ("PRE_COMMIT_HOME", cache.path().to_str().expect("utf-8")),
        ("GIT_AUTHOR_NAME", "Dana Whitfield"),
        ("GIT_AUTHOR_EMAIL", "dana@example.com"),
        ("GIT_COMMITTER_NAME", "Dana Whitfield"),
        ("GIT_COMMITTER_EMAIL", "dana@example.com"),
    ];
    let git = |args: &[&str]| git_in(&dir, args, &envs);
    let install = Command::new(&pre_commit)
        .arg("install")
        .current_dir(&dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .envs(envs)
        .output()
        .expect("pre-commit install");
    assert!(install.status.success(), "{install:?}");

    let good = path_for("ESC-2611-AAAA");
    let root = root.write(&format!("team/{good}"), &raised("ESC-2611-AAAA"));
    git(&["add", "."]);
    let out = git(&["commit", "-q", "-m", "first escalation"]);
    assert!(
        out.status.success(),
        "the hook refused a valid escalation:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let head = git(&["rev-parse", "HEAD"]).stdout;

    let _root = root.write(
        &format!("team/{good}"),
        &raised("ESC-2611-AAAA").replace("owner_role: architect", "owner_role: janitor"),
    );
    git(&["add", &good]);
    let out = git(&["commit", "-q", "-m", "a broken escalation"]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.status.success(),
        "the hook let a broken escalation in:\n{said}"
    );
    assert!(
        said.contains("owner_role") && said.contains("janitor"),
        "{said}"
    );
    assert_eq!(git(&["rev-parse", "HEAD"]).stdout, head, "HEAD moved");
}

/// The scheduled job's scripts, run in order as the host would (bash -e -o pipefail), with
/// this build's esc on PATH (pinned to the tests' day): on the demo, where things are due, the
/// reports, drafts and weekly report are written and only the last step fails, and not at all
/// with ESC_FAIL_WHEN_DUE=false; in a new repository, where nothing is due, every step passes.
#[test]
fn the_scheduled_job_s_scripts_report_keep_the_drafts_and_fail_last() {
    let bin = tempfile::tempdir().expect("bin");
    let wrapper = bin.path().join("esc");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nexec '{}' --today 2026-11-26 \"$@\"\n",
            env!("CARGO_BIN_EXE_esc")
        ),
    )
    .expect("wrapper");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // (script, the step's condition holds) for each step that runs a script.
    let run_steps = |dir: &Path, steps: &[(String, bool)], env: &[(&str, String)]| -> Vec<i32> {
        steps
            .iter()
            .filter(|(_, runs)| *runs)
            .map(|(script, _)| {
                let out = Command::new("bash")
                    .args([
                        "--noprofile",
                        "--norc",
                        "-e",
                        "-o",
                        "pipefail",
                        "-c",
                        script,
                    ])
                    .current_dir(dir)
                    .env("PATH", &path)
                    .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
                    .output()
                    .expect("bash");
                out.status.code().unwrap_or(-1)
            })
            .collect()
    };
    let github = |dir: &Path, fail_when_due: &str| {
        let gh = yaml(dir, GH_DUE);
        let steps: Vec<(String, bool)> = gh["jobs"]["due"]["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter_map(|s| {
                let script = s["run"].as_str()?.to_string();
                let runs = match s["if"].as_str() {
                    None => true,
                    // The install: esc is here already.
                    Some(c) if c.contains("esc-cache") => false,
                    Some(c) => {
                        assert_eq!(c, "env.ESC_FAIL_WHEN_DUE == 'true'");
                        fail_when_due == "true"
                    }
                };
                Some((script, runs))
            })
            .collect();
        let summary = dir.join("summary.md");
        std::fs::write(&summary, "").expect("summary");
        let codes = run_steps(
            dir,
            &steps,
            &[
                ("GITHUB_STEP_SUMMARY", summary.display().to_string()),
                ("ESC_FAIL_WHEN_DUE", fail_when_due.to_string()),
            ],
        );
        (codes, std::fs::read_to_string(&summary).expect("summary"))
    };
    let azure = |dir: &Path, staging: &Path| {
        let az = yaml(dir, AZ_DUE);
        let steps: Vec<(String, bool)> = az["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter_map(|s| {
                let script = s["script"]
                    .as_str()?
                    .replace(
                        "$(Build.ArtifactStagingDirectory)",
                        &staging.display().to_string(),
                    )
                    .replace(
                        "$(System.DefaultWorkingDirectory)",
                        &dir.display().to_string(),
                    );
                let runs = !script.starts_with("cargo install");
                Some((script, runs))
            })
            .collect();
        run_steps(dir, &steps, &[])
    };

    let demo = crate::template_support::demo();
    demo.esc(&["init"]).code(0);
    let dir = demo.path();
    let (codes, summary) = github(dir, "true");
    assert_eq!(codes, [0, 0, 0, 1], "{summary}");
    assert!(summary.contains("Sam Ortiz"), "{summary}");
    let drafts: Vec<_> = std::fs::read_dir(dir.join("due-drafts"))
        .expect("due-drafts")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(drafts.iter().any(|f| f.ends_with(".eml")), "{drafts:?}");
    assert!(demo.read("weekly-report.md").starts_with('#'));
    let (codes, _) = github(dir, "false");
    assert_eq!(codes, [0, 0, 0], "no failing step when a team only reports");
    let staging = tempfile::tempdir().expect("staging");
    assert_eq!(azure(dir, staging.path()), [0, 0, 0, 0, 1]);
    assert!(demo.read("due.md").contains("Sam Ortiz"));
    assert!(staging.path().join("weekly-report.md").is_file());
    assert!(staging.path().join("due-drafts").is_dir());

    let fresh = TestRepo::empty();
    fresh.esc(&["init"]).code(0);
    let (codes, summary) = github(fresh.path(), "true");
    assert_eq!(codes, [0, 0, 0, 0], "{summary}");
    let staging = tempfile::tempdir().expect("staging");
    assert_eq!(azure(fresh.path(), staging.path()), [0, 0, 0, 0, 0]);
}
