//! `esc advance`, `esc set`, `esc meeting`, `esc action` and `esc edit` on real git
//! repositories: what they write (byte for byte), what they commit (exactly one file, with
//! its message and trailers), and that every refusal leaves the files, the index and HEAD as
//! they were.

use crate::git_support::{
    CLOSING, FIELDS, GitExt, ME, bytes_of, committed, filled, git_repo, text_of, with_step,
};
use crate::support::{Run, TestRepo, path_for, raised, raised_with};
use std::collections::BTreeMap;

const A: &str = "ESC-2611-AAAA";
const B: &str = "ESC-2611-BBBB";

/// What a refusal must leave exactly as it was: the files, HEAD, and the index (every
/// entry's blob id, and what `git status` says).
struct Before {
    files: BTreeMap<String, Vec<u8>>,
    head: Option<String>,
    index: String,
}

fn before(repo: &TestRepo) -> Before {
    let head = repo.git_with(&["rev-parse", "--verify", "-q", "HEAD"], &[]);
    Before {
        files: repo.snapshot(),
        head: head
            .status
            .success()
            .then(|| String::from_utf8_lossy(&head.stdout).trim().to_string()),
        index: format!("{}{}", repo.git(&["ls-files", "-s"]), repo.porcelain()),
    }
}

#[track_caller]
fn unchanged(repo: &TestRepo, was: &Before, run: &Run) {
    let now = before(repo);
    assert!(now.files == was.files, "files changed\n{run}");
    assert_eq!(now.head, was.head, "HEAD moved\n{run}");
    assert_eq!(
        now.index, was.index,
        "the index or git status changed\n{run}"
    );
}

/// Asserts HEAD is one new commit on `parent` holding exactly the escalation `id`, with this
/// subject and these trailers, and that the working tree and index are clean for that file.
#[track_caller]
fn committed_one(
    repo: &TestRepo,
    parent: &str,
    id: &str,
    subject: &str,
    trailers: &[(&str, &str)],
) {
    assert_eq!(repo.rev("HEAD~1"), parent, "not one commit on the old HEAD");
    assert_eq!(repo.files_of("HEAD"), vec![path_for(id)]);
    assert_eq!(repo.subject("HEAD"), subject);
    let want: Vec<(String, String)> = trailers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(repo.trailers("HEAD"), want);
    let who = repo.git(&["log", "-1", "--format=%an <%ae>|%cn <%ce>", "HEAD"]);
    assert_eq!(who.trim(), format!("{ME}|{ME}"));
    // The commit holds the file as it is in the working tree.
    let blob = repo.git(&["show", &format!("HEAD:{}", path_for(id))]);
    assert_eq!(blob.as_bytes(), bytes_of(repo, id).as_slice());
    let status = repo.git(&["status", "--porcelain", "--", &path_for(id)]);
    assert_eq!(status, "", "the file differs from the commit");
}

fn short(repo: &TestRepo) -> String {
    repo.rev("HEAD")[..7].to_string()
}

// ---------------------------------------------------------------------------------------
// advance: moves

#[test]
fn advance_to_the_next_step_commits_the_one_file_with_trailers() {
    let repo = committed(&[(A, &raised(A)), (B, &raised(B))]);
    let parent = repo.rev("HEAD");
    let run = repo.esc(&["advance", "AAAA"]);
    run.code(0);
    run.stdout_has(&[&format!(
        "ESC-2611-AAAA: raised -> gathering (commit {})",
        short(&repo)
    )]);
    assert_eq!(text_of(&repo, A), with_step(&raised(A), "gathering"));
    assert_eq!(text_of(&repo, B), raised(B), "another escalation changed");
    committed_one(
        &repo,
        &parent,
        A,
        "ESC-2611-AAAA: raised -> gathering",
        &[
            ("Escalation", A),
            ("Step", "gathering"),
            ("From-Step", "raised"),
        ],
    );
    assert_eq!(repo.porcelain(), "");
}

#[test]
fn advance_several_steps_when_the_file_satisfies_the_target() {
    let repo = committed(&[(A, &filled(A, "gathering"))]);
    let parent = repo.rev("HEAD");
    repo.esc(&["advance", "ESC-2611-AAAA", "--to", "resolution"])
        .code(0)
        .stdout_has(&["ESC-2611-AAAA: gathering -> resolution (commit "]);
    assert_eq!(text_of(&repo, A), filled(A, "resolution"));
    committed_one(
        &repo,
        &parent,
        A,
        "ESC-2611-AAAA: gathering -> resolution",
        &[
            ("Escalation", A),
            ("Step", "resolution"),
            ("From-Step", "gathering"),
        ],
    );
}

#[test]
fn a_failing_guard_lists_every_field_with_its_position_and_changes_nothing() {
    // Line 14 `gathering:`, 15 `  types: []`, 16 `  occurred: ...`.
    let text = raised_with(A, "gathering:\n  types: []\n  occurred: 2026-11-01\n");
    let repo = committed(&[(A, &text)]);
    let was = before(&repo);
    let run = repo.esc(&["advance", "AAAA", "--to", "validation"]);
    run.code(1);
    let rel = path_for(A);
    run.stderr_has(&[
        "ESC-2611-AAAA: raised -> validation refused: fill in or fix these first",
        "nothing was changed",
        &format!("{rel}:15:10: error[schema.min-items]: `gathering.types` needs at least 1"),
        &format!("{rel}:14:1: error[schema.required]: `gathering.description` is missing"),
        &format!("{rel}:14:1: error[schema.required]: `gathering.services` is missing"),
        &format!("{rel}:14:1: error[schema.required]: `gathering.deployment_phase` is missing"),
        "4 problems",
    ]);
    assert!(run.stdout.is_empty(), "{run}");
    unchanged(&repo, &was, &run);
    // Without --to, the next step (gathering) needs nothing more than raised; but the
    // invalid `types: []` is a problem at every step.
    let run = repo.esc(&["advance", "AAAA"]);
    run.code(1).stderr_has(&[
        &format!("{rel}:15:10: error[schema.min-items]"),
        "1 problem",
    ]);
    unchanged(&repo, &was, &run);
}

#[test]
fn moving_back_needs_a_reason() {
    let repo = committed(&[(A, &filled(A, "validation"))]);
    let was = before(&repo);
    let run = repo.esc(&["advance", "AAAA", "--to", "gathering"]);
    run.code(1).stderr_has(&[
        "ESC-2611-AAAA: cannot move",
        "moving from `validation` to `gathering` needs a reason: --reason TEXT",
    ]);
    unchanged(&repo, &was, &run);
    // A blank reason is no reason.
    let run = repo.esc(&["advance", "AAAA", "--to", "gathering", "--reason", "  "]);
    run.code(1).stderr_has(&["needs a reason"]);
    unchanged(&repo, &was, &run);
}

