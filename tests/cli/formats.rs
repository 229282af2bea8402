//! `esc check --format json|github|azure`: what CI systems read.

use crate::support::{TestRepo, path_for, raised, raised_with};

const ID: &str = "ESC-2611-AAAA";

/// One file with one enum problem on line 12.
fn one_problem() -> TestRepo {
    TestRepo::new().escalation(
        ID,
        &raised(ID).replace("source: account-team", "source: acount-team"),
    )
}

/// One file with `n` unknown keys, on lines 14 to 13 + n.
fn many_problems(n: usize) -> TestRepo {
    let extra: String = (1..=n).map(|i| format!("field{i}: {i}\n")).collect();
    TestRepo::new().escalation(ID, &raised_with(ID, &extra))
}

#[test]
fn json_is_an_array_of_located_problems() {
    let run = one_problem().esc(&["check", "--format", "json"]);
    run.code(1);
    let v = run.json();
    let all = v.as_array().expect("an array");
    assert_eq!(all.len(), 1, "{run}");
    let d = &all[0];
    assert_eq!(d["file"], path_for(ID).as_str());
    assert_eq!(d["line"], 12);
    assert_eq!(d["column"], 11);
    assert_eq!(d["rule"], "schema.enum");
    assert_eq!(d["field"], "raised.source");
    assert_eq!(d["found"], "acount-team");
    let expected = d["expected"].as_str().expect("expected");
    assert!(
        expected.starts_with("one of: fasttrack-manager,"),
        "{expected}"
    );
    let message = d["message"].as_str().expect("message");
    assert!(
        message.contains("did you mean `account-team`?"),
        "{message}"
    );
    // Nothing but JSON on stdout.
    assert!(run.stdout.trim_start().starts_with('['), "{run}");
}

#[test]
fn json_of_a_clean_repository_is_an_empty_array() {
    let repo = TestRepo::new().escalation(ID, &raised(ID));
    let run = repo.esc(&["check", "--format", "json"]);
    run.code(0);
    assert_eq!(run.json(), serde_json::json!([]));
}

#[test]
fn json_keys_of_a_whole_file_problem() {
    let repo = TestRepo::new().write(&path_for(ID), "no front matter here\n");
    let run = repo.esc(&["check", "--format", "json"]);
    run.code(1);
    let d = &run.json()[0];
    let keys: Vec<&str> = d
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["file", "line", "column", "rule", "field", "message"]);
    assert_eq!(d["field"], "");
    assert_eq!(d["rule"], "front-matter");
}

#[test]
fn github_annotations_and_step_summary() {
    let summary_dir = tempfile::tempdir().expect("tempdir");
    let summary = summary_dir.path().join("summary.md");
    let repo = one_problem().env("GITHUB_STEP_SUMMARY", summary.to_str().expect("utf-8"));
    let run = repo.esc(&["check", "--format", "github"]);
    run.code(1);
    let rel = path_for(ID);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "::error file={rel},line=12,col=11,title=esc schema.enum::`raised.source` must be one of \
             fasttrack-manager, fasttrack-engineer, account-team, tam, customer, ttp, gethelp, \
             rfa-process, slt-executive, other; found `acount-team`; did you mean `account-team`?"
        ),
        "{run}"
    );
    assert_eq!(lines[1], "1 file checked, 1 problem in 1 file");
    assert_eq!(lines.len(), 2, "{run}");
    let md = std::fs::read_to_string(&summary).expect("summary written");
    assert!(md.contains("### esc check"), "{md}");
    assert!(md.contains("| file | line | rule | problem |"), "{md}");
    assert!(
        md.contains(&format!(
            "| `{rel}` | 12 | schema.enum | \\`raised.source\\` must be one of"
        )),
        "{md}"
    );
}

