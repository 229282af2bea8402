//! The organisation's view (issue 12 §4): an id prefix per repository (`esc new` writes it,
//! `esc check` asks for it), and `esc report` over several repositories (`--repo`, or
//! `repositories:` in a reporting repository's esc.yaml), each read with its own config and
//! time zone, with a repository column and ids unique across them.

use super::commands::NEW_FLAGS;
use super::git_support::{GitExt, git_repo};
use super::support::{TestRepo, raised};

/// [`raised`] with a prefixed id (`ESC-EMEA-2611-AAAA`): the same lines, the same numbers.
fn raised_as(id: &str) -> String {
    let plain = format!("ESC-{}", &id[id.len() - 9..]);
    raised(&plain).replace(&plain, id)
}

/// Where a prefixed id lives: `escalations/20YY-MM/ID.md`.
fn path_of(id: &str) -> String {
    let yymm = &id[id.len() - 9..id.len() - 5];
    format!("escalations/20{}-{}/{id}.md", &yymm[..2], &yymm[2..])
}

#[test]
fn new_ids_carry_the_prefix_and_short_ids_still_find_them() {
    let repo = TestRepo::new().write("esc.yaml", "id_prefix: EMEA\n");
    let mut args = vec!["new", "--no-commit", "--date", "2026-11-05"];
    args.extend(NEW_FLAGS);
    let run = repo.esc(&args);
    run.code(0);
    let rel = run.stdout.trim().to_string();
    let id = rel
        .strip_prefix("escalations/2026-11/")
        .and_then(|n| n.strip_suffix(".md"))
        .unwrap_or_else(|| panic!("unexpected path {rel:?}"));
    assert!(id.starts_with("ESC-EMEA-2611-") && id.len() == 18, "{id}");
    assert!(repo.read(&rel).contains(&format!("\nid: {id}\n")));
    repo.esc(&["check"])
        .code(0)
        .stdout_has(&["1 file checked, no problems"]);
    // The random part alone, and the part after the prefix, find it.
    for short in [&id[14..], &id[9..]] {
        repo.esc(&["show", short])
            .code(0)
            .stdout_has(&[&format!("{id}  Mailbox migration stalled at 40%")]);
    }
    // An id given by hand without the prefix is refused by the guard, and nothing is written.
    let mut args = vec![
        "new",
        "--no-commit",
        "--id",
        "ESC-2611-ZZZZ",
        "--date",
        "2026-11-05",
    ];
    args.extend(NEW_FLAGS);
    repo.esc(&args).code(1).stderr_has(&["error[id-prefix]"]);
    assert!(!repo.abs("escalations/2026-11/ESC-2611-ZZZZ.md").exists());
}

#[test]
fn check_reports_an_id_without_the_prefix_where_it_is() {
    let repo = TestRepo::new()
        .write("esc.yaml", "id_prefix: EMEA\n")
        .write(
            &path_of("ESC-EMEA-2611-AAAA"),
            &raised_as("ESC-EMEA-2611-AAAA"),
        )
        .write(&path_of("ESC-2611-BBBB"), &raised("ESC-2611-BBBB"))
        .write(
            &path_of("ESC-APAC-2611-CCCC"),
            &raised_as("ESC-APAC-2611-CCCC"),
        );
    let run = repo.esc(&["check", "--format", "json"]);
    run.code(1);
    let problems = run.json();
    let problems = problems.as_array().expect("array");
    assert_eq!(problems.len(), 2, "{run}");
    let p = &problems[0];
    assert_eq!(p["file"], "escalations/2026-11/ESC-2611-BBBB.md");
    assert_eq!(
        (p["line"].as_u64(), p["column"].as_u64()),
        (Some(3), Some(5))
    );
    assert_eq!(p["rule"], "id-prefix");
    assert_eq!(p["field"], "id");
    assert_eq!(p["expected"], "ESC-EMEA-YYMM-XXXX");
    assert_eq!(p["found"], "ESC-2611-BBBB");
    assert!(
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("id_prefix_from"))
    );
    assert_eq!(problems[1]["found"], "ESC-APAC-2611-CCCC");
    // Ids raised before the prefix was set keep their form; a wrong prefix is still wrong.
    let repo = repo.write("esc.yaml", "id_prefix: EMEA\nid_prefix_from: 2026-12\n");
    let run = repo.esc(&["check"]);
    run.code(1);
    assert_eq!(run.headlines().len(), 1, "{run}");
    run.stdout_has(&["ESC-APAC-2611-CCCC.md:3:5: error[id-prefix]"]);
    // Without a prefix in esc.yaml, a prefixed id is the odd one out.
    let repo = repo.write("esc.yaml", "");
    let run = repo.esc(&["check"]);
    run.code(1).stdout_has(&[
        "ESC-EMEA-2611-AAAA.md:3:5: error[id-prefix]",
        "set `id_prefix: EMEA`",
    ]);
    assert_eq!(run.headlines().len(), 2, "{run}");
}

#[test]
fn a_bad_prefix_and_an_old_schema_are_named() {
    let repo = TestRepo::new().write("esc.yaml", "timezone: UTC\nid_prefix: emea\n");
    // `esc check` reports it with the files' problems; other commands stop at it.
    repo.esc(&["check"])
        .code(1)
        .stdout_has(&["esc.yaml:2:1: error[config]: id_prefix: expected an upper-case letter"]);
    repo.esc(&["list"])
        .code(2)
        .stderr_has(&["esc.yaml:2:1: id_prefix: expected an upper-case letter"]);
    let repo = repo.write("esc.yaml", "id_prefix_from: 2026-12\n");
    repo.esc(&["check"])
        .code(1)
        .stdout_has(&["id_prefix_from: goes with id_prefix"]);
    // A schema copied before prefixes existed would refuse every new id: said once, up front.
    let schema = repo
        .read("schemas/escalation.schema.json")
        .replace("^ESC-([A-Z][A-Z0-9]{0,7}-)?[0-9]{4}-", "^ESC-[0-9]{4}-");
    let repo = repo
        .write("esc.yaml", "id_prefix: EMEA\n")
        .write("schemas/escalation.schema.json", &schema);
    repo.esc(&["check"]).code(1).stdout_has(&[
        "schemas/escalation.schema.json:1:1: error[id-prefix-schema]",
        "esc schema --builtin",
    ]);
}

/// Committed repositories keep working: git's history reads prefixed ids like any other.
#[test]
fn a_prefixed_escalation_advances_and_logs() {
    let repo = git_repo().write("esc.yaml", "id_prefix: EMEA\n").write(
        &path_of("ESC-EMEA-2611-AAAA"),
        &raised_as("ESC-EMEA-2611-AAAA"),
    );
    repo.commit_all("Raise ESC-EMEA-2611-AAAA");
    repo.esc(&["advance", "AAAA"]).code(0);
    repo.esc(&["log", "EMEA-2611-AAAA", "--steps"])
        .code(0)
        .stdout_has(&["gathering"]);
}
