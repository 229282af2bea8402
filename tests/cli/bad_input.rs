//! The "Bad input" list: each gets a clear error with its position, exit 1, nothing
//! changed on disk, no panic, and bounded time (every run has a deadline) and memory.

use crate::support::{Run, TestRepo, path_for, raised, raised_with};

/// A valid escalation next to the bad one: it must not be reported.
const GOOD: &str = "ESC-2611-K7QD";
/// The id of the bad file in most tests.
const BAD: &str = "ESC-2611-BAD1";

fn repo_with(rel: &str, bytes: &[u8]) -> TestRepo {
    TestRepo::new()
        .escalation(GOOD, &raised(GOOD))
        .write_bytes(rel, bytes)
}

/// Runs `esc check` and asserts: exit 1, no panic, a headline
/// `rel:line:column: error[rule]: ...` containing each of `words`, no problem reported in any
/// other file, and every file in the repository byte-for-byte as it was.
#[track_caller]
fn refused(repo: &TestRepo, rel: &str, at: (usize, usize), rule: &str, words: &[&str]) -> Run {
    let before = repo.snapshot();
    let run = repo.esc(&["check"]);
    run.code(1);
    let head = format!("{rel}:{}:{}: error[{rule}]: ", at.0, at.1);
    let line = run
        .headlines()
        .into_iter()
        .find(|l| l.starts_with(&head))
        .unwrap_or_else(|| panic!("no headline starting with {head:?}\n{run}"));
    for w in words {
        assert!(line.contains(w), "headline lacks {w:?}: {line}\n{run}");
    }
    for l in run.headlines() {
        assert!(l.starts_with(rel), "a problem outside {rel}: {l}\n{run}");
    }
    // Not assert_eq: a failure would print megabytes.
    assert!(
        repo.snapshot() == before,
        "esc check changed the repository"
    );
    run
}

#[test]
fn no_front_matter() {
    let rel = path_for(BAD);
    let repo = repo_with(&rel, b"# Mailbox migration stalled\n\nSome notes.\n");
    let run = refused(
        &repo,
        &rel,
        (1, 1),
        "front-matter",
        &[
            "no front matter",
            "expected the first line to be `---`",
            "found `# Mailbox migration stalled`",
        ],
    );
    run.stdout_has(&["2 files checked, 1 problem in 1 file"]);
}

#[test]
fn unterminated_front_matter() {
    let rel = path_for(BAD);
    let text = "---\nschema: 1\nid: ESC-2611-BAD1\ntitle: Mailbox migration stalled\n";
    let repo = repo_with(&rel, text.as_bytes());
    refused(
        &repo,
        &rel,
        (4, 1),
        "front-matter",
        &["front matter is not closed", "expected a `---` line"],
    );
}

#[test]
fn unterminated_front_matter_followed_by_a_body() {
    // The closing fence forgotten: the body is taken for YAML until the end of the file.
    let rel = path_for(BAD);
    let text = raised(BAD).replacen("---\n\n## Notes", "\n## Notes", 1);
    let repo = repo_with(&rel, text.as_bytes());
    refused(
        &repo,
        &rel,
        (17, 1),
        "front-matter",
        &["front matter is not closed"],
    );
}

#[test]
fn empty_file() {
    let rel = path_for(BAD);
    let repo = repo_with(&rel, b"");
    refused(&repo, &rel, (1, 1), "front-matter", &["the file is empty"]);
}

#[test]
fn empty_front_matter() {
    let rel = path_for(BAD);
    let repo = repo_with(&rel, b"---\n---\n\n## Notes\n");
    refused(
        &repo,
        &rel,
        (2, 1),
        "front-matter",
        &["front matter is empty"],
    );
}

#[test]
fn front_matter_of_only_comments_is_empty() {
    let rel = path_for(BAD);
    let repo = repo_with(&rel, b"---\n# to be filled in\n\n---\n");
    refused(
        &repo,
        &rel,
        (2, 1),
        "front-matter",
        &["front matter is empty"],
    );
}

#[test]
fn front_matter_that_is_not_a_mapping() {
    let rel = path_for(BAD);
    let repo = repo_with(&rel, b"---\n- just\n- a list\n---\n");
    refused(
        &repo,
        &rel,
        (2, 1),
        "front-matter",
        &["must be a mapping of fields"],
    );
}

