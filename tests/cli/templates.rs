//! Templates: `esc status` on the demo repository (snapshots), hostile data through the
//! Markdown escaping (parsed by a GFM parser), template errors (syntax, undefined values,
//! fuel, reading outside the templates folder), `esc check` rendering every template
//! without walking history, repository templates overriding the built-in ones, and
//! `esc render --context`.

use super::support::{TestRepo, path_for, raised};
use super::template_support::*;
use serde_json::Value;
use std::time::{Duration, Instant};

#[test]
fn status_of_demo_escalations_matches_the_snapshots() {
    let repo = demo();
    for (id, snapshot) in [
        ("7FJX", "status-ESC-2610-7FJX.md"),
        ("X2KP", "status-ESC-2609-X2KP.md"),
        ("2RSM", "status-ESC-2611-2RSM.md"),
    ] {
        let run = repo.esc(&["status", id]);
        run.code(0);
        assert_snapshot(snapshot, &run.stdout);
        let tables = md_tables(&run.stdout);
        assert_eq!(tables[0].header, ["Enterprise Status", ""]);
        let labels: Vec<&str> = tables[0].rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            labels,
            [
                "Brief description",
                "Impact",
                "Deployment status",
                "Current activities",
                "Risk / watch list",
                "Awareness"
            ]
        );
        assert!(md_links(&run.stdout).is_empty(), "{}", run.stdout);
    }
}

#[test]
fn status_figures_follow_the_data_and_the_cadence() {
    let repo = demo();
    // 7FJX: daily cadence, last update (status as of) Tue 24 Nov: due Wed 25 Nov, overdue
    // on Thu 26 Nov; action 2 was done at that meeting, action 3 is past due.
    let run = repo.esc(&["status", "7FJX"]);
    run.code(0).stdout_has(&[
        "step 5 of 6: Escalation management",
        "**Next update due:** 25 Nov 2026 (daily cadence): **overdue**",
        "**Last meeting:** 24 Nov 2026 (customer)",
    ]);
    let actions = &md_tables(&run.stdout)[1];
    assert_eq!(actions.header, ["#", "action", "owner", "due", "done"]);
    let done: Vec<&str> = actions.rows.iter().map(|r| r[4].as_str()).collect();
    assert_eq!(done, ["14 Oct 2026", "24 Nov 2026", "overdue"]);
    // Without an agreed cadence (information gathering) the severity's target gives one:
    // high is twice-weekly, 3 working days after the last update (validated Mon 16 Nov).
    let run = repo.esc(&["status", "2RSM"]);
    run.code(0).stdout_has(&[
        "**Last meeting:** none logged yet.",
        "None recorded.",
        "**Next update due:** 19 Nov 2026 (twice-weekly cadence, the severity's target: none agreed yet): **overdue**",
    ]);
    // A cadence may be a number of working days.
    replace_in(
        &repo,
        &path_for("ESC-2610-7FJX"),
        "cadence: daily",
        "cadence: 2",
    );
    repo.esc(&["status", "7FJX"])
        .code(0)
        .stdout_has(&["**Next update due:** 26 Nov 2026 (every 2 working days)\n"]);
    replace_in(
        &repo,
        &path_for("ESC-2610-7FJX"),
        "cadence: 2",
        "cadence: daily",
    );
    // A Friday update with a daily cadence is due on Monday, not Saturday.
    replace_in(
        &repo,
        &path_for("ESC-2610-7FJX"),
        "as_of: 2026-11-24",
        "as_of: 2026-11-20",
    );
    replace_in(
        &repo,
        &path_for("ESC-2610-7FJX"),
        "- date: 2026-11-24\n",
        "- date: 2026-11-19\n",
    );
    repo.esc(&["status", "7FJX"])
        .code(0)
        .stdout_has(&["**Next update due:** 23 Nov 2026 (daily cadence): **overdue**"]);
}

