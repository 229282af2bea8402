//! Activity in the timeline (`esc log`, `timeline.activity` in `show` and `list`, the
//! report's "what changed") and `esc assign`: histories made with esc's own commands and with
//! hand edits committed by git, with pinned authors and dates, and every expectation worked
//! out from the commits made.

use crate::git_support::{GitExt, filled, git_repo};
use crate::support::{TestRepo, path_for};
use serde_json::{Value, json};

const A: &str = "ESC-2611-AAAA";
const SAM: &str = "Sam Ortiz <sam@example.com>";
const PRIYA: &str = "Priya Raman <priya@example.com>";
const LEE: &str = "Lee Chen <lee@example.com>";
const DANA: &str = "Dana Whitfield <dana@example.com>";

const PEOPLE: &str = "people:\n  architect:\n    - Dana Whitfield <dana@example.com>\n    - Lee Chen <lee@example.com>\n";

/// A date on day `d` of November 2026, at 09:00 UTC.
fn nov(d: u32) -> String {
    format!("2026-11-{d:02}T09:00:00+00:00")
}

/// The repository with esc's commits authored by `who` (`Name <email>`) at `date`.
fn as_author(repo: TestRepo, who: &str, date: &str) -> TestRepo {
    let (name, email) = who
        .trim_end_matches('>')
        .split_once(" <")
        .expect("`Name <email>`");
    repo.env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
}

fn put(repo: &TestRepo, rel: &str, text: &str) {
    std::fs::write(repo.abs(rel), text).expect("write");
}

/// `esc log ID --format json`'s activity as (kind, commit, author, date, detail).
fn activity(repo: &TestRepo, id: &str) -> Vec<(String, String, String, String, Value)> {
    let json = repo.esc(&["log", id, "--format", "json"]).code(0).json();
    json["activity"]
        .as_array()
        .expect("an activity array")
        .iter()
        .map(|a| {
            let s = |k: &str| a[k].as_str().unwrap_or_default().to_string();
            (
                s("kind"),
                s("commit"),
                s("author"),
                s("date"),
                a["detail"].clone(),
            )
        })
        .collect()
}

fn drop_cache(repo: &TestRepo) {
    let _ = std::fs::remove_dir_all(repo.abs(".git/esc"));
}

