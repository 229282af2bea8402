//! The YAML writer, read back by the readers people use: every string written by
//! `model::scalar` into block and flow contexts, and every editor operation (set, insert,
//! nested insert, append, set-after) on a file with every context, must read back as exactly
//! that string through serde-saphyr (esc's own reader) and PyYAML (YAML 1.1, as other tools
//! read the same files), and an edit changes nothing outside the collection it edits.
//!
//! `ESC_SKIP_PYYAML=1` skips the PyYAML half where python3 and PyYAML are missing; CI installs
//! them. More cases: `ESC_YAML_CASES=20000 cargo test --release --test yaml_writer`.

use esc::model::edit::{Editor, Value as Yaml};
use esc::model::scalar::{Context, key, scalar};
use serde_json::{Value, json};

fn yaml_options() -> serde_saphyr::Options {
    esc::model::document::yaml_options()
}

/// SplitMix64: small, deterministic, good enough to pick pieces.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const CHARS: &[&str] = &[
    ",",
    "[",
    "]",
    "{",
    "}",
    "#",
    ":",
    "-",
    "?",
    "&",
    "*",
    "!",
    "|",
    ">",
    "'",
    "\"",
    "%",
    "@",
    "`",
    "~",
    "\t",
    "\n",
    "\r",
    " ",
    " ",
    " ",
    "\u{7F}",
    "\u{80}",
    "\u{9F}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{FEFF}",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{FDD0}",
    "\u{10FFFF}",
    "\0",
    "\u{1B}",
    "\\",
    ".",
    "_",
    "+",
    "=",
    "<",
    "é",
    "ß",
    "Ж",
    "中",
    "😀",
    "\u{A0}",
    "0",
    "1",
    "5",
    "9",
    "a",
    "x",
    "e",
    "T",
];
/// Characters that need no escape, and line feeds.
const PRINTABLE: &[&str] = &[
    ",", "[", "]", "{", "}", "#", ":", "-", "?", "'", "\"", "|", ">", " ", " ", " ", "\n", "\n",
    "\n", "\\", ".", "é", "中", "0", "1", "a", "x", "\u{A0}",
];
const WORDS: &[&str] = &[
    "no",
    "on",
    "yes",
    "Off",
    "null",
    "~",
    "0x1F",
    "1e3",
    "012",
    "1_000",
    "1:20",
    ".inf",
    "2026-02-30",
    "2026-11-30",
    "---",
    "...",
    "",
    "true",
    "NULL",
    "y",
    "N",
    "<<",
    "=",
    "-.5",
    "1.5",
    "http://x",
    "a: b",
    "x #y",
    "Whitfield, Dana",
    "0o7",
    ".NaN",
    "1.2.3",
    "2026-11-30 10:00:00",
    "word",
    "call back, then close",
    "Apply KB5031356 [hotfix]",
    "x#y",
    " lead",
    "trail ",
    "\n",
    "\n\n",
    " \n",
    "a\n  ",
    "\n a",
    "a\n\n",
    "\u{7F}",
];

fn gen_string(rng: &mut Rng) -> String {
    match rng.below(100) {
        0..=19 => rng.pick(WORDS).to_string(),
        20..=21 => {
            // ~10 KB, to check nothing gets folded or split.
            let mut s = String::new();
            while s.len() < 10 * 1024 {
                s.push_str(if rng.below(3) == 0 {
                    rng.pick(WORDS)
                } else {
                    rng.pick(CHARS)
                });
            }
            s
        }
        22..=51 => {
            // Printable text with line feeds: the plain, single-quoted and literal paths.
            let n = 1 + rng.below(10);
            (0..n)
                .map(|_| {
                    if rng.below(4) == 0 {
                        rng.pick(WORDS)
                    } else {
                        rng.pick(PRINTABLE)
                    }
                })
                .collect()
        }
        _ => {
            let n = 1 + rng.below(8);
            (0..n)
                .map(|_| {
                    if rng.below(4) == 0 {
                        rng.pick(WORDS)
                    } else {
                        rng.pick(CHARS)
                    }
                })
                .collect()
        }
    }
}