#[test]
fn status_keeps_tables_and_the_heading_whole_with_hostile_data() {
    let repo = hostile_repo();
    let run = repo.esc(&["status", "HX7Z"]);
    run.code(0);
    let md = &run.stdout;
    let first: Vec<&str> = md.lines().take(2).collect();
    assert_eq!(
        first[0],
        format!(
            "## {HOSTILE_ID}: {}",
            "Pipes \\| \\`ticks\\` &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](http://evil.example) Bcc: evil@example.com"
        )
    );
    assert_eq!(first[1], "", "the title broke the heading line");
    let tables = md_tables(md);
    assert_eq!(tables.len(), 2, "{md}");
    let cells: Vec<(&str, &str)> = tables[0]
        .rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    let want = [
        ("Brief description", folded(H_BRIEF)),
        ("Impact", folded(H_IMPACT)),
        ("Deployment status", folded(H_DEPLOYMENT)),
        ("Current activities", folded(H_ACTIVITIES)),
        (
            "Risk / watch list",
            format!(
                "{} (on the Exchange Online Critical Watch List since 3 Nov 2026, https://aka.ms/EXOCWL)",
                folded(H_RISK)
            ),
        ),
        ("Awareness", folded(H_AWARENESS)),
    ];
    for ((label, cell), (want_label, want_cell)) in cells.iter().zip(&want) {
        assert_eq!(label, want_label);
        assert_eq!(folded(cell), *want_cell, "the {label} cell");
    }
    let actions = &tables[1];
    assert_eq!(actions.rows.len(), 2);
    assert_eq!(
        actions.rows[0]
            .iter()
            .map(|c| folded(c))
            .collect::<Vec<_>>(),
        [
            "1".to_string(),
            folded(H_ACTION_WHAT),
            folded(H_ACTION_OWNER),
            "10 Nov 2026".into(),
            "overdue".into()
        ]
    );
    assert_eq!(folded(&actions.rows[1][1]), H_ACTION2_WHAT);
    // Data cannot add a link, an image, or markup.
    assert!(md_links(md).is_empty(), "links from data:\n{md}");
    assert!(!md.contains("<script") && !md.contains("<b "), "{md}");
    let html = pulldown_cmark_html(md);
    let parsed = parse_html_safe(&html);
    assert!(parsed.text.contains("<script>alert(3)</script>"));
    assert!(!parsed.tags.iter().any(|t| t == "a" || t == "img"));
}

/// Markdown to HTML as GitHub-like renderers do (tables on, raw HTML passed through).
fn pulldown_cmark_html(md: &str) -> String {
    let mut out = String::new();
    pulldown_cmark::html::push_html(
        &mut out,
        pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES),
    );
    out
}

/// A repository whose `templates/status.md.j2` is `template`; esc.yaml has a marker.
fn with_status_template(template: &str) -> TestRepo {
    TestRepo::with_samples()
        .write(
            "esc.yaml",
            "# SECRET-MARKER-IN-CONFIG\ntimezone: Europe/Berlin\n",
        )
        .write("templates/status.md.j2", template)
}

#[test]
fn template_errors_exit_1_naming_the_template_and_the_line() {
    let cases: [(&str, &str, &[&str]); 6] = [
        (
            "syntax",
            "ok\nstill ok\n{{ title | }}\n",
            &["template status.md.j2:3:", "expected identifier"],
        ),
        (
            "unclosed block",
            "ok\n{% if title %}\nno endif\n",
            &["template status.md.j2:2:", "unexpected end of input"],
        ),
        (
            "undefined",
            "ok\n{{ title }}\n{{ no_such_variable }}\n",
            &[
                "template status.md.j2:3:",
                "`no_such_variable` is undefined",
            ],
        ),
        (
            "undefined attribute",
            "{{ status.no_such_field }}",
            &[
                "template status.md.j2:1:",
                "`status.no_such_field` is undefined",
            ],
        ),
        (
            "include outside",
            "ok\n{% include \"../esc.yaml\" %}\n",
            &[
                "template status.md.j2:2:",
                "`../esc.yaml` points outside the templates folder",
            ],
        ),
        (
            "absolute include",
            "ok\n\n{% include \"/etc/passwd\" %}\n",
            &[
                "template status.md.j2:3:",
                "`/etc/passwd` points outside the templates folder",
            ],
        ),
    ];
    for (what, template, expected) in cases {
        let repo = with_status_template(template);
        let run = repo.esc(&["status", "7FJX"]);
        run.code(1).stderr_has(expected);
        assert_eq!(run.stdout, "", "{what}: nothing is printed on an error");
        run.lacks("SECRET-MARKER").lacks("root:");
    }
}

#[test]
fn an_endless_loop_is_stopped_by_fuel_quickly() {
    let repo = with_status_template(
        "ok\n{% for i in range(10000) %}{% for j in range(10000) %}{{ i }}{% endfor %}{% endfor %}\n",
    );
    let start = Instant::now();
    let run = repo.esc(&["status", "7FJX"]);
    run.code(1)
        .stderr_has(&["template status.md.j2:2:", "fuel", "endless loop"]);
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "fuel took {:?}",
        start.elapsed()
    );
    // Endless recursion stops too.
    let repo = with_status_template("{% macro f(n) %}{{ f(n) }}{% endmacro %}\n{{ f(1) }}");
    repo.esc(&["status", "7FJX"])
        .code(1)
        .stderr_has(&["template status.md.j2:"]);
}

