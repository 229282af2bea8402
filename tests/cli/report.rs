//! `esc report` and `esc demo`: the weekly report of the demo repository (snapshots, in
//! Markdown and HTML), its tables under a GFM parser, hostile data, `--week`, `--as-of`
//! (byte-identical, and reading templates and config as they were), the HTML page being
//! self-contained with no script, and the demo itself.

use super::support::{TestRepo, path_for};
use super::template_support::*;

#[test]
fn report_of_the_demo_matches_the_snapshots() {
    let repo = demo();
    let md = repo.esc(&["report", "--week", "2026-W48"]);
    md.code(0);
    assert_snapshot("report-2026-W48.md", &md.stdout);
    let html = repo.esc(&["report", "--week", "2026-W48", "--format", "html"]);
    html.code(0);
    assert_snapshot("report-2026-W48.html", &html.stdout);
    // On 26 Nov (W48), `--week current` is W48.
    assert_eq!(repo.esc(&["report", "--week", "current"]).stdout, md.stdout);
}

#[test]
fn report_tables_hold_the_figures_and_one_row_per_open_escalation() {
    let repo = demo();
    let run = repo.esc(&["report", "--week", "current"]);
    run.code(0);
    let tables = md_tables(&run.stdout);
    assert_eq!(tables.len(), 3, "{}", run.stdout);
    assert_eq!(
        tables[0].header,
        [
            "open",
            "raised",
            "advanced",
            "resolved",
            "updates overdue",
            "actions overdue",
            "stale"
        ]
    );
    // Updates overdue: 2RSM has no agreed cadence, so its severity's target (high:
    // twice-weekly) applies.
    assert_eq!(tables[0].rows, [["7", "0", "1", "0", "6", "1", "1"]]);
    let open = &tables[1];
    assert_eq!(open.header[0], "id");
    assert_eq!(open.header.len(), 9);
    let ids: Vec<&str> = open.rows.iter().map(|r| r[0].as_str()).collect();
    // Most severe first, then the longest open.
    assert_eq!(
        ids,
        [
            "ESC-2610-7FJX",
            "ESC-2609-X2KP",
            "ESC-2611-H9CE",
            "ESC-2611-2RSM",
            "ESC-2611-N3YA",
            "ESC-2610-D5VG",
            "ESC-2611-W6FB"
        ]
    );
    // Closed escalations are not in the open table.
    assert!(!run.stdout.contains("| ESC-2608-3MWR"));
    assert!(run.stdout.contains("1 resolved, median 37 days"));
    // Analytics: days in each step, of the escalations that left it (as `esc log --steps`
    // counts them: 3MWR spent 28 days in management, H9CE's stay there is not over).
    let steps = &tables[2];
    assert_eq!(
        steps.header,
        [
            "step",
            "escalations that left it",
            "median days",
            "90th percentile"
        ]
    );
    assert_eq!(steps.rows.len(), 6);
    assert_eq!(steps.rows[0], ["Escalation raised", "10", "0", "0"]);
    assert_eq!(steps.rows[5], ["Resolution and review", "1", "4", "4"]);
    // Both charts, as Mermaid.
    assert_eq!(run.stdout.matches("```mermaid").count(), 2);
}

