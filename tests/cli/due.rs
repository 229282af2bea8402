//! `esc due`: the demo's list (an overdue update, a breach with whom to tell, pending
//! notices), every format, `--owner me`, exit codes, and breaches at week and time-zone
//! boundaries, in working days, and on a reopened escalation.

use super::git_support::{GitExt, ME, filled, git_repo};
use super::support::{TestRepo, path_for, raised};
use super::template_support::{demo, parse_eml};

/// The items of `esc due --format json`, as (id, kind, message).
fn items(repo: &TestRepo, today: &str) -> Vec<(String, String, String)> {
    let run = repo.esc_raw(&["due", "--format", "json", "--today", today]);
    let json = run.json();
    let mut out = Vec::new();
    for o in json["owners"].as_array().expect("owners") {
        for it in o["items"].as_array().expect("items") {
            let s = |k: &str| it[k].as_str().unwrap_or_default().to_string();
            out.push((s("id"), s("kind"), s("message")));
        }
    }
    assert_eq!(run.code, i32::from(!out.is_empty()), "{run}");
    out
}

fn has(items: &[(String, String, String)], id: &str, kind: &str, part: &str) -> bool {
    items
        .iter()
        .any(|(i, k, m)| i == id && k == kind && m.contains(part))
}

#[test]
fn the_demo_shows_an_overdue_update_a_breach_and_pending_notices() {
    let repo = demo();
    let run = repo.esc(&["due"]);
    run.code(1).stdout_has(&[
        "Due on Thu 26 Nov 2026 (actions up to Tue 1 Dec 2026):",
        "Dana Whitfield <dana.whitfield@example.com>: ",
        "update   Enterprise Status update overdue since 25 Nov 2026 (daily cadence)",
        "notice   stakeholder update overdue since 23 Nov 2026 (daily cadence)",
        "breach   32 working days in Escalation management (the critical target: at most 10); tell Luis Romero, Ingrid Nilsson",
        "notice   written confirmation not requested from the customer",
        "decision step-4 decision missing: the severity policy says notify for high",
    ]);
    // Not a terminal: no colour.
    assert!(!run.stdout.contains('\x1b'), "{run}");

    let json = repo.esc(&["due", "--format", "json"]);
    json.code(1);
    let v = json.json();
    assert_eq!(v["today"], "2026-11-26");
    let owners: Vec<&str> = v["owners"]
        .as_array()
        .expect("owners")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(owners, ["Dana Whitfield", "Joana Pires", "Sam Ortiz"]);
    let breach = v["owners"][0]["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == "breach")
        .expect("a breach");
    assert_eq!(
        breach["roles"],
        serde_json::json!(["team_manager", "regional_leadership"])
    );
    assert_eq!(breach["overdue"], true);

    // Markdown: a table per owner.
    repo.esc(&["due", "--format", "md", "--owner", "joana"])
        .code(1)
        .stdout_has(&[
            "## Joana Pires (3)",
            "| escalation | severity | what | due | detail |",
            // Dates for people, as in the report and the text; JSON keeps ISO.
            " Nov 2026 (overdue) |",
        ])
        .lacks("Dana Whitfield")
        .lacks("| 2026-");
}

#[test]
fn eml_drafts_go_to_each_owner_and_copy_whom_breaches_tell() {
    let repo = demo();
    let run = repo.esc(&["due", "--format", "eml", "--dir", "outbox"]);
    run.code(1);
    let mut names: Vec<String> = std::fs::read_dir(repo.abs("outbox"))
        .expect("outbox")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "due-dana-whitfield.eml",
            "due-joana-pires.eml",
            "due-sam-ortiz.eml"
        ]
    );
    let mail = parse_eml(&std::fs::read(repo.abs("outbox/due-dana-whitfield.eml")).expect("eml"));
    let addr = |p: &[(String, String)]| p.iter().map(|(_, a)| a.clone()).collect::<Vec<_>>();
    assert_eq!(addr(&mail.to), ["dana.whitfield@example.com"]);
    assert_eq!(
        addr(&mail.cc),
        ["luis.romero@example.com", "ingrid.nilsson@example.com"]
    );
    assert!(
        mail.subject.starts_with("Due on your escalations: 6 items"),
        "{}",
        mail.subject
    );
    assert!(mail.text.contains("ESC-2610-7FJX"), "{}", mail.text);
    // --format eml needs --dir: a usage error.
    repo.esc(&["due", "--format", "eml"]).code(2);
}

