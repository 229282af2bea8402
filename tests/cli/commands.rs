//! The commands around `check`: init, new, list, show, schema, completions, man.

use crate::support::{TestRepo, path_for, raised};
use std::collections::BTreeSet;

// ---------------------------------------------------------------------------------------------
// init

#[test]
fn init_scaffolds_a_repository_that_checks_clean() {
    let root = TestRepo::empty();
    let run = root.esc(&["init", "team"]);
    run.code(0)
        .stdout_has(&["created esc.yaml", "initialised a git repository"]);
    let dir = root.abs("team");
    for f in [
        "esc.yaml",
        "schemas/escalation.schema.json",
        "schemas/esc.schema.json",
        "templates/README.md",
        ".github/workflows/escalations.yml",
        "azure-pipelines.yml",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing\n{run}");
    }
    assert!(dir.join(".git").is_dir(), "no git repository\n{run}");
    // Nothing was created next to it (`esc init team` once made team/team).
    let top: Vec<String> = std::fs::read_dir(root.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(top, ["team"]);
    assert!(
        !dir.join("team").exists(),
        "init nested the directory\n{run}"
    );
    // No made-up escalation unless asked for: the new repository is clean and says what next.
    assert!(!dir.join("escalations").exists(), "{run}");
    run.stdout_has(&["next: ", "esc new"]);
    // The workflows run esc check.
    let gh = std::fs::read_to_string(dir.join(".github/workflows/escalations.yml")).expect("gh");
    assert!(gh.contains("esc check"), "{gh}");
    let az = std::fs::read_to_string(dir.join("azure-pipelines.yml")).expect("azure");
    assert!(az.contains("esc check"), "{az}");
    let team = dir.to_str().expect("utf-8");
    root.esc(&["-C", team, "check"]).code(0).stdout_has(&[
        "0 files checked, no problems",
        "no escalations yet",
        "esc new",
    ]);
}

/// `--example`: exactly one escalation, filed by the month it was raised, that checks clean.
#[test]
fn init_example_writes_one_escalation() {
    let root = TestRepo::empty();
    let run = root.esc(&["init", "team", "--example"]);
    run.code(0);
    let dir = root.abs("team");
    let escalations: Vec<String> = walk_md(&dir.join("escalations"));
    assert_eq!(escalations.len(), 1, "{escalations:?}");
    let name = &escalations[0];
    assert!(name.starts_with("2026-11/ESC-2611-"), "{name}");
    run.stdout_has(&[&format!("created escalations/{name}")]);
    let team = dir.to_str().expect("utf-8");
    root.esc(&["-C", team, "check"])
        .code(0)
        .stdout_has(&["1 file checked, no problems"]);
}

#[test]
fn init_in_the_current_directory_and_with_c() {
    let root = TestRepo::empty();
    root.esc(&["init"]).code(0);
    assert!(root.abs("esc.yaml").is_file());
    let other = TestRepo::empty();
    let dir = other.path().to_str().expect("utf-8");
    root.esc(&["-C", dir, "init"]).code(0);
    assert!(other.abs("esc.yaml").is_file());
}

#[test]
fn init_twice_keeps_what_is_there() {
    let root = TestRepo::empty();
    root.esc(&["init", "team"]).code(0);
    let mine = "# ours\ntimezone: Europe/Berlin\n";
    let root = root.write("team/esc.yaml", mine);
    let before = root.snapshot();
    let run = root.esc(&["init", "team"]);
    run.code(0).lacks("created");
    assert_eq!(root.read("team/esc.yaml"), mine);
    // Nothing else touched.
    assert!(root.snapshot() == before, "init changed files\n{run}");
}

fn walk_md(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for month in std::fs::read_dir(dir).expect("read dir") {
        let month = month.expect("entry").path();
        for f in std::fs::read_dir(&month).expect("read dir") {
            let f = f.expect("entry").path();
            out.push(format!(
                "{}/{}",
                month.file_name().expect("name").to_string_lossy(),
                f.file_name().expect("name").to_string_lossy()
            ));
        }
    }
    out.sort();
    out
}

// ---------------------------------------------------------------------------------------------
// new

pub const NEW_FLAGS: [&str; 14] = [
    "--title",
    "Mailbox migration stalled at 40%",
    "--customer",
    "Contoso Ltd",
    "--segment",
    "S1500",
    "--owner",
    "Dana Whitfield <dana@example.com>",
    "--owner-role",
    "architect",
    "--source",
    "account-team",
    "--by",
    "Sam Ortiz <sam@example.com>",
];

/// `esc new` with the flags above, not committing (these repositories have no git).
fn esc_new(repo: &TestRepo, extra: &[&str]) -> crate::support::Run {
    let mut args = vec!["new", "--no-commit"];
    args.extend(NEW_FLAGS);
    args.extend(extra);
    repo.esc(&args)
}

fn is_crockford_id(id: &str, yymm: &str) -> bool {
    let Some(suffix) = id.strip_prefix(&format!("ESC-{yymm}-")) else {
        return false;
    };
    suffix.len() == 4
        && suffix
            .chars()
            .all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c))
}

