//! The organisation's view (issue 12 §4): an id prefix per repository (`esc new` writes it,
//! `esc check` asks for it), and `esc report` over several repositories (`--repo`, or
//! `repositories:` in a reporting repository's esc.yaml), each read with its own config and
//! time zone, with a repository column and ids unique across them.

use super::commands::NEW_FLAGS;
use super::git_support::{GitExt, git_in, git_repo, with_step};
use super::support::{TestRepo, raised};
use super::template_support::{md_tables, parse_eml, parse_html_safe};

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

// ---------------------------------------------------------------------------------------------
// The organisation's report

/// `root/name`: a git repository with `esc.yaml` = `config` and, for each `(id, at)`, the
/// escalation raised (committed on 2 Nov) then moved to `gathering` in a commit at `at`.
fn member(root: &TestRepo, name: &str, config: &str, escalations: &[(&str, &str)]) {
    let dir = root.abs(name);
    std::fs::create_dir_all(dir.join("escalations")).expect("mkdir");
    std::fs::write(dir.join("esc.yaml"), config).expect("write esc.yaml");
    let git = |args: &[&str], date: &str| {
        let out = git_in(
            &dir,
            args,
            &[("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)],
        );
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    let day = "2026-11-02T09:00:00+00:00";
    git(&["init", "-q", "-b", "main"], day);
    git(&["config", "user.name", "Dana Whitfield"], day);
    git(&["config", "user.email", "dana@example.com"], day);
    for (id, _) in escalations {
        let path = dir.join(path_of(id));
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, raised_as(id)).expect("write escalation");
    }
    git(&["add", "-A"], day);
    git(&["commit", "-q", "-m", "Raised"], day);
    for (id, at) in escalations {
        let path = dir.join(path_of(id));
        std::fs::write(&path, with_step(&raised_as(id), "gathering")).expect("write");
        git(
            &["commit", "-q", "-am", &format!("{id}: raised -> gathering")],
            at,
        );
    }
}

/// Three regions: the same moment (Sunday 22 Nov, 23:30 UTC) is Monday in Berlin and Tokyo
/// and still Sunday in Los Angeles, so only AMER's move falls in week 47.
fn three_regions() -> TestRepo {
    let root = TestRepo::empty();
    let late = "2026-11-22T23:30:00+00:00";
    member(
        &root,
        "emea",
        "timezone: Europe/Berlin\nid_prefix: EMEA\n",
        &[
            ("ESC-EMEA-2611-AAAA", late),
            ("ESC-EMEA-2611-BBBB", "2026-11-10T09:00:00+00:00"),
        ],
    );
    member(
        &root,
        "amer",
        "timezone: America/Los_Angeles\nid_prefix: AMER\n",
        &[("ESC-AMER-2611-AAAA", late)],
    );
    member(
        &root,
        "apac",
        "timezone: Asia/Tokyo\nid_prefix: APAC\n",
        &[("ESC-APAC-2611-CCCC", late)],
    );
    root
}

const THREE: [&str; 6] = ["--repo", "emea", "--repo", "amer", "--repo", "apac"];

#[test]
fn the_organisation_report_adds_up_each_repository_read_in_its_own_time_zone() {
    let root = three_regions();
    let mut args = vec!["report", "--context"];
    args.extend(THREE);
    let run = root.esc(&args);
    run.code(0);
    let ctx = run.json();
    // The first repository leads: Berlin's week 47.
    assert_eq!(ctx["week"], "2026-W47");
    assert_eq!(ctx["timezone"], "Europe/Berlin");
    let repos = ctx["repositories"].as_array().expect("repositories");
    let names: Vec<&str> = repos.iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["emea", "amer", "apac"]);
    assert_eq!(repos[1]["timezone"], "America/Los_Angeles");
    assert_eq!(repos[1]["id_prefix"], "AMER");
    // Each repository's figures are its own single report's, and the totals their sum.
    let mut sums = serde_json::Map::new();
    let (mut escalations, mut notices) = (0, 0);
    for (r, name) in repos.iter().zip(names) {
        let single = root.esc(&["-C", name, "report", "--context"]);
        single.code(0);
        let single = single.json();
        assert_eq!(r["figures"], single["figures"], "{name}");
        assert_eq!(r["as_of"], single["as_of"], "{name}");
        escalations += single["analytics"]["escalations"].as_u64().unwrap_or(0);
        notices += single["pending_notices"].as_array().map_or(0, Vec::len);
        for (k, v) in single["figures"].as_object().expect("figures") {
            let n = sums.get(k).and_then(|s| s.as_u64()).unwrap_or(0);
            sums.insert(k.clone(), (n + v.as_u64().unwrap_or(0)).into());
        }
    }
    assert_eq!(ctx["figures"], serde_json::Value::Object(sums));
    // The analytics and the notices owed are every repository's too.
    assert_eq!(ctx["analytics"]["escalations"].as_u64(), Some(escalations));
    let owed = ctx["pending_notices"].as_array().expect("pending_notices");
    assert_eq!(owed.len(), notices);
    assert!(owed.iter().all(|n| n["repository"].is_string()));
    // Sunday 23:30 UTC is in week 47 only in Los Angeles: one move, AMER's.
    assert_eq!(ctx["figures"]["advanced"], 1);
    assert_eq!(repos[1]["figures"]["advanced"], 1);
    let changes = ctx["changes"].as_array().expect("changes");
    let moved: Vec<(&str, &str)> = changes
        .iter()
        .filter(|c| c["kind"] == "step")
        .filter_map(|c| Some((c["id"].as_str()?, c["repository"].as_str()?)))
        .collect();
    assert!(moved.contains(&("ESC-AMER-2611-AAAA", "amer")), "{moved:?}");
    assert!(
        !moved
            .iter()
            .any(|(id, _)| id.contains("-AAAA") && id.contains("EMEA"))
    );
    // Every open escalation, each with its repository.
    let open = ctx["open"].as_array().expect("open");
    assert_eq!(open.len(), 4);
    assert!(open.iter().all(|e| e["repository"].is_string()));
}

#[test]
fn every_table_has_a_repository_column_in_markdown_and_html() {
    let root = three_regions();
    let mut args = vec!["report"];
    args.extend(THREE);
    let md = root.esc(&args);
    md.code(0)
        .stdout_has(&["Figures of 3 repositories, each read in its own time zone"]);
    let tables = md_tables(&md.stdout);
    let table = |first: &str| {
        (tables.iter())
            .find(|t| t.header.first().is_some_and(|h| h == first))
            .unwrap_or_else(|| panic!("no table starting with {first}: {}", md.stdout))
    };
    let repos = table("repository");
    assert_eq!(
        repos.header[..4],
        ["repository", "time zone", "figures for", "as of"]
    );
    let rows: Vec<&str> = repos.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(rows, ["emea", "amer", "apac"]);
    assert_eq!(repos.rows[0][1], "Europe/Berlin");
    let open = (tables.iter())
        .find(|t| t.header[..2] == ["repository", "id"])
        .expect("the open table");
    assert_eq!(open.rows.len(), 4);
    for row in &open.rows {
        let prefix = row[0].to_uppercase();
        assert!(row[1].starts_with(&format!("ESC-{prefix}-")), "{row:?}");
    }
    md.stdout_has(&["**ESC-AMER-2611-AAAA** (amer: Contoso Ltd) entered *Information gathering*"]);
    args.extend(["--format", "html"]);
    let html = root.esc(&args);
    html.code(0).stdout_has(&[
        ">repository</th>",
        ">America&#x2f;Los_Angeles</td>",
        "<strong>ESC-AMER-2611-AAAA</strong> (amer: Contoso Ltd)",
    ]);
    parse_html_safe(&html.stdout);
}

/// `repositories:` in a reporting repository's esc.yaml, relative to it: the same report as
/// `--repo` with the same folders, whatever folder esc runs from; `--repo` replaces the list.
#[test]
fn a_reporting_repository_lists_the_repositories_in_esc_yaml() {
    let root = three_regions().write(
        "org/esc.yaml",
        "timezone: Europe/Berlin\nrepositories: [../emea, ../amer, ../apac]\n",
    );
    let listed = root.esc(&["-C", "org", "report"]);
    listed.code(0);
    let mut args = vec!["-C", "org", "report"];
    args.extend([
        "--repo", "../emea", "--repo", "../amer", "--repo", "../apac",
    ]);
    assert_eq!(root.esc(&args).stdout, listed.stdout);
    let from_inside = root.esc(&["-C", "org", "report", "--context"]).json();
    let names: Vec<&str> = from_inside["repositories"]
        .as_array()
        .expect("repositories")
        .iter()
        .filter_map(|r| r["path"].as_str())
        .collect();
    assert_eq!(names, ["../emea", "../amer", "../apac"]);
    // --repo replaces the list.
    let one = root.esc(&["-C", "org", "report", "--repo", "../apac", "--context"]);
    one.code(0);
    assert_eq!(one.json()["repositories"].as_array().map(Vec::len), Some(1));
    // The draft goes to the people the reporting repository names.
    let root = root.write(
        "org/esc.yaml",
        "repositories: [../emea, ../amer, ../apac]\n\
         people:\n  fasttrack_manager_frp: [Noor Haddad <noor.haddad@example.com>]\n",
    );
    root.esc(&["-C", "org", "report", "--format", "eml", "-o", "week.eml"])
        .code(0);
    let mail = parse_eml(&std::fs::read(root.abs("org/week.eml")).expect("week.eml"));
    let to: Vec<&str> = mail.to.iter().map(|(_, a)| a.as_str()).collect();
    assert_eq!(to, ["noor.haddad@example.com"]);
    assert!(mail.text.contains("| repository | id |"), "{}", mail.text);
}

#[test]
fn an_id_in_two_repositories_stops_the_report_naming_both_files() {
    let root = TestRepo::empty();
    let at = "2026-11-10T09:00:00+00:00";
    member(
        &root,
        "north",
        "",
        &[("ESC-2611-AAAA", at), ("ESC-2611-BBBB", at)],
    );
    member(&root, "south", "", &[("ESC-2611-AAAA", at)]);
    let run = root.esc(&["report", "--repo", "north", "--repo", "south"]);
    run.code(1).stderr_has(&[
        "ESC-2611-AAAA is in north/escalations/2026-11/ESC-2611-AAAA.md and in \
         south/escalations/2026-11/ESC-2611-AAAA.md",
        "`id_prefix`",
    ]);
    assert!(run.stdout.is_empty(), "{run}");
    // Unique ids, no prefixes: the report runs, with a note that ids may collide.
    let root = TestRepo::empty();
    member(&root, "north", "", &[("ESC-2611-AAAA", at)]);
    member(&root, "south", "", &[("ESC-2611-CCCC", at)]);
    root.esc(&["report", "--repo", "north", "--repo", "south"])
        .code(0)
        .stderr_has(&["note: north and south have no id prefix, so their ids may collide"]);
}

#[test]
fn what_is_not_a_repository_is_named_and_data_errors_are_left_out_as_alone() {
    let root = three_regions().write("plain/README.md", "not escalations\n");
    for (dir, says) in [
        ("nowhere", "--repo nowhere: cannot open"),
        ("plain", "is not an escalation repository"),
    ] {
        root.esc(&["report", "--repo", "emea", "--repo", dir])
            .code(2)
            .stderr_has(&[says]);
    }
    root.esc(&["report", "--repo", "emea", "--repo", "./emea/"])
        .code(2)
        .stderr_has(&["is already listed as emea"]);
    root.esc(&["report", "--repo", "emea", "--as-of", "HEAD"])
        .code(2)
        .stderr_has(&["--as-of reads one repository"]);
    // A repository's bad esc.yaml stops it as it stops the single report, with its path.
    std::fs::write(root.abs("apac/esc.yaml"), "timezone: Mars/Olympus\n").expect("write");
    let mut args = vec!["report"];
    args.extend(THREE);
    root.esc(&args)
        .code(2)
        .stderr_has(&["apac/esc.yaml:1:1: timezone: expected an IANA time zone"]);
    std::fs::write(root.abs("apac/esc.yaml"), "timezone: Asia/Tokyo\n").expect("write");
    // A file that does not parse is left out, and said, as the single report does.
    let bad = "amer/escalations/2026-11/ESC-AMER-2611-ZZZZ.md";
    std::fs::write(root.abs(bad), "---\nid: [unclosed\n---\n").expect("write");
    let mut args = vec!["report", "--week", "current"];
    args.extend(THREE);
    root.esc(&args)
        .code(0)
        .stderr_has(&["esc: left out amer/escalations/2026-11/ESC-AMER-2611-ZZZZ.md:2:"]);
}

/// `esc stats --repo`: each repository's figures add up to the organisation's, `--by
/// repository` splits them, `repositories:` in a reporting repository's esc.yaml reads the
/// same, and an id in two repositories stops it naming both files.
#[test]
fn stats_add_up_the_repositories_and_split_by_repository() {
    let root = three_regions();
    let mut args = vec!["stats", "--format", "json", "--by", "repository"];
    args.extend(THREE);
    let run = root.esc(&args);
    run.code(0);
    let org = run.json();
    assert_eq!(org["all"]["escalations"], 4, "{org}");
    let groups = org["groups"].as_array().expect("groups");
    let mut per: Vec<(String, u64)> = groups
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap_or_default().to_string(),
                g["escalations"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    per.sort();
    assert_eq!(
        per,
        [
            ("amer".to_string(), 1),
            ("apac".to_string(), 1),
            ("emea".to_string(), 2)
        ]
    );
    // Each repository alone gives its own group's figures.
    for name in ["emea", "amer", "apac"] {
        let alone = root.esc(&["-C", name, "stats", "--format", "json"]).json();
        let group = groups
            .iter()
            .find(|g| g["group"] == name)
            .expect("its group");
        assert_eq!(alone["all"]["escalations"], group["escalations"], "{name}");
        assert_eq!(alone["all"]["open"], group["open"], "{name}");
    }
    // A reporting repository that lists them reads the same figures.
    let root = root.write("esc.yaml", "repositories:\n  - emea\n  - amer\n  - apac\n");
    std::fs::create_dir_all(root.abs("escalations")).expect("mkdir");
    let listed = root
        .esc(&["stats", "--format", "json", "--by", "repository"])
        .json();
    assert_eq!(listed["all"], org["all"]);
    // An id in two repositories: exit 1, both files named, nothing printed.
    let clash = TestRepo::empty();
    let at = "2026-11-10T09:00:00+00:00";
    member(&clash, "north", "", &[("ESC-2611-AAAA", at)]);
    member(&clash, "south", "", &[("ESC-2611-AAAA", at)]);
    let run = clash.esc(&["stats", "--repo", "north", "--repo", "south"]);
    run.code(1).stderr_has(&[
        "ESC-2611-AAAA is in north/escalations/2026-11/ESC-2611-AAAA.md and in \
         south/escalations/2026-11/ESC-2611-AAAA.md",
    ]);
    assert!(run.stdout.is_empty(), "{run}");
}