#[test]
fn invalid_yaml_is_placed_at_the_parse_error() {
    let rel = path_for(BAD);
    // An unclosed flow sequence: the parser trips over the `:` of the next line.
    let text = raised(BAD).replace("title: Mailbox", "title: [Mailbox");
    let repo = repo_with(&rel, text.as_bytes());
    let run = refused(
        &repo,
        &rel,
        (5, 9),
        "yaml",
        &["front matter is not valid YAML"],
    );
    // The offending line is shown with a caret under the column.
    run.stdout_has(&["5 | customer: Contoso Ltd\n  |         ^\n"]);
}

#[test]
fn invalid_yaml_unclosed_quote() {
    let rel = path_for(BAD);
    let text = raised(BAD).replace("customer: Contoso Ltd", "customer: \"Contoso Ltd");
    let repo = repo_with(&rel, text.as_bytes());
    refused(&repo, &rel, (5, 11), "yaml", &["unclosed quote"]);
}

#[test]
fn tabs_for_indentation() {
    let rel = path_for(BAD);
    let text = raised(BAD).replace("  date: 2026-11-02", "\tdate: 2026-11-02");
    let repo = repo_with(&rel, text.as_bytes());
    let run = refused(
        &repo,
        &rel,
        (11, 1),
        "yaml",
        &["tabs", "use spaces to indent, YAML does not allow tabs"],
    );
    run.stdout_has(&["11 | \tdate: 2026-11-02\n   | ^\n"]);
}

#[test]
fn duplicate_keys() {
    let rel = path_for(BAD);
    let text = raised(BAD).replace("customer: Contoso Ltd", "title: Another title");
    let repo = repo_with(&rel, text.as_bytes());
    let run = refused(
        &repo,
        &rel,
        (5, 1),
        "yaml",
        &["duplicate mapping key `title`"],
    );
    // The parser's advice to programmers is not shown to the person editing the file.
    run.lacks("DuplicateKeyPolicy");
}

#[test]
fn duplicate_nested_keys() {
    let rel = path_for(BAD);
    let text = raised(BAD).replace("  source: account-team", "  date: 2026-11-03");
    let repo = repo_with(&rel, text.as_bytes());
    refused(
        &repo,
        &rel,
        (12, 3),
        "yaml",
        &["duplicate mapping key `date`"],
    );
}

#[test]
fn wrong_type_unquoted_ticket_number() {
    let rel = path_for(BAD);
    let text = raised_with(BAD, "gathering:\n  ticket: 2611020040001234\n");
    let repo = repo_with(&rel, text.as_bytes());
    let run = refused(
        &repo,
        &rel,
        (15, 11),
        "schema.type",
        &[
            "`gathering.ticket` must be a string",
            "found a number `2611020040001234`",
            "put it in quotes to keep it as text",
        ],
    );
    run.stdout_has(&["1 problem in 1 file"]);
}

#[test]
fn wrong_type_list_for_text() {
    let rel = path_for(BAD);
    let text = raised(BAD).replace("customer: Contoso Ltd", "customer: [Contoso, Fabrikam]");
    let repo = repo_with(&rel, text.as_bytes());
    refused(
        &repo,
        &rel,
        (5, 11),
        "schema.type",
        &["`customer` must be a string", "found a list"],
    );
}

#[test]
fn wrong_type_empty_value() {
    let rel = path_for(BAD);
    let text = raised(BAD).replace("customer: Contoso Ltd", "customer:");
    let repo = repo_with(&rel, text.as_bytes());
    let run = refused(
        &repo,
        &rel,
        (5, 9),
        "schema.type",
        &["`customer` must be a string; found nothing (the value is empty)"],
    );
    run.lacks("`null`");
}

#[test]
fn unknown_enum_value_lists_the_allowed_values_and_a_suggestion() {
    let rel = path_for(BAD);
    let text = raised(BAD).replace("source: account-team", "source: acount-team");
    let repo = repo_with(&rel, text.as_bytes());
    let run = refused(
        &repo,
        &rel,
        (12, 11),
        "schema.enum",
        &[
            "`raised.source` must be one of fasttrack-manager, fasttrack-engineer, account-team, \
             tam, customer, ttp, gethelp, rfa-process, slt-executive, other",
            "found `acount-team`",
            "did you mean `account-team`?",
        ],
    );
    run.stdout_has(&["12 |   source: acount-team\n   |           ^\n"]);
}