#[test]
fn moving_back_with_a_reason_writes_step_reason_right_after_step() {
    let repo = committed(&[(A, &filled(A, "validation"))]);
    let parent = repo.rev("HEAD");
    repo.esc(&[
        "advance",
        "AAAA",
        "--to",
        "gathering",
        "--reason",
        "Customer disputes\n   the scope",
    ])
    .code(0)
    .stdout_has(&["ESC-2611-AAAA: validation -> gathering (commit "]);
    let want = filled(A, "validation").replacen(
        "step: validation\n",
        // The reason as typed, line break and all, as a block.
        "step: gathering\nstep_reason: |-\n  Customer disputes\n     the scope\n",
        1,
    );
    assert_eq!(text_of(&repo, A), want);
    committed_one(
        &repo,
        &parent,
        A,
        "ESC-2611-AAAA: validation -> gathering",
        &[
            ("Escalation", A),
            ("Step", "gathering"),
            ("From-Step", "validation"),
            ("Reason", "Customer disputes the scope"),
        ],
    );
    // The message body has the reason as typed; the trailer has it on one line.
    let body = repo.git(&["log", "-1", "--format=%b"]);
    assert!(
        body.starts_with("Customer disputes\n   the scope\n"),
        "{body}"
    );

    // Forward again, then back again: the reason is replaced in place, not added twice.
    repo.esc(&["advance", "AAAA"]).code(0);
    let parent = repo.rev("HEAD");
    repo.esc(&[
        "advance",
        "AAAA",
        "--to",
        "gathering",
        "--reason",
        "It's back: \"again\"",
    ])
    .code(0);
    let text = text_of(&repo, A);
    assert_eq!(text.matches("step_reason:").count(), 1, "{text}");
    let want = filled(A, "validation").replacen(
        "step: validation\n",
        "step: gathering\nstep_reason: 'It''s back: \"again\"'\n",
        1,
    );
    assert_eq!(text, want);
    assert_eq!(repo.rev("HEAD~1"), parent);
    // And it reads back as the string given.
    let shown = repo.esc(&["show", "AAAA", "--format", "json"]);
    assert_eq!(shown.code(0).json()["step_reason"], "It's back: \"again\"");
}

#[test]
fn reopen_a_closed_escalation_with_a_reason() {
    let repo = committed(&[(A, &filled(A, "closed"))]);
    let was = before(&repo);
    let run = repo.esc(&["advance", "AAAA", "--to", "management"]);
    run.code(1)
        .stderr_has(&["moving from `closed` to `management` needs a reason"]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&["advance", "AAAA"]);
    run.code(1)
        .stderr_has(&["it is closed; to reopen it: --to STEP --reason TEXT"]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&["advance", "AAAA", "--to", "resolution", "--reason", "x"]);
    run.code(1).stderr_has(&[
        "a closed escalation can be reopened to gathering, validation, management only, not to `resolution`",
    ]);
    unchanged(&repo, &was, &run);

    let parent = repo.rev("HEAD");
    repo.esc(&[
        "advance",
        "AAAA",
        "--to",
        "management",
        "--reason",
        "The fix did not hold",
    ])
    .code(0)
    .stdout_has(&["ESC-2611-AAAA: closed -> management (commit "]);
    let want = filled(A, "closed").replacen(
        "step: closed\n",
        "step: management\nstep_reason: The fix did not hold\n",
        1,
    );
    assert_eq!(text_of(&repo, A), want);
    committed_one(
        &repo,
        &parent,
        A,
        "ESC-2611-AAAA: closed -> management",
        &[
            ("Escalation", A),
            ("Step", "management"),
            ("From-Step", "closed"),
            ("Reason", "The fix did not hold"),
        ],
    );
}

#[test]
fn close_as_resolved_from_resolution() {
    // The closing fields are the user's own edit, not yet committed: they go in with the move.
    let repo = committed(&[(A, &filled(A, "resolution"))]);
    let parent = repo.rev("HEAD");
    let edited = raised_with(A, &format!("{FIELDS}{CLOSING}"));
    let edited = with_step(&edited, "resolution");
    let repo = repo.escalation(A, &edited);
    repo.esc(&["advance", "AAAA"])
        .code(0)
        .stdout_has(&["ESC-2611-AAAA: resolution -> closed (commit "]);
    assert_eq!(text_of(&repo, A), filled(A, "closed"));
    committed_one(
        &repo,
        &parent,
        A,
        "ESC-2611-AAAA: resolution -> closed",
        &[
            ("Escalation", A),
            ("Step", "closed"),
            ("From-Step", "resolution"),
            ("Outcome", "resolved"),
        ],
    );
}

#[test]
fn close_as_withdrawn_with_a_reason() {
    let text = with_step(&raised(A), "gathering");
    let repo = committed(&[(A, &text)]);
    let was = before(&repo);
    // Withdrawn needs a reason; resolved cannot close from gathering; no such outcome.
    let run = repo.esc(&[
        "advance",
        "AAAA",
        "--to",
        "closed",
        "--outcome",
        "withdrawn",
    ]);
    run.code(1)
        .stderr_has(&["moving from `gathering` to `closed` needs a reason"]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&["advance", "AAAA", "--to", "closed", "--outcome", "resolved"]);
    run.code(1).stderr_has(&[
        "outcome `resolved` can close only from resolution, and this escalation is at `gathering`",
    ]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&[
        "advance",
        "AAAA",
        "--to",
        "closed",
        "--outcome",
        "gone",
        "--reason",
        "x",
    ]);
    run.code(2)
        .stderr_has(&["unknown outcome `gone`; outcomes: duplicate, resolved, withdrawn"]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&["advance", "AAAA", "--to", "closed", "--reason", "x"]);
    run.code(1)
        .stderr_has(&["closing needs an outcome: --outcome"]);
    unchanged(&repo, &was, &run);

    let parent = repo.rev("HEAD");
    // --outcome alone means closing.
    repo.esc(&[
        "advance",
        "AAAA",
        "--outcome",
        "withdrawn",
        "--reason",
        "Customer cancelled the project",
    ])
    .code(0)
    .stdout_has(&["ESC-2611-AAAA: gathering -> closed (commit "]);
    let want = with_step(&raised(A), "closed").replacen(
        "---\n\n## Notes",
        "closing:\n  outcome: withdrawn\n  reason: Customer cancelled the project\n---\n\n## Notes",
        1,
    );
    assert_eq!(text_of(&repo, A), want);
    committed_one(
        &repo,
        &parent,
        A,
        "ESC-2611-AAAA: gathering -> closed",
        &[
            ("Escalation", A),
            ("Step", "closed"),
            ("From-Step", "gathering"),
            ("Outcome", "withdrawn"),
            ("Reason", "Customer cancelled the project"),
        ],
    );
    repo.esc(&["check"]).code(0);
}

