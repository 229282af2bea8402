//! Helpers for the tests of templates, `esc status`, `esc notify` and `esc report`: the demo
//! repository, snapshots, git, hostile data, and real parsers for what esc writes (a
//! CommonMark/GFM parser for Markdown, Python's `email` package for `.eml`, Python's
//! `html.parser` for HTML).

use super::support::{TODAY, TestRepo, manifest_dir};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------
// The demo repository
// ---------------------------------------------------------------------------------------

/// The files of the repository `esc demo DIR --today 2026-11-26` builds, `.git` included
/// (packed, so that a copy is a few dozen files): built once per test run, in memory.
fn demo_files() -> &'static [(PathBuf, Vec<u8>)] {
    static FILES: OnceLock<Vec<(PathBuf, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(|| {
        // In the system's temporary folder, not under target/: inside another git work
        // tree, an `esc demo` without its own repository would commit into that one.
        let tmp = tempfile::Builder::new()
            .prefix("esc-demo-")
            .tempdir()
            .expect("temporary directory");
        let dir = tmp.path().join("demo");
        let out = Command::new(env!("CARGO_BIN_EXE_esc"))
            .args(["demo", &dir.to_string_lossy(), "--today", TODAY])
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdin(Stdio::null())
            .output()
            .expect("run esc demo");
        assert!(
            out.status.success(),
            "esc demo failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        git(&dir, &["repack", "-a", "-d", "-q"]);
        git(&dir, &["prune-packed"]);
        let mut files = Vec::new();
        read_tree(&dir, &dir, &mut files);
        files
    })
}

fn read_tree(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let entry = entry.expect("dir entry");
        let path = entry.path();
        let rel = path.strip_prefix(root).expect("below root").to_path_buf();
        if entry.file_type().expect("file type").is_dir() {
            // Empty folders matter to git (refs/heads).
            out.push((rel.join(""), Vec::new()));
            read_tree(root, &path, out);
        } else {
            out.push((rel, std::fs::read(&path).expect("read file")));
        }
    }
}

/// A private copy of the repository `esc demo DIR --today 2026-11-26` builds (with its
/// history), with a git identity so esc can commit in it.
pub fn demo() -> TestRepo {
    let repo = TestRepo::empty();
    for (rel, bytes) in demo_files() {
        let path = repo.path().join(rel);
        if rel.as_os_str().to_string_lossy().ends_with('/') {
            std::fs::create_dir_all(&path).expect("mkdir");
        } else {
            std::fs::write(&path, bytes).expect("write file");
        }
    }
    let config = repo.path().join(".git/config");
    let mut text = std::fs::read_to_string(&config).expect("read .git/config");
    text.push_str("[user]\n\tname = Test Runner\n\temail = test.runner@example.com\n");
    std::fs::write(&config, text).expect("write .git/config");
    repo
}

/// Replaces exactly one occurrence of `from` by `to` in the file `rel`.
#[track_caller]
pub fn replace_in(repo: &TestRepo, rel: &str, from: &str, to: &str) {
    let text = repo.read(rel);
    assert_eq!(
        text.matches(from).count(),
        1,
        "{rel} should contain {from:?} once"
    );
    std::fs::write(repo.abs(rel), text.replacen(from, to, 1)).expect("write file");
}

// ---------------------------------------------------------------------------------------
// git (the command line, not the code under test)
// ---------------------------------------------------------------------------------------

/// `git ARGS` in `dir`, isolated from the machine's configuration, with fixed dates; fails
/// the test unless git succeeds; returns stdout.
#[track_caller]
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", "2026-11-25T10:00:00+00:00")
        .env("GIT_COMMITTER_DATE", "2026-11-25T10:00:00+00:00")
        .env("LC_ALL", "C")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stages everything and commits it; returns the new commit's id.
#[track_caller]
pub fn commit_all(repo: &TestRepo, message: &str) -> String {
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", message]);
    git(repo.path(), &["rev-parse", "HEAD"]).trim().to_string()
}

// ---------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------