#[test]
fn new_with_all_flags_creates_a_valid_escalation() {
    let repo = TestRepo::new();
    let run = esc_new(&repo, &["--date", "2026-10-05", "--severity", "high"]);
    run.code(0).stderr_has(&["at step raised"]);
    let rel = run.stdout.trim().to_string();
    let id = rel
        .strip_prefix("escalations/2026-10/")
        .and_then(|n| n.strip_suffix(".md"))
        .unwrap_or_else(|| panic!("unexpected path {rel:?}"));
    assert!(is_crockford_id(id, "2610"), "{id}");
    let text = repo.read(&rel);
    assert!(text.starts_with("---\nschema: 1\n"), "{text}");
    assert!(text.contains(&format!("\nid: {id}\n")), "{text}");
    assert!(text.contains("\nstep: raised\n"), "{text}");
    assert!(text.contains("\nseverity: high\n"), "{text}");
    assert!(text.contains("\n  date: 2026-10-05\n"), "{text}");
    repo.esc(&["check"])
        .code(0)
        .stdout_has(&["1 file checked, no problems"]);
    // `show` finds it by its random part.
    repo.esc(&["show", &id[9..]])
        .code(0)
        .stdout_has(&[&format!("{id}  Mailbox migration stalled at 40%")]);
}

#[test]
fn new_quotes_what_yaml_would_misread() {
    let repo = TestRepo::new();
    let run = repo.esc(&[
        "new",
        "--no-commit",
        "--title",
        "Error: 0x80070005 # access denied",
        "--customer",
        "no",
        "--segment",
        "S500",
        "--owner",
        "Dana Whitfield <dana@example.com>",
        "--owner-role",
        "manager-health",
        "--source",
        "other",
        // `=`: a value that starts with `-` would be taken for a flag.
        "--source-detail=- a partner, via e-mail",
        "--by",
        "Sam Ortiz <sam@example.com>",
        "--date",
        "2026-11-20",
    ]);
    run.code(0);
    let rel = run.stdout.trim().to_string();
    repo.esc(&["check"]).code(0);
    let shown = repo.esc(&["list", "--format", "json"]);
    let item = &shown.json()[0];
    assert_eq!(item["file"], rel.as_str());
    assert_eq!(item["title"], "Error: 0x80070005 # access denied");
    assert_eq!(item["customer"], "no");
    assert_eq!(item["raised"]["source_detail"], "- a partner, via e-mail");
}

/// `esc new` commits the new file like every other command, and only that file.
#[test]
fn new_commits_the_new_file_alone() {
    let repo = crate::git_support::git_repo();
    crate::git_support::GitExt::git(&repo, &["add", "schemas"]);
    crate::git_support::GitExt::git(&repo, &["commit", "-q", "-m", "start"]);
    std::fs::write(repo.abs("staged.txt"), "keep staged\n").expect("write");
    crate::git_support::GitExt::git(&repo, &["add", "staged.txt"]);
    let mut args = vec!["new"];
    args.extend(NEW_FLAGS);
    let run = repo.esc(&args);
    run.code(0).stderr_has(&["at step raised (commit "]);
    let rel = run.stdout.trim().to_string();
    let files =
        crate::git_support::GitExt::git(&repo, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files, format!("{rel}\n"));
    let status = crate::git_support::GitExt::git(&repo, &["status", "--porcelain"]);
    assert_eq!(status, "A  staged.txt\n", "other staged work stays staged");
    let subject = crate::git_support::GitExt::git(&repo, &["log", "-1", "--format=%s"]);
    assert!(
        subject.starts_with("ESC-") && subject.trim_end().ends_with(": raised"),
        "{subject}"
    );
}