#[cfg(unix)]
#[test]
fn templates_do_not_follow_symbolic_links_out_of_the_folder() {
    let repo = with_status_template("{% include \"leak.j2\" %}");
    std::os::unix::fs::symlink(repo.abs("esc.yaml"), repo.abs("templates/leak.j2"))
        .expect("symlink");
    repo.esc(&["status", "7FJX"])
        .code(1)
        .stderr_has(&["template status.md.j2:1:", "symbolic link"])
        .lacks("SECRET-MARKER");
}

#[test]
fn a_repository_template_overrides_the_built_in_one_by_name() {
    let repo = TestRepo::with_samples()
        .write(
            "templates/status.md.j2",
            "OWN STATUS {{ id }} {{ customer }} {{ step_name }}\n",
        )
        .write(
            "templates/report.md.j2",
            "OWN REPORT {{ week }} {{ figures.open }}\n",
        )
        .write("templates/mine.txt.j2", "{% include \"status.md.j2\" %}")
        .write(
            "templates/base.txt.j2",
            "OWN NOTIFY {{ owner | name }} {{ owner | email }}",
        );
    repo.esc(&["status", "7FJX"])
        .code(0)
        .stdout_has(&["OWN STATUS ESC-2610-7FJX Northwind Traders Escalation management"]);
    repo.esc(&["report", "--week", "2026-W48"])
        .code(0)
        .stdout_has(&["OWN REPORT 2026-W48 7"])
        .lacks("# Escalations");
    // Other templates include the repository's version too.
    repo.esc(&["render", "mine.txt.j2", "7FJX"])
        .code(0)
        .stdout_has(&["OWN STATUS ESC-2610-7FJX"]);
    repo.esc(&["render", "base.txt.j2", "X2KP"])
        .code(0)
        .stdout_has(&["OWN NOTIFY Sam Ortiz sam.ortiz@example.com"]);
    // The built-in templates that were not replaced still apply.
    repo.esc(&["notify", "7FJX", "stakeholders"])
        .code(0)
        .stdout_has(&["[Escalation] Northwind Traders"]);
    // Without the override, the built-in one.
    std::fs::remove_file(repo.abs("templates/status.md.j2")).expect("remove");
    repo.esc(&["status", "7FJX"])
        .code(0)
        .stdout_has(&["## ESC-2610-7FJX: Windows Autopilot"])
        .lacks("OWN STATUS");
}

#[test]
fn check_reports_every_broken_template_without_walking_history() {
    let repo = demo();
    // Break the history: the root commit's object is gone, and there is no cache. Any
    // command that walks history now fails; `esc check` must not.
    let root = git(repo.path(), &["rev-list", "--max-parents=0", "HEAD"]);
    let root = root.trim();
    // The demo copy is packed: unpack it, so that one object can go.
    let pack_dir = repo.abs(".git/objects/pack");
    for entry in std::fs::read_dir(&pack_dir).expect("pack folder") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read pack");
        std::fs::remove_file(&path).expect("remove pack");
        if path.extension().is_some_and(|e| e == "pack") {
            let mut child = std::process::Command::new("git")
                .args(["unpack-objects", "-q"])
                .current_dir(repo.path())
                .stdin(std::process::Stdio::piped())
                .spawn()
                .expect("git unpack-objects");
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(&bytes)
                .expect("write pack");
            assert!(child.wait().expect("wait").success());
        }
    }
    std::fs::remove_file(repo.abs(&format!(".git/objects/{}/{}", &root[..2], &root[2..])))
        .expect("remove the root commit object");
    let _ = std::fs::remove_dir_all(repo.abs(".git/esc"));
    repo.esc(&["report"]).code(2);
    repo.esc(&["check"])
        .code(0)
        .stdout_has(&["10 files checked, no problems"]);

    let repo = repo
        .write("templates/status.md.j2", "x\ny\n{{ title | }}\n")
        .write(
            "templates/notify-resolved.txt.j2",
            "Subject: x\n\n{{ no_such_variable }}\n",
        )
        .write(
            "templates/report.md.j2",
            "a\n{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}\n",
        )
        .write("templates/extra.md.j2", "{% include \"../esc.yaml\" %}\n")
        .write(
            "templates/passwd.txt.j2",
            "\n\n\n{% include \"/etc/passwd\" %}\n",
        )
        .write("templates/fine.md.j2", "{{ title }}\n");
    let start = Instant::now();
    let run = repo.esc(&["check", "--format", "json"]);
    run.code(1);
    assert!(start.elapsed() < Duration::from_secs(5));
    let problems = run.json();
    let mut got: Vec<(String, u64, String, String)> = problems
        .as_array()
        .expect("array")
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap_or_default().to_string(),
                p["line"].as_u64().unwrap_or_default(),
                p["rule"].as_str().unwrap_or_default().to_string(),
                p["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    got.sort();
    let want = [
        ("templates/extra.md.j2", 1, "outside the templates folder"),
        (
            "templates/notify-resolved.txt.j2",
            3,
            "`no_such_variable` is undefined",
        ),
        ("templates/passwd.txt.j2", 4, "outside the templates folder"),
        ("templates/report.md.j2", 2, "ran out of fuel"),
        ("templates/status.md.j2", 3, "expected identifier"),
    ];
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for ((file, line, rule, message), (wfile, wline, wmessage)) in got.iter().zip(want) {
        assert_eq!(
            (file.as_str(), *line, rule.as_str()),
            (wfile, wline, "template")
        );
        let name = wfile.trim_start_matches("templates/");
        assert!(
            message.contains(&format!("template {name}:{wline}:")) && message.contains(wmessage),
            "{file}: {message}"
        );
    }
    // Human output too.
    repo.esc(&["check"])
        .code(1)
        .stdout_has(&["templates/status.md.j2:3:1: error[template]: template status.md.j2:3:"]);
}