/// Documents embedding `s`, with the value they must read as.
fn documents(s: &str, nl: &str) -> Vec<(String, Value)> {
    let b = |indent| scalar(s, Context::Block, indent, nl);
    let f = scalar(s, Context::Flow, 0, nl);
    let mut docs = vec![
        (format!("k: {}{nl}z: 1{nl}", b(0)), json!({"k": s, "z": 1})),
        (
            format!("a:{nl}  k: {}{nl}  z: 1{nl}b: 2{nl}", b(2)),
            json!({"a": {"k": s, "z": 1}, "b": 2}),
        ),
        (format!("- {}{nl}- z{nl}", b(0)), json!([s, "z"])),
        (
            format!("a:{nl}  - {}{nl}  - z{nl}b: 2{nl}", b(2)),
            json!({"a": [s, "z"], "b": 2}),
        ),
        (
            format!("k: {{a: {f}, b: x}}{nl}z: 1{nl}"),
            json!({"k": {"a": s, "b": "x"}, "z": 1}),
        ),
        (format!("k: [{f}, x]{nl}"), json!({"k": [s, "x"]})),
        (format!("k: [x, {f}]{nl}"), json!({"k": ["x", s]})),
    ];
    // Implicit keys end at 1024 characters for every reader (documented limit).
    let (kb, kf) = (key(s, Context::Block), key(s, Context::Flow));
    if kb.chars().count() < 1000 && kf.chars().count() < 1000 && s != "zz" {
        docs.push((format!("{kb}: 1{nl}zz: 2{nl}"), json!({s: 1, "zz": 2})));
        docs.push((
            format!("k: {{{kf}: 1, zz: 2}}{nl}"),
            json!({"k": {s: 1, "zz": 2}}),
        ));
    }
    docs
}

#[test]
fn roundtrip_saphyr_and_pyyaml() {
    let mut rng = Rng(0x5EED_2026);
    let mut strings: Vec<String> = WORDS.iter().chain(CHARS).map(|s| s.to_string()).collect();
    strings.extend((0..cases(3000)).map(|_| gen_string(&mut rng)));

    let mut all = Vec::new();
    let mut failures = Vec::new();
    for (i, s) in strings.iter().enumerate() {
        let nl = if i % 3 == 0 { "\r\n" } else { "\n" };
        for (doc, expected) in documents(s, nl) {
            let got = serde_saphyr::from_str_with_options::<Value>(&doc, yaml_options());
            match &got {
                Ok(v) if *v == expected => {}
                _ if failures.len() < 15 => failures.push(format!("{doc:?}\n  -> {got:?}")),
                _ => failures.push(String::new()),
            }
            all.push((doc, expected));
        }
    }
    eprintln!(
        "saphyr: {} strings, {} documents, {} failures",
        strings.len(),
        all.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "saphyr failures:\n{}",
        failures.join("\n")
    );

    pyyaml_agrees(all);
}

/// How many random strings a test tries (`ESC_YAML_CASES` for a longer run).
fn cases(default: usize) -> usize {
    std::env::var("ESC_YAML_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// PyYAML (YAML 1.1) reads every document as the value expected, or the test fails. Set
/// ESC_SKIP_PYYAML=1 where python3 + PyYAML are missing.
fn pyyaml_agrees(all: Vec<(String, Value)>) {
    if std::env::var_os("ESC_SKIP_PYYAML").is_some() {
        eprintln!("PyYAML check skipped (ESC_SKIP_PYYAML)");
        return;
    }
    let path = std::env::temp_dir().join(format!(
        "esc-yaml-cases-{}-{}.json",
        std::process::id(),
        all.len()
    ));
    let cases: Vec<Value> = all.into_iter().map(|(d, e)| json!([d, e])).collect();
    std::fs::write(&path, Value::Array(cases).to_string()).expect("write cases");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pyyaml_check.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&path)
        .output()
        .expect("run python3 (set ESC_SKIP_PYYAML=1 to skip)");
    let _ = std::fs::remove_file(&path);
    eprintln!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "PyYAML disagrees (see above)");
}

/// A file with every context an edit can land in, the way people type them.
const BASE: &str = "---\n\
id: ESC-2611-AAAA\n\
title: Plain title\n\
block:\n  \
  k: old\n  \
  q1: 'single'\n  \
  q2: \"double\"\n  \
  lit: |\n    line one\n    line two\n  \
  empty:\n  \
  c: x  # comment\n\
flow: { k: old, n: 1 }\n\
blist:\n  \
  - old\n  \
  - keep\n\
flist: [old, keep]\n\
items:\n  \
  - what: a\n    \
    due: 2026-11-01\n\
tail: end\n\
---\n\
\n\
## Notes\n\
\n\
Body text: keep.\n";

