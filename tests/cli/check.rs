//! `esc check` on whole repositories: the bundled samples, every problem in every file, the
//! process against the schema, and the cases where it cannot run at all (exit 2).

use crate::support::{TestRepo, path_for, raised};

#[test]
fn bundled_samples_are_clean() {
    let repo = TestRepo::with_samples();
    let dir = repo.path().to_str().expect("utf-8 path").to_string();
    // From elsewhere, with -C.
    TestRepo::empty()
        .esc(&["-C", &dir, "check"])
        .code(0)
        .stdout_has(&["10 files checked, no problems"]);
}

#[test]
fn check_given_paths_only() {
    let repo = TestRepo::with_samples();
    repo.esc(&["check", "escalations/2026-11"])
        .code(0)
        .stdout_has(&["4 files checked, no problems"]);
    repo.esc(&["check", "escalations/2026-10/ESC-2610-7FJX.md"])
        .code(0)
        .stdout_has(&["1 file checked, no problems"]);
    // A path outside the repository is a usage error.
    let other = TestRepo::empty();
    let outside = other.path().to_str().expect("utf-8 path");
    repo.esc(&["check", outside])
        .code(2)
        .stderr_has(&["is outside the escalation repository"]);
}

#[test]
fn every_problem_in_every_file_sorted_by_file_then_line() {
    let a = "ESC-2611-AAAA";
    let b = "ESC-2610-BBBB";
    let text_a = raised(a)
        .replace("customer: Contoso Ltd", "customer: 42")
        .replace("owner_role: architect", "owner_role: architcet")
        .replace("date: 2026-11-02", "date: 2026-11-31")
        .replace("source: account-team", "source: acount-team");
    let text_b = raised(b)
        .replace("step: raised", "step: rased")
        .replace("segment: S1500", "segmnt: S1500");
    // Written in the opposite order to the one they are reported in.
    let repo = TestRepo::new()
        .escalation(a, &text_a)
        .escalation("ESC-2611-K7QD", &raised("ESC-2611-K7QD"))
        .escalation(b, &text_b);
    let run = repo.esc(&["check", "--format", "json"]);
    run.code(1);
    let got: Vec<(String, u64, u64, String, String)> = run
        .json()
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().expect("file").to_string(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
                d["rule"].as_str().expect("rule").to_string(),
                d["field"].as_str().expect("field").to_string(),
            )
        })
        .collect();
    let (fa, fb) = (path_for(a), path_for(b));
    let want = |f: &str, l, c, r: &str, fld: &str| (f.to_string(), l, c, r.into(), fld.into());
    assert_eq!(
        got,
        vec![
            want(&fb, 6, 1, "schema.required", "segment"),
            want(&fb, 6, 7, "schema.enum", "step"),
            want(&fb, 7, 1, "unknown-key", "segmnt"),
            want(&fa, 5, 11, "schema.type", "customer"),
            want(&fa, 9, 13, "schema.enum", "owner_role"),
            want(&fa, 11, 9, "schema.format", "raised.date"),
            want(&fa, 12, 11, "schema.enum", "raised.source"),
        ],
        "{run}"
    );
    // The human format lists the same, with the summary.
    let human = repo.esc(&["check"]);
    human
        .code(1)
        .stdout_has(&["3 files checked, 7 problems in 2 files"]);
    assert_eq!(human.headlines().len(), 7, "{human}");
}

