//! What readers get: every notice draft as a mail client reads it (Python's `email` package,
//! policy `default`: From, To, Cc, Date, Message-ID and Subject, names with a quote, a comma
//! and non-ASCII letters, folded headers, each address once, the sender never copied), the
//! HTML part laid out by headless Chromium (each line of the plain text starts its own line
//! box), who receives the resolved notice, and `esc status` without blank rows.
//!
//! Python and Chromium are skipped with a notice when missing, unless `ESC_REQUIRE_TOOLS`
//! is set (`.ci/run` sets it and installs both): then a missing tool fails the test.

use super::support::{TestRepo, path_for};
use super::template_support::*;
use std::process::{Command, Stdio};

/// Whether `tool` is on PATH; see [`crate::support::tool_found`] for when it is not.
fn have(tool: &str) -> bool {
    crate::support::tool(tool).is_some()
}

const OWNER: &str = "Zoë Ångström <zoe.angstrom@example.com>";
const CONTACT: &str = r#""Chen, Lee \"VP\"" <lee.vp@woodgrovebank.example>"#;
const SPONSOR: &str = r#""Lee Chen \"VP" <lee.chen@example.com>"#;
const LONG_NAME: &str = "Żółć Brzęczyszczykiewicz-Przybyłowicz, Ångström Ösgür Çelik";
const TITLE: &str = "Exchange hybrid mailbox moves fail after certificate renewal on the MRS proxy endpoint for the retail branches of the bank";

/// The demo with X2KP (at step resolution, so every notice fits) sent by a non-ASCII owner
/// to a contact and a sponsor whose names are quoted strings with quotes and a comma, a
/// long non-ASCII copy, the intermediate leadership again in other letter case, the owner
/// on the copy list, and a 125-character title.
fn tricky_repo() -> TestRepo {
    let repo = demo();
    let rel = path_for("ESC-2609-X2KP");
    let yaml = |s: &str| yq(s);
    for (from, to) in [
        (
            "title: Exchange hybrid mailbox moves fail after certificate renewal".to_string(),
            format!("title: {TITLE}"),
        ),
        (
            "owner: Sam Ortiz <sam.ortiz@example.com>".to_string(),
            format!("owner: {OWNER}"),
        ),
        (
            "customer_contact: Helen Brooks <helen.brooks@woodgrovebank.example>".to_string(),
            format!("customer_contact: {}", yaml(CONTACT)),
        ),
        (
            "  sponsor: Lee Chen <lee.chen@example.com>".to_string(),
            format!("  sponsor: {}", yaml(SPONSOR)),
        ),
        (
            "    - Noah Fischer <noah.fischer@example.com>".to_string(),
            format!(
                "    - Noah Fischer <noah.fischer@example.com>\n    - {}\n    - Rita Gomez <RITA.GOMEZ@example.com>\n    - {}",
                yaml(&format!("{LONG_NAME} <long@example.com>")),
                yaml("Zoë Ångström <ZOE.Angstrom@example.com>"),
            ),
        ),
        (
            "notices: { stakeholders: 2026-09-25 }".to_string(),
            "notices: { stakeholders: 2026-09-25 }\nclosing:\n  summary: Certificate rebound with the right SAN; moves resumed.".to_string(),
        ),
    ] {
        replace_in(&repo, &rel, &from, &to);
    }
    repo
}

fn lower(people: &[(String, String)]) -> Vec<String> {
    people.iter().map(|(_, a)| a.to_lowercase()).collect()
}

