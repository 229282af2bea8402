//! `esc notify`: the drafts of the demo repository (snapshots), `.eml` parsed by Python's
//! `email` package (headers, recipients, CRLF, encoded UTF-8 names, bodies), hostile data
//! that must not reach a header or the HTML part, refusals, the Manager Health rule, `-o`,
//! and `--mark-sent`.

use super::support::{Run, TODAY, TestRepo, path_for};
use super::template_support::*;

/// The headers of every `.eml` draft, in order (`Cc` left out when nobody is copied).
const HEADERS: [&str; 9] = [
    "From",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "X-Unsent",
    "Content-Type",
];

/// The `md` draft split into its header lines and body; fails unless it starts with exactly
/// the lines From, To, Cc (unless nobody is copied) and Subject, then a blank line. Returns
/// To, Cc (empty when left out), Subject and the body.
#[track_caller]
fn md_draft(run: &Run) -> (String, String, String, String) {
    run.code(0);
    let (head, body) = run
        .stdout
        .split_once("\n\n")
        .unwrap_or_else(|| panic!("no blank line after the headers\n{run}"));
    let lines: Vec<&str> = head.lines().collect();
    let names: Vec<&str> = lines
        .iter()
        .map(|l| l.split_once(": ").map_or(*l, |(n, _)| n))
        .collect();
    assert!(
        names == ["From", "To", "Cc", "Subject"] || names == ["From", "To", "Subject"],
        "header lines: {lines:?}"
    );
    let value = |name: &str| {
        lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .unwrap_or_default()
            .to_string()
    };
    (value("To"), value("Cc"), value("Subject"), body.to_string())
}