#[test]
fn unknown_enum_value_far_from_any_gets_no_suggestion() {
    let rel = path_for(BAD);
    let text = raised(BAD).replace("owner_role: architect", "owner_role: wizard");
    let repo = repo_with(&rel, text.as_bytes());
    let run = refused(
        &repo,
        &rel,
        (9, 13),
        "schema.enum",
        &["`owner_role` must be one of", "found `wizard`"],
    );
    run.lacks("did you mean");
}

#[test]
fn impossible_date() {
    let rel = path_for(BAD);
    let text = raised(BAD).replace("date: 2026-11-02", "date: 2026-02-30");
    let repo = repo_with(&rel, text.as_bytes());
    let run = refused(
        &repo,
        &rel,
        (11, 9),
        "schema.format",
        &[
            "`raised.date` must be a date as YYYY-MM-DD",
            "found `2026-02-30`",
            "no such day",
        ],
    );
    run.stdout_has(&["1 problem in 1 file"]);
}

#[test]
fn date_in_the_future_and_today_override() {
    let rel = path_for(BAD);
    let text = raised(BAD).replace("date: 2026-11-02", "date: 2026-11-30");
    let repo = repo_with(&rel, text.as_bytes());
    refused(
        &repo,
        &rel,
        (11, 9),
        "future-date",
        &[
            "`raised.date` is 2026-11-30, which is in the future",
            "today is 2026-11-26 in UTC",
            "--today",
        ],
    );
    // As of that day (or later) it is fine.
    repo.esc_raw(&["check", "--today", "2026-11-30"])
        .code(0)
        .stdout_has(&["2 files checked, no problems"]);
}

#[test]
fn without_today_the_real_date_is_used() {
    let rel = path_for("ESC-9912-BAD1");
    let text = raised("ESC-9912-BAD1");
    let repo = TestRepo::new()
        .escalation(GOOD, &raised(GOOD))
        .write(&rel, &text);
    repo.esc_raw(&["check"]).code(1).stdout_has(&[&format!(
        "{rel}:11:9: error[future-date]: `raised.date` is 2099-12-02"
    )]);
    // The 2026 one is in the past by now, so only the 2099 one is reported.
    repo.esc_raw(&["check", "escalations/2026-11"]).code(0);
}

#[test]
fn yaml_alias_bomb_fails_fast() {
    // "Billion laughs": nine levels of nine aliases each would be 9^9 strings.
    let mut bomb = String::from("x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(", ");
        bomb.push_str(&format!("x-{}: &{} [{refs}]\n", w[1], w[1]));
    }
    let rel = path_for(BAD);
    let repo = repo_with(&rel, raised_with(BAD, &bomb).as_bytes());
    let before = repo.snapshot();
    let start = std::time::Instant::now();
    let run = repo.esc_bounded(512, &["check"]);
    run.code(1).stdout_has(&[
        &format!("{rel}:"),
        "error[yaml]: front matter is not valid YAML: too large or too complex",
    ]);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
    // Placed on one of the bomb's lines (14 to 22), not at the top of the file.
    let head = run.headlines()[0].to_string();
    let line: usize = head
        .split(':')
        .nth(1)
        .and_then(|l| l.parse().ok())
        .expect("line");
    assert!((14..=22).contains(&line), "{head}");
    assert!(repo.snapshot() == before);
}