#[test]
fn process_that_renames_a_step_disagrees_with_the_schema() {
    let process = "\
timezone: Europe/Berlin
process:
  steps:
    - { id: raised, name: Escalation raised }
    - { id: gathering, name: Information gathering }
    - { id: validation, name: Issue validation }
    - { id: stakeholders, name: Stakeholder management }
    - { id: managing, name: Escalation management }
    - { id: resolution, name: Resolution and review }
  closed: closed
  back:
    validation: [gathering]
  reopen: [gathering, validation]
  outcomes:
    resolved: [resolution]
    withdrawn: [\"*\"]
    duplicate: [\"*\"]
";
    let repo = TestRepo::new()
        .escalation("ESC-2611-K7QD", &raised("ESC-2611-K7QD"))
        .write("esc.yaml", process);
    repo.esc(&["check"]).code(1).stdout_has(&[
        "esc.yaml:1:1: error[process-schema]: step `managing` is in the process but not in the schema's `step` enum",
        "esc.yaml:1:1: error[process-schema]: step `management` is in the schema's `step` enum but not in the process",
        "2 problems in 1 file",
    ]);
    // The same process with the schema's step names agrees.
    let repo = repo.write(
        "esc.yaml",
        &process.replace("id: managing", "id: management"),
    );
    repo.esc(&["check"]).code(0);
}

#[test]
fn not_an_escalation_repository() {
    let repo = TestRepo::empty();
    repo.esc(&["check"])
        .code(2)
        .stderr_has(&["esc: error: no escalation repository here", "esc init"]);
    assert!(repo.snapshot().is_empty(), "check wrote something");
}

#[test]
fn invalid_config_unknown_key() {
    // `esc check` reports a bad esc.yaml as a problem in the data (exit 1, with its line);
    // other commands cannot run with it (exit 2).
    let repo = TestRepo::new()
        .escalation("ESC-2611-K7QD", &raised("ESC-2611-K7QD"))
        .write("esc.yaml", "timezone: UTC\ntimezon: Europe/Berlin\n");
    repo.esc(&["check"])
        .code(1)
        .stdout_has(&[
            "esc.yaml:2:1: error[config]: unknown field `timezon`",
            "expected one of timezone",
        ])
        .lacks("at line 2");
    repo.esc(&["list"])
        .code(2)
        .stderr_has(&["esc.yaml:2:1: unknown field `timezon`"]);
}

#[test]
fn invalid_config_values() {
    let repo = TestRepo::new().write("esc.yaml", "timezone: Mars/Olympus_Mons\n");
    repo.esc(&["check"]).code(1).stdout_has(&[
        "esc.yaml:1:1: error[config]: timezone: expected an IANA time zone",
        "found `Mars/Olympus_Mons`",
    ]);
    let repo = repo.write("esc.yaml", "working_days: [mon, tue, funday]\n");
    repo.esc(&["check"]).code(1).stdout_has(&[
        "esc.yaml:1:1: error[config]: working_days",
        "found `funday`",
    ]);
    let repo = repo.write("esc.yaml", "severity_policy:\n  notify: critical\n");
    repo.esc(&["check"]).code(1).stdout_has(&["esc.yaml:2:11:"]);
    repo.esc(&["show", "x"])
        .code(2)
        .stderr_has(&["esc.yaml:2:11:"]);
}

#[test]
fn invalid_repository_schema() {
    let repo = TestRepo::new()
        .escalation("ESC-2611-K7QD", &raised("ESC-2611-K7QD"))
        .write("schemas/escalation.schema.json", "{\"type\": \"object\",\n");
    repo.esc(&["check"])
        .code(2)
        .stderr_has(&["schema schemas/escalation.schema.json: not valid JSON at line 2"]);
    let repo = repo.write("schemas/escalation.schema.json", "{\"type\": 12}\n");
    repo.esc(&["check"])
        .code(2)
        .stderr_has(&["schema schemas/escalation.schema.json: not a valid JSON Schema 2020-12"]);
}

#[test]
fn unknown_format_is_a_usage_error() {
    let repo = TestRepo::new().escalation("ESC-2611-K7QD", &raised("ESC-2611-K7QD"));
    repo.esc(&["check", "--format", "bogus"])
        .code(2)
        .stderr_has(&[
            "invalid value 'bogus' for '--format",
            "human, json, github, azure",
        ]);
    repo.esc_raw(&["check", "--today", "26.11.2026"])
        .code(2)
        .stderr_has(&["expected a date as YYYY-MM-DD, found `26.11.2026`"]);
}

/// One wrong date is one problem: a date in the future is reported as such, and the dates
/// after it are not also "before" it.
#[test]
fn a_future_date_is_one_problem_not_four() {
    let id = "ESC-2611-K7QD";
    let text = crate::git_support::filled(id, "management")
        .replace("occurred: 2026-11-01", "occurred: 2027-01-01");
    let repo = TestRepo::new().escalation(id, &text);
    let run = repo.esc(&["check"]);
    run.code(1)
        .stdout_has(&["error[future-date]", "1 problem in 1 file"]);
    run.lacks("date-order");
}

/// What PyYAML (YAML 1.1, as python-frontmatter and check-jsonschema read) makes of the
/// front matter's `title`: its Python type name. None where PyYAML is skipped.
fn pyyaml_title_type(text: &str) -> Option<String> {
    if std::env::var_os("ESC_SKIP_PYYAML").is_some() {
        return None;
    }
    let yaml = text.split("---\n").nth(1).expect("front matter");
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, yaml; print(type(yaml.safe_load(sys.stdin.read())['title']).__name__)",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(yaml.as_bytes())?;
            child.wait_with_output()
        })
        .expect("python3 with PyYAML (set ESC_SKIP_PYYAML=1 to skip)");
    assert!(out.status.success(), "PyYAML failed on:\n{yaml}");
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Text other YAML readers take for another type is reported with the quoted fix; the fix
/// passes esc and reads as text in PyYAML; text every reader agrees on passes.
#[test]
fn ambiguous_scalars_get_the_quoted_fix() {
    let id = "ESC-2611-K7QD";
    let base = raised(id);
    for (plain, reading) in [
        ("012345", "a number"),
        ("1_000", "a number"),
        ("1:20", "a number"),
        ("yes", "a boolean"),
        ("off", "a boolean"),
        ("2026-11-05 10:30:00", "a date and time"),
    ] {
        let text = base.replace(
            "title: Mailbox migration stalled at 40%",
            &format!("title: {plain}"),
        );
        if let Some(t) = pyyaml_title_type(&text) {
            assert_ne!(
                t, "str",
                "PyYAML reads `{plain}` as text: the rule would be wrong"
            );
        }
        let repo = TestRepo::new().escalation(id, &text);
        let run = repo.esc(&["check", "--format", "json"]);
        run.code(1);
        let problems = run.json();
        let p = &problems[0];
        assert_eq!(problems.as_array().map(Vec::len), Some(1), "{problems}");
        assert_eq!(p["rule"], "ambiguous-scalar", "{p}");
        assert_eq!(
            (p["line"].as_u64(), p["column"].as_u64()),
            (Some(4), Some(8)),
            "{p}"
        );
        assert_eq!(p["field"], "title");
        let message = p["message"].as_str().unwrap_or_default();
        assert!(message.contains(reading), "{message}");
        let fixed = format!("'{plain}'");
        assert!(
            message.contains(&format!("quote it: `{fixed}`")),
            "{message}"
        );

        let text = text.replace(&format!("title: {plain}"), &format!("title: {fixed}"));
        if let Some(t) = pyyaml_title_type(&text) {
            assert_eq!(t, "str", "the fix for `{plain}`");
        }
        TestRepo::new()
            .escalation(id, &text)
            .esc(&["check"])
            .code(0);
    }
    for fine in [
        "2026-11-05 review",
        "2026-11-05 10:30",
        "KB5031356",
        "1.2.3",
        "No access",
        "'yes'",
    ] {
        let text = base.replace(
            "title: Mailbox migration stalled at 40%",
            &format!("title: {fine}"),
        );
        if let Some(t) = pyyaml_title_type(&text) {
            assert_eq!(t, "str", "`{fine}`");
        }
        TestRepo::new()
            .escalation(id, &text)
            .esc(&["check"])
            .code(0);
    }
    // What esc itself reads as a number is a type error with the same fix, said once.
    let text = base.replace("title: Mailbox migration stalled at 40%", "title: 0x1F");
    let run = TestRepo::new().escalation(id, &text).esc(&["check"]);
    run.code(1).stdout_has(&[
        "error[schema.type]",
        "put it in quotes",
        "1 problem in 1 file",
    ]);
    // In flow context, too, where it is.
    let text = base.replace(
        "owner_role: architect\n",
        "owner_role: architect\ncontacts: { product_group: on }\n",
    );
    let run = TestRepo::new().escalation(id, &text).esc(&["check"]);
    run.code(1).stdout_has(&[
        ":10:",
        "error[ambiguous-scalar]",
        "`contacts.product_group`",
        "'on'",
    ]);
}

/// The playbook's owners: an executive escalation is the architect's; where esc.yaml lists
/// the people of a role, the owner is one of them (matched by address, in any case).
#[test]
fn owners_follow_the_playbook_and_the_people_of_esc_yaml() {
    let id = "ESC-2611-K7QD";
    let executive = raised(id)
        .replace("source: account-team", "source: slt-executive")
        .replace("owner_role: architect", "owner_role: manager-health");
    let run = TestRepo::new().escalation(id, &executive).esc(&["check"]);
    run.code(1).stdout_has(&[
        ":9:13: error[executive-owner]",
        "set `owner_role: architect`",
    ]);
    // No people listed: any owner passes.
    TestRepo::new()
        .escalation(id, &raised(id))
        .esc(&["check"])
        .code(0);
    let people =
        "people:\n  architect: [Sam Ortiz <sam@example.com>, Lee Chen <lee@example.com>]\n";
    let run = TestRepo::new()
        .write("esc.yaml", people)
        .escalation(id, &raised(id))
        .esc(&["check"]);
    run.code(1).stdout_has(&[
        ":8:8: error[owner-role]",
        "`Dana Whitfield` is not among the people of `architect` in esc.yaml (Sam Ortiz, Lee Chen)",
    ]);
    let owner = raised(id).replace(
        "owner: Dana Whitfield <dana@example.com>",
        "owner: S. Ortiz <SAM@example.com>",
    );
    TestRepo::new()
        .write("esc.yaml", people)
        .escalation(id, &owner)
        .esc(&["check"])
        .code(0);
    // A Manager Health owner is checked against fasttrack_manager_health, not architects.
    let health = raised(id).replace("owner_role: architect", "owner_role: manager-health");
    TestRepo::new()
        .write("esc.yaml", people)
        .escalation(id, &health)
        .esc(&["check"])
        .code(0);
}