/// `esc notify ID KIND --format eml ARGS`, parsed; checks the header names and `X-Unsent: 1`.
#[track_caller]
fn eml_with(repo: &TestRepo, id: &str, kind: &str, args: &[&str]) -> Mail {
    let run = repo.esc(&[&["notify", id, kind, "--format", "eml"], args].concat());
    run.code(0);
    let mail = parse_eml(run.stdout.as_bytes());
    let names: Vec<&str> = mail.headers.iter().map(|(k, _)| k.as_str()).collect();
    let expected: Vec<&str> = HEADERS
        .into_iter()
        .filter(|h| *h != "Cc" || !mail.cc.is_empty())
        .collect();
    assert_eq!(names, expected, "{run}");
    let header = |k: &str| {
        mail.headers
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(header("X-Unsent"), "1");
    assert_eq!(header("MIME-Version"), "1.0");
    assert!(
        header("Content-Type").starts_with("multipart/alternative;"),
        "{}",
        header("Content-Type")
    );
    mail
}

/// `esc notify ID KIND --format eml`, parsed as [`eml_with`] does.
#[track_caller]
fn eml(repo: &TestRepo, id: &str, kind: &str) -> Mail {
    eml_with(repo, id, kind, &[])
}

fn addresses(people: &[(String, String)]) -> Vec<&str> {
    people.iter().map(|(_, a)| a.as_str()).collect()
}

#[test]
fn drafts_of_the_demo_match_the_snapshots() {
    let repo = demo();
    for (id, kind) in [
        ("7FJX", "stakeholders"),
        ("X2KP", "confirmation"),
        ("3MWR", "resolved"),
    ] {
        let run = repo.esc(&["notify", id, kind]);
        md_draft(&run);
        assert_snapshot(&format!("notify-{kind}-{id}.md"), &run.stdout);
    }
}

#[test]
fn eml_drafts_parse_with_exactly_the_intended_headers_and_recipients() {
    let repo = demo();
    let cxp = "cxp-escalations@example.com";
    let sponsor = "lee.chen@example.com";
    let lt = "rita.gomez@example.com";
    let cases: [(&str, &str, Vec<&str>, Vec<&str>); 4] = [
        ("7FJX", "stakeholders", vec![cxp, sponsor], vec![lt]),
        (
            "H9CE",
            "stakeholders",
            vec![cxp, sponsor],
            vec![lt, "noah.fischer@example.com"],
        ),
        // The owner sends it: not copied to himself.
        (
            "X2KP",
            "confirmation",
            vec!["helen.brooks@woodgrovebank.example"],
            vec![],
        ),
        (
            "3MWR",
            "resolved",
            vec![
                cxp,
                sponsor,
                "luis.romero@example.com",
                "ingrid.nilsson@example.com",
            ],
            vec![lt],
        ),
    ];
    for (id, kind, to, cc) in cases {
        let mail = eml(&repo, id, kind);
        assert_eq!(addresses(&mail.to), to, "{id} {kind} To");
        assert_eq!(addresses(&mail.cc), cc, "{id} {kind} Cc");
        // The same draft as the Markdown one: subject and plain-text body.
        let (md_to, _, subject, body) = md_draft(&repo.esc(&["notify", id, kind]));
        assert_eq!(mail.subject, subject, "{id} {kind}");
        assert_eq!(mail.text, body, "{id} {kind}");
        let names: Vec<String> = mail.to.iter().map(|(n, a)| format!("{n} <{a}>")).collect();
        assert_eq!(names.join(", "), md_to);
        // The HTML alternative says the same, with nothing live in it.
        let html = mail.html.as_ref().expect("an HTML part");
        let first = body.lines().next().expect("a body");
        assert!(html.text.contains(first), "{id} {kind}: {}", html.text);
        assert!(!html.tags.iter().any(|t| t == "a"), "{:?}", html.tags);
    }
    let mail = eml(&repo, "X2KP", "confirmation");
    assert_eq!(
        mail.to,
        [(
            "Helen Brooks".to_string(),
            "helen.brooks@woodgrovebank.example".to_string()
        )]
    );
    assert!(mail.text.starts_with("Hello Helen Brooks,\n"));
    // The demo's last action was done this week, so nothing is listed as still open.
    assert!(
        !mail.text.contains("these actions are still open"),
        "{}",
        mail.text
    );
}

#[test]
fn eml_encodes_utf8_names_and_subjects() {
    let repo = demo();
    let rel = path_for("ESC-2609-X2KP");
    let title = "Exchange-Migration für Zürich: Postfächer hängen bei 40 % – bitte prüfen, Ålesund und Łódź auch";
    replace_in(
        &repo,
        &rel,
        "title: Exchange hybrid mailbox moves fail after certificate renewal",
        &format!("title: {}", yq(title)),
    );
    replace_in(
        &repo,
        &rel,
        "owner: Sam Ortiz <sam.ortiz@example.com>",
        "owner: Zoë Ångström <zoe.angstrom@example.com>",
    );
    replace_in(
        &repo,
        &rel,
        "customer_contact: Helen Brooks <helen.brooks@woodgrovebank.example>",
        &format!(
            "customer_contact: {}",
            yq("\"Ösgür Çelik, Jr.\" <osgur@woodgrovebank.example>")
        ),
    );
    let run = repo.esc(&["notify", "X2KP", "confirmation", "--format", "eml"]);
    run.code(0);
    assert!(
        run.stdout.is_ascii(),
        "an .eml must be 7-bit:\n{}",
        run.stdout
    );
    for line in run.stdout.lines() {
        assert!(line.len() <= 998, "line longer than RFC 5322 allows");
    }
    let mail = eml(&repo, "X2KP", "confirmation");
    assert_eq!(
        mail.to,
        [(
            "Ösgür Çelik, Jr.".to_string(),
            "osgur@woodgrovebank.example".to_string()
        )]
    );
    assert_eq!(
        mail.from,
        [(
            "Zoë Ångström".to_string(),
            "zoe.angstrom@example.com".to_string()
        )]
    );
    assert_eq!(mail.cc, [], "the sender is not copied");
    assert_eq!(
        mail.subject,
        format!("{title}: please confirm nothing is outstanding")
    );
    assert!(
        mail.text.starts_with("Hello Ösgür Çelik, Jr.,\n"),
        "{}",
        mail.text
    );
    assert!(
        mail.text
            .ends_with("Zoë Ångström\nzoe.angstrom@example.com\n")
    );
    let html = mail.html.as_ref().expect("an HTML part");
    assert!(html.text.contains("Zoë Ångström"));
}

#[test]
fn hostile_data_reaches_no_header_and_nothing_live() {
    let repo = hostile_repo();
    // The confirmation asks that nothing is outstanding: its actions are done first.
    let path = path_for("ESC-2611-HX7Z");
    replace_in(
        &repo,
        &path,
        "due: 2026-11-10 }",
        "due: 2026-11-10, done: 2026-11-12 }",
    );
    replace_in(
        &repo,
        &path,
        "due: 2026-12-10 }",
        "due: 2026-12-10, done: 2026-11-20 }",
    );
    let cxp = "cxp-escalations@example.com";
    let subjects = [
        (
            "stakeholders",
            format!(
                "[Escalation] {}: {} (High)",
                folded(H_CUSTOMER),
                folded(H_TITLE)
            ),
        ),
        (
            "confirmation",
            format!("{}: please confirm nothing is outstanding", folded(H_TITLE)),
        ),
        (
            "resolved",
            format!("[Resolved] {}: {}", folded(H_CUSTOMER), folded(H_TITLE)),
        ),
    ];
    let cc_all = vec![
        "rita.gomez@example.com",
        "mara.ruiz@example.com",
        "unal@example.com",
    ];
    let recipients = [
        (vec![cxp, "lee.chen@example.com"], cc_all.clone()),
        (vec!["boss@customer.example"], vec![]),
        (
            vec![
                cxp,
                "lee.chen@example.com",
                "luis.romero@example.com",
                "ingrid.nilsson@example.com",
            ],
            cc_all,
        ),
    ];
    for ((kind, subject), (to, cc)) in subjects.iter().zip(recipients) {
        let mail = eml(&repo, "HX7Z", kind);
        assert!(
            !mail
                .headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("bcc")),
            "{kind}: {:?}",
            mail.headers
        );
        assert_eq!(addresses(&mail.to), to, "{kind} To");
        assert_eq!(addresses(&mail.cc), cc, "{kind} Cc");
        for (name, _) in mail.to.iter().chain(&mail.cc) {
            assert!(!name.contains(['\r', '\n']), "{name:?}");
        }
        assert_eq!(
            &mail.subject, subject,
            "{kind}: the whole subject, on one line"
        );
        assert!(
            mail.text.starts_with("Hello"),
            "{kind}: the subject spilled into the body:\n{}",
            mail.text
        );
        let html = mail.html.as_ref().expect("an HTML part");
        assert!(
            !html.tags.iter().any(|t| t == "a" || t == "img"),
            "{kind}: data made a live link or image: {:?}",
            html.attrs
        );
        // What data says is shown as text.
        assert!(html.text.contains("<script>alert("), "{}", html.text);
        assert!(
            html.text.contains("](http://evil.example)"),
            "{}",
            html.text
        );

        // The Markdown draft: three header lines whatever the data.
        let (md_to, md_cc, md_subject, _) = md_draft(&repo.esc(&["notify", "HX7Z", kind]));
        assert_eq!(&md_subject, subject);
        assert!(!md_to.contains('\r') && !md_cc.contains('\r'));
    }
    let mail = eml(&repo, "HX7Z", "confirmation");
    assert_eq!(
        mail.to[0].0,
        folded(H_CONTACT.split(" <").next().unwrap_or_default())
    );
    assert_eq!(mail.from[0].0, "Zoë Ångström");
    let mail = eml(&repo, "HX7Z", "stakeholders");
    assert_eq!(mail.cc[2].0, "Ünal \"Quote\" Öz");
    assert_eq!(mail.cc[1].0, "Mara | Ruiz");
    // The watch-list link is `javascript:`: not offered as a link anywhere.
    assert!(!mail.text.contains("javascript:alert(5)"), "{}", mail.text);
}