#[test]
fn new_without_a_terminal_names_the_missing_flags() {
    let repo = TestRepo::new();
    let before = repo.snapshot();
    repo.esc(&["new", "--title", "Something is wrong"])
        .code(2)
        .stderr_has(&[
            "missing --customer, --segment, --owner, --owner-role, --source, --by",
            "no terminal",
        ]);
    assert!(repo.snapshot() == before);
}

#[test]
fn new_with_an_invalid_owner_writes_nothing() {
    let repo = TestRepo::new();
    let before = repo.snapshot();
    let mut args: Vec<&str> = vec!["new", "--date", "2026-11-20"];
    args.extend(NEW_FLAGS);
    let owner = args
        .iter()
        .position(|a| *a == "--owner")
        .expect("owner flag")
        + 1;
    args[owner] = "Dana <<dana@example.com>";
    repo.esc(&args).code(1).stderr_has(&[
        "nothing was written",
        "error[schema.pattern]: `owner` is not in the expected form",
        "found `Dana <<dana@example.com>`",
    ]);
    assert!(repo.snapshot() == before, "esc new wrote something");
}

#[test]
fn new_with_an_invalid_role_writes_nothing() {
    let repo = TestRepo::new();
    let before = repo.snapshot();
    let mut args: Vec<String> = vec!["new".into()];
    args.extend(NEW_FLAGS.map(String::from));
    let i = args.iter().position(|a| a == "architect").expect("role");
    args[i] = "architcet".into();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    repo.esc(&args)
        .code(1)
        .stderr_has(&["error[schema.enum]", "did you mean `architect`?"]);
    assert!(repo.snapshot() == before);
}

#[test]
fn two_new_escalations_get_different_ids() {
    let repo = TestRepo::new();
    let a = esc_new(&repo, &["--date", "2026-11-20"]);
    let b = esc_new(&repo, &["--date", "2026-11-20"]);
    a.code(0);
    b.code(0);
    assert_ne!(a.stdout, b.stdout);
    for r in [&a, &b] {
        assert!(r.stdout.starts_with("escalations/2026-11/ESC-2611-"), "{r}");
    }
    repo.esc(&["check"])
        .code(0)
        .stdout_has(&["2 files checked, no problems"]);
}

#[test]
fn new_with_a_taken_id_is_refused() {
    let id = "ESC-2611-K7QD";
    let repo = TestRepo::new().escalation(id, &raised(id));
    let before = repo.snapshot();
    esc_new(&repo, &["--id", id, "--date", "2026-11-20"])
        .code(2)
        .stderr_has(&[&format!("id {id} is already used")]);
    assert!(repo.snapshot() == before);
}

// ---------------------------------------------------------------------------------------------
// list

fn listed(repo: &TestRepo, filters: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["list", "--format", "json"];
    args.extend(filters);
    let run = repo.esc(&args);
    run.code(0);
    run.json()
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["id"].as_str().expect("id").to_string())
        .collect()
}

fn ids(short: &[&str]) -> BTreeSet<String> {
    short.iter().map(|s| format!("ESC-{s}")).collect()
}