/// The front matter of `text` as data (esc's reader), or why not.
fn front(text: &str) -> Result<Value, String> {
    let split = esc::model::document::split(text).map_err(|e| e.message())?;
    esc::model::document::parse_yaml(&split).map_err(|e| e.message)
}

/// One edit: what it does to the text, the data it should give, and the pointer of the
/// collection outside which nothing may change.
struct Case {
    name: &'static str,
    scope: &'static str,
    apply: fn(&mut Editor, &Yaml) -> Result<(), esc::model::edit::EditError>,
    expect: fn(&mut Value, &str),
}

fn cases_for_edits() -> Vec<Case> {
    fn set(e: &mut Editor, p: &str, v: &Yaml) -> Result<(), esc::model::edit::EditError> {
        e.set(p, v)
    }
    vec![
        Case {
            name: "block value",
            scope: "/block",
            apply: |e, v| set(e, "/block/k", v),
            expect: |d, s| d["block"]["k"] = json!(s),
        },
        Case {
            name: "single-quoted",
            scope: "/block",
            apply: |e, v| set(e, "/block/q1", v),
            expect: |d, s| d["block"]["q1"] = json!(s),
        },
        Case {
            name: "double-quoted",
            scope: "/block",
            apply: |e, v| set(e, "/block/q2", v),
            expect: |d, s| d["block"]["q2"] = json!(s),
        },
        Case {
            name: "block scalar",
            scope: "/block",
            apply: |e, v| set(e, "/block/lit", v),
            expect: |d, s| d["block"]["lit"] = json!(s),
        },
        Case {
            name: "empty value",
            scope: "/block",
            apply: |e, v| set(e, "/block/empty", v),
            expect: |d, s| d["block"]["empty"] = json!(s),
        },
        Case {
            name: "value with comment",
            scope: "/block",
            apply: |e, v| set(e, "/block/c", v),
            expect: |d, s| d["block"]["c"] = json!(s),
        },
        Case {
            name: "flow value",
            scope: "/flow",
            apply: |e, v| set(e, "/flow/k", v),
            expect: |d, s| d["flow"]["k"] = json!(s),
        },
        Case {
            name: "block list item",
            scope: "/blist",
            apply: |e, v| set(e, "/blist/0", v),
            expect: |d, s| d["blist"][0] = json!(s),
        },
        Case {
            name: "flow list item",
            scope: "/flist",
            apply: |e, v| set(e, "/flist/0", v),
            expect: |d, s| d["flist"][0] = json!(s),
        },
        Case {
            name: "new key, block",
            scope: "/block",
            apply: |e, v| set(e, "/block/new", v),
            expect: |d, s| d["block"]["new"] = json!(s),
        },
        Case {
            name: "new key, flow",
            scope: "/flow",
            apply: |e, v| set(e, "/flow/new", v),
            expect: |d, s| d["flow"]["new"] = json!(s),
        },
        Case {
            name: "new nested path",
            scope: "",
            apply: |e, v| set(e, "/top/deep/x", v),
            expect: |d, s| d["top"] = json!({"deep": {"x": s}}),
        },
        Case {
            name: "new path under flow",
            scope: "/flow",
            apply: |e, v| set(e, "/flow/nn/x", v),
            expect: |d, s| d["flow"]["nn"] = json!({"x": s}),
        },
        Case {
            name: "new key after a sibling",
            scope: "",
            apply: |e, v| e.set_after("/reason", v, "/title"),
            expect: |d, s| d["reason"] = json!(s),
        },
        Case {
            name: "append, block list",
            scope: "/blist",
            apply: |e, v| e.append("/blist", v),
            expect: |d, s| d["blist"].as_array_mut().expect("list").push(json!(s)),
        },
        Case {
            name: "append, flow list",
            scope: "/flist",
            apply: |e, v| e.append("/flist", v),
            expect: |d, s| d["flist"].as_array_mut().expect("list").push(json!(s)),
        },
        Case {
            name: "append, new list",
            scope: "",
            apply: |e, v| e.append("/newlist", v),
            expect: |d, s| d["newlist"] = json!([s]),
        },
        Case {
            name: "append a mapping",
            scope: "/items",
            apply: |e, v| {
                let Yaml::Str(s) = v else { unreachable!() };
                e.append(
                    "/items",
                    &Yaml::map([
                        ("what", Some(Yaml::Str(s.clone()))),
                        (
                            "names",
                            Some(Yaml::List(vec![
                                Yaml::Str(s.clone()),
                                Yaml::Str("Raman, Priya".into()),
                            ])),
                        ),
                        ("due", Some(Yaml::Raw("2026-11-30".into()))),
                    ]),
                )
            },
            expect: |d, s| {
                d["items"]
                    .as_array_mut()
                    .expect("list")
                    .push(json!({"what": s, "names": [s, "Raman, Priya"], "due": "2026-11-30"}))
            },
        },
    ]
}