#[test]
fn a_kind_that_does_not_fit_the_step_is_refused_naming_the_step() {
    let repo = demo();
    let head = git(repo.path(), &["rev-parse", "HEAD"]);
    for (id, kind, step, from) in [
        ("2RSM", "confirmation", "gathering", "resolution"),
        ("2RSM", "stakeholders", "gathering", "stakeholders"),
        ("N3YA", "resolved", "validation", "resolution"),
        ("3MWR", "confirmation", "closed", "resolution"),
    ] {
        let run = repo.esc(&["notify", id, kind, "--mark-sent", "-o", "draft.md"]);
        run.code(1).stderr_has(&[
            &format!("is at step `{step}`"),
            &format!("the `{kind}` notice fits from step `{from}`"),
        ]);
        assert_eq!(run.stdout, "");
        assert!(
            !repo.abs("draft.md").exists(),
            "a refused draft was written"
        );
    }
    // A closed escalation that was withdrawn gets no resolution notice.
    repo.esc(&["notify", "B4TZ", "resolved"])
        .code(1)
        .stderr_has(&["is at step `closed`", "once closed as resolved"]);
    repo.esc(&["notify", "X2KP", "thanks"])
        .code(2)
        .stderr_has(&["unknown notice `thanks`", "stakeholders"]);
    assert_eq!(
        git(repo.path(), &["rev-parse", "HEAD"]),
        head,
        "nothing committed"
    );
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), "");
}