#[test]
fn what_changed_follows_the_week() {
    let repo = demo();
    let w48 = repo.esc(&["report", "--week", "2026-W48"]);
    let w47 = repo.esc(&["report", "--week", "2026-W47"]);
    w47.code(0)
        .stdout_has(&["# Escalations: week 2026-W47 (16 Nov 2026 to 22 Nov 2026)"]);
    let changes = |md: &str| -> Vec<String> {
        md.split("## What changed this week")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with("- "))
            .map(String::from)
            .collect()
    };
    // The commit that moved it: the demo's last change to W6FB's file.
    let commit = git(
        repo.path(),
        &[
            "log",
            "-1",
            "--format=%h",
            "--abbrev=7",
            "--",
            &path_for("ESC-2611-W6FB"),
        ],
    );
    let last = |id: &str| {
        let c = git(
            repo.path(),
            &[
                "log",
                "-1",
                "--format=%h",
                "--abbrev=7",
                "--",
                &path_for(id),
            ],
        );
        c.trim().to_string()
    };
    // Besides the steps, the week's other activity: a meeting, actions done, a status update.
    let (fjx, kp) = (last("ESC-2610-7FJX"), last("ESC-2609-X2KP"));
    assert_eq!(
        changes(&w48.stdout),
        [
            format!(
                "- Mon 23 Nov: **ESC-2611-W6FB** (Proseware Inc) entered *Information gathering*, by Sam Ortiz ({})",
                commit.trim()
            ),
            format!(
                "- Tue 24 Nov: **ESC-2610-7FJX** (Northwind Traders) meeting 24 Nov 2026 (customer): POS client moved after the ESP; pilot in three stores is green, by Dana Whitfield ({fjx})"
            ),
            format!(
                "- Tue 24 Nov: **ESC-2610-7FJX** (Northwind Traders) action done: Move the POS client out of the blocking app list (24 Nov 2026), by Dana Whitfield ({fjx})"
            ),
            format!(
                "- Tue 24 Nov: **ESC-2610-7FJX** (Northwind Traders) status brought up to date as of 24 Nov 2026, by Dana Whitfield ({fjx})"
            ),
            format!(
                "- Wed 25 Nov: **ESC-2609-X2KP** (Woodgrove Bank) action done: Finish the last two migration waves (25 Nov 2026), by Sam Ortiz ({kp})"
            ),
        ]
    );
    let c47 = changes(&w47.stdout);
    assert_eq!(c47.len(), 5, "{c47:#?}");
    for day in ["16 Nov", "18 Nov", "19 Nov", "20 Nov"] {
        assert!(c47.iter().any(|l| l.contains(day)), "{day}: {c47:#?}");
    }
    assert!(c47.iter().all(|l| !l.contains("23 Nov")));
    // Raised that week: W6FB (19 Nov).
    let figures = &md_tables(&w47.stdout)[0].rows[0];
    assert_eq!(figures[1], "1", "raised in W47");
    // A week with nothing.
    repo.esc(&["report", "--week", "2026-W30"])
        .code(0)
        .stdout_has(&["Nothing changed this week."]);
}

#[test]
fn a_bad_week_is_a_usage_error() {
    let repo = demo();
    for bad in [
        "2026-W54",
        "2026-48",
        "W48",
        "2026-W",
        "2026-W00",
        "next week",
    ] {
        let run = repo.esc(&["report", "--week", bad]);
        run.code(2).stderr_has(&["--week", "YYYY-Www"]);
        assert_eq!(run.stdout, "");
    }
    let run = repo.esc(&["report", "--as-of", "nosuchrev"]);
    run.code(2)
        .stderr_has(&["`nosuchrev` is not a commit in this repository", "HEAD~3"]);
    assert_eq!(run.stdout, "");
}