/// Compares `actual` with `tests/snapshots/NAME`; `UPDATE_SNAPSHOTS=1` rewrites the file
/// instead. A missing snapshot fails (run once with `UPDATE_SNAPSHOTS=1` and review it).
#[track_caller]
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = manifest_dir().join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir snapshots");
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read snapshot {}: {e}; run `UPDATE_SNAPSHOTS=1 cargo test` and review it",
            path.display()
        )
    });
    if expected == actual {
        return;
    }
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let first = (0..e.len().max(a.len()))
        .find(|&i| e.get(i) != a.get(i))
        .unwrap_or(0);
    let show = |v: &[&str]| {
        v.iter()
            .enumerate()
            .skip(first.saturating_sub(2))
            .take(6)
            .map(|(i, l)| format!("{:4} | {l}", i + 1))
            .collect::<Vec<_>>()
            .join("\n")
    };
    panic!(
        "output differs from snapshot {} from line {} on \
         (UPDATE_SNAPSHOTS=1 cargo test rewrites it)\n--- expected:\n{}\n--- actual:\n{}\n",
        path.display(),
        first + 1,
        show(&e),
        show(&a)
    );
}

// ---------------------------------------------------------------------------------------
// Markdown, parsed by pulldown-cmark with GFM tables
// ---------------------------------------------------------------------------------------

/// A Markdown table as the parser sees it: the header cells and each row's cells (text).
#[derive(Debug)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// How many cells a GFM table line has: split on pipes not escaped by a backslash, the
/// leading and trailing pipe excepted. (The parser itself pads short rows and drops
/// extra cells, so its cell count alone cannot show a broken row.)
fn source_cells(line: &str) -> usize {
    let line = line.trim();
    let mut pipes = Vec::new();
    let mut backslashes = 0;
    for (i, c) in line.char_indices() {
        if c == '|' && backslashes % 2 == 0 {
            pipes.push(i);
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
    }
    let mut n = pipes.len() + 1;
    if pipes.first() == Some(&0) {
        n -= 1;
    }
    if pipes.last().is_some_and(|&p| p + 1 == line.len()) && line.len() > 1 {
        n -= 1;
    }
    n
}

/// Every table in `md`, checked: each row of the source has exactly the header's number of
/// cells, and every source line of the table is a row of the parsed table (a line break
/// from data would end the table early). Also fails on raw HTML anywhere in `md`.
#[track_caller]
pub fn md_tables(md: &str) -> Vec<Table> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut tables = Vec::new();
    let mut header = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell: Option<String> = None;
    let mut source = 0..0;
    for (event, range) in Parser::new_ext(md, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(_)) => {
                source = range;
                rows.clear();
            }
            Event::End(TagEnd::TableHead) => header = std::mem::take(&mut row),
            Event::End(TagEnd::TableRow) => rows.push(std::mem::take(&mut row)),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.push(cell.take().unwrap_or_default()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = cell.as_mut() {
                    c.push(' ');
                }
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                panic!("raw HTML {t:?} in Markdown output:\n{md}")
            }
            Event::End(TagEnd::Table) => {
                let lines: Vec<&str> = md[source.clone()]
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .collect();
                assert_eq!(
                    lines.len(),
                    rows.len() + 2,
                    "table lines and parsed rows differ:\n{}",
                    &md[source.clone()]
                );
                let n = source_cells(lines[0]);
                assert_eq!(n, header.len(), "header {:?}", lines[0]);
                for line in lines.iter().skip(1) {
                    assert_eq!(
                        source_cells(line),
                        n,
                        "this table row does not have the header's {n} cells: {line:?}\n{md}"
                    );
                }
                tables.push(Table {
                    header: std::mem::take(&mut header),
                    rows: std::mem::take(&mut rows),
                });
            }
            _ => {}
        }
    }
    tables
}

/// The destinations of every link and image in `md`, as the parser reads them.
pub fn md_links(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    Parser::new_ext(md, Options::ENABLE_TABLES)
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}