/// The byte range of the collection at `pointer` in `text`, widened to whole lines.
fn scope_range(text: &str, pointer: &str) -> std::ops::Range<usize> {
    let split = esc::model::document::split(text).expect("split");
    let start = split.yaml_start;
    let yaml_end = start + split.yaml.len();
    if pointer.is_empty() {
        return start..yaml_end;
    }
    let pos = esc::model::yamlpos::Positions::build(split.yaml);
    let node = pos.get(pointer).expect("scope exists");
    let from = node.key.as_ref().map_or(node.value.start, |k| k.start);
    let line_start = split.yaml[..from].rfind('\n').map_or(0, |i| i + 1);
    let end = split.yaml[node.value.end..]
        .find('\n')
        .map_or(split.yaml.len(), |i| node.value.end + i + 1);
    start + line_start..start + end
}

#[test]
fn every_edit_in_every_context_reads_back_and_touches_nothing_else() {
    let mut rng = Rng(0xED17_2026);
    let mut strings: Vec<String> = WORDS.iter().chain(CHARS).map(|s| s.to_string()).collect();
    strings.extend((0..cases(400)).map(|_| gen_string(&mut rng)));
    let base_data = front(BASE).expect("the base file parses");
    let mut all = Vec::new();
    let mut failures = Vec::new();
    let mut refused = 0;
    for (i, s) in strings.iter().enumerate() {
        let base = if i % 3 == 0 {
            BASE.replace('\n', "\r\n")
        } else {
            BASE.to_string()
        };
        for case in cases_for_edits() {
            let split = esc::model::document::split(&base).expect("split");
            let (ys, ye) = (split.yaml_start, split.yaml_start + split.yaml.len());
            let mut e = Editor::new(base.clone(), ys, ye);
            let value = Yaml::Str(s.clone());
            if let Err(err) = (case.apply)(&mut e, &value) {
                // An edit may refuse (never silently lose); count, and show a few.
                refused += 1;
                if refused < 5 {
                    eprintln!("refused: {} with {s:?}: {err}", case.name);
                }
                continue;
            }
            let out = e.into_text();
            let mut want = base_data.clone();
            (case.expect)(&mut want, s);
            match front(&out) {
                Ok(got) if got == want => {}
                got => {
                    failures.push(format!("{}: {s:?}\n{out}\n-> {got:?}", case.name));
                    continue;
                }
            }
            // Nothing outside the edited collection changes: the common prefix and suffix of
            // the old and new text reach the collection's range.
            let r = scope_range(&base, case.scope);
            let prefix = base
                .bytes()
                .zip(out.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            let suffix = base
                .bytes()
                .rev()
                .zip(out.bytes().rev())
                .take_while(|(a, b)| a == b)
                .count();
            if prefix < r.start.min(base.len()) || suffix < base.len() - r.end {
                failures.push(format!(
                    "{}: changed outside {}: {s:?}\n{out}",
                    case.name, case.scope
                ));
            }
            all.push((out.clone(), json!({"front": want})));
        }
    }
    eprintln!(
        "editor: {} strings x {} edits, {} documents, {} refused, {} failures",
        strings.len(),
        cases_for_edits().len(),
        all.len(),
        refused,
        failures.len()
    );
    assert!(refused * 100 <= all.len(), "too many refusals: {refused}");
    assert!(
        failures.is_empty(),
        "{}",
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    // PyYAML reads the front matter alone (as python-frontmatter would).
    let docs = all
        .into_iter()
        .map(|(text, want)| {
            let split = esc::model::document::split(&text).expect("split");
            (split.yaml.to_string(), want["front"].clone())
        })
        .collect();
    pyyaml_agrees(docs);
}