#[test]
fn as_of_a_revision_is_byte_identical_and_ignores_later_commits() {
    let repo = demo();
    let rev = git(repo.path(), &["rev-parse", "HEAD~5"])
        .trim()
        .to_string();
    let args = ["report", "--as-of", rev.as_str(), "--week", "2026-W47"];
    let first = repo.esc(&args);
    first.code(0).stdout_has(&[&format!(
        "Figures for 26 Nov 2026 (Europe/Amsterdam), as of commit {}.",
        &rev[..7]
    )]);
    let html_args = [&args[..], &["--format", "html"]].concat();
    let first_html = repo.esc(&html_args);
    first_html.code(0);
    assert_eq!(repo.esc(&args).stdout, first.stdout, "run twice");
    // HEAD~5 is before W6FB and N3YA moved on; the report then had 6 open, 2 moved in W47.
    assert_ne!(
        first.stdout,
        repo.esc(&["report", "--week", "2026-W47"]).stdout
    );

    // Later commits: an escalation edited, a new template, a new config.
    replace_in(
        &repo,
        "escalations/2026-10/ESC-2610-7FJX.md",
        "severity: critical",
        "severity: low",
    );
    commit_all(&repo, "7FJX: severity low");
    let template = "CHANGED TEMPLATE {{ week }}\n";
    let repo = repo
        .write("templates/report.md.j2", template)
        .write("templates/report.html.j2", template);
    commit_all(&repo, "Our own report template");
    let config = repo
        .read("esc.yaml")
        .replace("timezone: Europe/Amsterdam", "timezone: America/New_York");
    let repo = repo.write("esc.yaml", &config);
    commit_all(&repo, "New York");

    let again = repo.esc(&args);
    assert_eq!(
        again.stdout, first.stdout,
        "later commits changed --as-of REV"
    );
    assert_eq!(repo.esc(&html_args).stdout, first_html.stdout);
    // The working tree and HEAD do see them.
    repo.esc(&["report", "--week", "current"])
        .code(0)
        .stdout_has(&["CHANGED TEMPLATE 2026-W48"]);
    repo.esc(&[
        "report", "--as-of", "HEAD", "--week", "current", "--format", "html",
    ])
    .code(0)
    .stdout_has(&["CHANGED TEMPLATE 2026-W48"]);
    let ctx = repo.esc(&["report", "--as-of", "HEAD", "--context"]).json();
    assert_eq!(ctx["timezone"], "America/New_York");
    // Uncommitted changes do not count for --as-of either.
    let repo = repo.write("templates/report.md.j2", "UNCOMMITTED\n");
    assert_eq!(repo.esc(&args).stdout, first.stdout);
}

#[test]
fn html_report_is_one_self_contained_page_without_script() {
    let repo = demo();
    let run = repo.esc(&["report", "--week", "current", "--format", "html"]);
    run.code(0);
    let page = &run.stdout;
    assert!(page.starts_with("<!DOCTYPE html>\n"), "{page}");
    assert!(page.trim_end().ends_with("</html>"));
    assert_eq!(page.matches("<html").count(), 1);
    assert_eq!(page.matches("<body").count(), 1);
    assert!(!page.to_ascii_lowercase().contains("<script"));
    let html = parse_html_safe(page);
    // No external resource: nothing is loaded; links (a href) are the only URLs.
    for (tag, attr, value) in &html.attrs {
        let external = value.contains("http://") || value.contains("https://");
        let allowed = (tag == "a" && attr == "href") || (tag == "svg" && attr == "xmlns");
        assert!(
            !external || allowed,
            "external resource in <{tag} {attr}={value:?}>"
        );
        assert!(!value.contains("url("), "<{tag} {attr}={value:?}>");
        assert!(!["src", "srcset", "poster", "background"].contains(&attr.as_str()));
    }
    for tag in ["link", "img", "style", "video", "audio"] {
        assert!(!html.tags.iter().any(|t| t == tag), "<{tag}> in the page");
    }
    // Two inline SVG charts, the figures and the open escalations.
    assert_eq!(html.tags.iter().filter(|t| *t == "svg").count(), 2);
    assert!(html.text.contains("Escalations: week 2026-W48"));
    assert!(html.text.contains("ESC-2610-7FJX"));
    assert!(html.text.contains("What changed this week"));
}

#[test]
fn hostile_data_breaks_no_table_and_runs_no_script() {
    let repo = hostile_repo();
    let run = repo.esc(&["report", "--week", "current"]);
    run.code(0);
    let md = &run.stdout;
    let tables = md_tables(md);
    let open = &tables[1];
    assert_eq!(open.rows.len(), 3, "{md}");
    let row = open
        .rows
        .iter()
        .find(|r| r[0] == HOSTILE_ID)
        .expect("the hostile escalation's row");
    assert_eq!(folded(&row[1]), folded(H_CUSTOMER));
    assert_eq!(row[6], "Zoë Ångström");
    assert!(md_links(md).is_empty(), "links from data:\n{md}");
    // The watch list names the customer and the risk, escaped.
    assert!(
        md.contains("Evil \\| Corp Bcc: evil@example.com &lt;script&gt;alert(2)&lt;/script&gt;")
    );

    let run = repo.esc(&["report", "--week", "current", "--format", "html"]);
    run.code(0);
    let html = parse_html_safe(&run.stdout);
    assert!(folded(&html.text).contains(&folded(H_CUSTOMER)));
    assert!(
        html.text.contains("<script>alert(2)</script>"),
        "shown as text"
    );
    assert!(html.text.contains("<script>alert(6)</script>"));
    // The data's `javascript:` watch-list link is not used (parse_html_safe checks the
    // scheme): the list's configured link is. 7FJX's own https link is used as it is, and
    // its second list's link comes from esc.yaml.
    let hrefs: Vec<&str> = html
        .attrs
        .iter()
        .filter(|(t, a, _)| t == "a" && a == "href")
        .map(|(_, _, v)| v.as_str())
        .collect();
    assert_eq!(
        hrefs,
        [
            "https://watchlist.example.com/intune/2610-031",
            "https://aka.ms/M365CWL",
            "https://aka.ms/EXOCWL",
            "https://aka.ms/EXOCWL"
        ]
    );
}