#[test]
fn owner_me_is_the_git_identity_and_nothing_due_exits_0() {
    let repo = git_repo()
        .escalation("ESC-2611-AAAA", &filled("ESC-2611-AAAA", "management"))
        .escalation(
            "ESC-2611-BBBB",
            &filled("ESC-2611-BBBB", "management").replace(
                "owner: Dana Whitfield <dana@example.com>",
                "owner: Sam Ortiz <sam@example.com>",
            ),
        );
    repo.commit_all("two");
    let run = repo.esc(&["due", "--owner", "me", "--format", "json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["owners"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v["owners"][0]["owner"], ME);
    // An empty repository: nothing due.
    let empty = git_repo();
    empty
        .esc(&["due"])
        .code(0)
        .stdout_has(&["0 items for 0 owners"]);
    // Outside a repository: could not run.
    TestRepo::empty().esc(&["due"]).code(2);
}

const NO_OTHER_TARGETS: &str =
    "  default: { validation_days: 100, decision_days: 100, step_days: 100 }\n";

#[test]
fn validation_breach_counts_working_days_across_the_weekend() {
    // Raised Mon 2 Nov, 5 working days to validation: the last day within is Mon 9 Nov.
    let repo = git_repo()
        .write(
            "esc.yaml",
            &format!("targets:\n{NO_OTHER_TARGETS}  critical: {{ validation_days: 5 }}\n"),
        )
        .escalation(
            "ESC-2611-AAAA",
            &raised("ESC-2611-AAAA")
                .replace("step: raised\n", "step: raised\nseverity: critical\n"),
        );
    repo.commit_all("raised");
    for (today, breached) in [
        ("2026-11-06", false),
        ("2026-11-08", false),
        ("2026-11-09", false),
        ("2026-11-10", true),
    ] {
        let got = items(&repo, today);
        assert_eq!(
            has(
                &got,
                "ESC-2611-AAAA",
                "breach",
                "not validated with the customer"
            ),
            breached,
            "{today}: {got:?}"
        );
    }
    let got = items(&repo, "2026-11-10");
    assert!(
        has(
            &got,
            "ESC-2611-AAAA",
            "breach",
            "6 working days after raising (the critical target: 5)"
        ),
        "{got:?}"
    );
}

#[test]
fn days_in_a_step_start_on_the_team_s_day_of_the_commit() {
    // Entered gathering at 23:30 UTC on Tue 3 Nov: already Wed 4 Nov in Tokyo.
    let text = raised("ESC-2611-AAAA").replace("step: raised", "step: gathering");
    let make = |tz: &str| {
        let repo = git_repo()
            .write(
                "esc.yaml",
                &format!("timezone: {tz}\ntargets:\n  default: {{ validation_days: 100, decision_days: 100, step_days: 1 }}\n"),
            )
            .escalation("ESC-2611-AAAA", &text);
        repo.commit_as("gathering", "2026-11-03T23:30:00+00:00", ME);
        repo
    };
    let utc = make("UTC");
    let tokyo = make("Asia/Tokyo");
    // Thu 5 Nov: two working days after Tue in UTC (breach), one after Wed in Tokyo.
    assert!(has(
        &items(&utc, "2026-11-05"),
        "ESC-2611-AAAA",
        "breach",
        "2 working days in Information gathering"
    ));
    assert!(!has(
        &items(&tokyo, "2026-11-05"),
        "ESC-2611-AAAA",
        "breach",
        "in Information gathering"
    ));
    assert!(has(
        &items(&tokyo, "2026-11-06"),
        "ESC-2611-AAAA",
        "breach",
        "2 working days in Information gathering"
    ));
}

#[test]
fn a_reopened_escalation_counts_from_the_reopening() {
    let id = "ESC-2611-AAAA";
    let repo = git_repo()
        .write(
            "esc.yaml",
            "targets:\n  default: { step_days: 10 }\n  high: { step_days: 10 }\n",
        )
        .escalation(
            id,
            &filled(id, "management").replace("cadence: daily", "cadence: weekly"),
        );
    repo.commit_as("management", "2026-11-02T09:00:00+00:00", ME);
    std::fs::write(
        repo.abs(&path_for(id)),
        filled(id, "closed").replace("cadence: daily", "cadence: weekly"),
    )
    .expect("write");
    repo.commit_as("closed", "2026-11-20T09:00:00+00:00", ME);
    let reopened = filled(id, "closed")
        .replace("cadence: daily", "cadence: weekly")
        .replace(
            "step: closed\n",
            "step: management\nstep_reason: The fix did not hold.\n",
        );
    std::fs::write(repo.abs(&path_for(id)), &reopened).expect("write");
    repo.commit_as("reopened", "2026-11-24T09:00:00+00:00", ME);
    let got = items(&repo, "2026-11-26");
    // 18 working days since management was first entered, 2 since the reopening.
    assert!(
        !got.iter()
            .any(|(_, k, m)| k == "breach" && m.contains("in Escalation management")),
        "{got:?}"
    );
    // The status is as of 6 Nov (weekly: due 13 Nov), but the clock restarts on 24 Nov.
    assert!(!got.iter().any(|(_, k, _)| k == "update"), "{got:?}");
    // Never closed, the same file would be both.
    let twin = git_repo()
        .write(
            "esc.yaml",
            "targets:\n  default: { step_days: 10 }\n  high: { step_days: 10 }\n",
        )
        .escalation(
            id,
            &filled(id, "management").replace("cadence: daily", "cadence: weekly"),
        );
    twin.commit_as("management", "2026-11-02T09:00:00+00:00", ME);
    let got = items(&twin, "2026-11-26");
    assert!(
        has(&got, id, "update", "overdue since 13 Nov 2026"),
        "{got:?}"
    );
    assert!(
        has(
            &got,
            id,
            "breach",
            "18 working days in Escalation management"
        ),
        "{got:?}"
    );
}

/// `esc due` reads a current timeline cache without its activity (the larger part of it):
/// the same list as from no cache, and after a new commit (a cache behind HEAD) the new
/// state, not the cached one.
#[test]
fn due_from_the_cache_without_activity_is_the_same() {
    let repo = crate::template_support::demo();
    let cache = repo.abs(".git/esc");
    let _ = std::fs::remove_dir_all(&cache);
    let cold = repo.esc(&["due", "--format", "json"]);
    assert!(cache.is_dir(), "the first run writes the cache");
    let warm = repo.esc(&["due", "--format", "json"]);
    assert_eq!(cold.code, warm.code);
    assert_eq!(cold.stdout, warm.stdout);
    assert!(warm.stdout.contains("\"owners\""), "{}", warm.stdout);
    // A meeting logged now moves 2RSM's last update: a cache behind HEAD is not used as is.
    repo.esc(&[
        "meeting",
        "2RSM",
        "--date",
        "2026-11-26",
        "--kind",
        "customer",
        "--summary",
        "Agreed the scope",
        "--status.brief",
        "Scope agreed",
    ])
    .code(0);
    let after = repo.esc(&["due", "--format", "json"]);
    assert_ne!(after.stdout, warm.stdout);
    let _ = std::fs::remove_dir_all(&cache);
    let rebuilt = repo.esc(&["due", "--format", "json"]);
    assert_eq!(after.stdout, rebuilt.stdout);
}
