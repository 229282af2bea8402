//! `esc check --base REV`, the pull-request check: on a branch of a real repository, the
//! escalations that differ from the merge base (committed, staged, modified or untracked) are
//! checked, and so are the moves between steps they make.

use crate::git_support::{GitExt, committed, filled, with_step};
use crate::support::{Run, TestRepo, path_for, raised};

/// At validation.
const A: &str = "ESC-2611-AAAA";
/// Closed as resolved.
const B: &str = "ESC-2611-BBBB";
/// At gathering.
const C: &str = "ESC-2611-CCCC";
/// Broken on main (committed before the branch): only a full check sees it.
const E: &str = "ESC-2611-EEEE";

/// `main` with A, B and C, then a branch `pr`.
fn pr() -> TestRepo {
    let repo = committed(&[
        (A, &filled(A, "validation")),
        (B, &filled(B, "closed")),
        (C, &with_step(&raised(C), "gathering")),
    ]);
    repo.git(&["switch", "-q", "-c", "pr"]);
    repo
}

/// Writes `text` over the escalation `id` without consuming the repository.
fn put(repo: &TestRepo, id: &str, text: &str) {
    std::fs::write(repo.abs(&path_for(id)), text).expect("write");
}

fn base(repo: &TestRepo) -> Run {
    repo.esc(&["check", "--base", "main"])
}

/// Asserts exit 1 and that the problems are exactly `want`, as (file, line, column, rule)
/// from `--format json`.
#[track_caller]
fn problems(repo: &TestRepo, want: &[(&str, u64, u64, &str)]) -> Vec<serde_json::Value> {
    let run = repo.esc(&["check", "--base", "main", "--format", "json"]);
    run.code(if want.is_empty() { 0 } else { 1 });
    let json = run.json();
    let list = json.as_array().expect("an array").clone();
    let got: Vec<(String, u64, u64, String)> = list
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap_or_default().to_string(),
                p["line"].as_u64().unwrap_or_default(),
                p["column"].as_u64().unwrap_or_default(),
                p["rule"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, u64, u64, String)> = want
        .iter()
        .map(|(f, l, c, r)| (f.to_string(), *l, *c, r.to_string()))
        .collect();
    assert_eq!(got, want, "{run}");
    list
}

#[test]
fn a_valid_forward_move_passes() {
    let repo = pr();
    put(&repo, A, &filled(A, "management"));
    // Only the changed file is read.
    base(&repo)
        .code(0)
        .stdout_has(&["1 file checked, no problems"]);
    // Committed on the branch: the same.
    repo.commit_all("A: management");
    base(&repo)
        .code(0)
        .stdout_has(&["1 file checked, no problems"]);
    // Nothing changed at all.
    let repo2 = pr();
    base(&repo2)
        .code(0)
        .stdout_has(&["0 files checked, no problems"]);
}

#[test]
fn a_forward_move_whose_guard_fails_points_at_the_missing_fields() {
    let repo = pr();
    // C (gathering, nothing gathered) straight to validation.
    put(&repo, C, &with_step(&raised(C), "validation"));
    let rel = path_for(C);
    let list = problems(&repo, &[(&rel, 6, 1, "schema.required")]);
    assert!(
        list[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("`gathering` is missing")
    );
}

#[test]
fn a_move_back_needs_a_new_reason() {
    let repo = pr();
    let rel = path_for(A);
    put(&repo, A, &filled(A, "gathering"));
    let list = problems(&repo, &[(&rel, 6, 7, "transition")]);
    assert_eq!(list[0]["field"], "step");
    let msg = list[0]["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("`step` changed from `validation` to `gathering`")
            && msg.contains("needs a reason: write it in `step_reason:`"),
        "{msg}"
    );
    let run = base(&repo);
    run.code(1).stdout_has(&[
        &format!("{rel}:6:7: error[transition]: "),
        "6 | step: gathering",
    ]);
    // With a reason: passes.
    let with_reason = filled(A, "gathering").replacen(
        "step: gathering\n",
        "step: gathering\nstep_reason: The customer disputes the scope\n",
        1,
    );
    put(&repo, A, &with_reason);
    problems(&repo, &[]);
    // Committed, then moved forward and back again on main: the old reason does not count
    // for a new move.
    repo.commit_all("A: back to gathering");
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["merge", "-q", "pr"]);
    let fwd = with_reason.replacen("step: gathering\n", "step: validation\n", 1);
    put(&repo, A, &fwd);
    repo.commit_all("A: validation again");
    repo.git(&["switch", "-q", "-C", "pr"]);
    put(&repo, A, &with_reason);
    problems(&repo, &[(&rel, 6, 7, "transition")]);
    put(
        &repo,
        A,
        &with_reason.replace("The customer disputes the scope", "Still disputed"),
    );
    problems(&repo, &[]);
}