#[test]
fn an_outcome_with_another_target_is_refused() {
    let repo = committed(&[(A, &with_step(&raised(A), "gathering"))]);
    let was = before(&repo);
    let run = repo.esc(&[
        "advance",
        "AAAA",
        "--to",
        "validation",
        "--outcome",
        "withdrawn",
    ]);
    run.code(2)
        .stderr_has(&["--outcome is for closing (--to closed), not for a move to `validation`"]);
    unchanged(&repo, &was, &run);
}

#[test]
fn a_move_the_process_forbids() {
    let repo = committed(&[(A, &filled(A, "validation"))]);
    let was = before(&repo);
    let run = repo.esc(&[
        "advance",
        "AAAA",
        "--to",
        "raised",
        "--reason",
        "Start over",
    ]);
    run.code(1).stderr_has(&[
        "ESC-2611-AAAA: cannot move: the process does not allow moving back from `validation` to `raised` (allowed: gathering)",
    ]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&["advance", "AAAA", "--to", "validation"]);
    run.code(1)
        .stderr_has(&["it is already at step `validation`"]);
    unchanged(&repo, &was, &run);
}

#[test]
fn unknown_step_suggests_one() {
    let repo = committed(&[(A, &filled(A, "gathering"))]);
    let was = before(&repo);
    let run = repo.esc(&["advance", "AAAA", "--to", "managment"]);
    run.code(2).stderr_has(&[
        "unknown step `managment`; did you mean `management`?",
        "steps: raised, gathering, validation, stakeholders, management, resolution, closed",
    ]);
    unchanged(&repo, &was, &run);
}

#[test]
fn unknown_id_suggests_the_closest() {
    let repo = committed(&[(A, &raised(A)), (B, &raised(B))]);
    let was = before(&repo);
    let run = repo.esc(&["advance", "ESC-2611-AABA"]);
    run.code(2)
        .stderr_has(&["no escalation with id `ESC-2611-AABA`; did you mean ESC-2611-AAAA?"]);
    unchanged(&repo, &was, &run);
    // A short id with a typo gets the same help.
    let run = repo.esc(&["advance", "BBBX"]);
    run.code(2)
        .stderr_has(&["no escalation with id `BBBX`; did you mean ESC-2611-BBBB?"]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&["advance", "QQQQQQ"]);
    run.code(2)
        .stderr_has(&["no escalation with id `QQQQQQ`; `esc list` shows the ids"]);
    unchanged(&repo, &was, &run);
}

#[test]
fn an_ambiguous_short_id_lists_the_matches() {
    let repo = committed(&[(A, &raised(A)), (B, &raised(B))]);
    let was = before(&repo);
    let run = repo.esc(&["advance", "2611"]);
    run.code(2).stderr_has(&[
        "`2611` matches 2 escalations: ESC-2611-AAAA, ESC-2611-BBBB; give more of the id",
    ]);
    unchanged(&repo, &was, &run);
    // Case does not matter, and a unique part is enough.
    repo.esc(&["advance", "bbbb"]).code(0);
    assert_eq!(text_of(&repo, B), with_step(&raised(B), "gathering"));
}

#[test]
fn a_file_that_does_not_parse_is_refused() {
    let text = raised(A).replace(
        "title: Mailbox migration stalled at 40%",
        "title: [unclosed",
    );
    let repo = committed(&[(A, &text)]);
    let was = before(&repo);
    let run = repo.esc(&["advance", "AAAA"]);
    run.code(1).stderr_has(&[&format!(
        "{}:5:9: front matter is not valid YAML",
        path_for(A)
    )]);
    unchanged(&repo, &was, &run);
}

#[test]
fn no_commit_changes_the_file_and_commits_nothing() {
    let repo = committed(&[(A, &raised(A))]);
    let head = repo.rev("HEAD");
    repo.esc(&["advance", "AAAA", "--no-commit"])
        .code(0)
        .stdout_has(&["ESC-2611-AAAA: raised -> gathering (not committed)"]);
    assert_eq!(text_of(&repo, A), with_step(&raised(A), "gathering"));
    assert_eq!(repo.rev("HEAD"), head);
    assert_eq!(repo.porcelain(), format!(" M {}\n", path_for(A)));
    // No temporary file left behind.
    let dir = repo.abs("escalations/2026-11");
    let names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec![format!("{A}.md")]);
}

#[test]
fn dry_run_says_what_would_change_and_changes_nothing() {
    let repo = committed(&[(A, &filled(A, "validation"))]);
    let was = before(&repo);
    let run = repo.esc(&[
        "advance",
        "AAAA",
        "--to",
        "gathering",
        "--reason",
        "Scope",
        "--dry-run",
    ]);
    run.code(0).stdout_has(&[
        "ESC-2611-AAAA: validation -> gathering (dry run; nothing changed)",
        "- step: validation\n+ step: gathering\n",
        "+ step_reason: Scope",
    ]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&["advance", "AAAA", "--dry-run", "--no-commit"]);
    run.code(2);
    unchanged(&repo, &was, &run);
}

// ---------------------------------------------------------------------------------------
// advance: safety

/// Right after `git init` (or `esc init`) there are no commits: esc's commit is the first,
/// and holds only the escalation it acted on.
#[test]
fn a_repository_with_no_commits_gets_its_first_commit() {
    let repo = git_repo().escalation(A, &raised(A));
    let run = repo.esc(&["advance", "AAAA"]);
    run.code(0)
        .stdout_has(&["ESC-2611-AAAA: raised -> gathering (commit "]);
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]), "1\n");
    assert_eq!(repo.files_of("HEAD"), vec![path_for(A)]);
    assert_eq!(
        repo.git(&["status", "--porcelain", "--", "escalations"]),
        ""
    );
    // Not a git repository at all.
    let plain = TestRepo::new().escalation(A, &raised(A));
    let snap = plain.snapshot();
    let run = plain.esc(&["advance", "AAAA"]);
    run.code(2).stderr_has(&["is not in a git repository"]);
    assert!(plain.snapshot() == snap);
    // --no-commit needs no repository.
    plain.esc(&["advance", "AAAA", "--no-commit"]).code(0);
    assert_eq!(plain.read(&path_for(A)), with_step(&raised(A), "gathering"));
}