#[test]
fn every_draft_reads_right_in_pythons_email_package() {
    if !have("python3") {
        return;
    }
    let repo = tricky_repo();
    let name_of = |mail: &Mail, addr: &str| -> String {
        mail.to
            .iter()
            .chain(&mail.cc)
            .find(|(_, a)| a == addr)
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| panic!("{addr} is not a recipient: {mail:?}"))
    };
    for kind in ["stakeholders", "confirmation", "resolved"] {
        let run = repo.esc(&["notify", "X2KP", kind, "--format", "eml"]);
        run.code(0);
        let (head, _) = run.stdout.split_once("\r\n\r\n").expect("headers end");
        for line in head.split("\r\n") {
            assert!(
                line.len() <= 78,
                "{kind}: header line of {}: {line:?}",
                line.len()
            );
        }
        assert!(run.stdout.lines().all(|l| l.len() <= 998));
        let mail = parse_eml(run.stdout.as_bytes());
        assert_eq!(mail.content_type, "multipart/alternative", "{kind}");
        assert!(mail.html.is_some(), "{kind}: an HTML part");
        assert_eq!(
            mail.from,
            [(
                "Zoë Ångström".to_string(),
                "zoe.angstrom@example.com".to_string()
            )],
            "{kind}"
        );
        // --today: that day at 09:00 in the team's time zone (Europe/Amsterdam).
        assert_eq!(mail.date, "2026-11-26T09:00:00+01:00", "{kind}");
        let id_prefix = format!("<ESC-2609-X2KP.{kind}.20261126.");
        assert!(
            mail.message_id.starts_with(&id_prefix) && mail.message_id.ends_with("@example.com>"),
            "{kind}: {}",
            mail.message_id
        );
        assert!(mail.subject.contains(TITLE), "{kind}: {}", mail.subject);
        // Nobody twice, nobody copied to himself.
        let (to, cc) = (lower(&mail.to), lower(&mail.cc));
        for a in &cc {
            assert!(!to.contains(a), "{kind}: {a} in both To and Cc");
            assert_eq!(
                cc.iter().filter(|b| *b == a).count(),
                1,
                "{kind}: {a} twice"
            );
        }
        assert!(
            !to.iter()
                .chain(&cc)
                .any(|a| a == "zoe.angstrom@example.com"),
            "{kind}: the owner (the sender) is a recipient: {to:?} {cc:?}"
        );
        assert!(
            mail.text
                .ends_with("Zoë Ångström\nzoe.angstrom@example.com\n")
        );
        match kind {
            "confirmation" => {
                assert_eq!(
                    name_of(&mail, "lee.vp@woodgrovebank.example"),
                    r#"Chen, Lee "VP""#
                );
                assert!(mail.cc.is_empty(), "{:?}", mail.cc);
            }
            _ => {
                assert_eq!(name_of(&mail, "lee.chen@example.com"), r#"Lee Chen "VP"#);
                // A name too long for one encoded word takes two, split after a space kept
                // inside the first (RFC 2047 6.2: the blank between two encoded words is
                // not text). Python's parser keeps that blank as well (its own generator
                // writes the same words and reads back the same two spaces), so it is
                // compared folded here, and exactly by the RFC's rule below.
                assert_eq!(folded(&name_of(&mail, "long@example.com")), LONG_NAME);
                assert_eq!(rfc2047_names(head, "long@example.com"), LONG_NAME);
                assert_eq!(name_of(&mail, "rita.gomez@example.com"), "Rita Gomez");
            }
        }
        // The same draft again is the same bytes (Date and Message-ID included).
        assert_eq!(
            repo.esc(&["notify", "X2KP", kind, "--format", "eml"])
                .stdout,
            run.stdout
        );
    }
}

#[test]
fn from_names_the_sender_who_signs_and_the_owner_is_copied() {
    if !have("python3") {
        return;
    }
    let repo = demo();
    let noor = "Noor Haddad <noor.haddad@example.com>";
    let run = repo.esc(&[
        "notify",
        "X2KP",
        "confirmation",
        "--format",
        "eml",
        "--from",
        noor,
    ]);
    run.code(0);
    let mail = parse_eml(run.stdout.as_bytes());
    assert_eq!(mail.from[0].1, "noor.haddad@example.com");
    assert_eq!(lower(&mail.cc), ["sam.ortiz@example.com"]);
    assert!(
        mail.text
            .ends_with("Noor Haddad\nnoor.haddad@example.com\n"),
        "{}",
        mail.text
    );
    repo.esc(&["notify", "X2KP", "confirmation", "--from", "Noor Haddad"])
        .code(2)
        .stderr_has(&["--from", "Name <address>", "Noor Haddad"]);
}