#[test]
fn list_filters_over_the_samples() {
    let repo = TestRepo::with_samples();
    assert_eq!(listed(&repo, &[]).len(), 10);
    assert_eq!(
        listed(&repo, &["--step", "management"]),
        ids(&["2610-7FJX", "2610-D5VG"])
    );
    assert_eq!(
        listed(&repo, &["--step", "closed", "--step", "raised"]),
        ids(&["2608-3MWR", "2609-B4TZ", "2610-Q8HN", "2611-W6FB"])
    );
    assert_eq!(
        listed(&repo, &["--severity", "high"]),
        ids(&["2608-3MWR", "2609-X2KP", "2611-2RSM", "2611-H9CE"])
    );
    assert_eq!(
        listed(&repo, &["--severity", "high", "--open"]),
        ids(&["2609-X2KP", "2611-2RSM", "2611-H9CE"])
    );
    assert_eq!(
        listed(&repo, &["--open"]),
        ids(&[
            "2609-X2KP",
            "2610-7FJX",
            "2610-D5VG",
            "2611-2RSM",
            "2611-H9CE",
            "2611-N3YA",
            "2611-W6FB"
        ])
    );
    assert_eq!(
        listed(&repo, &["--closed"]),
        ids(&["2608-3MWR", "2609-B4TZ", "2610-Q8HN"])
    );
    assert_eq!(
        listed(&repo, &["--customer", "northWIND"]),
        ids(&["2610-7FJX", "2610-Q8HN"])
    );
    assert_eq!(
        listed(&repo, &["--service", "teams"]),
        ids(&["2609-B4TZ", "2610-D5VG", "2611-H9CE"])
    );
    assert_eq!(
        listed(&repo, &["--service", "intune", "--open"]),
        ids(&["2610-7FJX"])
    );
    assert_eq!(
        listed(&repo, &["--type", "process"]),
        ids(&["2610-D5VG", "2611-H9CE"])
    );
    assert_eq!(
        listed(&repo, &["--owner", "joana"]),
        ids(&["2609-B4TZ", "2610-D5VG", "2610-Q8HN", "2611-N3YA"])
    );
    assert_eq!(listed(&repo, &["--customer", "nobody"]), ids(&[]));
}

#[test]
fn list_table_and_no_match() {
    let repo = TestRepo::with_samples();
    let run = repo.esc(&["list", "--step", "management"]);
    run.code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("ID "), "{run}");
    assert_eq!(lines.len(), 3, "{run}");
    assert!(
        lines[1].starts_with("ESC-2610-7FJX  management  critical"),
        "{run}"
    );
    repo.esc(&["list", "--customer", "nobody"])
        .code(0)
        .stdout_has(&["(no escalations match)"]);
}

#[test]
fn list_csv_has_a_header_and_quotes() {
    let id = "ESC-2611-K7QD";
    let text = raised(id)
        .replace("customer: Contoso Ltd", "customer: \"Contoso, Ltd\"")
        .replace(
            "title: Mailbox migration stalled at 40%",
            "title: 'Says \"stalled\", twice'",
        );
    let repo = TestRepo::new().escalation(id, &text);
    let run = repo.esc(&["list", "--format", "csv"]);
    run.code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("id,step,severity,customer,owner,raised,title,file"),
        "{run}"
    );
    assert_eq!(lines.len(), 2, "{run}");
    assert!(
        lines[1].starts_with(&format!(
            "{id},raised,,\"Contoso, Ltd\",Dana Whitfield <dana@example.com>,2026-11-02,\
             \"Says \"\"stalled\"\", twice\",{}",
            path_for(id)
        )),
        "{run}"
    );
}

#[test]
fn list_json_parses() {
    let repo = TestRepo::with_samples();
    let run = repo.esc(&["list", "--format", "json", "--step", "closed"]);
    run.code(0);
    let v = run.json();
    let first = &v.as_array().expect("array")[0];
    assert_eq!(first["file"], "escalations/2026-08/ESC-2608-3MWR.md");
    assert_eq!(first["closing"]["outcome"], "resolved");
}

#[test]
fn list_with_an_unknown_step_suggests_one() {
    let repo = TestRepo::with_samples();
    repo.esc(&["list", "--step", "managment"])
        .code(2)
        .stderr_has(&[
            "--step: `managment` is not one of",
            "did you mean `management`?",
        ]);
    repo.esc(&["list", "--step", "bogus"])
        .code(2)
        .stderr_has(&["--step: `bogus` is not one of raised, gathering"]);
    repo.esc(&["list", "--severity", "hgh"])
        .code(2)
        .stderr_has(&["did you mean `high`?"]);
}

#[test]
fn list_skips_broken_files_and_says_so() {
    let repo = TestRepo::with_samples().write("escalations/2026-11/ESC-2611-BAD1.md", "oops\n");
    let run = repo.esc(&["list", "--format", "json"]);
    run.code(1)
        .stderr_has(&["esc: skipped escalations/2026-11/ESC-2611-BAD1.md:1:1: no front matter"]);
    assert_eq!(run.json().as_array().expect("array").len(), 10);
}