#[test]
fn demo_builds_a_valid_repository_with_a_report_and_refuses_a_non_empty_folder() {
    let repo = TestRepo::empty();
    let run = repo.esc(&["demo", "demo"]);
    run.code(0)
        .stderr_has(&["built", "commits"])
        .stdout_has(&["# Escalations: week 2026-W48", "## What changed this week"]);
    let changed = run
        .stdout
        .split("## What changed this week")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_default();
    assert!(
        changed
            .lines()
            .any(|l| l.starts_with("- ") && l.contains("entered")),
        "{changed}"
    );
    let dir = repo.abs("demo");
    let inside = |args: &[&str]| {
        let mut all = vec!["-C", dir.to_str().expect("utf-8 path")];
        all.extend(args);
        repo.esc(&all)
    };
    inside(&["check"])
        .code(0)
        .stdout_has(&["10 files checked, no problems"]);
    // The printed report is the repository's own, and is kept in a file there too.
    assert_eq!(inside(&["report", "--week", "current"]).stdout, run.stdout);
    let kept = std::fs::read_to_string(dir.join("weekly-report.md")).expect("report file");
    assert_eq!(kept, run.stdout);
    // The next step names a binary that runs from anywhere (esc may not be on PATH yet).
    let next = run
        .stderr
        .lines()
        .find(|l| l.starts_with("Next: cd "))
        .unwrap_or_else(|| panic!("no Next line:\n{run}"));
    let bin = next
        .rsplit(" && ")
        .next()
        .and_then(|c| c.strip_suffix(" list"))
        .expect("cmd");
    // A binary in the temporary folder (a build there) is not named: it goes with its folder.
    let exe = env!("CARGO_BIN_EXE_esc");
    if std::path::Path::new(exe).starts_with(std::env::temp_dir()) {
        assert_eq!(bin, "esc", "{next}");
    } else {
        assert!(std::path::Path::new(bin).is_absolute(), "{next}");
        let listed = std::process::Command::new(bin)
            .args(["list", "--today", "2026-11-26"])
            .current_dir(&dir)
            .output()
            .expect("run the printed binary");
        assert!(listed.status.success(), "{listed:?}");
    }
    let commits = git(&dir, &["rev-list", "--count", "HEAD"]);
    assert!(
        commits.trim().parse::<u32>().expect("count") > 20,
        "{commits}"
    );
    // Everything is committed; the report file is ignored.
    assert_eq!(git(&dir, &["status", "--porcelain"]), "");

    // Not over an existing repository.
    let run = repo.esc(&["demo", "demo"]);
    run.code(2).stderr_has(&["not empty"]);
    assert_eq!(git(&dir, &["rev-list", "--count", "HEAD"]), commits);
    assert_eq!(git(&dir, &["status", "--porcelain"]), "");
    let repo = repo.write("other/file.txt", "keep me");
    repo.esc(&["demo", "other"]).code(2);
    assert_eq!(repo.read("other/file.txt"), "keep me");
}