#[test]
fn stakeholders_notice_is_refused_when_the_decision_is_not_needed() {
    let repo = demo();
    let run = repo.esc(&["notify", "D5VG", "stakeholders"]);
    run.code(1)
        .stderr_has(&["ESC-2610-D5VG", "`not-needed`", "Low severity"]);
    assert_eq!(run.stdout, "");
}

#[test]
fn missing_recipients_and_data_are_named() {
    // No esc.yaml: no CXP stakeholders, no RACI; only what the files give.
    let repo = TestRepo::with_samples();
    // H9CE names a sponsor and a copy list: enough.
    let run = repo.esc(&["notify", "H9CE", "stakeholders"]);
    let (to, cc, _, _) = md_draft(&run);
    assert_eq!(to, "Lee Chen <lee.chen@example.com>");
    assert_eq!(
        cc,
        "Rita Gomez <rita.gomez@example.com>, Noah Fischer <noah.fischer@example.com>"
    );
    // Without the sponsor there is nobody to send it to.
    replace_in(
        &repo,
        &path_for("ESC-2611-H9CE"),
        "  sponsor: Lee Chen <lee.chen@example.com>\n",
        "",
    );
    let run = repo.esc(&["notify", "H9CE", "stakeholders"]);
    run.code(1).stderr_has(&[
        "ESC-2611-H9CE: cannot draft the `stakeholders` notice",
        "recipients: `people.cxp_stakeholders` in esc.yaml, or a sponsor",
    ]);
    assert_eq!(run.stdout, "");
    // A sponsor from esc.yaml (by customer) is enough again.
    let repo = repo.write(
        "esc.yaml",
        "sponsors:\n  Adventure Works Cycles: Kim Abercrombie <kim@example.com>\n",
    );
    let (to, _, _, _) = md_draft(&repo.esc(&["notify", "H9CE", "stakeholders"]));
    assert_eq!(to, "Kim Abercrombie <kim@example.com>");

    // The confirmation goes to the customer contact: an address is needed.
    replace_in(
        &repo,
        &path_for("ESC-2609-X2KP"),
        "customer_contact: Helen Brooks <helen.brooks@woodgrovebank.example>",
        "customer_contact: Helen Brooks",
    );
    repo.esc(&["notify", "X2KP", "confirmation"])
        .code(1)
        .stderr_has(&["`customer_contact` with an e-mail address"]);
    // The resolution notice needs the resolution.
    repo.esc(&["notify", "X2KP", "resolved"])
        .code(1)
        .stderr_has(&["missing `closing.summary`"]);
}

