//! What a newcomer found trying esc from the README alone, each as it should be now: a typo in
//! esc.yaml that silently switched a rule off, list items that lost their commas, text that
//! starts with a dash, drafts that paste as the wrong recipients, two ages for one
//! escalation, a CSV cell a spreadsheet would run.

use crate::git_support::{committed, filled};
use crate::support::{TestRepo, path_for, raised};
use crate::template_support::{demo, replace_in};

/// esc.yaml mistakes that used to pass: each is refused where it is, with the fix.
#[test]
fn config_typos_are_refused_at_their_key() {
    let id = "ESC-2611-K7QD";
    for (yaml, line, says) in [
        (
            "timezone: UTC\nseverity_policy: { notify: [critcal, high] }\n",
            2,
            "severity_policy.notify: unknown severity `critcal`; severities: critical, high, low, medium; did you mean `critical`?",
        ),
        (
            "watch_lists:\n  exo-cwl: not a url\n",
            1,
            "watch_lists.exo-cwl: expected a link (https://...); found `not a url`",
        ),
        (
            "raci:\n  S1500x: { informed: [team_manager] }\n",
            1,
            "raci: expected a segment such as S1500",
        ),
        (
            "timezone: UTC\npeople:\n  team_manger: [Luis <luis@example.com>]\n",
            2,
            "people: unknown role `team_manger`",
        ),
        (
            "stale_after_days: ten\n",
            1,
            "expected a whole number (0 or more)",
        ),
    ] {
        let repo = TestRepo::new()
            .write("esc.yaml", yaml)
            .escalation(id, &raised(id));
        repo.esc(&["check"])
            .code(1)
            .stdout_has(&[&format!("esc.yaml:{line}:"), says]);
    }
}

/// `esc set` on a list: a quoted item or an `<address>` keeps its comma.
#[test]
fn set_list_items_keep_quoted_commas() {
    let id = "ESC-2611-K7QD";
    let repo = committed(&[(id, &filled(id, "stakeholders"))]);
    repo.esc(&[
        "set",
        "K7QD",
        "stakeholders.cc=\"Ortiz, Sam\" <sam@example.com>,Lee Chen <lee@example.com>",
        "meetings[0].attendees=\"Raman, Priya\",Sam Ortiz",
    ])
    .code(0);
    let text = repo.read(&path_for(id));
    assert!(
        text.contains("cc: ['\"Ortiz, Sam\" <sam@example.com>', Lee Chen <lee@example.com>]"),
        "{text}"
    );
    assert!(
        text.contains("attendees: ['Raman, Priya', Sam Ortiz]"),
        "{text}"
    );
    repo.esc(&["check"]).code(0);
}

/// Text that starts with a dash is a value, in `esc new` and `esc action add` as elsewhere.
#[test]
fn text_may_start_with_a_dash() {
    let id = "ESC-2611-K7QD";
    let repo = committed(&[(id, &filled(id, "management"))]);
    // The usual flags, with a title that starts with a dash instead.
    let mut args = vec!["new"];
    args.extend(crate::commands::NEW_FLAGS);
    let at = args.iter().position(|a| *a == "--title").expect("--title") + 1;
    args[at] = "- follow-up of K7QD";
    let run = repo.esc(&args);
    run.code(0);
    let rel = run.stdout.trim().to_string();
    assert!(repo.read(&rel).contains("title: '- follow-up of K7QD'"));
    repo.esc(&[
        "action",
        "K7QD",
        "add",
        "-1 day slip on the cutover",
        "--owner",
        "support",
        "--due",
        "2026-11-30",
    ])
    .code(0);
    assert!(
        repo.read(&path_for(id))
            .contains("'-1 day slip on the cutover'")
    );
}

/// A draft's To and Cc lines paste into a mail client as the same recipients: a name with a
/// comma is quoted.
#[test]
fn markdown_drafts_quote_names_with_commas() {
    let repo = demo();
    replace_in(
        &repo,
        "esc.yaml",
        "intermediate_leadership: [Rita Gomez <rita.gomez@example.com>]",
        "intermediate_leadership: [\"Gómez, Rita <rita.gomez@example.com>\"]",
    );
    repo.esc(&["notify", "7FJX", "stakeholders"])
        .code(0)
        .stdout_has(&["Cc: \"Gómez, Rita\" <rita.gomez@example.com>"]);
}

/// A day that does not exist is named as such, not as a format problem.
#[test]
fn a_day_that_does_not_exist_is_said_so() {
    TestRepo::new()
        .esc_raw(&["check", "--today", "2026-02-30"])
        .code(2)
        .stderr_has(&["`2026-02-30` is not a day of the calendar"]);
}

/// One age: `esc log`, `show --format json` and the report all count from `raised.date`,
/// even when the file was committed days later.
#[test]
fn age_counts_from_the_raised_date() {
    let id = "ESC-2611-K7QD";
    let repo = committed(&[(id, &raised(id))]);
    // Raised on 2 Nov, committed (by the test) today, checked on 26 Nov: 24 days.
    repo.esc(&["log", "K7QD"])
        .code(0)
        .stdout_has(&["ESC-2611-K7QD: age 24 days"]);
    let json = repo.esc(&["show", "K7QD", "--format", "json"]).json();
    assert_eq!(json["timeline"]["age_days"], 24, "{json}");
}

/// A title a spreadsheet would run as a formula is written as text.
#[test]
fn csv_cells_are_not_formulas() {
    let id = "ESC-2611-K7QD";
    let text = raised(id).replace(
        "title: Mailbox migration stalled at 40%",
        "title: '=HYPERLINK(\"http://x.example\",\"open\")'",
    );
    let run = TestRepo::new()
        .escalation(id, &text)
        .esc(&["list", "--format", "csv"]);
    run.code(0)
        .stdout_has(&["\"'=HYPERLINK(\"\"http://x.example\"\",\"\"open\"\")\""]);
}