#[test]
fn list_json_is_one_escalation_per_line() {
    let repo = TestRepo::with_samples();
    let run = repo.esc(&["list", "--format", "json"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 12, "[, ten escalations, ]: {}", run.stdout);
    assert_eq!((lines[0], lines[11]), ("[", "]"));
    for line in &lines[1..11] {
        let obj: serde_json::Value =
            serde_json::from_str(line.trim_end_matches(',')).expect("one object per line");
        assert!(
            obj["file"]
                .as_str()
                .is_some_and(|f| f.starts_with("escalations/"))
        );
    }
    let none = repo.esc(&["list", "--format", "json", "--customer", "nobody at all"]);
    assert_eq!(none.code(0).stdout, "[\n]\n");
    assert_eq!(none.json(), serde_json::json!([]));
}

// ---------------------------------------------------------------------------------------------
// show

#[test]
fn show_by_full_id_and_unique_part() {
    let repo = TestRepo::with_samples();
    for q in ["ESC-2610-7FJX", "7fjx", "esc-2610-7fjx"] {
        repo.esc(&["show", q]).code(0).stdout_has(&[
            "ESC-2610-7FJX  Windows Autopilot enrollment fails",
            "customer   Northwind Traders (S1500)",
            "step       management (5 of 6: Escalation management)",
            "file       escalations/2026-10/ESC-2610-7FJX.md",
        ]);
    }
    let run = repo.esc(&["show", "7FJX", "--format", "json"]);
    run.code(0);
    assert_eq!(run.json()["id"], "ESC-2610-7FJX");
}

#[test]
fn show_says_what_the_next_step_needs() {
    let repo = TestRepo::with_samples();
    // At stakeholders without a decision: the next step (management) needs one.
    repo.esc(&["show", "H9CE"]).code(0).stdout_has(&[
        "next       management (Escalation management) needs:",
        "stakeholders.decision",
    ]);
    // A whole missing section is listed field by field, not by its name.
    let repo = TestRepo::with_samples();
    let rel = "escalations/2026-11/ESC-2611-N3YA.md";
    let text = repo.read(rel);
    let start = text.find("\nvalidation:\n").expect("a validation section") + 1;
    let end = start
        + text[start..]
            .match_indices('\n')
            .map(|(i, _)| i + 1)
            .find(|&i| !text[start + i..].starts_with(' '))
            .expect("the section ends");
    let repo = repo.write(rel, &format!("{}{}", &text[..start], &text[end..]));
    repo.esc(&["show", "N3YA"]).code(0).stdout_has(&[
        "next       stakeholders (Stakeholder management) needs: validation.confirmed_with, \
         validation.date, validation.expected_outcome, validation.resolution_procedure, \
         validation.cadence",
    ]);
    // At the last step, what closing as resolved needs.
    TestRepo::with_samples()
        .esc(&["show", "X2KP"])
        .code(0)
        .stdout_has(&["next       closed (closing as resolved) needs: closing.date"]);
}

#[test]
fn show_unknown_id_suggests_the_closest() {
    let repo = TestRepo::with_samples();
    repo.esc(&["show", "ESC-2610-7FJY"])
        .code(2)
        .stderr_has(&["no escalation with id `ESC-2610-7FJY`; did you mean ESC-2610-7FJX?"]);
    repo.esc(&["show", "QQQQ"])
        .code(2)
        .stderr_has(&["no escalation with id `QQQQ`", "esc list"]);
}

#[test]
fn show_ambiguous_part_lists_the_matches() {
    let repo = TestRepo::with_samples();
    repo.esc(&["show", "2610"]).code(2).stderr_has(&[
        "`2610` matches 3 escalations: ESC-2610-7FJX, ESC-2610-D5VG, ESC-2610-Q8HN; give more of the id",
    ]);
}

#[test]
fn show_a_broken_file_is_a_data_error() {
    let repo = TestRepo::new().write("escalations/2026-11/ESC-2611-BAD1.md", "");
    repo.esc(&["show", "BAD1"])
        .code(1)
        .stderr_has(&["escalations/2026-11/ESC-2611-BAD1.md:1:1: the file is empty"]);
}

// ---------------------------------------------------------------------------------------------
// schema, completions, man

#[test]
fn schema_prints_json() {
    let repo = TestRepo::new();
    let run = repo.esc(&["schema"]);
    run.code(0);
    let v = run.json();
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert!(v["properties"]["step"]["enum"].is_array());
}

/// `esc schema > schemas/escalation.schema.json` emptied the schema (the shell truncates it
/// before esc reads it), and outside a repository `esc schema` failed though it promised the
/// built-in one. `-o` writes only once the schema is read; outside a repository, or with
/// `--builtin`, it is the built-in one.
#[test]
fn schema_writes_over_itself_and_works_outside_a_repository() {
    let outside = TestRepo::empty();
    let run = outside.esc(&["schema"]);
    run.code(0);
    assert!(run.json()["properties"]["step"]["enum"].is_array());
    let repo = TestRepo::new();
    let before = repo.read("schemas/escalation.schema.json");
    repo.esc(&["schema", "-o", "schemas/escalation.schema.json"])
        .code(0);
    let after = repo.read("schemas/escalation.schema.json");
    let (a, b): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&before).expect("json before"),
        serde_json::from_str(&after).expect("json after"),
    );
    assert_eq!(a, b);
    // The repository's own schema differs from the built-in one: --builtin ignores it.
    let repo = repo.write(
        "schemas/escalation.schema.json",
        &before.replacen("\"title\"", "\"x-own\": true, \"title\"", 1),
    );
    let own = repo.esc(&["schema"]).code(0).json();
    let builtin = repo.esc(&["schema", "--builtin"]).code(0).json();
    assert_eq!(own["x-own"], true, "{own}");
    assert!(builtin.get("x-own").is_none());
}