#[test]
fn no_git_identity_is_a_clear_error_and_changes_nothing() {
    let repo = committed(&[(A, &raised(A))]);
    repo.git(&["config", "--unset", "user.name"]);
    repo.git(&["config", "--unset", "user.email"]);
    let home = tempfile::tempdir().expect("temp home");
    let home_s = home.path().to_string_lossy().into_owned();
    let repo = repo
        .env("HOME", &home_s)
        .env("XDG_CONFIG_HOME", &home_s)
        .env("EMAIL", "someone@example.com");
    let was = before(&repo);
    let run = repo.esc(&["advance", "AAAA"]);
    run.code(2).stderr_has(&[
        "no git identity",
        "git config user.name",
        "git config user.email",
    ]);
    unchanged(&repo, &was, &run);
    // With a name only, still none.
    repo.git(&["config", "user.name", "Dana Whitfield"]);
    let was = before(&repo);
    let run = repo.esc(&["advance", "AAAA"]);
    run.code(2).stderr_has(&["no git identity"]);
    unchanged(&repo, &was, &run);
}

#[test]
fn a_detached_head_is_refused() {
    let repo = committed(&[(A, &raised(A))]);
    repo.git(&["checkout", "-q", "--detach"]);
    let was = before(&repo);
    let run = repo.esc(&["advance", "AAAA"]);
    run.code(2)
        .stderr_has(&["HEAD is detached; check out a branch first"]);
    unchanged(&repo, &was, &run);
}

#[test]
fn an_ongoing_merge_is_refused() {
    let repo = committed(&[(A, &raised(A)), (B, &raised(B))]);
    repo.git(&["switch", "-q", "-c", "side"]);
    let repo = repo.escalation(B, &raised(B).replace("Contoso Ltd", "Contoso Side"));
    repo.commit_all("side");
    repo.git(&["switch", "-q", "main"]);
    let repo = repo.escalation(B, &raised(B).replace("Contoso Ltd", "Contoso Main"));
    repo.commit_all("main");
    let out = repo.git_with(&["merge", "side"], &[]);
    assert!(!out.status.success(), "the merge should conflict");
    assert!(repo.abs(".git/MERGE_HEAD").exists());
    let was = before(&repo);
    // The escalation being advanced is not even the conflicted one.
    let run = repo.esc(&["advance", "AAAA"]);
    run.code(2)
        .stderr_has(&["a merge is in progress; finish or abort it first"]);
    unchanged(&repo, &was, &run);
    // The conflicted one has conflict markers: refused as data, before anything else.
    let run = repo.esc(&["advance", "BBBB"]);
    run.code(1)
        .stderr_has(&["the file has merge conflict markers: resolve the conflict first"]);
    unchanged(&repo, &was, &run);
}