#[test]
fn deep_nesting_flow_style() {
    let depth = 10_000;
    let extra = format!("x-deep: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let rel = path_for(BAD);
    let repo = repo_with(&rel, raised_with(BAD, &extra).as_bytes());
    let before = repo.snapshot();
    let run = repo.esc_bounded(512, &["check"]);
    run.code(1).stdout_has(&[
        &format!("{rel}:14:"),
        "error[yaml]: front matter is not valid YAML: nested too deeply",
    ]);
    assert!(repo.snapshot() == before);
}

#[test]
fn deep_nesting_block_style() {
    // Block sequences nest on one line: `- - - - x`.
    let depth = 10_000;
    let extra = format!("x-deep:\n{}x\n", "- ".repeat(depth));
    let rel = path_for(BAD);
    let repo = repo_with(&rel, raised_with(BAD, &extra).as_bytes());
    let before = repo.snapshot();
    let run = repo.esc_bounded(512, &["check"]);
    run.code(1).stdout_has(&[
        &format!("{rel}:15:"),
        "error[yaml]: front matter is not valid YAML: nested too deeply",
    ]);
    assert!(repo.snapshot() == before);
}

#[test]
fn deep_nesting_block_mappings() {
    // Indented block mappings, one level per line (40 levels is past the depth budget).
    let mut extra = String::from("x-deep:\n");
    for i in 1..=40 {
        extra.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
    }
    let rel = path_for(BAD);
    let repo = repo_with(&rel, raised_with(BAD, &extra).as_bytes());
    refused(&repo, &rel, (46, 33), "yaml", &["nested too deeply"]);
}

#[test]
fn twenty_megabyte_file() {
    let mut text = raised(BAD).into_bytes();
    let line = b"A pasted log line that goes on and on and on, as pasted logs do, for ever.\n";
    while text.len() < 20 * 1024 * 1024 {
        text.extend_from_slice(line);
    }
    let rel = path_for(BAD);
    let repo = repo_with(&rel, &text);
    let before = repo.snapshot();
    let run = repo.esc_bounded(512, &["check"]);
    run.code(1).stdout_has(&[&format!(
        "{rel}:1:1: error[file-too-large]: the file is 20.0 MiB; an escalation may be at most 4 MiB"
    )]);
    assert!(repo.snapshot() == before);
}

#[test]
fn binary_file() {
    let rel = path_for(BAD);
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.extend((0..=255u8).cycle().take(4096));
    let repo = repo_with(&rel, &png);
    refused(
        &repo,
        &rel,
        (3, 1),
        "encoding",
        &["binary file (it contains a NUL byte)"],
    );
}

#[test]
fn invalid_utf8() {
    let rel = path_for(BAD);
    // Latin-1 "café" in the title.
    let text = raised(BAD).replace("title: Mailbox migration stalled at 40%", "title: caf\u{0}");
    let bytes: Vec<u8> = text
        .into_bytes()
        .into_iter()
        .map(|b| if b == 0 { 0xE9 } else { b })
        .collect();
    let repo = repo_with(&rel, &bytes);
    refused(
        &repo,
        &rel,
        (4, 11),
        "encoding",
        &["not valid UTF-8", "save it as UTF-8"],
    );
}

#[cfg(unix)]
#[test]
fn symlink_outside_the_repository_is_not_followed() {
    let outside = tempfile::tempdir().expect("tempdir");
    let target = outside.path().join("target.md");
    // A perfectly valid escalation, but with another id and a telltale title.
    let secret = raised("ESC-2611-ZZZZ").replace("Mailbox migration stalled", "TOPSECRET");
    std::fs::write(&target, secret).expect("write target");
    let rel = path_for(BAD);
    let repo = TestRepo::new().escalation(GOOD, &raised(GOOD));
    std::fs::create_dir_all(repo.abs("escalations/2026-11")).expect("mkdir");
    std::os::unix::fs::symlink(&target, repo.abs(&rel)).expect("symlink");
    let run = refused(
        &repo,
        &rel,
        (1, 1),
        "symlink",
        &["this is a symbolic link", "esc does not follow links"],
    );
    // Had it been read, its id would not match the link's name: no such complaint.
    run.lacks("ESC-2611-ZZZZ").lacks("TOPSECRET");
    // Named explicitly, it is still not followed.
    repo.esc(&["check", &rel])
        .code(1)
        .stdout_has(&[&format!("{rel}:1:1: error[symlink]")])
        .lacks("ZZZZ");
    // Nor do list and show read it.
    repo.esc(&["list", "--format", "csv"])
        .lacks("ZZZZ")
        .lacks("TOPSECRET");
    repo.esc(&["show", "ZZZZ"]).code(2);
}

#[cfg(unix)]
#[test]
fn symlinked_folder_is_not_followed() {
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        outside.path().join("ESC-2611-ZZZZ.md"),
        raised("ESC-2611-ZZZZ"),
    )
    .expect("write target");
    let repo = TestRepo::new().escalation(GOOD, &raised(GOOD));
    std::os::unix::fs::symlink(outside.path(), repo.abs("escalations/2026-10")).expect("symlink");
    refused(
        &repo,
        "escalations/2026-10",
        (1, 1),
        "symlink",
        &["symbolic link"],
    )
    .lacks("ZZZZ");
}