#[test]
fn completions_and_man_page() {
    let repo = TestRepo::empty();
    let bash = repo.esc_raw(&["completions", "bash"]);
    bash.code(0).stdout_has(&["_esc()", "complete -F _esc"]);
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let run = repo.esc_raw(&["completions", shell]);
        run.code(0);
        assert!(run.stdout.contains("check"), "{shell}\n{run}");
    }
    repo.esc_raw(&["completions", "tcsh"]).code(2);
    let man = repo.esc_raw(&["man"]);
    man.code(0)
        .stdout_has(&[".TH esc 1", "check", "Exit codes"]);
}

#[test]
fn help_and_version() {
    let repo = TestRepo::empty();
    repo.esc_raw(&["--help"])
        .code(0)
        .stdout_has(&["Usage: esc", "check", "Exit codes: 0 success"]);
    repo.esc_raw(&["--version"])
        .code(0)
        .stdout_has(&[env!("CARGO_PKG_VERSION")]);
    repo.esc_raw(&["frobnicate"]).code(2);
}

/// The first thing a new team does: `esc init`, then `esc new`. The new repository has no
/// commits yet; `esc new` makes the first one.
#[test]
fn init_then_new_makes_the_first_commit() {
    let repo = TestRepo::empty()
        .env("GIT_AUTHOR_NAME", "Dana Whitfield")
        .env("GIT_AUTHOR_EMAIL", "dana@example.com")
        .env("GIT_COMMITTER_NAME", "Dana Whitfield")
        .env("GIT_COMMITTER_EMAIL", "dana@example.com");
    repo.esc(&["init", "team"]).code(0);
    let mut args = vec!["-C", "team", "new"];
    args.extend(NEW_FLAGS);
    let run = repo.esc(&args);
    run.code(0).stderr_has(&["at step raised (commit "]);
    let rel = run.stdout.trim().to_string();
    let dir = repo.abs("team");
    let files =
        crate::git_support::git_in(&dir, &["show", "--name-only", "--format=", "HEAD"], &[]);
    assert_eq!(String::from_utf8_lossy(&files.stdout), format!("{rel}\n"));
}

/// `esc new` leaves a hint to add `gathering:`; it goes once that section is written.
#[test]
fn the_new_file_hint_goes_once_gathering_is_written() {
    let repo = TestRepo::new();
    let run = esc_new(&repo, &["--date", "2026-11-20"]);
    let rel = run.code(0).stdout.trim().to_string();
    assert!(repo.read(&rel).contains("# Next, information gathering"));
    let id = rel
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".md"))
        .expect("id");
    repo.esc(&[
        "set",
        id,
        "gathering.description=Sync stopped",
        "--no-commit",
    ])
    .code(0);
    let text = repo.read(&rel);
    assert!(!text.contains("# Next, information gathering"), "{text}");
    assert!(
        text.contains("gathering:\n  description: Sync stopped\n"),
        "{text}"
    );
}