#[test]
fn a_rebase_in_progress_is_refused() {
    let repo = committed(&[(A, &raised(A)), (B, &raised(B))]);
    repo.git(&["switch", "-q", "-c", "side"]);
    let repo = repo.escalation(B, &raised(B).replace("Contoso Ltd", "Contoso Side"));
    repo.commit_all("side");
    repo.git(&["switch", "-q", "main"]);
    let repo = repo.escalation(B, &raised(B).replace("Contoso Ltd", "Contoso Main"));
    repo.commit_all("main");
    repo.git(&["switch", "-q", "side"]);
    let out = repo.git_with(&["rebase", "main"], &[]);
    assert!(
        !out.status.success(),
        "the rebase should stop on the conflict"
    );
    let was = before(&repo);
    let run = repo.esc(&["advance", "AAAA"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains("rebase") || run.stderr.contains("HEAD is detached"),
        "{run}"
    );
    unchanged(&repo, &was, &run);
}

#[test]
fn unrelated_staged_and_modified_files_stay_as_they_were() {
    let repo = committed(&[(A, &raised(A)), (B, &raised(B))])
        .write("notes.txt", "first\n")
        .write("todo.txt", "one\n");
    repo.commit_all("notes");
    let parent = repo.rev("HEAD");
    // Staged: a change to B and a new file; staged then changed again: notes.txt; only in the
    // working tree: todo.txt.
    let b_staged = raised(B).replace("Contoso Ltd", "Contoso Staged");
    let repo = repo
        .escalation(B, &b_staged)
        .write("new.txt", "new\n")
        .write("notes.txt", "second\n");
    repo.git(&["add", &path_for(B), "new.txt", "notes.txt"]);
    let repo = repo
        .write("notes.txt", "third\n")
        .write("todo.txt", "two\n");
    let staged_before = repo.staged();
    let diff_cached = repo.git(&["diff", "--cached"]);
    let diff_work = repo.git(&["diff"]);
    assert_eq!(staged_before.len(), 3);

    repo.esc(&["advance", "AAAA"]).code(0);
    committed_one(
        &repo,
        &parent,
        A,
        "ESC-2611-AAAA: raised -> gathering",
        &[
            ("Escalation", A),
            ("Step", "gathering"),
            ("From-Step", "raised"),
        ],
    );
    let stat = repo.git(&["show", "--stat", "--format=", "HEAD"]);
    assert!(stat.contains("1 file changed"), "{stat}");
    assert_eq!(repo.staged(), staged_before);
    assert_eq!(repo.git(&["diff", "--cached"]), diff_cached);
    assert_eq!(repo.git(&["diff"]), diff_work);
    assert_eq!(repo.read("notes.txt"), "third\n");
    assert_eq!(repo.read("todo.txt"), "two\n");
    assert_eq!(text_of(&repo, B), b_staged);
}

#[test]
fn the_users_own_edits_to_the_escalation_go_into_the_commit() {
    let repo = committed(&[(A, &raised(A))]);
    let parent = repo.rev("HEAD");
    // The user filled in the gathering fields (not staged) and moves straight to validation.
    let edited = raised_with(
        A,
        "gathering:\n  description: Stalled. # said the customer\n  types: [technical]\n  \
         occurred: 2026-11-01\n  services: [exchange-online]\n  deployment_phase: migration\n",
    );
    let repo = repo.escalation(A, &edited);
    // Part of it staged, part not: the commit takes the working tree.
    repo.git(&["add", &path_for(A)]);
    let edited = edited.replace("Stalled.", "Stalled at 40%.");
    let repo = repo.escalation(A, &edited);
    repo.esc(&["advance", "AAAA", "--to", "validation"]).code(0);
    assert_eq!(text_of(&repo, A), with_step(&edited, "validation"));
    committed_one(
        &repo,
        &parent,
        A,
        "ESC-2611-AAAA: raised -> validation",
        &[
            ("Escalation", A),
            ("Step", "validation"),
            ("From-Step", "raised"),
        ],
    );
    assert_eq!(repo.porcelain(), "");
}

#[test]
fn crlf_line_endings_are_kept_byte_for_byte() {
    let text = filled(A, "validation").replace('\n', "\r\n");
    let repo = committed(&[(A, &text)]);
    // git stores the bytes as they are (no autocrlf here).
    assert!(
        repo.git(&["show", &format!("HEAD:{}", path_for(A))])
            .contains("\r\n")
    );
    repo.esc(&["advance", "AAAA"]).code(0);
    let want = text.replacen("step: validation\r\n", "step: stakeholders\r\n", 1);
    assert_eq!(bytes_of(&repo, A), want.as_bytes());
    // Moving back adds a line: with the file's own line ending.
    repo.esc(&[
        "advance",
        "AAAA",
        "--to",
        "validation",
        "--reason",
        "Not confirmed",
    ])
    .code(0);
    let want = text.replacen(
        "step: validation\r\n",
        "step: validation\r\nstep_reason: Not confirmed\r\n",
        1,
    );
    assert_eq!(bytes_of(&repo, A), want.as_bytes());
    let committed = repo.git(&["show", &format!("HEAD:{}", path_for(A))]);
    assert_eq!(committed.as_bytes(), want.as_bytes());
    assert_eq!(repo.porcelain(), "");
}

#[test]
fn comments_and_quoting_next_to_step_are_kept() {
    let text = filled(A, "raised").replace(
        "step: raised\n",
        "# where it is in the playbook\nstep: 'raised'   # raised, gathering, ...\n  # an indented comment\n",
    );
    let repo = committed(&[(A, &text)]);
    repo.esc(&["advance", "AAAA"]).code(0);
    let want = text.replace("step: 'raised'", "step: 'gathering'");
    assert_eq!(text_of(&repo, A), want);
    // A double-quoted one stays double-quoted, with the comment right after it.
    let text2 = want.replace("step: 'gathering'   #", "step: \"gathering\" #");
    assert_ne!(text2, want);
    let repo = repo.escalation(A, &text2);
    repo.commit_all("quoted");
    repo.esc(&["advance", "AAAA"]).code(0);
    assert_eq!(
        text_of(&repo, A),
        text2.replace("step: \"gathering\" #", "step: \"validation\" #")
    );
}

#[test]
fn conflict_markers_are_refused() {
    let text = raised(A).replace(
        "customer: Contoso Ltd\n",
        "<<<<<<< HEAD\ncustomer: Contoso Ltd\n=======\ncustomer: Contoso\n>>>>>>> side\n",
    );
    let repo = committed(&[(A, &text)]);
    let was = before(&repo);
    // In the front matter, the YAML does not parse: the message says why.
    let run = repo.esc(&["advance", "AAAA"]);
    run.code(1).stderr_has(&[
        &format!("{}:5:1: front matter is not valid YAML", path_for(A)),
        "the file has merge conflict markers: resolve the conflict first",
    ]);
    unchanged(&repo, &was, &run);
    // In the body, the front matter parses, and the file is still refused.
    let text = format!(
        "{}<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> side\n",
        raised(A)
    );
    let repo = repo.escalation(A, &text);
    repo.commit_all("conflicted body");
    let was = before(&repo);
    for args in [&["advance", "AAAA"][..], &["set", "AAAA", "severity=low"]] {
        let run = repo.esc(args);
        run.code(1).stderr_has(&[&format!(
            "{}:19: the file has merge conflict markers; resolve the conflict first",
            path_for(A)
        )]);
        unchanged(&repo, &was, &run);
    }
}

#[test]
fn a_markdown_heading_underline_is_not_a_conflict_marker() {
    // A setext heading (`=======` under a line) is Markdown, not half of a conflict.
    let text = format!("{}\nSummary\n=======\n\nAll good.\n", raised(A));
    let repo = committed(&[(A, &text)]);
    repo.esc(&["advance", "AAAA"]).code(0);
    assert_eq!(text_of(&repo, A), with_step(&text, "gathering"));
}

// ---------------------------------------------------------------------------------------
// set

#[test]
fn set_typed_values_and_commit() {
    let repo = committed(&[(A, &filled(A, "management"))]);
    let parent = repo.rev("HEAD");
    repo.esc(&[
        "set",
        "AAAA",
        "severity=critical",
        "gathering.services=exchange-online, teams",
        "gathering.ticket=0026110200400012",
        "x-crm-case=CRM-1",
    ])
    .code(0)
    .stdout_has(&[
        "ESC-2611-AAAA: set severity, gathering.services, gathering.ticket, x-crm-case (commit ",
    ]);
    let text = text_of(&repo, A);
    let want = filled(A, "management")
        .replace("severity: high\n", "severity: critical\n")
        .replace(
            "  services: [exchange-online]\n",
            "  services: [exchange-online, teams]\n",
        )
        .replace(
            "  deployment_phase: migration\n",
            "  deployment_phase: migration\n  ticket: '0026110200400012'\n",
        )
        .replace(
            "  awareness: Customer CIO briefed.\n",
            "  awareness: Customer CIO briefed.\nx-crm-case: CRM-1\n",
        );
    assert_eq!(text, want);
    committed_one(
        &repo,
        &parent,
        A,
        "ESC-2611-AAAA: set severity, gathering.services, gathering.ticket, x-crm-case",
        &[("Escalation", A)],
    );
    let json = repo.esc(&["show", "AAAA", "--format", "json"]).json();
    assert_eq!(
        json["gathering"]["services"],
        serde_json::json!(["exchange-online", "teams"])
    );
    assert_eq!(json["gathering"]["ticket"], "0026110200400012");
}

#[test]
fn set_a_list_written_in_block_style() {
    let text = filled(A, "validation").replace(
        "  types: [technical]\n",
        "  types:   # what kind\n    - technical\n",
    );
    let repo = committed(&[(A, &text)]);
    repo.esc(&["set", "AAAA", "gathering.types=technical,business"])
        .code(0);
    let json = repo.esc(&["show", "AAAA", "--format", "json"]).json();
    assert_eq!(
        json["gathering"]["types"],
        serde_json::json!(["technical", "business"])
    );
    // Nothing else moved.
    let after = text_of(&repo, A);
    let (a, b) = (text.lines().count(), after.lines().count());
    assert!(b == a - 1, "{after}");
    assert!(after.contains("\n  occurred: 2026-11-01\n"));
    repo.esc(&["check"]).code(0);
}

#[test]
fn set_refuses_unknown_fields_bad_values_and_step() {
    let repo = committed(&[(A, &filled(A, "validation"))]);
    let was = before(&repo);
    let run = repo.esc(&["set", "AAAA", "severty=low"]);
    run.code(2)
        .stderr_has(&["`severty` is not a field the schema knows; did you mean `severity`?"]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&["set", "AAAA", "gathering.servics=teams"]);
    run.code(2).stderr_has(&[
        "`gathering.servics` is not a field the schema knows; did you mean `services`?",
    ]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&["set", "AAAA", "severity=low", "severity=extreme"]);
    run.code(1).stderr_has(&[
        "ESC-2611-AAAA: set severity, severity refused",
        "nothing was changed",
        &format!(
            "{}:14:11: error[schema.enum]: `severity` must be one of critical, high, medium, low; found `extreme`",
            path_for(A)
        ),
    ]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&["set", "AAAA", "gathering.occurred=2026-12-01"]);
    run.code(1)
        .stderr_has(&[&format!("{}:18:13: error[", path_for(A))]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&["set", "AAAA", "step=closed"]);
    run.code(2)
        .stderr_has(&["`step` is not set by hand: use `esc advance ID --to STEP`"]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&["set", "AAAA", "id=ESC-2611-CCCC"]);
    run.code(2)
        .stderr_has(&["an escalation keeps its id for life"]);
    unchanged(&repo, &was, &run);
    let run = repo.esc(&["set", "AAAA", "severity"]);
    run.code(2)
        .stderr_has(&["`severity`: expected FIELD=VALUE"]);
    unchanged(&repo, &was, &run);
}

// ---------------------------------------------------------------------------------------
// meeting and action

#[test]
fn meeting_appends_and_updates_the_status_fields() {
    let repo = committed(&[(A, &filled(A, "management"))]);
    let parent = repo.rev("HEAD");
    repo.esc(&[
        "meeting",
        "AAAA",
        "--date",
        "2026-11-20",
        "--kind",
        "customer",
        "--attendee",
        "Dana Whitfield",
        "--attendee",
        "Priya: IT lead",
        "--summary",
        "Agreed: one more batch",
        "--status.brief",
        "Fix deployed to 4 of 5 batches.",
        "--status.risk",
        "Still on the watch list",
    ])
    .code(0)
    .stdout_has(&["ESC-2611-AAAA: meeting 2026-11-20 (customer), status updated (commit "]);
    let want = filled(A, "management")
        .replace(
            "  - { date: 2026-11-06, kind: internal, summary: Agreed the throttling plan. }\n",
            "  - { date: 2026-11-06, kind: internal, summary: Agreed the throttling plan. }\n  \
             - date: 2026-11-20\n    kind: customer\n    attendees: [Dana Whitfield, 'Priya: IT lead']\n    \
             summary: 'Agreed: one more batch'\n",
        )
        .replace("  as_of: 2026-11-06\n", "  as_of: 2026-11-20\n")
        .replace(
            "  brief: Throttling on the source side.\n",
            "  brief: Fix deployed to 4 of 5 batches.\n",
        )
        .replace(
            "  risk: On the Exchange Online critical watch list.\n",
            "  risk: Still on the watch list\n",
        );
    assert_eq!(text_of(&repo, A), want);
    committed_one(
        &repo,
        &parent,
        A,
        "ESC-2611-AAAA: meeting 2026-11-20 (customer)",
        &[("Escalation", A), ("Meeting", "2026-11-20")],
    );
    let json = repo.esc(&["show", "AAAA", "--format", "json"]).json();
    assert_eq!(json["meetings"][1]["attendees"][1], "Priya: IT lead");
    assert_eq!(json["status"]["as_of"], "2026-11-20");
}

#[test]
fn meeting_on_an_escalation_without_meetings_creates_the_fields() {
    let repo = committed(&[(A, &with_step(&raised(A), "gathering"))]);
    repo.esc(&[
        "meeting",
        "AAAA",
        "--date",
        "2026-11-10",
        "--summary",
        "Kick-off",
        "--status.impact",
        "Go-live at risk",
    ])
    .code(0);
    let json = repo.esc(&["show", "AAAA", "--format", "json"]).json();
    assert_eq!(json["meetings"][0]["summary"], "Kick-off");
    assert_eq!(json["meetings"][0]["kind"], "internal");
    assert_eq!(json["status"]["as_of"], "2026-11-10");
    assert_eq!(json["status"]["impact"], "Go-live at risk");
    repo.esc(&["check"]).code(0);
    // A meeting in the future is refused like any other bad date.
    let was = before(&repo);
    let run = repo.esc(&[
        "meeting",
        "AAAA",
        "--date",
        "2026-12-01",
        "--summary",
        "Later",
    ]);
    run.code(1).stderr_has(&["nothing was changed"]);
    unchanged(&repo, &was, &run);
}

#[test]
fn actions_add_done_and_closing_with_an_open_one() {
    let repo = committed(&[(A, &filled(A, "resolution"))]);
    let parent = repo.rev("HEAD");
    repo.esc(&[
        "action",
        "AAAA",
        "add",
        "Re-run batch 3",
        "--owner",
        "customer",
        "--due",
        "2026-11-30",
    ])
    .code(0)
    .stdout_has(&["ESC-2611-AAAA: action added: Re-run batch 3 (commit "]);
    // A new action is a block mapping, one key per line.
    let line = "    - what: Re-run batch 3\n      owner: customer\n      due: 2026-11-30\n";
    let done_line = "    - { what: Raise throttling limits, owner: support, due: 2026-11-07, done: 2026-11-07 }\n";
    let with_action = filled(A, "resolution").replace(done_line, &format!("{done_line}{line}"));
    assert_eq!(text_of(&repo, A), with_action);
    committed_one(
        &repo,
        &parent,
        A,
        "ESC-2611-AAAA: action added: Re-run batch 3",
        &[("Escalation", A)],
    );

    // Closing as resolved with an open action: refused, at the action's line.
    let closing = with_action.replace("---\n\n## Notes", &format!("{CLOSING}---\n\n## Notes"));
    let repo = repo.escalation(A, &closing);
    let was = before(&repo);
    let run = repo.esc(&["advance", "AAAA"]);
    run.code(1).stderr_has(&[&format!(
        "{}:38:7: error[open-action]: closed as resolved with an open action (`Re-run batch 3`)",
        path_for(A)
    )]);
    unchanged(&repo, &was, &run);
    let repo = repo.escalation(A, &with_action);

    // Done, then closing works.
    let run = repo.esc(&["action", "AAAA", "done", "3"]);
    run.code(2)
        .stderr_has(&["ESC-2611-AAAA has 2 action(s); N must be 1 to 2"]);
    // Already done is about the data (exit 1), like any refused edit.
    repo.esc(&["action", "AAAA", "done", "1"])
        .code(1)
        .stderr_has(&["action 1 is already done"]);
    // `esc show` numbers open actions as `done N` counts them.
    repo.esc(&["show", "AAAA"])
        .code(0)
        .stdout_has(&["open actions (1):\n  2. Re-run batch 3 (customer, due 2026-11-30)"]);
    repo.esc(&["action", "AAAA", "done", "2", "--date", "2026-11-25"])
        .code(0)
        .stdout_has(&["ESC-2611-AAAA: action 2 done: Re-run batch 3 (commit "]);
    let done = with_action.replace(
        line,
        "    - what: Re-run batch 3\n      owner: customer\n      due: 2026-11-30\n      done: 2026-11-25\n",
    );
    assert_eq!(text_of(&repo, A), done);
    assert_eq!(repo.files_of("HEAD"), vec![path_for(A)]);
    let closing = done.replace("---\n\n## Notes", &format!("{CLOSING}---\n\n## Notes"));
    let repo = repo.escalation(A, &closing);
    repo.esc(&["advance", "AAAA"]).code(0);
    assert_eq!(repo.porcelain(), "");
    // Without --date, done is today.
    let repo2 = committed(&[(A, &filled(A, "resolution"))]);
    repo2
        .esc(&[
            "action",
            "AAAA",
            "add",
            "Check",
            "--owner",
            "support",
            "--due",
            "2026-11-27",
        ])
        .code(0);
    repo2.esc(&["action", "AAAA", "done", "2"]).code(0);
    assert!(text_of(&repo2, A).contains("      due: 2026-11-27\n      done: 2026-11-26\n"));
}

// ---------------------------------------------------------------------------------------
// edit

/// `repo` with $EDITOR (and $VISUAL) set to `command`, and the temporary copies in `tmp`.
fn with_editor(repo: TestRepo, command: &str, tmp: &std::path::Path) -> TestRepo {
    let tmp = tmp.to_string_lossy().into_owned();
    repo.env("EDITOR", command)
        .env("VISUAL", command)
        .env("TMPDIR", &tmp)
}

#[test]
fn edit_commits_a_valid_edit() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = committed(&[(A, &filled(A, "validation"))]);
    let parent = repo.rev("HEAD");
    let repo = with_editor(
        repo,
        "sed -i 's/^severity: high$/severity: medium/'",
        tmp.path(),
    );
    repo.esc(&["edit", "AAAA"])
        .code(0)
        .stdout_has(&["ESC-2611-AAAA: edit (commit "]);
    assert_eq!(
        text_of(&repo, A),
        filled(A, "validation").replace("severity: high\n", "severity: medium\n")
    );
    committed_one(
        &repo,
        &parent,
        A,
        "ESC-2611-AAAA: edit",
        &[("Escalation", A)],
    );
    // The copy is gone.
    assert_eq!(std::fs::read_dir(tmp.path()).expect("tmp").count(), 0);
}