/// Whitespace runs folded to one space: what esc makes of multi-line data in one line.
pub fn folded(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// Python: the standard library's e-mail and HTML parsers
// ---------------------------------------------------------------------------------------

/// Runs `python3 -c SCRIPT` (after [`HTML_CLASS`]) with `input` on stdin; returns stdout
/// parsed as JSON.
#[track_caller]
fn python(script: &str, input: &[u8]) -> Value {
    use std::io::Write;
    let mut child = Command::new("python3")
        .args(["-c", &format!("{HTML_CLASS}{script}")])
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 is needed by these tests");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().expect("run python3");
    writer.join().expect("writer").expect("write to python3");
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("python3 printed JSON")
}

/// Python's `html.parser`, collecting start tags, attributes and text.
const HTML_CLASS: &str = r#"
import sys, json
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = [], [], []
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [[tag, k, v or ""] for k, v in attrs]
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
    def handle_data(self, d):
        self.text.append(d)
def parse_html(text):
    p = P()
    p.feed(text)
    p.close()
    return {"tags": p.tags, "attrs": p.attrs, "text": "".join(p.text)}
"#;

const HTML_PARSER: &str = r#"
print(json.dumps(parse_html(sys.stdin.buffer.read().decode("utf-8"))))
"#;

const EML_PARSER: &str = r#"
import email, email.policy
raw = sys.stdin.buffer.read()
m = email.message_from_bytes(raw, policy=email.policy.default)
defects = [repr(d) for d in m.defects]
headers = []
for k, v in m.items():
    headers.append([k, str(v)])
    defects += [repr(d) for d in getattr(v, "defects", [])]
def addrs(name):
    h = m[name]
    return [[a.display_name, a.addr_spec] for a in h.addresses] if h is not None else []
parts = []
for p in m.walk():
    defects += [repr(d) for d in p.defects]
    if p.get_content_maintype() == "text":
        part = {"type": p.get_content_type(), "charset": p.get_content_charset(),
                "text": p.get_content()}
        if p.get_content_type() == "text/html":
            part["html"] = parse_html(part["text"])
        parts.append(part)
date = m["Date"]
print(json.dumps({"headers": headers, "from": addrs("From"), "to": addrs("To"),
                  "cc": addrs("Cc"), "subject": str(m["Subject"]),
                  "date": date.datetime.isoformat() if date is not None and date.datetime else "",
                  "message_id": str(m["Message-ID"] or ""),
                  "multipart": m.is_multipart(), "content_type": m.get_content_type(),
                  "parts": parts, "defects": defects}))
"#;

/// An `.eml` message as Python's `email` package (policy `default`) reads it.
#[derive(Debug)]
pub struct Mail {
    /// (name, decoded value) in order.
    pub headers: Vec<(String, String)>,
    /// (display name, address).
    pub from: Vec<(String, String)>,
    pub to: Vec<(String, String)>,
    pub cc: Vec<(String, String)>,
    pub subject: String,
    /// `Date:` as Python reads it, ISO 8601 (empty when missing or unreadable).
    pub date: String,
    pub message_id: String,
    /// The top-level content type, e.g. `multipart/alternative`.
    pub content_type: String,
    /// The decoded text/plain body, line endings as `\n`.
    pub text: String,
    /// The text/html body, if any, parsed and checked by [`check_html`].
    pub html: Option<Html>,
}

/// Parses an `.eml` with Python; fails on any parser defect, on a line ending that is not
/// CRLF, or on a body that is not text/plain (with an optional text/html alternative).
#[track_caller]
pub fn parse_eml(raw: &[u8]) -> Mail {
    let text = String::from_utf8_lossy(raw);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        assert!(
            line.ends_with("\r\n") && !line[..line.len() - 2].contains('\r'),
            "line {} does not end in CRLF (or has a stray CR): {line:?}",
            i + 1
        );
    }
    assert!(text.ends_with("\r\n"), "the message does not end in CRLF");
    let v = python(EML_PARSER, raw);
    assert_eq!(v["defects"], serde_json::json!([]), "mail parser defects");
    let pairs = |k: &str| -> Vec<(String, String)> {
        v[k].as_array()
            .expect("array")
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap_or_default().to_string(),
                    p[1].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    let parts = v["parts"].as_array().expect("parts");
    let part = |t: &str| {
        parts.iter().find(|p| p["type"] == t).map(|p| {
            assert_eq!(p["charset"], "utf-8", "{t} charset");
            p["text"].as_str().unwrap_or_default().replace("\r\n", "\n")
        })
    };
    let types: Vec<&str> = parts.iter().filter_map(|p| p["type"].as_str()).collect();
    assert!(
        types == ["text/plain"] || types == ["text/plain", "text/html"],
        "body parts: {types:?}"
    );
    Mail {
        headers: pairs("headers"),
        from: pairs("from"),
        to: pairs("to"),
        cc: pairs("cc"),
        subject: v["subject"].as_str().unwrap_or_default().to_string(),
        date: v["date"].as_str().unwrap_or_default().to_string(),
        message_id: v["message_id"].as_str().unwrap_or_default().to_string(),
        content_type: v["content_type"].as_str().unwrap_or_default().to_string(),
        text: part("text/plain").expect("a text/plain part"),
        html: parts
            .iter()
            .find(|p| p["type"] == "text/html")
            .map(|p| check_html(&p["html"])),
    }
}

/// HTML as Python's `html.parser` reads it.
#[derive(Debug)]
pub struct Html {
    /// Start tags, in order.
    pub tags: Vec<String>,
    /// (tag, attribute, value).
    pub attrs: Vec<(String, String, String)>,
    /// The text, character references decoded.
    pub text: String,
}

/// Parses HTML and fails on anything live: a `script`, `iframe`, `object` or `embed`
/// element, an `on...` handler attribute, or a `javascript:`/`data:`/`vbscript:` URL.
#[track_caller]
pub fn parse_html_safe(html: &str) -> Html {
    check_html(&python(HTML_PARSER, html.as_bytes()))
}

/// What Python's parser found, checked as [`parse_html_safe`] says.
#[track_caller]
fn check_html(v: &Value) -> Html {
    let tags: Vec<String> = v["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .map(|t| t.as_str().unwrap_or_default().to_string())
        .collect();
    let attrs: Vec<(String, String, String)> = v["attrs"]
        .as_array()
        .expect("attrs")
        .iter()
        .map(|a| {
            let s = |i: usize| a[i].as_str().unwrap_or_default().to_string();
            (s(0), s(1), s(2))
        })
        .collect();
    for t in &tags {
        assert!(
            !["script", "iframe", "object", "embed", "base", "form"].contains(&t.as_str()),
            "live <{t}> element in HTML"
        );
    }
    for (tag, name, value) in &attrs {
        assert!(
            !name.starts_with("on") && name != "http-equiv",
            "live attribute {name}={value:?} on <{tag}>"
        );
        let v = value.trim().to_ascii_lowercase();
        for scheme in ["javascript:", "vbscript:", "data:"] {
            assert!(
                !v.starts_with(scheme),
                "{scheme} URL in <{tag} {name}={value:?}>"
            );
        }
    }
    Html {
        tags,
        attrs,
        text: v["text"].as_str().unwrap_or_default().to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Hostile data
// ---------------------------------------------------------------------------------------

/// The hostile escalation's id.
pub const HOSTILE_ID: &str = "ESC-2611-HX7Z";
pub const H_TITLE: &str =
    "Pipes | `ticks` <script>alert(1)</script> [x](http://evil.example)\r\nBcc: evil@example.com";
pub const H_CUSTOMER: &str = "Evil | Corp\r\nBcc: evil@example.com <script>alert(2)</script>";
pub const H_OWNER: &str = "Zoë Ångström <zoe@example.com>";
pub const H_CONTACT: &str = "Ösgür \"Boss\" | Çelik\rBcc: evil@example.com <boss@customer.example>";
pub const H_SPONSOR: &str = "Lee Chen\r\nBcc: evil@example.com <lee.chen@example.com>";
pub const H_CC: [&str; 2] = [
    "Mara | Ruiz <mara.ruiz@example.com>",
    "Ünal \"Quote\" Öz <unal@example.com>",
];
pub const H_DESCRIPTION: &str =
    "Desc with | pipe\nand newline <img src=x onerror=alert(1)> [click](http://evil.example)";
pub const H_CONFIRMED_WITH: &str = "Helen | Brooks\r\nBcc: evil@example.com";
pub const H_BRIEF: &str = "Brief | with pipe\n\n| a | b |\n|---|---|";
pub const H_IMPACT: &str =
    "<script>alert(3)</script> **bold** _em_ [x](javascript:alert(8)) \\| back\\";
pub const H_ACTION_WHAT: &str = "Fix | things [x](http://evil.example) `rm -rf`\nnext line";
pub const H_ACTION_OWNER: &str = "Ops | Team\r\n";
pub const H_ACTION2_WHAT: &str = "<b onmouseover=alert(4)>hover</b>";
pub const H_DEPLOYMENT: &str = "50% | done";
pub const H_ACTIVITIES: &str = "# heading?\n- list?\n1. item\n> quote";
pub const H_RISK: &str = "Risk | [evil](http://evil.example) <script>alert(6)</script>";
pub const H_AWARENESS: &str = "`` ` `` ![img](http://evil.example/x.png) <http://evil.example>";
pub const H_MEETING: &str = "Sum | mary\r\nBcc: evil@example.com <script>x</script>";
pub const H_SUMMARY: &str =
    "Fixed | by [x](http://evil.example) <script>alert(7)</script>\r\nBcc: evil@example.com";

/// `s` as a YAML double-quoted scalar.
pub fn yq(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An escalation at step `resolution` (so every notice fits) whose text fields, names and
/// addresses carry pipes, backticks, `<script>`, Markdown links, CR/LF with a `Bcc:` line,
/// and non-ASCII names.
pub fn hostile_escalation() -> String {
    format!(
        "---\n\
schema: 1\n\
id: {HOSTILE_ID}\n\
title: {title}\n\
customer: {customer}\n\
step: resolution\n\
severity: high\n\
segment: S1500\n\
owner: {owner}\n\
owner_role: architect\n\
customer_contact: {contact}\n\
raised: {{ date: 2026-11-02, source: tam, by: \"Grace | Kim <grace.kim@example.com>\" }}\n\
gathering:\n\
\x20 description: {description}\n\
\x20 ticket: \"1|2\"\n\
\x20 types: [technical]\n\
\x20 occurred: 2026-11-01\n\
\x20 services: [exchange-online]\n\
\x20 deployment_phase: migration\n\
\x20 watch_list: {{ list: exo-cwl, date: 2026-11-03, link: \"javascript:alert(5)\" }}\n\
validation:\n\
\x20 confirmed_with: {confirmed}\n\
\x20 date: 2026-11-04\n\
\x20 expected_outcome: \"Outcome `code` | pipe\"\n\
\x20 resolution_procedure: \"Proc\\r\\n| injected | row |\"\n\
\x20 cadence: weekly\n\
stakeholders:\n\
\x20 decision: notify\n\
\x20 notified: 2026-11-05\n\
\x20 sponsor: {sponsor}\n\
\x20 cc: [{cc0}, {cc1}]\n\
status:\n\
\x20 as_of: 2026-11-20\n\
\x20 brief: {brief}\n\
\x20 impact: {impact}\n\
\x20 actions:\n\
\x20   - {{ what: {what}, owner: {aowner}, due: 2026-11-10 }}\n\
\x20   - {{ what: {what2}, owner: {owner}, due: 2026-12-10 }}\n\
\x20 deployment_status: {deployment}\n\
\x20 current_activities: {activities}\n\
\x20 risk: {risk}\n\
\x20 awareness: {awareness}\n\
meetings:\n\
\x20 - {{ date: 2026-11-19, kind: customer, attendees: [\"A | B\"], summary: {meeting} }}\n\
closing:\n\
\x20 summary: {summary}\n\
---\n\
\n\
Body.\n",
        title = yq(H_TITLE),
        customer = yq(H_CUSTOMER),
        owner = yq(H_OWNER),
        contact = yq(H_CONTACT),
        description = yq(H_DESCRIPTION),
        confirmed = yq(H_CONFIRMED_WITH),
        sponsor = yq(H_SPONSOR),
        cc0 = yq(H_CC[0]),
        cc1 = yq(H_CC[1]),
        brief = yq(H_BRIEF),
        impact = yq(H_IMPACT),
        what = yq(H_ACTION_WHAT),
        aowner = yq(H_ACTION_OWNER),
        what2 = yq(H_ACTION2_WHAT),
        deployment = yq(H_DEPLOYMENT),
        activities = yq(H_ACTIVITIES),
        risk = yq(H_RISK),
        awareness = yq(H_AWARENESS),
        meeting = yq(H_MEETING),
        summary = yq(H_SUMMARY),
    )
}

/// A repository (not a git one) with the demo's `esc.yaml` (people, RACI), two samples and
/// the hostile escalation.
pub fn hostile_repo() -> TestRepo {
    let config =
        std::fs::read_to_string(manifest_dir().join("src/ops/demo.yaml")).expect("read demo.yaml");
    TestRepo::new()
        .write("esc.yaml", &config)
        .sample("ESC-2610-7FJX")
        .sample("ESC-2609-X2KP")
        .escalation(HOSTILE_ID, &hostile_escalation())
}

// ---------------------------------------------------------------------------------------
// The schema
// ---------------------------------------------------------------------------------------

/// Every property path the escalation schema knows (objects walked, `$ref`s followed),
/// e.g. `closing.summary`, `gathering.watch_list.link`.
pub fn schema_fields() -> Vec<String> {
    let text = std::fs::read_to_string(manifest_dir().join("schemas/escalation.schema.json"))
        .expect("read schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    fn walk(root: &Value, s: &Value, prefix: &str, out: &mut Vec<String>) {
        let mut s = s;
        while let Some(r) = s.get("$ref").and_then(Value::as_str) {
            match r.strip_prefix('#').and_then(|p| root.pointer(p)) {
                Some(t) => s = t,
                None => break,
            }
        }
        if let Some(props) = s.get("properties").and_then(Value::as_object) {
            for (k, v) in props {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.push(path.clone());
                walk(root, v, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&schema, &schema, "", &mut out);
    out
}

/// The value at a dotted path.
pub fn at<'a>(v: &'a Value, dotted: &str) -> Option<&'a Value> {
    dotted.split('.').try_fold(v, |v, k| v.get(k))
}