#[test]
fn manager_health_owned_escalation_gets_a_note_and_follows_the_config() {
    let repo = demo();
    replace_in(
        &repo,
        &path_for("ESC-2609-X2KP"),
        "owner_role: architect",
        "owner_role: manager-health",
    );
    let run = repo.esc(&["notify", "X2KP", "confirmation"]);
    md_draft(&run);
    run.stderr_has(&[
        "ESC-2609-X2KP is owned by the FastTrack Manager Health",
        "the playbook gives this notice to an assigned architect",
    ]);
    assert!(
        !run.stdout.contains("Manager Health"),
        "the note goes to stderr"
    );

    let config = repo.read("esc.yaml") + "manager_health_notices: false\n";
    let repo = repo.write("esc.yaml", &config);
    let run = repo.esc(&["notify", "X2KP", "confirmation"]);
    run.code(1)
        .stderr_has(&["FastTrack Manager Health", "manager_health_notices: false"]);
    assert_eq!(run.stdout, "");
    // An architect-owned escalation is not affected.
    let (to, _, _, _) = md_draft(&repo.esc(&["notify", "7FJX", "stakeholders"]));
    assert!(to.contains("cxp-escalations@example.com"), "{to}");
}

#[test]
fn output_file_gets_the_draft_and_stdout_stays_empty() {
    let repo = demo();
    let printed = repo.esc(&["notify", "X2KP", "confirmation", "--format", "eml"]);
    let run = repo.esc(&[
        "notify",
        "X2KP",
        "confirmation",
        "--format",
        "eml",
        "-o",
        "out/confirm.eml",
    ]);
    // The folder does not exist: either it is made or esc says so; never a partial file.
    if run.code == 0 {
        assert_eq!(run.stdout, "");
        assert_eq!(repo.read("out/confirm.eml"), printed.stdout);
    } else {
        assert!(!repo.abs("out/confirm.eml").exists());
    }
    let run = repo.esc(&[
        "notify",
        "X2KP",
        "confirmation",
        "--format",
        "eml",
        "-o",
        "confirm.eml",
    ]);
    run.code(0).stderr_has(&["confirm.eml"]);
    assert_eq!(run.stdout, "");
    let written = std::fs::read(repo.abs("confirm.eml")).expect("the draft was written");
    assert_eq!(written, printed.stdout.as_bytes());
    parse_eml(&written);
    // -o does not touch the escalation or the history.
    assert_eq!(
        git(repo.path(), &["status", "--porcelain"]),
        "?? confirm.eml\n"
    );
}