#[test]
fn demo_inside_another_work_tree_gets_a_repository_of_its_own() {
    // A project under git with a change not committed yet.
    let outer = TestRepo::empty().write("notes.txt", "committed\n");
    git(outer.path(), &["init", "-q"]);
    git(outer.path(), &["config", "user.name", "Someone"]);
    git(
        outer.path(),
        &["config", "user.email", "someone@example.com"],
    );
    commit_all(&outer, "notes");
    let head = git(outer.path(), &["rev-parse", "HEAD"]);
    let outer = outer.write("notes.txt", "work in progress\n");

    outer.esc(&["demo", "sub/demo"]).code(0);
    // The project is untouched: same commit, the change still there.
    assert_eq!(git(outer.path(), &["rev-parse", "HEAD"]), head);
    assert_eq!(git(outer.path(), &["rev-list", "--count", "HEAD"]), "1\n");
    assert_eq!(outer.read("notes.txt"), "work in progress\n");
    // The demo is a repository of its own, with its history.
    let demo = outer.abs("sub/demo");
    assert!(demo.join(".git").is_dir());
    assert_eq!(
        git(&demo, &["rev-parse", "--show-toplevel"]).trim(),
        demo.canonicalize().expect("path").to_string_lossy()
    );
    assert!(
        git(&demo, &["rev-list", "--count", "HEAD"])
            .trim()
            .parse::<u32>()
            .expect("n")
            > 20
    );
}