/// Playbook step 6: the step-4 audience hears of the resolution only if it heard of the
/// escalation; the roles the RACI informs always do.
#[test]
fn the_resolved_notice_goes_to_the_step4_audience_only_if_it_was_told() {
    let repo = demo();
    let rel = path_for("ESC-2610-D5VG");
    replace_in(&repo, &rel, "step: management", "step: resolution");
    let text = repo.read(&rel);
    let text = text.replacen(
        "\n---\n",
        "\nclosing:\n  summary: Vendor connector shipped; agents upgraded.\n---\n",
        1,
    );
    std::fs::write(repo.abs(&rel), text).expect("write");
    let run = repo.esc(&["notify", "D5VG", "resolved"]);
    run.code(0);
    let head = run.stdout.split("\n\n").next().unwrap_or_default();
    assert!(
        head.contains("To: Luis Romero <luis.romero@example.com>, Ingrid Nilsson <ingrid.nilsson@example.com>\n"),
        "{head}"
    );
    for absent in ["cxp-escalations@", "lee.chen@", "rita.gomez@", "Cc:"] {
        assert!(!head.contains(absent), "{absent} in\n{head}");
    }
    // Once the step-4 notice went out, it is everyone again.
    replace_in(
        &repo,
        &rel,
        "  decision: not-needed",
        "  decision: notify\n  notified: 2026-10-20",
    );
    let run = repo.esc(&["notify", "D5VG", "resolved"]);
    run.code(0);
    let head = run.stdout.split("\n\n").next().unwrap_or_default();
    for present in ["cxp-escalations@", "luis.romero@", "rita.gomez@"] {
        assert!(head.contains(present), "{present} missing in\n{head}");
    }
}

/// `esc status` never shows a row without a value.
#[test]
fn status_has_no_blank_rows() {
    let repo = demo();
    for id in ["2RSM", "W6FB", "N3YA", "7FJX", "X2KP"] {
        let run = repo.esc(&["status", id]);
        run.code(0);
        let rows = run
            .stdout
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| Enterprise Status |"));
        for line in rows {
            assert!(
                !line.contains("|  |") && !line.trim_end().ends_with("| |"),
                "{id}: blank row {line:?}"
            );
        }
    }
    let run = repo.esc(&["status", "W6FB"]);
    assert!(
        run.stdout.contains("| Impact | not given yet |"),
        "{}",
        run.stdout
    );
}

/// The display name of `addr` in the raw headers, decoded by RFC 2047's rule (Python's
/// `email.header.decode_header`: blanks between encoded words dropped).
fn rfc2047_names(head: &str, addr: &str) -> String {
    let unfolded = head.replace("\r\n ", " ");
    let before = unfolded
        .split_once(&format!(" <{addr}>"))
        .map(|(b, _)| b)
        .unwrap_or_else(|| panic!("{addr} not in {unfolded}"));
    let words: Vec<&str> = before
        .rsplit([',', ':'])
        .next()
        .unwrap_or_default()
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect();
    let script = r#"
import sys
from email.header import decode_header, make_header
sys.stdout.write(str(make_header(decode_header(sys.stdin.read()))))
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(words.join(" ").as_bytes()).expect("write");
    }
    let out = child.wait_with_output().expect("python3");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The visible lines the HTML part must keep: each non-blank line of the plain text, as
/// its first characters (a list item without its `- `).
fn line_starts(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim_start_matches("- ").trim())
        .filter(|l| !l.is_empty())
        .map(|l| l.chars().take(16).collect())
        .collect()
}

/// The inside of `<body ...>` ... `</body>`.
fn body_of(html: &str) -> &str {
    let start = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
        .expect("<body>");
    let end = html.rfind("</body>").expect("</body>");
    &html[start..end]
}