#[test]
fn github_prints_at_most_ten_annotations_and_the_summary_has_all() {
    let summary_dir = tempfile::tempdir().expect("tempdir");
    let summary = summary_dir.path().join("summary.md");
    let repo = many_problems(12).env("GITHUB_STEP_SUMMARY", summary.to_str().expect("utf-8"));
    let run = repo.esc(&["check", "--format", "github"]);
    run.code(1);
    let errors: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(errors.len(), 10, "{run}");
    // The first ten, in order.
    for (i, e) in errors.iter().enumerate() {
        assert!(
            e.contains(&format!(",line={},col=1,title=esc unknown-key::", 14 + i)),
            "{e}"
        );
    }
    run.stdout_has(&[
        "::notice::2 more problems: see the job summary",
        "1 file checked, 12 problems in 1 file",
    ]);
    // Without a job summary, the notice does not send anyone looking for one.
    let plain = many_problems(12).esc(&["check", "--format", "github"]);
    plain
        .code(1)
        .stdout_has(&["::notice::2 more problems: run `esc check` locally to see them all"])
        .lacks("job summary");
    let md = std::fs::read_to_string(&summary).expect("summary written");
    let rows = md.lines().filter(|l| l.contains("| unknown-key |")).count();
    assert_eq!(rows, 12, "{md}");
    // Without the variable, no summary is attempted.
    let again = many_problems(12).esc(&["check", "--format", "github"]);
    again.code(1);
    assert_eq!(again.stdout.lines().count(), run.stdout.lines().count());
}

#[test]
fn github_without_problems() {
    let repo = TestRepo::new().escalation(ID, &raised(ID));
    let run = repo.esc(&["check", "--format", "github"]);
    run.code(0);
    assert_eq!(run.stdout, "1 file checked, no problems\n");
}

#[test]
fn azure_logging_commands() {
    let run = one_problem().esc(&["check", "--format", "azure"]);
    run.code(1);
    let rel = path_for(ID);
    let first = run.stdout.lines().next().expect("a line");
    assert_eq!(
        first,
        format!(
            "##vso[task.logissue type=error;sourcepath={rel};linenumber=12;columnnumber=11;\
             code=schema.enum]`raised.source` must be one of fasttrack-manager, fasttrack-engineer, \
             account-team, tam, customer, ttp, gethelp, rfa-process, slt-executive, other%3B found \
             `acount-team`%3B did you mean `account-team`?"
        )
    );
    run.stdout_has(&["\n1 file checked, 1 problem in 1 file\n"]);
    // Azure has no annotation limit: all of them.
    let many = many_problems(12).esc(&["check", "--format", "azure"]);
    let n = many
        .stdout
        .lines()
        .filter(|l| l.starts_with("##vso[task.logissue type=error;"))
        .count();
    assert_eq!(n, 12, "{many}");
}

/// A file whose name and problems carry every character the CI formats must escape.
#[cfg(unix)]
fn awkward() -> (TestRepo, String) {
    let rel = "escalations/2026-11/a;b]c,d:e%f\ng.md".to_string();
    let text = raised(ID)
        .replace("source: account-team", "source: \"x;y]z,w:v%u\"")
        .replace(
            "customer: Contoso Ltd",
            "customer: Contoso Ltd\n\"odd\\nkey;]\": 1",
        );
    (TestRepo::new().write(&rel, &text), rel)
}

#[cfg(unix)]
#[test]
fn github_escapes_properties_and_data() {
    let (repo, _) = awkward();
    let run = repo.esc(&["check", "--format", "github"]);
    run.code(1);
    // Properties: % CR LF : , escaped. Data: % CR LF escaped.
    let file = "file=escalations/2026-11/a;b]c%2Cd%3Ae%25f%0Ag.md,";
    run.stdout_has(&[
        &format!("::error {file}line=3,col=5,title=esc id-mismatch::"),
        &format!(
            "::error {file}line=6,col=1,title=esc unknown-key::unknown key `odd%0Akey;]` in the front matter"
        ),
        &format!(
            "::error {file}line=13,col=11,title=esc schema.enum::`raised.source` must be one of"
        ),
        "found `x;y]z,w:v%25u`",
    ]);
    // Each annotation is one line.
    assert!(
        run.stdout
            .lines()
            .all(|l| l.starts_with("::error ") || l.ends_with("problems in 1 file")),
        "{run}"
    );
}