#[test]
fn check_catches_a_template_that_breaks_only_on_hostile_or_missing_values() {
    // Every sample has `status.brief`... except that check also renders with hostile values
    // and with each step's files: a template calling a string method on a list fails.
    let repo = TestRepo::new()
        .escalation("ESC-2611-AAAA", &raised("ESC-2611-AAAA"))
        .write(
            "templates/status.md.j2",
            "{{ id }}\n{{ status.actions[0].what }}\n",
        );
    let run = repo.esc(&["check"]);
    run.code(1)
        .stdout_has(&["templates/status.md.j2:2:1: error[template]"]);
}

#[test]
fn render_context_has_every_schema_field_and_the_derived_ones() {
    // A file at step raised leaves out almost everything.
    let repo = TestRepo::new().escalation("ESC-2611-AAAA", &raised("ESC-2611-AAAA"));
    let run = repo.esc(&["render", "status.md.j2", "AAAA", "--context"]);
    run.code(0);
    let ctx = run.json();
    let fields = schema_fields();
    assert!(fields.len() > 60, "{fields:?}");
    for f in &fields {
        assert!(at(&ctx, f).is_some(), "`{f}` is missing from the context");
    }
    for (f, want) in [
        ("closing.summary", Value::from("")),
        ("status.brief", Value::from("")),
        ("stakeholders.cc", serde_json::json!([])),
        ("gathering.watch_list.link", Value::from("")),
        ("meetings", serde_json::json!([])),
        ("title", Value::from("Mailbox migration stalled at 40%")),
        ("raised.date", Value::from("2026-11-02")),
        ("step_name", Value::from("Escalation raised")),
        ("step_number", Value::from(1)),
        ("steps_total", Value::from(6)),
        ("open", Value::from(true)),
        ("days_open", Value::from(24)),
        ("actions_open", serde_json::json!([])),
        ("actions_overdue", serde_json::json!([])),
        // No cadence agreed yet: the default target's (weekly) from raising, Mon 2 Nov.
        ("next_update_due", Value::from("2026-11-09")),
        ("update_overdue", Value::from(true)),
        ("cadence_agreed", Value::from(false)),
        ("cadence_label", Value::from("weekly cadence")),
        ("severity_meaning", Value::from("")),
        ("next_meeting", Value::from("")),
        ("last_meeting.date", Value::from("")),
        ("today", Value::from("2026-11-26")),
        ("file", Value::from(path_for("ESC-2611-AAAA"))),
    ] {
        assert_eq!(at(&ctx, f), Some(&want), "`{f}`");
    }
    assert!(ctx["timeline"].is_object(), "{ctx}");

    // The demo: derived values from the data and the timeline.
    let repo = demo();
    let run = repo.esc(&["render", "status.md.j2", "7FJX", "--context"]);
    run.code(0);
    let ctx = run.json();
    for f in &fields {
        assert!(at(&ctx, f).is_some(), "`{f}` is missing from the context");
    }
    assert_eq!(ctx["closing"]["summary"], "");
    assert_eq!(ctx["step_name"], "Escalation management");
    assert_eq!(ctx["next_update_due"], "2026-11-25");
    assert_eq!(ctx["update_overdue"], true);
    assert_eq!(ctx["last_meeting"]["date"], "2026-11-24");
    assert_eq!(ctx["days_open"], 48);
    let overdue: Vec<&str> = ctx["actions_overdue"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|a| a["what"].as_str())
        .collect();
    // Action 2 was done at this week's meeting; action 3 is past due.
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert_eq!(ctx["actions_open"].as_array().map(Vec::len), Some(1));
    let steps: Vec<&str> = ctx["timeline"]["entered"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["step"].as_str())
        .collect();
    assert_eq!(
        steps,
        [
            "raised",
            "gathering",
            "validation",
            "stakeholders",
            "management"
        ]
    );
    // A closed escalation: its closing is there, nothing is due.
    let ctx = repo
        .esc(&["render", "status.md.j2", "3MWR", "--context"])
        .json();
    assert_eq!(ctx["open"], false);
    assert_eq!(ctx["next_update_due"], "");
    assert!(
        ctx["closing"]["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("PG hotfix"))
    );
}

#[test]
fn render_report_context_has_the_figures_and_lists() {
    let repo = demo();
    let run = repo.esc(&["render", "report.md.j2", "--context"]);
    run.code(0);
    let ctx = run.json();
    for k in [
        "week",
        "week_start",
        "week_end",
        "today",
        "as_of",
        "timezone",
        "figures",
        "open",
        "changes",
        "watch",
        "stale",
        "resolve_times",
        "by_step",
        "weekly",
    ] {
        assert!(ctx.get(k).is_some(), "`{k}` missing");
    }
    assert_eq!(ctx["week"], "2026-W48");
    assert_eq!(ctx["week_start"], "2026-11-23");
    assert_eq!(ctx["timezone"], "Europe/Amsterdam");
    assert_eq!(
        ctx["figures"],
        serde_json::json!({"open": 7, "raised": 0, "advanced": 1, "resolved": 0,
            "updates_overdue": 6, "actions_overdue": 1, "stale": 1})
    );
    assert_eq!(ctx["open"].as_array().map(Vec::len), Some(7));
    assert_eq!(ctx["weekly"].as_array().map(Vec::len), Some(12));
    assert_eq!(ctx["weekly"][11]["week"], "2026-W48");
    // `esc report --context` prints the same.
    let report = repo.esc(&["report", "--week", "current", "--context"]);
    report.code(0);
    assert_eq!(report.json(), ctx);
    // And rendering a template without an id renders the report.
    let rendered = repo.esc(&["render", "report.md.j2"]);
    rendered.code(0);
    assert_eq!(
        rendered.stdout,
        repo.esc(&["report", "--week", "current"]).stdout
    );
}

#[test]
fn render_prints_what_status_prints_and_refuses_unknown_templates() {
    let repo = demo();
    let status = repo.esc(&["status", "X2KP"]);
    let render = repo.esc(&["render", "status.md.j2", "X2KP"]);
    render.code(0);
    assert_eq!(render.stdout.trim_end(), status.stdout.trim_end());
    // A name that names no template is a bad argument (exit 2) and lists the built-in ones.
    repo.esc(&["render", "no-such.md.j2", "X2KP"])
        .code(2)
        .stderr_has(&["no template named `no-such.md.j2`", "status.md.j2"]);
    repo.esc(&["render", "../esc.yaml", "X2KP"])
        .code(1)
        .stderr_has(&["outside the templates folder"])
        .lacks("timezone:");
    // A template that exists but includes a missing one is the repository's problem.
    std::fs::create_dir_all(repo.abs("templates")).expect("mkdir");
    std::fs::write(repo.abs("templates/x.md.j2"), "{% include \"gone.j2\" %}\n").expect("write");
    repo.esc(&["render", "x.md.j2", "X2KP"]).code(1);
}

#[test]
fn the_table_check_itself_catches_broken_tables() {
    let ok = "| a | b |\n|---|---|\n| x \\| y | `z` |\n";
    let t = md_tables(ok);
    assert_eq!(t[0].rows, [["x | y", "z"]]);
    for broken in [
        // An unescaped pipe from data: one cell too many (the parser drops it silently).
        "| a | b |\n|---|---|\n| x | y | z |\n",
        // A backslash from data escaping the template's own pipe: one cell too few.
        "| a | b | c |\n|---|---|---|\n| x \\| y |\n",
        // A line break from data: the row ends early and the rest is a row of its own.
        "| a | b |\n|---|---|\n| x\ny | z |\n",
        // Raw HTML.
        "| a | b |\n|---|---|\n| <script>x</script> | z |\n",
    ] {
        let caught = std::panic::catch_unwind(|| md_tables(broken)).is_err();
        assert!(caught, "not caught: {broken:?}");
    }
}