#[test]
fn a_closed_escalation_stops_ageing_when_it_closes() {
    // ESC-2608-3MWR was raised on 12 Aug and closed on 18 Sep: open 37 days, whatever today is.
    let repo = demo();
    let log = repo.esc(&["log", "3MWR"]);
    log.code(0)
        .stdout_has(&["ESC-2608-3MWR: closed after 37 days, 69 days ago\n"]);
    let json = repo
        .esc(&["log", "3MWR", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(
        (json["closed"].clone(), json["age_days"].clone()),
        (true.into(), 37.into())
    );
    // An open one keeps ageing up to today.
    let open = repo
        .esc(&["log", "7FJX", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(open["closed"], false);
    assert_eq!(open["age_days"], 48);
}

/// `esc report --format eml`: the weekly report as a draft to the roles the RACI consults,
/// the informed ones in copy, the sender in neither; both parts; refused (exit 1, saying
/// what to fill) when esc.yaml names nobody in the consulted roles.
#[test]
fn the_report_as_a_draft_goes_to_the_consulted_roles() {
    let repo = crate::template_support::demo();
    let run = repo.esc(&[
        "report",
        "--week",
        "2026-W48",
        "--format",
        "eml",
        "--from",
        "Noor Haddad <noor.haddad@example.com>",
        "-o",
        "week.eml",
    ]);
    run.code(0);
    let raw = std::fs::read(repo.abs("week.eml")).expect("week.eml");
    let mail = crate::template_support::parse_eml(&raw);
    let addrs = |l: &[(String, String)]| l.iter().map(|(_, a)| a.clone()).collect::<Vec<_>>();
    // FRP (Noor, the sender) and Health (Joana) are consulted; the sender is left out.
    assert_eq!(addrs(&mail.to), ["joana.pires@example.com"]);
    assert_eq!(
        addrs(&mail.cc),
        ["luis.romero@example.com", "ingrid.nilsson@example.com"]
    );
    assert_eq!(addrs(&mail.from), ["noor.haddad@example.com"]);
    assert!(
        mail.subject.starts_with("Escalations: week 2026-W48"),
        "{mail:?}"
    );
    assert_eq!(mail.content_type, "multipart/alternative");
    assert!(mail.text.contains("| open |"), "{}", mail.text);
    assert!(mail.html.is_some());
    assert!(!mail.date.is_empty() && !mail.message_id.is_empty());

    // Nobody in the consulted roles: refused, naming what to fill, nothing written.
    let bare = crate::support::TestRepo::with_samples();
    let run = bare.esc(&["report", "--format", "eml", "-o", "week.eml"]);
    run.code(1).stderr_has(&[
        "roles the RACI consults",
        "people.fasttrack_manager_frp or people.fasttrack_manager_health",
    ]);
    assert!(!bare.abs("week.eml").exists());
    bare.esc(&["report", "--format", "eml", "--from", "Noor"])
        .code(2)
        .stderr_has(&["--from: expected"]);
}

/// Issue 12: the report run on a Monday is for the week that just ended, not the one that
/// began; `--week current` is the week in progress.
#[test]
fn the_default_week_is_the_last_complete_one() {
    let repo = demo();
    let on = |day: &str, extra: &[&str]| {
        let mut args = vec!["report", "--today", day];
        args.extend(extra);
        repo.esc_raw(&args)
    };
    on("2026-11-30", &[])
        .code(0)
        .stdout_has(&["# Escalations: week 2026-W48 (23 Nov 2026 to 29 Nov 2026)"]);
    // Sunday: its week is not over yet.
    on("2026-11-29", &[])
        .code(0)
        .stdout_has(&["# Escalations: week 2026-W47 (16 Nov 2026 to 22 Nov 2026)"]);
    on("2026-11-30", &["--week", "current"])
        .code(0)
        .stdout_has(&["# Escalations: week 2026-W49 (30 Nov 2026 to 6 Dec 2026)"]);
    // Thursday of W48 (the tests' today).
    assert_eq!(
        repo.esc(&["report"]).stdout,
        repo.esc(&["report", "--week", "2026-W47"]).stdout
    );
}

/// A week that has ended is read as the repository was at its end: what was committed after
/// it does not change its report (byte for byte), in Markdown and HTML.
#[test]
fn a_past_week_reads_the_repository_as_it_was_at_its_end() {
    let repo = demo();
    let md_args = ["report", "--week", "2026-W47"];
    let html_args = ["report", "--week", "2026-W47", "--format", "html"];
    let (md, html) = (repo.esc(&md_args), repo.esc(&html_args));
    md.code(0);
    html.code(0);
    // The last commit on or before Sunday 22 Nov 23:59 in Amsterdam, and that Sunday's figures.
    let rev = git(
        repo.path(),
        &[
            "rev-list",
            "-1",
            "--first-parent",
            "--before=2026-11-22T23:59:59+01:00",
            "HEAD",
        ],
    );
    md.stdout_has(&[&format!(
        "22 Nov 2026 (Europe/Amsterdam), as of commit {}.",
        &rev[..7]
    )]);
    assert_ne!(
        md.stdout,
        repo.esc(&["report", "--as-of", "HEAD", "--week", "2026-W47"])
            .stdout,
        "HEAD differs from the end of W47"
    );
    // Committed after the week (25 Nov): an escalation edited, another raised; and a change
    // not committed at all.
    replace_in(
        &repo,
        "escalations/2026-10/ESC-2610-7FJX.md",
        "severity: critical",
        "severity: low",
    );
    let repo = repo.escalation("ESC-2611-ZZZZ", &crate::support::raised("ESC-2611-ZZZZ"));
    commit_all(&repo, "Later: 7FJX low, ZZZZ raised");
    replace_in(
        &repo,
        "escalations/2026-10/ESC-2610-7FJX.md",
        "severity: low",
        "severity: high",
    );
    assert_eq!(repo.esc(&md_args).stdout, md.stdout, "Markdown changed");
    assert_eq!(repo.esc(&html_args).stdout, html.stdout, "HTML changed");
    // Files that match the week's end are read from the disk: one removed from the working
    // tree, and one replaced by other bytes of the same length, are read from git instead.
    std::fs::remove_file(repo.path().join("escalations/2026-11/ESC-2611-2RSM.md"))
        .expect("remove 2RSM");
    let h9ce = repo.path().join("escalations/2026-11/ESC-2611-H9CE.md");
    let text = std::fs::read_to_string(&h9ce).expect("read H9CE");
    std::fs::write(&h9ce, text.replacen("customer:", "custumer:", 1)).expect("write H9CE");
    assert_eq!(repo.esc(&md_args).stdout, md.stdout, "Markdown changed");
    // The week in progress does see them.
    repo.esc(&["report", "--week", "current"])
        .code(0)
        .stdout_has(&["ESC-2611-ZZZZ", "uncommitted changes"]);
}

/// Issue 12: "last update" is the last change to status, meetings, actions, notices or step,
/// in the report and in `esc list`; a commit that fixes a typo in the notes is none.
#[test]
fn last_update_ignores_a_typo_fix_and_counts_a_meeting() {
    let repo = demo();
    let file = path_for("ESC-2611-2RSM");
    let last_update = |repo: &TestRepo| {
        let run = repo.esc(&["report", "--week", "current"]);
        run.code(0);
        let tables = md_tables(&run.stdout);
        let open = tables
            .iter()
            .find(|t| t.header.first().is_some_and(|h| h == "id"))
            .expect("the open table");
        let col = open
            .header
            .iter()
            .position(|h| h == "last update")
            .expect("a last update column");
        let row = open
            .rows
            .iter()
            .find(|r| r[0] == "ESC-2611-2RSM")
            .expect("2RSM's row");
        let list = repo.esc(&["list", "--format", "json"]).json();
        let listed = list
            .as_array()
            .and_then(|a| a.iter().find(|e| e["id"] == "ESC-2611-2RSM"))
            .map(|e| e["timeline"]["last_update"].clone())
            .expect("2RSM listed");
        (row[col].clone(), listed)
    };
    let before = last_update(&repo);
    assert_eq!(before.0, "18 Nov 2026");
    assert_eq!(before.1["kind"], "step");
    // A typo fixed in the notes, committed on 25 Nov: no update.
    replace_in(
        &repo,
        &file,
        "- Raised by the account team after",
        "- Raised by the account team, after",
    );
    commit_all(&repo, "2RSM: typo");
    assert_eq!(
        last_update(&repo),
        before,
        "a typo fix counted as an update"
    );
    // A meeting, committed on 25 Nov: an update.
    replace_in(
        &repo,
        &file,
        "x-internal-priority: P2\n",
        "meetings:\n  - { date: 2026-11-25, kind: call, summary: Sync versions collected. }\nx-internal-priority: P2\n",
    );
    commit_all(&repo, "2RSM: meeting");
    let after = last_update(&repo);
    assert_eq!(after.0, "25 Nov 2026");
    assert_eq!(after.1["kind"], "meeting");
    assert!(
        after.1["at"]
            .as_str()
            .is_some_and(|a| a.starts_with("2026-11-25")),
        "{after:?}"
    );
}

/// Issue 12: overdue actions are named, target breaches listed, and people read one date
/// format: no ISO date in the Markdown or HTML outside code, links and markup.
#[test]
fn overdue_actions_are_named_and_dates_read_one_way() {
    let repo = demo();
    let md = repo.esc(&["report", "--week", "current"]);
    md.code(0).stdout_has(&[
        "## Overdue actions\n\n- **ESC-2610-7FJX** (Northwind Traders): Deliver Delivery Optimization guidance for stores, owner Omar Haddad, due 24 Nov 2026\n",
        "## Targets missed\n\n- **ESC-2610-7FJX** (Northwind Traders): 32 working days in Escalation management",
        "pie showData title",
    ]);
    let html = repo.esc(&["report", "--week", "current", "--format", "html"]);
    html.code(0);
    let iso = |text: &str| -> Vec<String> {
        let b = text.as_bytes();
        (0..b.len().saturating_sub(9))
            .filter(|&i| {
                let p = |k: usize| b[i + k].is_ascii_digit();
                (0..4).all(p)
                    && b[i + 4] == b'-'
                    && p(5)
                    && p(6)
                    && b[i + 7] == b'-'
                    && p(8)
                    && p(9)
            })
            .map(|i| text[i..i + 10].to_string())
            .collect()
    };
    // Markdown without its code blocks; HTML as its text.
    let prose: String = md
        .stdout
        .split("```")
        .step_by(2)
        .collect::<Vec<_>>()
        .join("");
    assert_eq!(iso(&prose), Vec::<String>::new(), "{prose}");
    let text = parse_html_safe(&html.stdout).text;
    assert_eq!(iso(&text), Vec::<String>::new(), "{text}");
}