#[cfg(unix)]
#[test]
fn github_summary_keeps_one_row_per_problem() {
    let (repo, _) = awkward();
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = dir.path().join("summary.md");
    let repo = repo.env("GITHUB_STEP_SUMMARY", summary.to_str().expect("utf-8"));
    repo.esc(&["check", "--format", "github"]).code(1);
    let md = std::fs::read_to_string(&summary).expect("summary written");
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(rows.len(), 3, "{md}");
    for r in rows {
        assert!(r.ends_with(" |"), "a row broken over lines: {r:?}\n{md}");
    }
}

#[cfg(unix)]
#[test]
fn azure_escapes_properties_and_data() {
    let (repo, _) = awkward();
    let run = repo.esc(&["check", "--format", "azure"]);
    run.code(1);
    let file = "sourcepath=escalations/2026-11/a%3Bb%5Dc,d:e%AZP25f%0Ag.md;";
    run.stdout_has(&[
        &format!("##vso[task.logissue type=error;{file}linenumber=3;columnnumber=5;code=id-mismatch]"),
        &format!(
            "##vso[task.logissue type=error;{file}linenumber=6;columnnumber=1;code=unknown-key]unknown key `odd%0Akey%3B%5D` in the front matter%3B"
        ),
        "found `x%3By%5Dz,w:v%AZP25u`",
    ]);
    assert!(
        run.stdout
            .lines()
            .all(|l| l.starts_with("##vso[task.logissue ") || l.ends_with("problems in 1 file")),
        "{run}"
    );
}

#[cfg(unix)]
#[test]
fn json_keeps_the_raw_text() {
    let (repo, rel) = awkward();
    let run = repo.esc(&["check", "--format", "json"]);
    run.code(1);
    let v = run.json();
    let fields: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            assert_eq!(d["file"], rel.as_str());
            d["field"].as_str().expect("field")
        })
        .collect();
    assert_eq!(fields, ["id", "odd\nkey;]", "raised.source"]);
}

#[test]
fn human_output_without_colour_when_no_color_is_set() {
    let run = one_problem().esc(&["check"]);
    run.code(1);
    assert!(!run.stdout.contains('\x1b'), "{run}");
    assert_eq!(
        run.headlines(),
        [format!(
            "{}:12:11: error[schema.enum]: `raised.source` must be one of fasttrack-manager, \
             fasttrack-engineer, account-team, tam, customer, ttp, gethelp, rfa-process, \
             slt-executive, other; found `acount-team`; did you mean `account-team`?",
            path_for(ID)
        )]
    );
}

/// Data quoted in a message can hold backticks and HTML: in the job summary it stays text
/// (no code span it could close, no tag it could open).
#[test]
fn github_summary_shows_hostile_values_as_text() {
    let summary_dir = tempfile::tempdir().expect("tempdir");
    let summary = summary_dir.path().join("summary.md");
    let text = raised(ID).replace(
        "source: account-team",
        "source: \"x` <img src=x onerror=alert(1)> `y\"",
    );
    let repo = TestRepo::new()
        .escalation(ID, &text)
        .env("GITHUB_STEP_SUMMARY", summary.to_str().expect("utf-8"));
    repo.esc(&["check", "--format", "github"]).code(1);
    let md = std::fs::read_to_string(&summary).expect("summary written");
    let html = {
        let mut h = String::new();
        pulldown_cmark::html::push_html(
            &mut h,
            pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES),
        );
        h
    };
    assert!(!html.contains("<img"), "raw HTML got through:\n{html}");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    let rows = md.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(rows, 1, "{md}");
}