#[test]
fn edit_that_moves_the_step_is_checked_as_a_move() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = committed(&[(A, &filled(A, "validation"))]);
    // Back without a reason: refused.
    let back = with_editor(
        committed(&[(A, &filled(A, "validation"))]),
        "sed -i 's/^step: validation$/step: gathering/'",
        tmp.path(),
    );
    let was = before(&back);
    let run = back.esc(&["edit", "AAAA"]);
    run.code(1).stderr_has(&[
        &format!("{}:6:7: error[transition]", path_for(A)),
        "needs a reason",
    ]);
    unchanged(&back, &was, &run);
    // Forward: committed as a move, with its trailers.
    let parent = repo.rev("HEAD");
    let repo = with_editor(
        repo,
        "sed -i 's/^step: validation$/step: management/'",
        tmp.path(),
    );
    repo.esc(&["edit", "AAAA"])
        .code(0)
        .stdout_has(&["ESC-2611-AAAA: validation -> management (commit "]);
    committed_one(
        &repo,
        &parent,
        A,
        "ESC-2611-AAAA: validation -> management",
        &[
            ("Escalation", A),
            ("Step", "management"),
            ("From-Step", "validation"),
        ],
    );
}

#[test]
fn edit_forward_after_a_move_back_has_no_stale_reason_trailer() {
    let tmp = tempfile::tempdir().expect("tmp");
    let text = filled(A, "gathering").replacen(
        "step: gathering\n",
        "step: gathering\nstep_reason: Not confirmed\n",
        1,
    );
    let repo = committed(&[(A, &text)]);
    let repo = with_editor(
        repo,
        "sed -i 's/^step: gathering$/step: validation/'",
        tmp.path(),
    );
    repo.esc(&["edit", "AAAA"]).code(0);
    assert_eq!(
        repo.trailers("HEAD"),
        vec![
            ("Escalation".to_string(), A.to_string()),
            ("Step".to_string(), "validation".to_string()),
            ("From-Step".to_string(), "gathering".to_string()),
        ]
    );
}