#[test]
fn mark_sent_records_today_and_commits_only_that_file() {
    let repo = demo();
    let rel = path_for("ESC-2609-X2KP");
    let before = repo.read(&rel);
    let commits = git(repo.path(), &["rev-list", "--count", "HEAD"]);
    let run = repo.esc(&["notify", "X2KP", "confirmation", "--mark-sent"]);
    md_draft(&run);
    let after = repo.read(&rel);
    assert_eq!(
        after,
        before.replace(
            "notices: { stakeholders: 2026-09-25 }",
            &format!("notices: {{ stakeholders: 2026-09-25, confirmation: {TODAY} }}")
        ),
        "only notices.confirmation changes"
    );
    assert_ne!(after, before);
    let count = |s: &str| s.trim().parse::<u32>().expect("count");
    assert_eq!(
        count(&git(repo.path(), &["rev-list", "--count", "HEAD"])),
        count(&commits) + 1
    );
    assert_eq!(
        git(repo.path(), &["show", "--name-only", "--format=", "HEAD"]),
        format!("{rel}\n")
    );
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), "");
    let ctx = repo
        .esc(&["render", "status.md.j2", "X2KP", "--context"])
        .json();
    assert_eq!(ctx["notices"]["confirmation"], TODAY);
    assert_eq!(ctx["notices"]["stakeholders"], "2026-09-25");

    // An escalation without `notices:` gets one, and stays valid.
    let rel = path_for("ESC-2611-H9CE");
    let run = repo.esc(&[
        "notify",
        "H9CE",
        "stakeholders",
        "--mark-sent",
        "--format",
        "eml",
    ]);
    run.code(0);
    parse_eml(run.stdout.as_bytes());
    assert_eq!(
        git(repo.path(), &["show", "--name-only", "--format=", "HEAD"]),
        format!("{rel}\n")
    );
    // The stakeholder notice is the step-4 decision, said once: decision and date, and no
    // second date in `notices`.
    let ctx = repo
        .esc(&["render", "status.md.j2", "H9CE", "--context"])
        .json();
    assert_eq!(ctx["stakeholders"]["decision"], "notify");
    assert_eq!(ctx["stakeholders"]["notified"], TODAY);
    assert!(!repo.read(&rel).contains("notices:"), "{}", repo.read(&rel));
    repo.esc(&["check", &rel]).code(0);
}

/// The resolved notice goes out after closing: recording it is the one edit a closed
/// escalation accepts, also in a pull request.
#[test]
fn the_resolved_notice_is_recorded_on_a_closed_escalation() {
    let repo = demo();
    let rel = path_for("ESC-2608-3MWR");
    // The sample already records it; take it out, as if it had not been sent yet.
    let text = repo.read(&rel).replace(", resolved: 2026-09-18", "");
    std::fs::write(repo.abs(&rel), &text).expect("write");
    git(
        repo.path(),
        &["commit", "-qam", "resolved notice not sent yet"],
    );
    let base = git(repo.path(), &["rev-parse", "HEAD"]);
    repo.esc(&["notify", "3MWR", "resolved", "--mark-sent"])
        .code(0);
    assert!(repo.read(&rel).contains(&format!("resolved: {TODAY}")));
    repo.esc(&["check", "--base", base.trim()]).code(0);
    // Any other edit of the closed escalation is still refused.
    repo.esc(&["set", "3MWR", "title=Renamed"])
        .code(1)
        .stderr_has(&["is closed, so it is read-only"]);
}

/// `notices.stakeholders` (old files) must not say something else than
/// `stakeholders.notified`; on an open escalation it is moved there.
#[test]
fn check_says_where_the_stakeholder_notice_date_belongs() {
    let repo = demo();
    let rel = path_for("ESC-2609-X2KP");
    let text = repo.read(&rel);
    std::fs::write(
        repo.abs(&rel),
        text.replace(
            "notices: { stakeholders: 2026-09-25 }",
            "notices: { stakeholders: 2026-09-26 }",
        ),
    )
    .expect("write");
    repo.esc(&["check", &rel]).code(1).stdout_has(&[
        "error[notice-date]",
        "belongs in `stakeholders.notified` (which says 2026-09-25, and this says 2026-09-26)",
    ]);
}

