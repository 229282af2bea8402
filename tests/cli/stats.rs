//! `esc stats` and the report's analytics and pending notices, on a small history whose
//! numbers are known: four escalations moved through their steps by commits on known days
//! (a move back, a reopening, two resolved, one of them without the review it needed).

use super::git_support::{CLOSING, FIELDS, GitExt, filled, git_repo, with_step};
use super::support::{TestRepo, raised, raised_with};
use super::template_support::md_tables;
use serde_json::{Value, json};

const A: &str = "ESC-2611-AAAA";
const B: &str = "ESC-2611-BBBB";
const C: &str = "ESC-2610-CCCC";
const D: &str = "ESC-2609-DDDD";
const DANA: &str = "Dana Whitfield <dana@example.com>";

/// A, high, exchange-online and teams: raised 2 Nov; gathering 4 Nov; validation 5 Nov;
/// back to gathering 9 Nov; validation 10 Nov; stakeholders 12 Nov; management 13 Nov;
/// resolution 16 Nov; closed as resolved 20 Nov with a review (capacity).
fn a(step: &str) -> String {
    let text = filled(A, step).replace(
        "services: [exchange-online]",
        "services: [exchange-online, teams]",
    );
    if step == "gathering" {
        // The move back says why; the step reason goes with it.
        text.replacen(
            "\nstep: gathering\n",
            "\nstep: gathering\nstep_reason: The customer does not confirm the scope.\n",
            1,
        )
    } else {
        text
    }
}

/// B, high, exchange-online: raised 2 Nov 09:00, gathering 15:00; validation 3 Nov;
/// stakeholders 4 Nov; management 5 Nov; resolution 6 Nov; closed as resolved 9 Nov, with
/// no review although high needs one.
fn b(step: &str) -> String {
    if step == "closed" {
        let closing = CLOSING
            .replace("date: 2026-11-20", "date: 2026-11-09")
            .split("  review:")
            .next()
            .unwrap_or_default()
            .to_string();
        with_step(&raised_with(B, &format!("{FIELDS}{closing}")), "closed")
    } else {
        filled(B, step)
    }
}

/// C, no severity, teams: raised 2 Oct; closed as withdrawn 5 Oct; reopened to gathering
/// 16 Nov (open now).
fn c(step: &str) -> String {
    let gathering = "gathering:\n  services: [teams]\n";
    match step {
        "closed" => with_step(
            &raised_with(
                C,
                &format!(
                    "{gathering}closing:\n  outcome: withdrawn\n  date: 2026-10-05\n  reason: The customer fixed its proxy.\n"
                ),
            ),
            "closed",
        ),
        "gathering" => with_step(
            &raised_with(
                C,
                &format!("step_reason: The proxy fix did not hold.\n{gathering}"),
            ),
            "gathering",
        ),
        _ => raised_with(C, gathering),
    }
}

/// D, nothing gathered: raised 2 Sep, closed as withdrawn 10 Sep.
fn d_closed() -> String {
    with_step(
        &raised_with(
            D,
            "closing:\n  outcome: withdrawn\n  date: 2026-09-10\n  reason: Raised by mistake.\n",
        ),
        "closed",
    )
}