#[test]
fn a_move_the_process_forbids_fails_even_with_a_reason() {
    let repo = pr();
    let rel = path_for(A);
    let text = filled(A, "raised").replacen(
        "step: raised\n",
        "step: raised\nstep_reason: Start over\n",
        1,
    );
    put(&repo, A, &text);
    let list = problems(&repo, &[(&rel, 6, 7, "transition")]);
    assert!(
        list[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("does not allow moving back from `validation` to `raised`"),
        "{list:?}"
    );
}

#[test]
fn a_closed_escalation_is_read_only_until_reopened() {
    let repo = pr();
    let rel = path_for(B);
    // Line 35: `  impact: ...`.
    put(
        &repo,
        B,
        &filled(B, "closed").replace("  impact: 4,000 users", "  impact: 5,000 users"),
    );
    let list = problems(&repo, &[(&rel, 35, 1, "closed-edited")]);
    assert!(
        list[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("ESC-2611-BBBB is closed, so it is read-only; reopen it first"),
        "{list:?}"
    );
    // Reopened without a reason: refused at `step`.
    put(
        &repo,
        B,
        &filled(B, "closed").replacen("step: closed\n", "step: management\n", 1),
    );
    problems(&repo, &[(&rel, 6, 7, "transition")]);
    // Reopened to a step the process does not reopen to: refused.
    let reopen = |to: &str| {
        filled(B, "closed").replacen(
            "step: closed\n",
            &format!("step: {to}\nstep_reason: The fix did not hold\n"),
            1,
        )
    };
    put(&repo, B, &reopen("resolution"));
    problems(&repo, &[(&rel, 6, 7, "transition")]);
    // With a reason, to a step it may reopen to: passes, and the edit may go with it.
    put(
        &repo,
        B,
        &reopen("management").replace("  impact: 4,000 users", "  impact: 5,000 users"),
    );
    problems(&repo, &[]);
}

#[test]
fn deleting_an_escalation_fails_but_renaming_it_does_not() {
    let repo = pr();
    let rel = path_for(C);
    repo.git(&["rm", "-q", &rel]);
    let list = problems(&repo, &[(&rel, 1, 1, "deleted")]);
    assert!(
        list[0]["message"].as_str().unwrap_or_default().contains(
            "escalation ESC-2611-CCCC was deleted; escalations are never deleted: close it instead"
        ),
        "{list:?}"
    );
    // Deleted only in the working tree (not staged): the same.
    repo.git(&["reset", "-q", "HEAD", "--", &rel]);
    assert!(!repo.abs(&rel).exists());
    problems(&repo, &[(&rel, 1, 1, "deleted")]);
    // Moved to another folder below escalations/ (same id): not a deletion.
    repo.git(&["checkout", "-q", "--", &rel]);
    std::fs::create_dir_all(repo.abs("escalations/2026-11/moved")).expect("mkdir");
    repo.git(&["mv", &rel, "escalations/2026-11/moved/ESC-2611-CCCC.md"]);
    base(&repo)
        .code(0)
        .stdout_has(&["1 file checked, no problems"]);
}

#[test]
fn a_moved_file_is_checked_against_its_old_self() {
    // Moving a file must not hide the move it makes: a closed escalation edited, or moved
    // back without a reason, on its way to another folder.
    let repo = pr();
    let moved = "escalations/2026-11/moved/ESC-2611-BBBB.md";
    std::fs::create_dir_all(repo.abs("escalations/2026-11/moved")).expect("mkdir");
    repo.git(&["mv", &path_for(B), moved]);
    std::fs::write(
        repo.abs(moved),
        filled(B, "closed").replace("  impact: 4,000 users", "  impact: 5,000 users"),
    )
    .expect("write");
    problems(&repo, &[(moved, 35, 1, "closed-edited")]);
    let moved_a = "escalations/2026-11/moved/ESC-2611-AAAA.md";
    repo.git(&["mv", &path_for(A), moved_a]);
    std::fs::write(repo.abs(moved_a), filled(A, "gathering")).expect("write");
    problems(
        &repo,
        &[
            (moved_a, 6, 7, "transition"),
            (moved, 35, 1, "closed-edited"),
        ],
    );
}

#[test]
fn changing_an_id_fails() {
    let repo = pr();
    let rel = path_for(C);
    put(
        &repo,
        C,
        &with_step(&raised(C), "gathering").replace("id: ESC-2611-CCCC", "id: ESC-2611-CCCD"),
    );
    let run = repo.esc(&["check", "--base", "main", "--format", "json"]);
    run.code(1);
    let list = run.json();
    let changed: Vec<&serde_json::Value> = list
        .as_array()
        .expect("array")
        .iter()
        .filter(|p| p["rule"] == "id-changed")
        .collect();
    assert_eq!(changed.len(), 1, "{run}");
    assert_eq!(changed[0]["file"], rel.as_str());
    assert_eq!(changed[0]["line"], 3);
    assert_eq!(changed[0]["column"], 5);
    assert!(
        changed[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("the id changed from `ESC-2611-CCCC` to `ESC-2611-CCCD`"),
        "{run}"
    );
}

#[test]
fn an_invalid_changed_file_fails_at_its_line() {
    let repo = pr();
    let rel = path_for(A);
    put(
        &repo,
        A,
        &filled(A, "validation").replace("severity: high", "severity: extreme"),
    );
    let list = problems(&repo, &[(&rel, 14, 11, "schema.enum")]);
    assert_eq!(list[0]["field"], "severity");
    // A file that does not parse.
    put(
        &repo,
        A,
        &filled(A, "validation").replace("title: Mailbox migration stalled at 40%", "title: [x"),
    );
    problems(&repo, &[(&rel, 5, 9, "yaml")]);
}

/// `main` with a broken escalation committed before the branch.
fn pr_with_a_broken_file_on_main() -> TestRepo {
    let repo = committed(&[
        (A, &filled(A, "validation")),
        (E, &raised(E).replace("segment: S1500", "segment: 1500")),
    ]);
    repo.git(&["switch", "-q", "-c", "pr"]);
    repo
}

#[test]
fn only_the_changed_files_are_read() {
    let repo = pr_with_a_broken_file_on_main();
    // A full check sees the broken file.
    repo.esc(&["check"])
        .code(1)
        .stdout_has(&[&format!("{}:7:", path_for(E))]);
    put(&repo, A, &filled(A, "stakeholders"));
    let run = base(&repo);
    run.code(0).stdout_has(&["1 file checked, no problems"]);
    run.lacks(E);
}

#[test]
fn a_change_to_the_schema_config_or_templates_checks_everything() {
    let broken = format!("{}:7:", path_for(E));
    // The schema.
    let repo = pr_with_a_broken_file_on_main();
    let schema = repo.read("schemas/escalation.schema.json");
    std::fs::write(
        repo.abs("schemas/escalation.schema.json"),
        format!("{schema}\n"),
    )
    .expect("write schema");
    base(&repo)
        .code(1)
        .stdout_has(&[&broken, "2 files checked"]);
    // The config.
    let repo = pr_with_a_broken_file_on_main();
    std::fs::write(repo.abs("esc.yaml"), "timezone: UTC\n").expect("write config");
    base(&repo).code(1).stdout_has(&[&broken]);
    // A template.
    let repo = pr_with_a_broken_file_on_main();
    std::fs::create_dir_all(repo.abs("templates")).expect("mkdir templates");
    std::fs::write(repo.abs("templates/README.md"), "Templates.\n").expect("write template");
    base(&repo).code(1).stdout_has(&[&broken]);
}

#[test]
fn new_untracked_escalations_are_checked() {
    let repo = pr();
    let d = "ESC-2611-DDDD";
    std::fs::write(repo.abs(&path_for(d)), raised(d)).expect("write");
    base(&repo)
        .code(0)
        .stdout_has(&["1 file checked, no problems"]);
    std::fs::write(
        repo.abs(&path_for(d)),
        raised(d).replace("source: account-team", "source: acount-team"),
    )
    .expect("write");
    let rel = path_for(d);
    let list = problems(&repo, &[(&rel, 12, 11, "schema.enum")]);
    assert!(
        list[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("did you mean `account-team`?")
    );
    // And a new file that takes an id already used elsewhere.
    std::fs::write(
        repo.abs("escalations/2026-11/ESC-2611-DDDD.md"),
        raised(d).replace("id: ESC-2611-DDDD", "id: ESC-2611-AAAA"),
    )
    .expect("write");
    problems(
        &repo,
        &[(&rel, 3, 5, "id-mismatch"), (&rel, 3, 5, "duplicate-id")],
    );
}

#[test]
fn the_merge_base_is_what_the_branch_is_compared_with() {
    let repo = pr();
    put(&repo, C, &filled(C, "validation"));
    repo.commit_all("C: validation");
    // Meanwhile on main, A moves on to management.
    repo.git(&["switch", "-q", "main"]);
    put(&repo, A, &filled(A, "management"));
    repo.commit_all("A: management");
    repo.git(&["switch", "-q", "pr"]);
    // Compared with main's tip, A would look moved back (management -> validation); compared
    // with the merge base, the branch did not touch A.
    let run = base(&repo);
    run.code(0).stdout_has(&["1 file checked, no problems"]);
    run.lacks(A);
    // A revision given as a commit id works the same.
    let main = repo.rev("main");
    repo.esc(&["check", "--base", &main]).code(0);
}

#[test]
fn staged_and_committed_changes_count_and_the_working_tree_wins() {
    let repo = pr();
    let rel = path_for(A);
    // Committed: a valid move forward.
    put(&repo, A, &filled(A, "stakeholders"));
    repo.commit_all("A: stakeholders");
    problems(&repo, &[]);
    // Staged on top: back to gathering without a reason (from the merge base's validation).
    put(&repo, A, &filled(A, "gathering"));
    repo.git(&["add", &rel]);
    problems(&repo, &[(&rel, 6, 7, "transition")]);
    // The working tree fixes it again.
    put(&repo, A, &filled(A, "management"));
    problems(&repo, &[]);
}

#[test]
fn an_unknown_revision_or_a_repository_without_commits_cannot_run() {
    let repo = pr();
    repo.esc(&["check", "--base", "origin/nope"])
        .code(2)
        .stderr_has(&["--base origin/nope"]);
    let empty = crate::git_support::git_repo().escalation(A, &raised(A));
    empty
        .esc(&["check", "--base", "main"])
        .code(2)
        .stderr_has(&["--base main"]);
    let plain = TestRepo::new().escalation(A, &raised(A));
    plain
        .esc(&["check", "--base", "main"])
        .code(2)
        .stderr_has(&["is not in a git repository"]);
    // Unrelated histories: no merge base.
    let other = committed(&[(C, &raised(C))]);
    repo.git(&["fetch", "-q", &other.path().to_string_lossy(), "main:other"]);
    repo.esc(&["check", "--base", "other"])
        .code(2)
        .stderr_has(&["have no common history", "fetch-depth: 0"]);
}
