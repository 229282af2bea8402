//! The fast paths must give what the full YAML parse gives. The timeline's line scan of `step`: over a
//! generated history (bench/gen.py: hundreds of escalations, thousands of commits, merges,
//! moves back and reopenings), `esc list --format json` is compared with `ESC_FULL_PARSE=1`,
//! which turns the scan off. The tricky YAML forms are covered one by one in history.rs.

use crate::support::{TODAY, manifest_dir};
use std::process::Command;

fn esc_json(dir: &std::path::Path, full: bool) -> serde_json::Value {
    esc_json_env(dir, full, &[])
}

fn esc_json_env(dir: &std::path::Path, full: bool, env: &[(&str, &str)]) -> serde_json::Value {
    // Each run starts without the cache, so the whole history is read.
    let _ = std::fs::remove_dir_all(dir.join(".git/esc"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_esc"));
    cmd.args([
        "-C",
        &dir.to_string_lossy(),
        "--today",
        TODAY,
        "list",
        "--format",
        "json",
    ])
    .env("GIT_CONFIG_GLOBAL", "/dev/null")
    .env("GIT_CONFIG_NOSYSTEM", "1");
    if full {
        cmd.env("ESC_FULL_PARSE", "1");
    } else {
        cmd.env_remove("ESC_FULL_PARSE");
    }
    cmd.env_remove("ESC_HISTORY_RUN").envs(env.iter().copied());
    let out = cmd.output().expect("run esc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// A repository from bench/gen.py with `args`, in a new temporary folder (kept alive by the
/// returned guard).
fn generated(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("repo");
    let out = Command::new("python3")
        .arg(manifest_dir().join("bench/gen.py"))
        .arg(&dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("python3 bench/gen.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, dir)
}

#[test]
fn the_line_scan_gives_what_the_full_parse_gives_over_a_generated_history() {
    let (_tmp, dir) = generated(&["--escalations", "150", "--commits", "1500", "--seed", "3"]);
    let fast = esc_json(&dir, false);
    let full = esc_json(&dir, true);
    let list = fast.as_array().expect("array");
    assert_eq!(list.len(), 150);
    // Real timelines: every escalation entered at least `raised`, most moved further.
    let entered: usize = list
        .iter()
        .map(|e| e["timeline"]["entered"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(entered > 150 * 3, "only {entered} steps entered");
    // And real activity: meetings, actions added and done, notices, status updates.
    let kinds: Vec<&str> = list
        .iter()
        .flat_map(|e| e["timeline"]["activity"].as_array().into_iter().flatten())
        .filter_map(|a| a["kind"].as_str())
        .collect();
    for kind in [
        "meeting",
        "action-added",
        "action-done",
        "notice",
        "status",
        "severity",
    ] {
        let n = kinds.iter().filter(|k| **k == kind).count();
        assert!(n >= 10, "only {n} `{kind}` in the generated history");
    }
    assert_eq!(fast, full, "the line scan and the full parse disagree");
}

#[test]
fn history_read_in_parallel_runs_gives_what_one_run_gives() {
    // The history is read in runs of consecutive commits on all cores; each run starts
    // from its first commit's parent. Runs of 7 and 100 commits must give exactly what one
    // run over all 1,500 gives.
    let (_tmp, dir) = generated(&["--escalations", "120", "--commits", "1500", "--seed", "9"]);
    let one = esc_json_env(&dir, false, &[("ESC_HISTORY_RUN", "100000")]);
    assert!(
        one.as_array().is_some_and(|a| a.len() == 120),
        "expected 120 escalations"
    );
    for run in ["7", "100"] {
        let many = esc_json_env(&dir, false, &[("ESC_HISTORY_RUN", run)]);
        assert_eq!(one, many, "runs of {run} commits disagree with one run");
    }
}

#[test]
fn esc_check_finds_the_same_with_and_without_the_fast_parse() {
    let (_tmp, dir) = generated(&["--escalations", "400", "--defects", "0.3", "--seed", "5"]);
    let run = |full: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_esc"));
        cmd.args([
            "-C",
            &dir.to_string_lossy(),
            "--today",
            TODAY,
            "check",
            "--format",
            "json",
        ]);
        if full {
            cmd.env("ESC_FULL_PARSE", "1");
        } else {
            cmd.env_remove("ESC_FULL_PARSE");
        }
        let out = cmd.output().expect("run esc");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("json")
    };
    let (fast, full) = (run(false), run(true));
    assert!(
        fast.as_array().map_or(0, Vec::len) >= 100,
        "defects found: {fast}"
    );
    assert_eq!(fast, full, "the fast parse and the full parse disagree");
}

/// A past week's report reads the timelines as of that week's end by cutting HEAD's (from the
/// cache) where the week ends; over a generated history with merges, moves back and
/// reopenings that gives, byte for byte, what a walk from the first commit to that week's
/// end gives (`ESC_TIMELINES_AT_WALK=1`).
#[test]
fn a_past_week_from_the_cache_is_the_same_as_walked() {
    let (_tmp, dir) = generated(&["--escalations", "120", "--commits", "1200", "--seed", "5"]);
    let report = |walk: bool, week: &str| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_esc"));
        cmd.args(["report", "--week", week, "--today", "2026-11-26"])
            .current_dir(&dir)
            .env_remove("ESC_FULL_PARSE");
        if walk {
            cmd.env("ESC_TIMELINES_AT_WALK", "1");
        } else {
            cmd.env_remove("ESC_TIMELINES_AT_WALK");
        }
        let out = cmd.output().expect("run esc");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    for week in ["2026-W40", "2026-W45", "2026-W47"] {
        let cut = report(false, week);
        assert!(cut.contains("## What changed this week"), "{cut}");
        assert_eq!(cut, report(true, week), "{week}");
    }
}