/// The history above, one commit per day of change (UTC; no esc.yaml, so the team's time
/// zone is UTC).
fn history() -> TestRepo {
    let mut repo = git_repo();
    let steps: &[(&str, &[(&str, String)])] = &[
        ("2026-09-02T10:00:00+00:00", &[(D, raised(D))]),
        ("2026-09-10T10:00:00+00:00", &[(D, d_closed())]),
        ("2026-10-02T10:00:00+00:00", &[(C, c("raised"))]),
        ("2026-10-05T10:00:00+00:00", &[(C, c("closed"))]),
        (
            "2026-11-02T09:00:00+00:00",
            &[(A, a("raised")), (B, b("raised"))],
        ),
        ("2026-11-02T15:00:00+00:00", &[(B, b("gathering"))]),
        ("2026-11-03T10:00:00+00:00", &[(B, b("validation"))]),
        (
            "2026-11-04T10:00:00+00:00",
            &[(A, a("gathering")), (B, b("stakeholders"))],
        ),
        (
            "2026-11-05T10:00:00+00:00",
            &[(A, a("validation")), (B, b("management"))],
        ),
        ("2026-11-06T10:00:00+00:00", &[(B, b("resolution"))]),
        (
            "2026-11-09T10:00:00+00:00",
            &[(A, a("gathering")), (B, b("closed"))],
        ),
        ("2026-11-10T10:00:00+00:00", &[(A, a("validation"))]),
        ("2026-11-12T10:00:00+00:00", &[(A, a("stakeholders"))]),
        ("2026-11-13T10:00:00+00:00", &[(A, a("management"))]),
        (
            "2026-11-16T10:00:00+00:00",
            &[(A, a("resolution")), (C, c("gathering"))],
        ),
        ("2026-11-20T10:00:00+00:00", &[(A, a("closed"))]),
    ];
    for (date, files) in steps {
        for (id, text) in *files {
            repo = repo.escalation(id, text);
        }
        repo.commit_as(&format!("changes of {date}"), date, DANA);
    }
    repo
}

fn times(count: usize, median: Value, p90: Value) -> Value {
    json!({"count": count, "median_days": median, "p90_days": p90})
}

#[test]
fn stats_json_has_the_numbers_of_the_history() {
    let repo = history();
    let run = repo.esc(&["stats", "--format", "json"]);
    run.code(0);
    let j = run.json();
    assert_eq!(j["by"], Value::Null);
    assert_eq!(j["groups"], json!([]));
    let all = &j["all"];
    assert_eq!(all["escalations"], 4);
    assert_eq!(all["open"], 1, "C was reopened");
    // Resolved: B in 7 days (2 to 9 Nov), A in 18 (2 to 20 Nov).
    assert_eq!(all["time_to_resolve"], times(2, json!(12.5), json!(18)));
    let step = |id: &str| {
        all["time_in_step"]
            .as_array()
            .and_then(|a| a.iter().find(|s| s["step"] == id))
            .cloned()
            .unwrap_or(Value::Null)
    };
    // raised: A 2, B 0, C 3, D 8 days.
    assert_eq!(step("raised")["median_days"], 2.5);
    assert_eq!(step("raised")["p90_days"], 8);
    assert_eq!(step("raised")["count"], 4);
    // gathering: A's two visits (1 + 1), B 1; C is in it now, so its stay is not counted.
    assert_eq!(step("gathering")["count"], 2);
    assert_eq!(step("gathering")["median_days"], 1.5);
    assert_eq!(step("gathering")["p90_days"], 2);
    // validation: A 4 + 2, B 1.
    assert_eq!(step("validation")["median_days"], 3.5);
    assert_eq!(step("validation")["p90_days"], 6);
    assert_eq!(step("management")["median_days"], 2);
    assert_eq!(step("management")["p90_days"], 3);
    assert_eq!(step("resolution")["median_days"], 3.5);
    assert_eq!(step("resolution")["p90_days"], 4);
    assert_eq!(
        all["moved_back"],
        json!({"count": 1, "of": 4, "rate": 0.25})
    );
    assert_eq!(all["reopened"], json!({"count": 1, "of": 4, "rate": 0.25}));
    assert_eq!(
        all["reviews"],
        json!({"by_root_cause": [{"root_cause": "capacity", "count": 1}], "needed": 2, "missing": 1})
    );
    // The last 12 weeks, to today's (W48): D's raising (W36) is before them.
    let weeks = j["weeks"].as_array().expect("weeks");
    assert_eq!(weeks.len(), 12);
    assert_eq!(weeks[0], "2026-W37");
    assert_eq!(weeks[11], "2026-W48");
    let week = |w: &str| {
        all["weekly"]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["week"] == w))
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(
        week("2026-W40"),
        json!({"week": "2026-W40", "raised": 1, "resolved": 0})
    );
    assert_eq!(
        week("2026-W45"),
        json!({"week": "2026-W45", "raised": 2, "resolved": 0})
    );
    assert_eq!(week("2026-W46")["resolved"], 1);
    assert_eq!(week("2026-W47")["resolved"], 1);
    let raised: i64 = all["weekly"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w["raised"].as_i64())
        .sum();
    assert_eq!(raised, 3);
    assert_eq!(
        j["days"].as_str().map(|d| d.contains("calendar days")),
        Some(true)
    );
}