/// A history of every kind of change, by esc commands and by hand edits committed with git:
/// created, severity, a meeting with a status update, an action added and done, a handoff,
/// a step move, a notice recorded. Each shows with its commit, author and date.
#[test]
fn every_kind_of_activity_with_its_commit_author_and_date() {
    let repo = git_repo().write("esc.yaml", PEOPLE);
    std::fs::create_dir_all(repo.abs("escalations/2026-11")).expect("mkdir");
    put(&repo, &path_for(A), &filled(A, "management"));
    let c0 = repo.commit_as("A at management", &nov(10), SAM);

    let repo = as_author(repo, LEE, &nov(11));
    repo.esc(&["set", "AAAA", "severity=critical"]).code(0);
    let c1 = repo.rev("HEAD");
    let repo = as_author(repo, PRIYA, &nov(12));
    repo.esc(&[
        "meeting",
        "AAAA",
        "--date",
        "2026-11-12",
        "--kind",
        "customer",
        "--summary",
        "Agreed the cut-over plan",
        "--status.brief",
        "Cut-over planned",
    ])
    .code(0);
    let c2 = repo.rev("HEAD");
    let repo = as_author(repo, SAM, &nov(13));
    repo.esc(&[
        "action",
        "AAAA",
        "add",
        "Send the cut-over runbook",
        "--owner",
        "support",
        "--due",
        "2026-11-16",
    ])
    .code(0);
    let c3 = repo.rev("HEAD");
    let repo = as_author(repo, SAM, &nov(14));
    repo.esc(&["action", "AAAA", "done", "2", "--date", "2026-11-14"])
        .code(0);
    let c4 = repo.rev("HEAD");
    let repo = as_author(repo, DANA, &nov(16));
    repo.esc(&[
        "assign",
        "AAAA",
        "--owner",
        "Lee Chen",
        "--reason",
        "Dana is on leave",
    ])
    .code(0)
    .stdout_has(&["owner Dana Whitfield -> Lee Chen"]);
    let c5 = repo.rev("HEAD");
    // Hand edits: a step move and a notice recorded, committed with git.
    let text = repo.read(&path_for(A));
    put(
        &repo,
        &path_for(A),
        &text.replace("step: management", "step: resolution"),
    );
    let c6 = repo.commit_as("A: resolution", &nov(17), PRIYA);
    let text = repo.read(&path_for(A));
    // The closing fence is the first `\n---\n` (the opening one starts the file).
    let text = text.replacen(
        "\n---\n",
        "\nnotices:\n  confirmation: 2026-11-18\n---\n",
        1,
    );
    put(&repo, &path_for(A), &text);
    let c7 = repo.commit_as("A: confirmation sent", &nov(18), PRIYA);

    let got = activity(&repo, "AAAA");
    let at = |d: u32| nov(d);
    let want: Vec<(&str, &str, &str, String, Value)> = vec![
        (
            "created",
            &c0,
            SAM,
            at(10),
            json!({"step": "management", "owner": DANA, "role": "architect", "severity": "high"}),
        ),
        (
            "severity",
            &c1,
            LEE,
            at(11),
            json!({"from": "high", "to": "critical"}),
        ),
        (
            "meeting",
            &c2,
            PRIYA,
            at(12),
            json!({"date": "2026-11-12", "kind": "customer", "summary": "Agreed the cut-over plan"}),
        ),
        (
            "status",
            &c2,
            PRIYA,
            at(12),
            json!({"as_of": "2026-11-12", "from": "2026-11-06"}),
        ),
        (
            "action-added",
            &c3,
            SAM,
            at(13),
            json!({"what": "Send the cut-over runbook", "owner": "support", "due": "2026-11-16"}),
        ),
        (
            "action-done",
            &c4,
            SAM,
            at(14),
            json!({"what": "Send the cut-over runbook", "done": "2026-11-14"}),
        ),
        (
            "owner",
            &c5,
            DANA,
            at(16),
            json!({"from": DANA, "to": LEE, "from_role": "architect", "role": "architect", "reason": "Dana is on leave"}),
        ),
        (
            "step",
            &c6,
            PRIYA,
            at(17),
            json!({"from": "management", "to": "resolution", "back": false, "reason": null}),
        ),
        (
            "notice",
            &c7,
            PRIYA,
            at(18),
            json!({"notice": "confirmation", "date": "2026-11-18"}),
        ),
    ];
    let want: Vec<(String, String, String, String, Value)> = want
        .into_iter()
        .map(|(k, c, a, d, v)| (k.to_string(), c.to_string(), a.to_string(), d, v))
        .collect();
    assert_eq!(got, want);

    // Who held it when.
    let json = repo
        .esc(&["log", "AAAA", "--format", "json"])
        .code(0)
        .json();
    let owners: Vec<(&str, &str)> = json["owners"]
        .as_array()
        .expect("owners")
        .iter()
        .map(|o| {
            (
                o["owner"].as_str().unwrap_or_default(),
                o["since"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(owners, [(DANA, &*nov(10)), (LEE, &*nov(16))]);
    // `show` and `list` carry the same timeline, activity included.
    let show = repo
        .esc(&["show", "AAAA", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(show["timeline"], json);
    let list = repo.esc(&["list", "--format", "json"]).code(0).json();
    assert_eq!(list[0]["timeline"]["activity"], json["activity"]);
    // The text: one line per change.
    repo.esc(&["log", "AAAA"]).code(0).stdout_has(&[
        &format!(
            "  2026-11-16 09:00  {}  Dana Whitfield  handed over from Dana Whitfield to Lee Chen (architect): Dana is on leave\n",
            &c5[..7]
        ),
        &format!(
            "  2026-11-13 09:00  {}  Sam Ortiz       action added: Send the cut-over runbook (support, due 2026-11-16)\n",
            &c3[..7]
        ),
    ]);

    // The report's "what changed": W46 (9 to 15 Nov) has the severity, the meeting and the
    // actions; W47 the handoff, the step and the notice.
    let w46 = repo.esc(&["report", "--week", "2026-W46"]);
    w46.code(0).stdout_has(&[
        "**ESC-2611-AAAA** (Contoso Ltd) severity changed from high to critical, by Lee Chen",
        "**ESC-2611-AAAA** (Contoso Ltd) meeting 12 Nov 2026 (customer): Agreed the cut-over plan, by Priya Raman",
        "**ESC-2611-AAAA** (Contoso Ltd) action added: Send the cut-over runbook (support, due 16 Nov 2026), by Sam Ortiz",
        "**ESC-2611-AAAA** (Contoso Ltd) action done: Send the cut-over runbook (14 Nov 2026), by Sam Ortiz",
    ]);
    w46.lacks("handed over");
    repo.esc(&["report", "--week", "2026-W47"]).code(0).stdout_has(&[
        "**ESC-2611-AAAA** (Contoso Ltd) handed over from Dana Whitfield to Lee Chen (architect): Dana is on leave, by Dana Whitfield",
        "**ESC-2611-AAAA** (Contoso Ltd) entered *Resolution and review*, by Priya Raman",
        "**ESC-2611-AAAA** (Contoso Ltd) confirmation notice sent 18 Nov 2026, by Priya Raman",
    ]);

    // The full parse gives the same `esc log`, text and JSON.
    let fast = repo.esc(&["log", "AAAA"]).code(0).stdout.clone();
    let fast_json = repo
        .esc(&["log", "AAAA", "--format", "json"])
        .code(0)
        .stdout
        .clone();
    drop_cache(&repo);
    let full = repo.env("ESC_FULL_PARSE", "1");
    assert_eq!(full.esc(&["log", "AAAA"]).code(0).stdout, fast);
    assert_eq!(
        full.esc(&["log", "AAAA", "--format", "json"])
            .code(0)
            .stdout,
        fast_json
    );
}

/// A closed escalation reopened by `esc advance --reason`, and one moved back by a hand
/// edit: each shows with the reason written to `step_reason`.
#[test]
fn a_reopening_and_a_move_back_show_their_reason() {
    let repo = git_repo();
    std::fs::create_dir_all(repo.abs("escalations/2026-11")).expect("mkdir");
    put(&repo, &path_for(A), &filled(A, "closed"));
    let c0 = repo.commit_as("A closed", &nov(20), SAM);
    let repo = as_author(repo, LEE, &nov(21));
    repo.esc(&[
        "advance",
        "AAAA",
        "--to",
        "management",
        "--reason",
        "The customer reports failed batches again",
    ])
    .code(0);
    let c1 = repo.rev("HEAD");
    let text = repo.read(&path_for(A)).replace(
        "step: management\nstep_reason: The customer reports failed batches again\n",
        "step: validation\nstep_reason: >-\n  Scope to be confirmed\n  again.\n",
    );
    assert!(text.contains("step: validation"), "{text}");
    put(&repo, &path_for(A), &text);
    let c2 = repo.commit_as("A: back to validation", &nov(22), PRIYA);
    let got = activity(&repo, "AAAA");
    let steps: Vec<(&str, &str, &str, Value)> = got
        .iter()
        .map(|(k, c, a, _, d)| (k.as_str(), c.as_str(), a.as_str(), d.clone()))
        .collect();
    assert_eq!(steps[0].0, "created");
    assert_eq!(steps[0].1, c0);
    assert_eq!(
        steps[1..],
        [
            (
                "reopened",
                c1.as_str(),
                LEE,
                json!({"from": "closed", "to": "management", "reason": "The customer reports failed batches again"})
            ),
            (
                "step",
                c2.as_str(),
                PRIYA,
                json!({"from": "management", "to": "validation", "back": true, "reason": "Scope to be confirmed again."})
            ),
        ]
    );
    repo.esc(&["log", "AAAA"]).code(0).stdout_has(&[
        "Lee Chen     reopened from closed to management: The customer reports failed batches again\n",
        "Priya Raman  moved back from management to validation: Scope to be confirmed again\n",
    ]);
    repo.esc(&["report", "--week", "2026-W47"]).code(0).stdout_has(&[
        "reopened to *Escalation management* (The customer reports failed batches again), by Lee Chen",
    ]);
}

/// `esc assign` commits exactly the one file (what else is staged stays staged), refuses an
/// owner esc.yaml does not list for the role (exit 1, nothing changed) and an unknown id
/// (exit 2).
#[test]
fn esc_assign_commits_one_file_and_refuses_what_it_must() {
    let repo = git_repo().write("esc.yaml", PEOPLE);
    std::fs::create_dir_all(repo.abs("escalations/2026-11")).expect("mkdir");
    put(&repo, &path_for(A), &filled(A, "management"));
    repo.commit_as("A", &nov(10), SAM);
    put(&repo, "README.md", "# Notes\n");
    repo.git(&["add", "README.md"]);

    let head = repo.rev("HEAD");
    let before = repo.snapshot();
    let run = repo.esc(&["assign", "AAAA", "--owner", "Pat Doe <pat@example.com>"]);
    run.code(1).stderr_has(&[
        "error[owner-role]",
        "people.architect",
        "nothing was changed",
    ]);
    assert_eq!(repo.rev("HEAD"), head);
    assert_eq!(repo.snapshot(), before);
    repo.esc(&["assign", "ZZZZ", "--owner", "Lee Chen"])
        .code(2)
        .stderr_has(&["ZZZZ"]);
    assert_eq!(repo.rev("HEAD"), head);
    // The same owner again: nothing to do.
    repo.esc(&["assign", "AAAA", "--owner", "dana@example.com"])
        .code(1)
        .stderr_has(&["already owns it"]);

    // A listed person by name: written as esc.yaml has them; one file in the commit.
    repo.esc(&["assign", "AAAA", "--owner", "lee chen"]).code(0);
    assert_eq!(repo.files_of("HEAD"), [path_for(A)]);
    assert_eq!(repo.staged(), ["README.md"]);
    assert!(
        repo.read(&path_for(A))
            .contains("\nowner: Lee Chen <lee@example.com>\n")
    );
    assert!(repo.trailers("HEAD").contains(&(
        "Owner".to_string(),
        "Lee Chen <lee@example.com>".to_string()
    )));
    repo.esc(&["check"]).code(0);
}

/// A cache written by an esc before activity (`timelines-v2.json`) is not read: the
/// timelines are rebuilt into `timelines-v5.json`, with activity.
#[test]
fn a_cache_from_before_activity_is_ignored_and_rebuilt() {
    let repo = git_repo();
    std::fs::create_dir_all(repo.abs("escalations/2026-11")).expect("mkdir");
    put(&repo, &path_for(A), &filled(A, "validation"));
    let c0 = repo.commit_as("A", &nov(10), SAM);
    // What the binary before activity wrote at this head, with a step it never had.
    let v2 = json!({
        "head": c0, "steps": ["raised", "gathering", "validation", "stakeholders", "management", "resolution", "closed"],
        "full_parse": false, "esc_dir": "escalations",
        "paths": { path_for(A): A },
        "timelines": { A: { "id": A, "path": path_for(A), "last_update": null,
            "entered": [{ "step": "closed", "commit": c0, "author": SAM, "time": 1 }] } },
    });
    std::fs::create_dir_all(repo.abs(".git/esc")).expect("mkdir");
    let v2_text = serde_json::to_string(&v2).expect("json");
    put(&repo, ".git/esc/timelines-v2.json", &v2_text);
    let json = repo
        .esc(&["log", "AAAA", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(json["entered"].as_array().map(Vec::len), Some(3));
    assert_eq!(json["activity"][0]["kind"], "created");
    assert!(repo.abs(".git/esc/timelines-v5.json").is_file());
    assert_eq!(repo.read(".git/esc/timelines-v2.json"), v2_text);
}