/// A repository whose esc.yaml names nobody yet (as `esc init` leaves it): the first notice
/// says which roles of `people:` it would address, drafted or not.
#[test]
fn the_first_notice_names_the_people_to_fill_in() {
    let repo = TestRepo::with_samples();
    let run = repo.esc(&["notify", "H9CE", "stakeholders"]);
    run.code(0).stderr_has(&[
        "note: esc.yaml names nobody as `people.cxp_stakeholders` (To), \
         `people.intermediate_leadership` (Cc): fill them in",
    ]);
    // The resolved notice also goes to the roles the RACI row informs.
    repo.esc(&["notify", "3MWR", "resolved"])
        .code(0)
        .stderr_has(&["`people.team_manager` (To), `people.regional_leadership` (To)"]);
    // Nobody to send it to: the refusal names them too.
    replace_in(
        &repo,
        &path_for("ESC-2611-H9CE"),
        "  sponsor: Lee Chen <lee.chen@example.com>\n",
        "",
    );
    repo.esc(&["notify", "H9CE", "stakeholders"])
        .code(1)
        .stderr_has(&["; esc.yaml names nobody as `people.cxp_stakeholders` (To)"]);
    // Filled in, the note goes.
    let repo = repo.write(
        "esc.yaml",
        "people:\n  cxp_stakeholders: [CXP <cxp@example.com>]\n  intermediate_leadership: [Rita <rita@example.com>]\n",
    );
    repo.esc(&["notify", "H9CE", "stakeholders"])
        .code(0)
        .lacks("names nobody");
}

#[test]
fn update_tells_the_step_4_audience_what_changed_and_records_the_date() {
    let repo = demo();
    let rel = path_for("ESC-2610-7FJX");
    replace_in(
        &repo,
        &rel,
        "    summary: POS client moved after the ESP; pilot in three stores is green.\n",
        "    summary: POS client moved after the ESP; pilot in three stores is green.\n    next: 2026-12-01\n",
    );
    let (to, cc, subject, body) = md_draft(&repo.esc(&["notify", "7FJX", "update"]));
    assert_eq!(
        to,
        "CXP Escalations <cxp-escalations@example.com>, Lee Chen <lee.chen@example.com>"
    );
    assert_eq!(cc, "Rita Gomez <rita.gomez@example.com>");
    assert!(
        subject.starts_with("[Escalation update] Northwind Traders:"),
        "{subject}"
    );
    for part in [
        "now at Escalation management; our last update was on 20 Nov 2026.",
        "Enterprise Status as of 24 Nov 2026:",
        "- Deliver Delivery Optimization guidance for stores (Omar Haddad, due 24 Nov 2026): overdue",
        // Since the last update (20 Nov): this week's meeting and the action it closed.
        "What changed since 20 Nov 2026:\n- Meeting on 24 Nov 2026 (customer): POS client moved after the ESP; pilot in three stores is green.\n- Done: Move the POS client out of the blocking app list (24 Nov 2026)\n\n",
        "Next meeting: 1 Dec 2026",
        "Next update: by 27 Nov 2026 (daily cadence)",
    ] {
        assert!(body.contains(part), "lacks {part:?}\n{body}");
    }
    // esc due owes it until it is marked sent; then it is recorded once.
    let owed = |repo: &TestRepo| {
        repo.esc(&["due", "--owner", "dana"])
            .stdout
            .contains("stakeholder update overdue")
    };
    assert!(owed(&repo));
    repo.esc(&["notify", "7FJX", "update", "--mark-sent"])
        .code(0);
    assert!(
        repo.read(&rel)
            .contains("updates: [2026-11-13, 2026-11-20, 2026-11-26]"),
        "{}",
        repo.read(&rel)
    );
    assert!(!owed(&repo));
    repo.esc(&["notify", "7FJX", "update", "--mark-sent"])
        .code(1)
        .stderr_has(&["an update sent on 2026-11-26 is already recorded in notices.updates"]);
    repo.esc(&["check"]).code(0);
    // No step-4 audience, no update; before step 5, none either.
    repo.esc(&["notify", "D5VG", "update"])
        .code(1)
        .stderr_has(&["the stakeholder decision is `not-needed`"]);
    repo.esc(&["notify", "H9CE", "update"])
        .code(1)
        .stderr_has(&["the `update` notice fits from step `management`"]);
}
