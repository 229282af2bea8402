//! Timelines read from git history (`esc log`, and the timeline in `esc show` and
//! `esc list`): histories built with the git command line, with pinned dates and authors, and
//! every expectation worked out by hand from the commits made.

use crate::git_support::{GitExt, filled, git_repo, with_step};
use crate::support::{TestRepo, path_for, raised};
use serde_json::Value;

const A: &str = "ESC-2611-AAAA";
const B: &str = "ESC-2611-BBBB";
const C: &str = "ESC-2611-CCCC";

const SAM: &str = "Sam Ortiz <sam@example.com>";
const PRIYA: &str = "Priya Raman <priya@example.com>";
const LEE: &str = "Lee Chen <lee@example.com>";

/// A date on day `d` of November 2026, at 09:00 UTC.
fn nov(d: u32) -> String {
    format!("2026-11-{d:02}T09:00:00+00:00")
}

/// Writes `bytes` to `rel` (creating folders) without consuming the repository.
fn put(repo: &TestRepo, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = repo.abs(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// The escalation `id` at `step`, written over its file.
fn put_step(repo: &TestRepo, id: &str, text: &str, step: &str) {
    put(repo, &path_for(id), with_step(text, step));
}

/// `esc log ID --format json`, and its `entered` list as (step, commit, author).
fn log_json(repo: &TestRepo, id: &str) -> (Value, Vec<(String, String, String)>) {
    let run = repo.esc(&["log", id, "--format", "json"]);
    let json = run.code(0).json();
    let list = json["entered"]
        .as_array()
        .unwrap_or_else(|| panic!("no entered list\n{run}"))
        .iter()
        .map(|e| {
            (
                e["step"].as_str().unwrap_or_default().to_string(),
                e["commit"].as_str().unwrap_or_default().to_string(),
                e["author"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (json, list)
}

fn entered(repo: &TestRepo, id: &str) -> Vec<(String, String, String)> {
    log_json(repo, id).1
}

fn want(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|(s, c, a)| (s.to_string(), c.to_string(), a.to_string()))
        .collect()
}

/// Deletes the timeline cache.
fn drop_cache(repo: &TestRepo) {
    let dir = repo.abs(".git/esc");
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("remove cache");
    }
}

// ---------------------------------------------------------------------------------------

#[test]
fn merges_squashes_rebases_and_renames_on_the_first_parent_line() {
    let repo = git_repo();
    put(&repo, &path_for(A), raised(A));
    put(&repo, &path_for(B), raised(B));
    let c0 = repo.commit_as("Raise A and B", &nov(2), SAM);

    // A --no-ff merge: A goes raised -> gathering -> validation on a branch; the merge commit
    // (by Lee) is what brings both steps onto main.
    repo.git(&["switch", "-q", "-c", "feature"]);
    put_step(&repo, A, &raised(A), "gathering");
    let f1 = repo.commit_as("A: gathering", &nov(3), PRIYA);
    put(&repo, &path_for(A), filled(A, "validation"));
    let f2 = repo.commit_as("A: validation", &nov(4), PRIYA);
    repo.git(&["switch", "-q", "main"]);
    put(
        &repo,
        &path_for(B),
        raised(B).replace("Contoso Ltd", "Contoso Ltd."),
    );
    let c1 = repo.commit_as("B: customer name", &nov(4), SAM);
    repo.git_as(
        &["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"],
        LEE,
        &nov(5),
    );
    let m = repo.rev("HEAD");
    assert_eq!(repo.rev("HEAD^2"), f2);

    // A squash merge: B goes to gathering, then to stakeholders, on a branch; one commit on
    // main brings gathering, validation and stakeholders.
    repo.git(&["switch", "-q", "-c", "squash"]);
    let b_text = raised(B).replace("Contoso Ltd", "Contoso Ltd.");
    put_step(&repo, B, &b_text, "gathering");
    repo.commit_as("B: gathering", &nov(6), PRIYA);
    put(
        &repo,
        &path_for(B),
        filled(B, "stakeholders").replace("Contoso Ltd", "Contoso Ltd."),
    );
    repo.commit_as("B: stakeholders", &nov(7), PRIYA);
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["merge", "-q", "--squash", "squash"]);
    let s = repo.commit_as("B: squashed", &nov(8), LEE);

    // A rebase: A moves on in two commits on a branch, main moves on, the branch is rebased
    // and fast-forwarded: the rebased commits are the ones that count.
    repo.git(&["switch", "-q", "-c", "rebase"]);
    put(&repo, &path_for(A), filled(A, "stakeholders"));
    let r1_old = repo.commit_as("A: stakeholders", &nov(9), PRIYA);
    put(&repo, &path_for(A), filled(A, "management"));
    let r2_old = repo.commit_as("A: management", &nov(10), PRIYA);
    repo.git(&["switch", "-q", "main"]);
    put(&repo, "README.md", "# Escalations\n");
    repo.commit_as("Readme", &nov(10), SAM);
    repo.git(&["switch", "-q", "rebase"]);
    repo.git_as(&["rebase", "-q", "main"], LEE, &nov(11));
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["merge", "-q", "--ff-only", "rebase"]);
    let r1 = repo.rev("HEAD~1");
    let r2 = repo.rev("HEAD");
    assert_ne!(r1, r1_old);
    assert_ne!(r2, r2_old);

    // A rename keeps the timeline; the next step after it is entered at its own commit.
    let moved = "escalations/2026-11/moved/ESC-2611-AAAA.md";
    std::fs::create_dir_all(repo.abs("escalations/2026-11/moved")).expect("mkdir");
    repo.git(&["mv", &path_for(A), moved]);
    let rn = repo.commit_as("Move A", &nov(12), SAM);
    put(&repo, moved, filled(A, "resolution"));
    let r3 = repo.commit_as("A: resolution", &nov(13), SAM);

    assert_eq!(
        entered(&repo, "AAAA"),
        want(&[
            ("raised", &c0, SAM),
            ("gathering", &m, LEE),
            ("validation", &m, LEE),
            ("stakeholders", &r1, PRIYA),
            ("management", &r2, PRIYA),
            ("resolution", &r3, SAM),
        ])
    );
    assert_eq!(
        entered(&repo, "BBBB"),
        want(&[
            ("raised", &c0, SAM),
            ("gathering", &s, LEE),
            ("validation", &s, LEE),
            ("stakeholders", &s, LEE),
        ])
    );
    // No commit from a side branch appears.
    let out = repo.esc(&["log", "AAAA"]);
    for side in [&f1, &f2, &r1_old, &r2_old, &c1, &rn] {
        out.lacks(&side[..7]);
    }
    let (json, _) = log_json(&repo, "BBBB");
    assert_eq!(json["last_update"]["commit"], s.as_str());
    let (json, _) = log_json(&repo, "AAAA");
    assert_eq!(json["last_update"]["commit"], r3.as_str());
    // The same from scratch.
    let first = repo
        .esc(&["list", "--format", "json"])
        .code(0)
        .stdout
        .clone();
    drop_cache(&repo);
    assert_eq!(
        repo.esc(&["list", "--format", "json"]).code(0).stdout,
        first
    );
}

#[test]
fn days_age_and_the_text_of_esc_log() {
    let repo = git_repo();
    put(&repo, &path_for(A), raised(A));
    let c0 = repo.commit_as("Raise A", &nov(2), SAM);
    put(&repo, &path_for(A), filled(A, "validation"));
    let c1 = repo.commit_as("A: validation", &nov(10), PRIYA);
    put(&repo, "other.txt", "x\n");
    repo.commit_as("Unrelated", &nov(12), SAM);
    let run = repo.esc(&["log", "AAAA", "--steps"]);
    run.code(0);
    let want = format!(
        "ESC-2611-AAAA: age 24 days, 16 days in the current step\n\
         \x20 raised        2026-11-02 09:00    8 d  {}  {SAM}\n\
         \x20 gathering     2026-11-10 09:00    0 d  {}  {PRIYA}\n\
         \x20 validation    2026-11-10 09:00   16 d  {}  {PRIYA}\n",
        &c0[..7],
        &c1[..7],
        &c1[..7]
    );
    assert_eq!(run.stdout, want);
    // Without --steps: the activity, one line per change, the authors' names aligned.
    let activity = repo.esc(&["log", "AAAA"]);
    let want = format!(
        "ESC-2611-AAAA: age 24 days, 16 days in the current step\n\
         \x20 2026-11-02 09:00  {}  Sam Ortiz    created at raised, owner Dana Whitfield (architect)\n\
         \x20 2026-11-10 09:00  {c1}  Priya Raman  moved on from raised to validation\n\
         \x20 2026-11-10 09:00  {c1}  Priya Raman  severity set to high\n\
         \x20 2026-11-10 09:00  {c1}  Priya Raman  meeting 2026-11-06 (internal): Agreed the throttling plan\n\
         \x20 2026-11-10 09:00  {c1}  Priya Raman  action added: Raise throttling limits (support, due 2026-11-07)\n\
         \x20 2026-11-10 09:00  {c1}  Priya Raman  action done: Raise throttling limits (2026-11-07)\n\
         \x20 2026-11-10 09:00  {c1}  Priya Raman  stakeholders notice sent 2026-11-05\n\
         \x20 2026-11-10 09:00  {c1}  Priya Raman  status brought up to date as of 2026-11-06\n",
        &c0[..7],
        c1 = &c1[..7],
    );
    assert_eq!(activity.code(0).stdout, want);
    // One day is a day, not "1 days".
    let one = repo.esc_raw(&["log", "AAAA", "--today", "2026-11-03"]);
    one.code(0).stdout_has(&["ESC-2611-AAAA: age 1 day,"]);
    let (json, _) = log_json(&repo, "AAAA");
    assert_eq!(json["age_days"], 24);
    assert_eq!(json["days_in_step"], 16);
    assert_eq!(json["entered"][0]["at"], "2026-11-02T09:00:00+00:00");
    assert_eq!(json["last_update"]["commit"], c1.as_str());
    // `esc show` prints the same timeline; `esc list` has it as JSON and in CSV columns.
    let show = repo.esc(&["show", "AAAA"]);
    show.code(0).stdout_has(&[&run.stdout[..]]);
    let show = repo
        .esc(&["show", "AAAA", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(show["timeline"], json);
    let list = repo.esc(&["list", "--format", "json"]).code(0).json();
    assert_eq!(list[0]["timeline"], json);
    let csv = repo.esc(&["list", "--format", "csv"]);
    csv.code(0).stdout_has(&[
        "step_entered,days_in_step,last_update",
        ",2026-11-10,16,2026-11-10,\n",
    ]);
    // In the team's time zone: 09:00 UTC is 10:00 in Berlin.
    put(&repo, "esc.yaml", "timezone: Europe/Berlin\n");
    let (json, _) = log_json(&repo, "AAAA");
    assert_eq!(json["entered"][0]["at"], "2026-11-02T10:00:00+01:00");
}

#[test]
fn an_escalation_not_committed_yet_has_no_history() {
    let repo = git_repo();
    put(&repo, &path_for(B), raised(B));
    repo.commit_all("B");
    put(&repo, &path_for(A), raised(A));
    repo.esc(&["log", "AAAA"])
        .code(0)
        .stdout_has(&["ESC-2611-AAAA: not committed yet, so it has no history"]);
    // And a repository with no commits at all.
    let empty = git_repo();
    put(&empty, &path_for(A), raised(A));
    empty
        .esc(&["log", "AAAA"])
        .code(0)
        .stdout_has(&["not committed yet"]);
}

#[test]
fn esc_advance_commits_make_the_timeline() {
    let repo = git_repo();
    put(&repo, &path_for(A), filled(A, "raised"));
    let c0 = repo.commit_as("Raise A", &nov(2), SAM);
    repo.esc(&["advance", "AAAA"]).code(0);
    let c1 = repo.rev("HEAD");
    repo.esc(&["advance", "AAAA", "--to", "stakeholders"])
        .code(0);
    let c2 = repo.rev("HEAD");
    repo.esc(&[
        "advance",
        "AAAA",
        "--to",
        "validation",
        "--reason",
        "Not confirmed",
    ])
    .code(0);
    let c3 = repo.rev("HEAD");
    let me = crate::git_support::ME;
    assert_eq!(
        entered(&repo, "AAAA"),
        want(&[
            ("raised", &c0, SAM),
            ("gathering", &c1, me),
            ("validation", &c2, me),
            ("stakeholders", &c2, me),
            ("validation", &c3, me),
        ])
    );
}

/// One escalation whose `step` is written, commit after commit, in every form YAML allows
/// (and a few that are not a step at all), by hand. Expected: what a YAML parser reads.
#[test]
fn every_yaml_form_of_step_gives_the_parsers_answer() {
    let repo = git_repo();
    let rel = path_for(C);
    let body = "---\n\n## Notes\n";
    // The front matter around `step`: `head` before it, `tail` after it.
    let head = "schema: 1\nid: ESC-2611-CCCC\ntitle: Mailbox migration stalled\n";
    let tail = "customer: Contoso Ltd\n";
    let front = |step_lines: &str| format!("---\n{head}{step_lines}{tail}{body}");
    let mut commits: Vec<String> = Vec::new();
    let mut commit = |repo: &TestRepo, bytes: String, day: u32, who: &str| {
        put(repo, &rel, bytes);
        let id = repo.commit_as(&format!("C {}", commits.len() + 1), &nov(day), who);
        commits.push(id);
    };
    // 1: plain.
    commit(&repo, front("step: raised\n"), 2, SAM);
    // 2: double-quoted.
    commit(&repo, front("step: \"gathering\"\n"), 3, PRIYA);
    // 3: single-quoted, with a comment, and a comment line before it.
    commit(
        &repo,
        front("# the step\nstep: 'validation'   # quoted\n"),
        4,
        SAM,
    );
    // 4: CRLF line endings.
    commit(
        &repo,
        front("step: stakeholders\n").replace('\n', "\r\n"),
        5,
        PRIYA,
    );
    // 5: a byte order mark, and a tab before the comment.
    commit(
        &repo,
        format!("\u{feff}{}", front("step: management\t# tab\n")),
        6,
        SAM,
    );
    // 6: the whole front matter one flow mapping (back to validation).
    commit(
        &repo,
        format!("---\n{{ schema: 1, id: ESC-2611-CCCC, step: validation, title: x }}\n{body}"),
        7,
        PRIYA,
    );
    // 7: the value on the next line (and a multi-line flow mapping spanning it).
    commit(
        &repo,
        format!(
            "---\n{{ schema: 1, id: \"ESC-2611-CCCC\",\n  step:\n    gathering,\n  title: x }}\n{body}"
        ),
        8,
        SAM,
    );
    // 8: an anchor.
    commit(&repo, front("step: &s validation\n"), 9, PRIYA);
    // 9: a tag.
    commit(&repo, front("step: !!str stakeholders\n"), 10, SAM);
    // 10: a folded block scalar.
    commit(&repo, front("step: >-\n  management\n"), 11, PRIYA);
    // 11: a multi-line quoted title whose second line reads `step: closed`: still management.
    commit(
        &repo,
        front("title2: \"x\nstep: closed\n  y\"\nstep: management\n"),
        12,
        SAM,
    );
    // 12: not a string: no step.
    commit(&repo, front("step: true\n"), 13, PRIYA);
    // 13: resolution (from management: the `true` in between counted for nothing).
    commit(&repo, front("step: resolution\n"), 14, SAM);
    // 14: a quoted key.
    commit(&repo, front("\"step\": closed\n"), 15, PRIYA);
    // 15: an explicit key (reopened).
    commit(&repo, front("? step\n: management\n"), 16, SAM);
    // 16: no step at all, but a multi-line title with a line `step: raised`.
    commit(
        &repo,
        front("title2: \"x\nstep: raised\n  y\"\n"),
        17,
        PRIYA,
    );
    // 17: a double-quoted value with an escape.
    commit(&repo, front("step: \"resol\\u0075tion\"\n"), 18, SAM);
    // 18: no step, but a flow mapping whose second line reads `step: closed }`.
    commit(&repo, front("extra: { a: 1,\nstep: closed }\n"), 19, PRIYA);
    // 19: no step, but a quoted value opened on an indented line runs on into `step: closed"`.
    commit(&repo, front("title2:\n  \"x\nstep: closed\"\n"), 19, SAM);
    // 20, 21: numbers are not steps.
    commit(&repo, front("step: 0x1F\n"), 20, SAM);
    commit(&repo, front("step: 12\n"), 21, PRIYA);
    // 22: closed, with a tab and a comment; the id single-quoted.
    commit(
        &repo,
        front("step:\tclosed # done\n").replace("id: ESC-2611-CCCC", "id: 'ESC-2611-CCCC'"),
        22,
        SAM,
    );
    let c = |n: usize| commits[n - 1].as_str();
    let expected = want(&[
        ("raised", c(1), SAM),
        ("gathering", c(2), PRIYA),
        ("validation", c(3), SAM),
        ("stakeholders", c(4), PRIYA),
        ("management", c(5), SAM),
        ("validation", c(6), PRIYA),
        ("gathering", c(7), SAM),
        ("validation", c(8), PRIYA),
        ("stakeholders", c(9), SAM),
        ("management", c(10), PRIYA),
        ("resolution", c(13), SAM),
        ("closed", c(14), PRIYA),
        ("management", c(15), SAM),
        ("resolution", c(17), SAM),
        ("closed", c(22), SAM),
    ]);
    let (json, got) = log_json(&repo, "CCCC");
    assert_eq!(got, expected);
    assert_eq!(json["last_update"]["commit"], c(22));
    // A run from scratch agrees.
    drop_cache(&repo);
    let (again, _) = log_json(&repo, "CCCC");
    assert_eq!(again, json);
}

#[test]
fn the_cache_is_reused_updated_rebuilt_and_never_tracked() {
    let repo = git_repo();
    put(&repo, &path_for(A), raised(A));
    put(&repo, &path_for(B), raised(B));
    let c0 = repo.commit_as("Raise", &nov(2), SAM);
    put_step(&repo, A, &raised(A), "gathering");
    let c1 = repo.commit_as("A: gathering", &nov(3), PRIYA);

    let first = repo
        .esc(&["list", "--format", "json"])
        .code(0)
        .stdout
        .clone();
    let cache = repo.abs(".git/esc/timelines-v5.json");
    assert!(cache.is_file(), "no cache written");
    assert_eq!(repo.porcelain(), "", "the cache shows in git status");
    // Again: the same.
    assert_eq!(
        repo.esc(&["list", "--format", "json"]).code(0).stdout,
        first
    );
    // Deleted: rebuilt, the same.
    drop_cache(&repo);
    assert_eq!(
        repo.esc(&["list", "--format", "json"]).code(0).stdout,
        first
    );
    assert!(cache.is_file());
    // Corrupt: rebuilt, the same.
    std::fs::write(&cache, b"{ not json").expect("corrupt the cache");
    assert_eq!(
        repo.esc(&["list", "--format", "json"]).code(0).stdout,
        first
    );
    // The detail file (activity) lost, or from another head: rebuilt, the same.
    let detail = repo.abs(".git/esc/timelines-v5.detail.json");
    std::fs::remove_file(&detail).expect("remove the detail file");
    assert_eq!(
        repo.esc(&["list", "--format", "json"]).code(0).stdout,
        first
    );
    let text = std::fs::read_to_string(&detail).expect("detail rebuilt");
    std::fs::write(&detail, text.replacen(&c1, &"0".repeat(40), 1)).expect("write");
    assert_eq!(
        repo.esc(&["list", "--format", "json"]).code(0).stdout,
        first
    );

    // New commits: only they are read, and the result equals a run from scratch.
    put(&repo, &path_for(B), filled(B, "validation"));
    let c2 = repo.commit_as("B: validation", &nov(4), LEE);
    put(&repo, &path_for(A), filled(A, "stakeholders"));
    let c3 = repo.commit_as("A: stakeholders", &nov(5), SAM);
    assert_eq!(
        entered(&repo, "AAAA"),
        want(&[
            ("raised", &c0, SAM),
            ("gathering", &c1, PRIYA),
            ("validation", &c3, SAM),
            ("stakeholders", &c3, SAM),
        ])
    );
    assert_eq!(
        entered(&repo, "BBBB"),
        want(&[
            ("raised", &c0, SAM),
            ("gathering", &c2, LEE),
            ("validation", &c2, LEE),
        ])
    );
    let incremental = repo
        .esc(&["list", "--format", "json"])
        .code(0)
        .stdout
        .clone();
    drop_cache(&repo);
    assert_eq!(
        repo.esc(&["list", "--format", "json"]).code(0).stdout,
        incremental
    );

    // History rewritten under the cache (amend): the cached head is gone; rebuilt.
    repo.esc(&["log", "AAAA"]).code(0);
    put(&repo, &path_for(A), filled(A, "validation"));
    repo.git_as(
        &["commit", "-q", "--amend", "-a", "-m", "A: validation"],
        SAM,
        &nov(6),
    );
    let c3b = repo.rev("HEAD");
    assert_eq!(
        entered(&repo, "AAAA"),
        want(&[
            ("raised", &c0, SAM),
            ("gathering", &c1, PRIYA),
            ("validation", &c3b, SAM),
        ])
    );
    // Back to an older commit (reset): the timeline is as of that commit.
    repo.git(&["reset", "-q", "--hard", &c1]);
    assert_eq!(
        entered(&repo, "AAAA"),
        want(&[("raised", &c0, SAM), ("gathering", &c1, PRIYA)])
    );
    assert_eq!(entered(&repo, "BBBB"), want(&[("raised", &c0, SAM)]));
    assert_eq!(repo.porcelain(), "");
}

#[test]
fn a_shallow_clone_says_to_fetch_the_history() {
    let origin = git_repo();
    put(&origin, &path_for(A), raised(A));
    origin.commit_as("Raise", &nov(2), SAM);
    put_step(&origin, A, &raised(A), "gathering");
    origin.commit_as("A: gathering", &nov(3), SAM);
    let work = TestRepo::empty();
    let url = format!("file://{}", origin.path().display());
    crate::git_support::git_in(
        work.path(),
        &["clone", "-q", "--depth", "1", &url, "clone"],
        &[],
    );
    let clone = work.path().join("clone");
    assert!(clone.join(".git/shallow").is_file(), "not a shallow clone");
    let c = clone.to_string_lossy().into_owned();
    let run = work.esc(&["-C", &c, "log", "AAAA"]);
    run.code(2)
        .stderr_has(&["shallow clone", "git fetch --unshallow", "fetch-depth: 0"]);
    // Checking files needs no history.
    work.esc(&["-C", &c, "check"]).code(0);
}

/// `text` with every front matter line indented by one space (an indented root mapping).
fn indented(text: &str) -> String {
    let (head, rest) = text.split_once("---\n").expect("opening fence");
    let (yaml, body) = rest.split_once("---\n").expect("closing fence");
    let yaml: String = yaml.lines().map(|l| format!(" {l}\n")).collect();
    format!("{head}---\n{yaml}---\n{body}")
}

/// The four forms where the history's line scan disagreed with the full parse (issue 8):
/// a plain value continued on the next line, invalid YAML (`step: t:` and a key duplicated
/// elsewhere), a lone CR as a line break, and an indented root; and the fields activity
/// reads (folded and literal summaries, flow actions and notices) in forms the scan takes
/// and forms it declines. Over a history with each, the timelines (steps, owners and
/// activity) equal the ones the full parse gives (`ESC_FULL_PARSE=1`).
#[test]
fn the_line_scan_agrees_with_the_full_parse_on_the_forms_that_broke_it() {
    let base = raised(A);
    let forms = [
        base.replace("step: raised\n", "step: gathering\n  continued\n"),
        base.replace("step: raised\n", "step: t:\n"),
        base.replace(
            "customer: Contoso Ltd\n",
            "customer: Contoso Ltd\ncustomer: again\n",
        )
        .replace("step: raised\n", "step: validation\n"),
        base.replace(
            "customer: Contoso Ltd\nstep: raised",
            "customer: Contoso Ltd\rstep: closed",
        ),
        indented(&base.replace("step: raised", "step: gathering")),
        // The fields activity reads, in forms the scan takes and forms it declines.
        base.replace(
            "step: raised\n",
            "step: raised\nseverity: high # c\nstep_reason: >-\n  Moved\n  back.\n\n  Twice.\n\
             stakeholders: { decision: notify, notified: 2026-11-05 }\n\
             meetings:\n  - { date: 2026-11-03, kind: customer, summary: 'Call' }\n  - date: 2026-11-04\n    summary: >-\n      Two\n      lines\n\n      and more\n  - date: 2026-11-05\n    summary: |\n      Literal\n      lines\n\
             status:\n  as_of: 2026-11-04\n  actions:\n    - { what: Raise limits, owner: support, due: 2026-11-07 }\n    - what: Call back\n      done: 2026-11-04\n\
             notices: { confirmation: 2026-11-05 }\n",
        ),
        base.replace(
            "owner: Dana Whitfield <dana@example.com>\n",
            "owner: \"Dana \\\"DW\\\" Whitfield <dana@example.com>\"\nseverity: \"crit\\u0069cal\"\n\
             meetings:\n  - date: 2026-11-03\n    summary: |+\n      kept\n\n\
             status: { as_of: 2026-11-04, actions: [{ what: x, done: 2026-11-04 }] }\n",
        ),
    ];
    for (i, form) in forms.iter().enumerate() {
        let repo = git_repo();
        put(&repo, &path_for(A), raised(A));
        repo.commit_as("raise", &nov(2), SAM);
        put(&repo, &path_for(A), form);
        repo.commit_as("the odd form", &nov(3), PRIYA);
        put(&repo, &path_for(A), with_step(&raised(A), "gathering"));
        repo.commit_as("back to normal", &nov(4), LEE);
        // The whole timeline: steps entered, owners and activity.
        let entered = |repo: &TestRepo| {
            let _ = std::fs::remove_dir_all(repo.abs(".git/esc"));
            repo.esc(&["log", "AAAA", "--format", "json"])
                .code(0)
                .json()
        };
        let fast = entered(&repo);
        let full = entered(&repo.env("ESC_FULL_PARSE", "1"));
        assert_eq!(fast, full, "form {i}: {form:?}");
    }
}