#[test]
fn file_name_does_not_match_id() {
    let rel = path_for("ESC-2611-BAD2");
    let repo = repo_with(&rel, raised(BAD).as_bytes());
    let run = refused(
        &repo,
        &rel,
        (3, 5),
        "id-mismatch",
        &[
            "id `ESC-2611-BAD1` does not match the file name `ESC-2611-BAD2.md`",
            "rename the file to `ESC-2611-BAD1.md`",
        ],
    );
    run.stdout_has(&["1 problem in 1 file"]);
}

#[test]
fn two_files_with_the_same_id_are_both_reported() {
    let first = path_for(BAD);
    // Same id and a matching name, but filed under another month (the month it says it
    // was raised in, so it is not misfiled).
    let second = format!("escalations/2026-10/{BAD}.md");
    let october = raised(BAD).replace("date: 2026-11-02", "date: 2026-10-30");
    let repo = TestRepo::new()
        .escalation(GOOD, &raised(GOOD))
        .write(&first, &raised(BAD))
        .write(&second, &october);
    let before = repo.snapshot();
    let run = repo.esc(&["check"]);
    run.code(1).stdout_has(&[
        &format!(
            "{second}:3:5: error[duplicate-id]: id `{BAD}` is also used by {first}; ids must be unique"
        ),
        &format!(
            "{first}:3:5: error[duplicate-id]: id `{BAD}` is also used by {second}; ids must be unique"
        ),
        "3 files checked, 2 problems in 2 files",
    ]);
    assert_eq!(run.headlines().len(), 2, "{run}");
    assert!(repo.snapshot() == before);
}

#[test]
fn unknown_key_with_suggestion() {
    let rel = path_for(BAD);
    let text = raised_with(BAD, "severty: high\n");
    let repo = repo_with(&rel, text.as_bytes());
    refused(
        &repo,
        &rel,
        (14, 1),
        "unknown-key",
        &[
            "unknown key `severty` in the front matter",
            "did you mean `severity`?",
        ],
    );
}

#[test]
fn unknown_nested_key_with_suggestion() {
    let rel = path_for(BAD);
    let text = raised(BAD).replace(
        "  by: Sam",
        "  by: Sam Ortiz <sam@example.com>\n  recieved_by: Sam",
    );
    let repo = repo_with(&rel, text.as_bytes());
    refused(
        &repo,
        &rel,
        (14, 3),
        "unknown-key",
        &[
            "unknown key `recieved_by` in `raised`",
            "did you mean `received_by`?",
        ],
    );
}

#[test]
fn unknown_key_far_from_any_points_to_x_keys() {
    let rel = path_for(BAD);
    let text = raised_with(BAD, "crm_case: CRM-88213\nx-crm-case: CRM-88213\n");
    let repo = repo_with(&rel, text.as_bytes());
    let run = refused(
        &repo,
        &rel,
        (14, 1),
        "unknown-key",
        &["unknown key `crm_case`", "under an `x-` key or in `extra`"],
    );
    // `x-` keys themselves are allowed.
    run.stdout_has(&["1 problem in 1 file"]);
}

#[test]
fn missing_top_level_field_for_the_step_points_at_step() {
    let rel = path_for(BAD);
    let text = raised(BAD).replace("step: raised", "step: validation");
    let repo = repo_with(&rel, text.as_bytes());
    let run = refused(
        &repo,
        &rel,
        (6, 1),
        "schema.required",
        &["`gathering` is missing: step `validation` needs it"],
    );
    run.stdout_has(&["6 | step: validation\n  | ^\n", "1 problem in 1 file"]);
}