#[test]
fn edit_with_an_invalid_result_changes_nothing_and_keeps_the_copy() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = committed(&[(A, &filled(A, "validation"))]);
    let repo = with_editor(
        repo,
        "sed -i 's/^severity: high$/severity: huge/'",
        tmp.path(),
    );
    let was = before(&repo);
    let run = repo.esc(&["edit", "AAAA"]);
    run.code(1).stderr_has(&[
        &format!(
            "{}:14:11: error[schema.enum]: `severity` must be one of critical, high, medium, low; found `huge`",
            path_for(A)
        ),
        "ESC-2611-AAAA: nothing was changed; your edited copy is at ",
    ]);
    unchanged(&repo, &was, &run);
    let copy = run
        .stderr
        .lines()
        .find_map(|l| {
            l.split_once("your edited copy is at ")
                .map(|(_, p)| p.trim())
        })
        .expect("copy path");
    assert!(copy.starts_with(&*tmp.path().to_string_lossy()), "{copy}");
    let kept = std::fs::read_to_string(copy).expect("the copy is kept");
    assert_eq!(
        kept,
        filled(A, "validation").replace("severity: high\n", "severity: huge\n")
    );
    // A broken editor: nothing changed either.
    let repo = with_editor(repo, "false", tmp.path());
    let run = repo.esc(&["edit", "AAAA"]);
    run.code(2).stderr_has(&["the editor `false` failed"]);
    unchanged(&repo, &was, &run);
    // No change at all: nothing to commit.
    let repo = with_editor(repo, "true", tmp.path());
    let run = repo.esc(&["edit", "AAAA"]);
    run.code(0).stdout_has(&["ESC-2611-AAAA: no changes"]);
    unchanged(&repo, &was, &run);
}

#[test]
fn edits_of_a_closed_escalation_are_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = committed(&[(A, &filled(A, "closed"))]);
    let repo = with_editor(repo, "sed -i 's/high/low/'", tmp.path());
    let was = before(&repo);
    let refusal = "ESC-2611-AAAA is closed, so it is read-only; reopen it first (esc advance ESC-2611-AAAA --to STEP --reason TEXT)";
    for args in [
        &["set", "AAAA", "severity=low"][..],
        &["meeting", "AAAA", "--date", "2026-11-25", "--summary", "x"],
        &[
            "action",
            "AAAA",
            "add",
            "x",
            "--owner",
            "y",
            "--due",
            "2026-12-01",
        ],
        &["action", "AAAA", "done", "1"],
        &["edit", "AAAA"],
    ] {
        let run = repo.esc(args);
        run.code(1).stderr_has(&[refusal]);
        unchanged(&repo, &was, &run);
    }
}