const LAYOUT_SCRIPT: &str = r#"
const out = [];
for (const sec of document.querySelectorAll('section')) {
  const lines = JSON.parse(sec.querySelector('script').textContent);
  const nodes = []; let text = '';
  const w = document.createTreeWalker(sec, NodeFilter.SHOW_TEXT,
    { acceptNode: n => n.parentElement.closest('script') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  while (w.nextNode()) { nodes.push([w.currentNode, text.length]); text += w.currentNode.data; }
  let from = 0;
  for (const line of lines) {
    const i = text.indexOf(line, from);
    if (i < 0) { out.push({ kind: sec.id, line, found: false }); continue; }
    from = i + line.length;
    const [node, start] = nodes.filter(([, s]) => s <= i).pop();
    const r = document.createRange();
    r.setStart(node, i - start); r.setEnd(node, i - start + 1);
    const rect = r.getClientRects()[0];
    const block = node.parentElement.closest('p,li,h1,h2,h3,h4,h5,h6,pre,blockquote,td,th,div,section');
    const cs = getComputedStyle(block);
    const left = block.getBoundingClientRect().left + parseFloat(cs.paddingLeft) + parseFloat(cs.borderLeftWidth);
    out.push({ kind: sec.id, line, found: true, own_line: Math.abs(rect.left - left) < 1 });
  }
}
document.getElementById('result').textContent = JSON.stringify(out);
"#;

/// The HTML part of every draft, laid out by headless Chromium on a page wide enough that
/// nothing wraps: every line of the plain text (each labelled field, each signature line)
/// starts its own line box, none runs on from the line before.
#[test]
fn html_parts_keep_every_line_in_a_browser() {
    if !have("python3") || !have("chromium") {
        return;
    }
    let repo = demo();
    let mut page =
        String::from("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>\n");
    for (id, kind) in [
        ("7FJX", "stakeholders"),
        ("X2KP", "confirmation"),
        ("3MWR", "resolved"),
    ] {
        let run = repo.esc(&["notify", id, kind, "--format", "eml"]);
        run.code(0);
        let mail = parse_eml(run.stdout.as_bytes());
        let html = mail.html.as_ref().expect("an HTML part");
        // Python gave the HTML source's text; the raw part is needed here.
        let raw = html_part_source(run.stdout.as_bytes());
        let lines = serde_json::to_string(&line_starts(&mail.text))
            .expect("json")
            .replace("</", "<\\/");
        assert!(!html.text.is_empty());
        page.push_str(&format!(
            "<section id=\"{kind}\">{}<script type=\"application/json\">{lines}</script></section>\n",
            body_of(&raw)
        ));
    }
    page.push_str(&format!(
        "<pre id=\"result\"></pre><script>{LAYOUT_SCRIPT}</script></body></html>\n"
    ));
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("drafts.html");
    std::fs::write(&file, &page).expect("write page");
    let out = Command::new("chromium")
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=4000,3000",
            &format!("--user-data-dir={}", dir.path().join("profile").display()),
            "--dump-dom",
            &format!("file://{}", file.display()),
        ])
        .stdin(Stdio::null())
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout);
    let json = dom
        .split_once("<pre id=\"result\">")
        .and_then(|(_, r)| r.split_once("</pre>"))
        .map(|(j, _)| {
            j.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
        .unwrap_or_else(|| {
            panic!(
                "no result from chromium: {}\n{dom}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let results: Vec<serde_json::Value> =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("chromium wrote {json:?}: {e}"));
    assert!(results.len() > 30, "{results:?}");
    let bad: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r["found"] != true || r["own_line"] != true)
        .collect();
    assert!(
        bad.is_empty(),
        "lines that do not start their own line in the HTML part: {bad:#?}"
    );
}

/// The text/html part of an `.eml`, decoded (base64), as its source.
fn html_part_source(raw: &[u8]) -> String {
    let script = r#"
import sys, email, email.policy
m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
sys.stdout.write(m.get_body(("html",)).get_content())
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(raw).expect("write");
    }
    let out = child.wait_with_output().expect("python3");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("utf-8")
}