#[test]
fn by_service_counts_an_escalation_under_each_of_its_services() {
    let repo = history();
    let j = repo
        .esc(&["stats", "--by", "service", "--format", "json"])
        .json();
    assert_eq!(j["by"], "service");
    assert_eq!(j["counted_under_each"], true);
    let groups: Vec<(String, i64)> = j["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| {
            (
                g["group"].as_str().unwrap_or("?").to_string(),
                g["escalations"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    // A has both services; D has none ("" last).
    assert_eq!(
        groups,
        [
            ("exchange-online".to_string(), 2),
            ("teams".to_string(), 2),
            (String::new(), 1)
        ]
    );
    let exo = &j["groups"][0];
    assert_eq!(exo["label"], "Exchange Online");
    assert_eq!(exo["time_to_resolve"], times(2, json!(12.5), json!(18)));
    assert_eq!(exo["reviews"]["missing"], 1);
    let teams = &j["groups"][1];
    assert_eq!(teams["reopened"], json!({"count": 1, "of": 2, "rate": 0.5}));
    assert_eq!(
        teams["moved_back"],
        json!({"count": 1, "of": 2, "rate": 0.5})
    );
    assert_eq!(teams["open"], 1);

    // The Markdown says so, with the schema's labels and one row for all.
    let md = repo.esc(&["stats", "--by", "service"]);
    md.code(0).stdout_has(&[
        "# Escalation statistics by service",
        "An escalation with several services is counted under each",
        "calendar days",
    ]);
    let tables = md_tables(&md.stdout);
    assert_eq!(tables.len(), 4, "{}", md.stdout);
    let first: Vec<&str> = tables[0].rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        first,
        ["All", "Exchange Online", "Microsoft Teams", "(not set)"]
    );
    assert_eq!(
        tables[0].rows[0],
        [
            "All",
            "4",
            "1",
            "2",
            "12.5",
            "18",
            "1 of 4 (25%)",
            "1 of 4 (25%)"
        ]
    );
    // Days in each step: median / 90th percentile (count).
    assert_eq!(tables[1].header[1], "Escalation raised");
    assert_eq!(tables[1].rows[0][1], "2.5 / 8 (4)");
    // Closing reviews: the root cause's label, and the one missing.
    assert_eq!(tables[3].header[1], "Capacity");
    assert_eq!(tables[3].rows[0][1..], ["1", "1 of 2 (50%)"]);
}

#[test]
fn by_severity_lists_the_most_severe_first_and_csv_has_one_figure_per_line() {
    let repo = history();
    let j = repo
        .esc(&["stats", "--by", "severity", "--format", "json"])
        .json();
    let keys: Vec<&str> = j["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g["group"].as_str())
        .collect();
    // A and B are high; C and D have no severity.
    assert_eq!(keys, ["high", ""]);

    let csv = repo.esc(&["stats", "--by", "severity", "--format", "csv"]);
    csv.code(0);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "by,group,measure,key,count,of,rate,median_days,p90_days"
    );
    for expected in [
        "all,,escalations,,4,,,,",
        "all,,time_to_resolve,,2,,,12.5,18",
        "all,,time_in_step,raised,4,,,2.5,8",
        "all,,raised,2026-W45,2,,,,",
        "all,,moved_back,,1,4,0.25,,",
        "all,,review,capacity,1,,,,",
        "all,,review_missing,,1,2,0.5,,",
        "severity,high,escalations,,2,,,,",
        "severity,high,time_to_resolve,,2,,,12.5,18",
        "severity,,escalations,,2,,,,",
    ] {
        assert!(
            lines.contains(&expected),
            "no line {expected:?}\n{}",
            csv.stdout
        );
    }
    // Every line has the header's nine fields.
    assert!(
        lines.iter().all(|l| l.split(',').count() == 9),
        "{}",
        csv.stdout
    );
}

#[test]
fn since_leaves_out_what_closed_before_it_and_starts_the_weeks_there() {
    let repo = history();
    let j = repo
        .esc(&["stats", "--since", "2026-10-01", "--format", "json"])
        .json();
    assert_eq!(j["since"], "2026-10-01");
    // D closed on 10 Sep: left out. C closed on 5 Oct, after the day, and is open again.
    assert_eq!(j["all"]["escalations"], 3);
    let weeks = j["weeks"].as_array().expect("weeks");
    assert_eq!(weeks.first(), Some(&json!("2026-W40")));
    assert_eq!(weeks.last(), Some(&json!("2026-W48")));
    assert_eq!(j["all"]["reopened"]["of"], 3);
    // raised: A 2, B 0, C 3 (D's 8 is gone).
    assert_eq!(j["all"]["time_in_step"][0]["p90_days"], 3);

    let md = repo.esc(&["stats", "--since", "2026-10-01"]);
    md.code(0).stdout_has(&[
        "those closed before 1 Oct 2026 left out",
        "| 2026-W40 (28 Sep) | 1 / 0 |",
    ]);
}

#[test]
fn bad_arguments_are_usage_errors() {
    let repo = history();
    for (args, says) in [
        (
            &["stats", "--since", "2026-13-01"][..],
            "not a day of the calendar",
        ),
        (
            &["stats", "--since", "last week"][..],
            "expected a date as YYYY-MM-DD",
        ),
        (&["stats", "--since", "2026-12-01"][..], "after today"),
        (
            &["stats", "--by", "colour"][..],
            "possible values: severity, type, service, source, segment, owner",
        ),
        (&["stats", "--format", "xml"][..], "possible values"),
    ] {
        let run = repo.esc(args);
        run.code(2).stderr_has(&[says]);
        assert_eq!(run.stdout, "", "{run}");
    }
}

#[test]
fn stats_without_history_or_escalations_still_answers() {
    // Not a git repository: no timelines, so no days in steps, but the rest.
    let repo = TestRepo::new().escalation(A, &a("closed"));
    let j = repo.esc(&["stats", "--format", "json"]).json();
    assert_eq!(j["all"]["escalations"], 1);
    assert_eq!(j["all"]["time_to_resolve"]["median_days"], 18);
    assert_eq!(j["all"]["time_in_step"][0]["count"], 0);
    // Nothing at all.
    let empty = TestRepo::new();
    empty
        .esc(&["stats"])
        .code(0)
        .stdout_has(&["0 escalations", "none needed one"]);
    empty.esc(&["stats", "--format", "csv"]).code(0);
}

#[test]
fn the_report_has_the_analytics_of_its_snapshot_and_the_pending_notices() {
    let repo = history();
    let ctx = repo
        .esc(&["report", "--week", "current", "--context"])
        .json();
    let an = &ctx["analytics"];
    // The same numbers as esc stats, and one reading of time to resolve.
    let stats = repo.esc(&["stats", "--format", "json"]).json();
    assert_eq!(an["resolve"], stats["all"]["time_to_resolve"]);
    assert_eq!(an["resolve"]["count"], ctx["resolve_times"]["count"]);
    assert_eq!(
        an["resolve"]["median_days"],
        ctx["resolve_times"]["median_days"]
    );
    assert_eq!(an["moved_back"], stats["all"]["moved_back"]);
    assert_eq!(
        an["reviews"],
        json!([{"root_cause": "capacity", "count": 1}])
    );
    assert_eq!(
        (an["reviews_needed"].clone(), an["reviews_missing"].clone()),
        (json!(2), json!(1))
    );
    assert_eq!(an["weekly"].as_array().map(Vec::len), Some(12));
    assert_eq!(
        an["steps"][1],
        json!({"count": 2, "median_days": 1.5, "p90_days": 2, "step": "gathering", "name": "Information gathering"})
    );
    // Pending notices, as esc due finds them: the resolved notice of A and B, oldest first.
    assert_eq!(
        ctx["pending_notices"],
        json!([
            {"id": B, "customer": "Contoso Ltd", "notice": "resolved", "what": "resolved notice",
             "detail": "resolved notice to the stakeholders not sent", "owner": "Dana Whitfield", "due": "2026-11-09"},
            {"id": A, "customer": "Contoso Ltd", "notice": "resolved", "what": "resolved notice",
             "detail": "resolved notice to the stakeholders not sent", "owner": "Dana Whitfield", "due": "2026-11-20"},
        ])
    );
    let due = repo.esc(&["due", "--format", "json"]).json();
    let notices: Vec<(&str, &str)> = due["owners"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|o| o["items"].as_array().into_iter().flatten())
        .filter(|i| i["kind"] == "notice")
        .filter_map(|i| Some((i["id"].as_str()?, i["due"].as_str()?)))
        .collect();
    assert_eq!(notices.len(), 2);
    assert!(notices.contains(&(A, "2026-11-20")) && notices.contains(&(B, "2026-11-09")));

    let md = repo.esc(&["report", "--week", "current"]);
    md.code(0).stdout_has(&[
        "## Pending notices",
        &format!("- **{B}** (Contoso Ltd): resolved notice, owner Dana Whitfield, due 9 Nov 2026"),
        "## Analytics",
        "2 resolved, median 12.5 days, 90th percentile 18 days",
        "**Moved back** to an earlier step: 1 of 4 escalations (25%). **Reopened:** 1 of 4 ever closed (25%).",
        "**Closing reviews by root cause:** Capacity 1; 1 of 2 resolved that needed one has none.",
    ]);
    let html = repo.esc(&["report", "--week", "current", "--format", "html"]);
    html.code(0).stdout_has(&[
        "<h2 style=\"font-size:17px;margin:20px 0 8px\">Pending notices</h2>",
        "Capacity 1",
        "<td style=\"border:1px solid #d0d7de;padding:6px\">Information gathering</td>",
    ]);

    // Once the notice is recorded, it is no longer pending.
    let sent = a("closed").replace("closing:\n", "notices:\n  resolved: 2026-11-21\nclosing:\n");
    let repo = repo.escalation(A, &sent);
    repo.commit_as("A: resolved notice sent", "2026-11-21T10:00:00+00:00", DANA);
    let ctx = repo
        .esc(&["report", "--week", "current", "--context"])
        .json();
    let ids: Vec<&str> = ctx["pending_notices"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["id"].as_str())
        .collect();
    assert_eq!(ids, [B]);
}

#[test]
fn a_past_weeks_report_counts_the_analytics_as_the_repository_was() {
    let repo = history();
    // W46 ends on Sunday 15 Nov: A was in management, B resolved, C still closed.
    let ctx = repo
        .esc(&["report", "--week", "2026-W46", "--context"])
        .json();
    let an = &ctx["analytics"];
    assert_eq!(an["escalations"], 4);
    assert_eq!(an["open"], 1, "A only");
    assert_eq!(an["resolve"], times(1, json!(7), json!(7)));
    assert_eq!(an["reopened"], json!({"count": 0, "of": 3, "rate": 0.0}));
    assert_eq!(an["moved_back"]["count"], 1);
    // The weeks end with the report's.
    assert_eq!(an["weekly"][11]["week"], "2026-W46");
    // Reviews: B needed one and has none; A was not closed yet.
    assert_eq!(
        (an["reviews_needed"].clone(), an["reviews_missing"].clone()),
        (json!(1), json!(1))
    );
    // Management: A's stay had not ended; B's 1 day.
    let management = an["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["step"] == "management"))
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(management["count"], 1);
    assert_eq!(management["median_days"], 1);
}