/// Closing says the outcome once: the closing fields can be filled while the escalation is
/// open, and `advance --to closed --outcome` writes the outcome (issue 9).
#[test]
fn closing_fields_are_filled_while_open_and_the_outcome_written_by_advance() {
    let repo = committed(&[(A, &filled(A, "resolution"))]);
    repo.esc(&[
        "set",
        "AAAA",
        "closing.date=2026-11-20",
        "closing.summary=Throttling limits raised; every batch migrated.",
        "closing.confirmation=E-mail from Priya Raman on 19 Nov.",
        "closing.risk_update=Removed from the watch list.",
    ])
    .code(0);
    // A high-severity escalation also needs its closing review.
    repo.esc(&["show", "AAAA"])
        .code(0)
        .stdout_has(&["closing.review.root_cause", "closing.review.lessons"]);
    repo.esc(&[
        "set",
        "AAAA",
        "closing.review.root_cause=capacity",
        "closing.review.lessons=Check throttling limits before a bulk migration.",
    ])
    .code(0);
    let text = text_of(&repo, A);
    assert!(
        !text.contains("  outcome:"),
        "no outcome written yet:\n{text}"
    );
    repo.esc(&["show", "AAAA"])
        .code(0)
        .stdout_has(&["next       closed (closing as resolved): ready"]);
    repo.esc(&["advance", "AAAA", "--to", "closed", "--outcome", "resolved"])
        .code(0);
    let text = text_of(&repo, A);
    assert_eq!(text.matches("outcome: resolved").count(), 1, "{text}");
    assert!(text.contains("step: closed\n"));
    // Closed without an outcome (a hand edit) is refused by check, at the closing.
    let bare = text.replace("  outcome: resolved\n", "");
    let repo = repo.escalation(A, &bare);
    repo.esc(&["check"])
        .code(1)
        .stdout_has(&["`closing.outcome` is missing"]);
}

/// A meeting alone does not clear "update overdue": `status.as_of` moves only when the
/// Enterprise Status fields are given, and esc says the status was left as it was (issue 9).
#[test]
fn a_meeting_alone_leaves_the_status_as_it_was() {
    let repo = committed(&[(A, &filled(A, "management"))]);
    let before = repo.esc(&["status", "AAAA"]).code(0).stdout.clone();
    assert!(before.contains("overdue"), "{before}");
    repo.esc(&[
        "meeting",
        "AAAA",
        "--date",
        "2026-11-25",
        "--summary",
        "Reviewed logs, agreed next steps",
    ])
    .code(0)
    .stdout_has(&["the Enterprise Status was left as it was (give --status.* to update it)"]);
    let text = text_of(&repo, A);
    assert!(text.contains("  as_of: 2026-11-06\n"), "{text}");
    assert!(
        text.contains("summary: Reviewed logs, agreed next steps\n"),
        "{text}"
    );
    let after = repo.esc(&["status", "AAAA"]).code(0).stdout.clone();
    assert!(after.contains("overdue"), "still overdue:\n{after}");
}

/// A reason of several lines is kept as written (a `|` block), not folded onto one line;
/// the commit's trailer is one line.
#[test]
fn a_multi_line_reason_reads_back_as_written() {
    let repo = committed(&[(A, &filled(A, "validation"))]);
    let reason = "Customer disputes the scope, again: \"scope\"\nSee the call notes of 12 Nov.";
    repo.esc(&["advance", "AAAA", "--to", "gathering", "--reason", reason])
        .code(0);
    let shown = repo
        .esc(&["show", "AAAA", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(shown["step_reason"], reason);
    let trailer = repo.git(&["log", "-1", "--format=%(trailers:key=Reason,valueonly)"]);
    assert_eq!(
        trailer.trim(),
        "Customer disputes the scope, again: \"scope\" See the call notes of 12 Nov."
    );
}

/// Text that starts with `-` is a value, not a flag.
#[test]
fn text_starting_with_a_dash_is_taken_as_text() {
    let repo = committed(&[(A, &filled(A, "management"))]);
    repo.esc(&[
        "meeting",
        "AAAA",
        "--date",
        "2026-11-20",
        "--summary",
        "- batch 4 done",
        "--status.impact",
        "- 4,000 users: blocked",
    ])
    .code(0);
    let shown = repo
        .esc(&["show", "AAAA", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(shown["status"]["impact"], "- 4,000 users: blocked");
    assert_eq!(shown["meetings"][1]["summary"], "- batch 4 done");
}

/// A high-severity escalation closes as resolved only with its closing review (the policy's
/// default: critical and high); a medium one without; one closed before stays as it is; and
/// a pull request that closes without the review is refused the same way.
#[test]
fn closing_a_high_severity_escalation_needs_the_review() {
    let with_closing = with_step(
        &raised_with(A, &format!("{FIELDS}{CLOSING}")),
        "resolution",
    )
    .replace(
        "  review:\n    root_cause: capacity\n    lessons: Check the tenant's throttling limits before a bulk migration.\n",
        "",
    );
    let repo = committed(&[(A, &with_closing)]);
    let was = before(&repo);
    let run = repo.esc(&["advance", "AAAA"]);
    run.code(1)
        .stderr_has(&["error[closing-review]", "`closing.review`", "root_cause"]);
    unchanged(&repo, &was, &run);
    // Filled in, it closes.
    repo.esc(&[
        "set",
        "AAAA",
        "closing.review.root_cause=configuration",
        "closing.review.lessons=Pilot the policy on ten devices first",
    ])
    .code(0);
    repo.esc(&["advance", "AAAA"]).code(0);
    repo.esc(&["check"]).code(0);
    // Medium severity: no review asked.
    let medium = with_closing.replace("severity: high", "severity: medium");
    let repo = committed(&[(A, &medium)]);
    repo.esc(&["advance", "AAAA"]).code(0);
    // A file closed without one (before the policy) stays valid.
    let old = filled(A, "closed").replace(
        "  review:\n    root_cause: capacity\n    lessons: Check the tenant's throttling limits before a bulk migration.\n",
        "",
    );
    committed(&[(A, &old)]).esc(&["check"]).code(0);
    // A pull request that closes it by hand without the review.
    let repo = committed(&[(A, &with_closing)]);
    let repo = repo.escalation(
        A,
        &with_closing.replace("\nstep: resolution\n", "\nstep: closed\n"),
    );
    repo.esc(&["check", "--base", "HEAD"])
        .code(1)
        .stdout_has(&["error[closing-review]"]);
}
