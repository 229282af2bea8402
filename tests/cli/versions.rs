//! Schema versions: a new required field must not turn closed escalations red.

use crate::support::{TestRepo, manifest_dir, path_for, raised};
use serde_json::{Value, json};

const CLOSED: &str = "ESC-2608-3MWR";
const OPEN: &str = "ESC-2611-W6FB";

/// The crate's schema (version 1) kept as `escalation.v1.schema.json`, and a version 2 that
/// requires a new top-level field `region` as the current one.
fn repo_at_v2() -> TestRepo {
    let v1 = std::fs::read_to_string(manifest_dir().join("schemas/escalation.schema.json"))
        .expect("read schema");
    let mut v2: Value = serde_json::from_str(&v1).expect("schema is JSON");
    assert_eq!(
        v2["$defs"]["esc_version"]["const"], 1,
        "the bundled schema is v1"
    );
    v2["$defs"]["esc_version"]["const"] = json!(2);
    v2["$id"] = json!("https://esc.example/schemas/escalation/v2");
    v2["required"]
        .as_array_mut()
        .expect("required")
        .push(json!("region"));
    v2["properties"]["region"] = json!({
        "description": "Sales region that owns the customer.",
        "type": "string",
        "enum": ["emea", "americas", "apac"]
    });
    TestRepo::empty()
        .write("schemas/escalation.v1.schema.json", &v1)
        .write(
            "schemas/escalation.schema.json",
            &serde_json::to_string_pretty(&v2).expect("serialise"),
        )
        .sample(CLOSED)
        .sample(OPEN)
}

fn with_region(text: &str) -> String {
    text.replacen("\ncustomer: ", "\nregion: emea\ncustomer: ", 1)
}

#[test]
fn closed_escalation_written_for_v1_still_passes() {
    let repo = repo_at_v2().escalation(OPEN, &with_region(&sample_text(OPEN)));
    repo.esc(&["check"])
        .code(0)
        .stdout_has(&["2 files checked, no problems"]);
}

#[test]
fn open_escalation_written_for_v1_needs_the_new_field() {
    let repo = repo_at_v2();
    let rel = path_for(OPEN);
    let run = repo.esc(&["check"]);
    run.code(1).stdout_has(&[
        &format!("{rel}:6:1: error[schema.required]: `region` is missing: it is always required"),
        "Sales region that owns the customer",
        "2 files checked, 1 problem in 1 file",
    ]);
}

#[test]
fn closed_escalation_claiming_v2_needs_the_new_field() {
    let repo = repo_at_v2();
    let closed = sample_text(CLOSED).replacen("schema: 1", "schema: 2", 1);
    let repo = repo
        .escalation(CLOSED, &closed)
        .escalation(OPEN, &with_region(&sample_text(OPEN)));
    repo.esc(&["check"]).code(1).stdout_has(&[
        &format!(
            "{}:6:1: error[schema.required]: `region` is missing",
            path_for(CLOSED)
        ),
        "2 files checked, 1 problem in 1 file",
    ]);
}

#[test]
fn closed_escalation_without_a_version_is_checked_against_the_current_schema() {
    let repo = repo_at_v2();
    let closed = sample_text(CLOSED).replacen("schema: 1\n", "", 1);
    let repo = repo
        .escalation(CLOSED, &closed)
        .escalation(OPEN, &with_region(&sample_text(OPEN)));
    repo.esc(&["check"]).code(1).stdout_has(&[&format!(
        "{}:5:1: error[schema.required]: `region`",
        path_for(CLOSED)
    )]);
}

#[test]
fn v1_escalation_may_not_use_the_v2_field() {
    // v1 knows no `region`: a closed v1 file that has it is refused by v1.
    let closed = with_region(&sample_text(CLOSED));
    let repo = repo_at_v2().escalation(CLOSED, &closed);
    repo.esc(&["check", "escalations/2026-08"])
        .code(1)
        .stdout_has(&["error[unknown-key]: unknown key `region`"]);
}

#[test]
fn older_schema_must_have_a_lower_version() {
    let repo = repo_at_v2();
    let current = repo.read("schemas/escalation.schema.json");
    let repo = repo.write("schemas/escalation.v1.schema.json", &current);
    repo.esc(&["check"]).code(2).stderr_has(&[
        "schema schemas/escalation.v1.schema.json",
        "must have an esc_version below the current one (2); found 2",
    ]);
}

#[test]
fn schema_command_prints_the_repository_schema() {
    let repo = repo_at_v2();
    let run = repo.esc(&["schema"]);
    run.code(0);
    assert_eq!(run.json()["$defs"]["esc_version"]["const"], 2);
    // Without a repository schema, the embedded one (v1).
    let plain = TestRepo::new();
    std::fs::remove_dir_all(plain.abs("schemas")).expect("rm schemas");
    let run = plain.esc(&["schema"]);
    run.code(0);
    let embedded: Value = serde_json::from_str(
        &std::fs::read_to_string(manifest_dir().join("schemas/escalation.schema.json"))
            .expect("read schema"),
    )
    .expect("JSON");
    assert_eq!(run.json(), embedded);
    // The embedded schema checks a repository without schemas/ too.
    plain
        .escalation("ESC-2611-K7QD", &raised("ESC-2611-K7QD"))
        .esc(&["check"])
        .code(0);
}

/// A sample's text from this crate.
fn sample_text(id: &str) -> String {
    std::fs::read_to_string(manifest_dir().join(path_for(id))).expect("read sample")
}