#[test]
fn missing_nested_field_for_the_step_points_at_the_parent_key() {
    let rel = path_for(BAD);
    let text = raised_with(BAD, "gathering:\n  types: [technical]\n")
        .replace("step: raised", "step: validation");
    let repo = repo_with(&rel, text.as_bytes());
    let run = refused(
        &repo,
        &rel,
        (14, 1),
        "schema.required",
        &["`gathering.description` is missing: step `validation` needs it"],
    );
    for field in ["occurred", "services", "deployment_phase"] {
        run.stdout_has(&[&format!(
            "{rel}:14:1: error[schema.required]: `gathering.{field}` is missing: step `validation` needs it"
        )]);
    }
    run.stdout_has(&["4 problems in 1 file"]);
}

#[test]
fn missing_always_required_field_says_so() {
    let rel = path_for(BAD);
    let text = raised(BAD).replace("  by: Sam Ortiz <sam@example.com>\n", "");
    let repo = repo_with(&rel, text.as_bytes());
    refused(
        &repo,
        &rel,
        (10, 1),
        "schema.required",
        &["`raised.by` is missing: it is always required"],
    );
}

#[test]
fn crlf_and_bom_file_validates() {
    let text = format!("\u{feff}{}", raised(BAD).replace('\n', "\r\n"));
    let repo = TestRepo::new().escalation(BAD, &text);
    let before = repo.snapshot();
    repo.esc(&["check"])
        .code(0)
        .stdout_has(&["1 file checked, no problems"]);
    assert!(repo.snapshot() == before);
}

#[test]
fn crlf_and_bom_file_problem_has_the_right_line() {
    let rel = path_for(BAD);
    let text = format!(
        "\u{feff}{}",
        raised(BAD)
            .replace("source: account-team", "source: acount-team")
            .replace('\n', "\r\n")
    );
    let repo = repo_with(&rel, text.as_bytes());
    let run = refused(
        &repo,
        &rel,
        (12, 11),
        "schema.enum",
        &["found `acount-team`"],
    );
    // The source line is shown without its carriage return.
    run.stdout_has(&["12 |   source: acount-team\n"]);
    assert!(!run.stdout.contains('\r'), "{run}");
}

#[test]
fn bom_file_problem_has_the_right_line() {
    let rel = path_for(BAD);
    let text = format!(
        "\u{feff}{}",
        raised(BAD).replace("id: ESC-2611-BAD1", "id: ESC-2611-BAD1\nseverity: hgh")
    );
    let repo = repo_with(&rel, text.as_bytes());
    refused(
        &repo,
        &rel,
        (4, 11),
        "schema.enum",
        &[
            "`severity` must be one of critical, high, medium, low",
            "did you mean `high`?",
        ],
    );
}

/// Dates beyond four-digit years: chrono reads `+262142-12-31`, its last day, and adding to
/// it panicked in `esc status` and `esc report` (issue 8). One parser now refuses them.
#[test]
fn far_future_dates_are_refused_not_panicked_on() {
    let text = raised_with(
        GOOD,
        "validation:\n  cadence: daily\nstatus:\n  as_of: +262142-12-31\n",
    );
    let repo = TestRepo::new().escalation(GOOD, &text);
    for args in [
        vec!["status", GOOD],
        vec!["report"],
        vec!["list", "--format", "json"],
        vec!["show", GOOD],
    ] {
        let run = repo.esc(&args);
        assert!(
            run.code == 0 || run.code == 1,
            "esc {args:?} exited {}:\n{run}",
            run.code
        );
        run.lacks("panicked");
    }
    let run = repo.esc(&["check"]);
    run.code(1);
    run.stdout_has(&["status.as_of"]);
    for bad in ["+262142-12-31", "26-11-30", "2026-1-5"] {
        let run = repo.esc(&["--today", bad, "report"]);
        run.code(2);
        run.stderr_has(&["expected a date as YYYY-MM-DD", bad]);
    }
    repo.esc(&["--today", "2026-02-30", "report"])
        .code(2)
        .stderr_has(&["`2026-02-30` is not a day of the calendar"]);
    let run = repo.esc(&["report", "--week", "+2026-W48"]);
    run.code(2);
}
