//! An escalation file: YAML front matter between `---` fences, then a Markdown body.
//!
//! The split is done on bytes, by hand, so that every offset is exact: positions reported to the
//! user and edits made by `esc` refer to the file as it is on disk (BOM and CRLF included). The
//! body is never parsed or re-serialised here.

use serde_json::Value;

/// The largest file `esc` reads. An escalation is a few kilobytes; anything near this is a
/// pasted log or a binary, and reading it whole would only cost memory.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A file split into its front matter and body. Offsets are byte offsets into the whole file.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// The YAML between the fences, fence lines excluded.
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the file.
    pub yaml_start: usize,
    /// 1-based line number of the first line of `yaml` in the file.
    pub yaml_line: usize,
    /// Byte offset where the body starts (after the closing fence line).
    pub body_start: usize,
}

/// Why a file could not be split. Each carries the 1-based line and column where it was noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    Empty,
    Binary { line: usize, column: usize },
    InvalidUtf8 { line: usize, column: usize },
    NoFrontMatter { found: String },
    Unterminated { line: usize },
    EmptyFrontMatter { line: usize },
}

impl SplitError {
    pub fn position(&self) -> (usize, usize) {
        match self {
            SplitError::Empty | SplitError::NoFrontMatter { .. } => (1, 1),
            SplitError::Binary { line, column } | SplitError::InvalidUtf8 { line, column } => {
                (*line, *column)
            }
            SplitError::Unterminated { line } | SplitError::EmptyFrontMatter { line } => (*line, 1),
        }
    }

    pub fn rule(&self) -> &'static str {
        match self {
            SplitError::Binary { .. } | SplitError::InvalidUtf8 { .. } => "encoding",
            _ => "front-matter",
        }
    }

    pub fn message(&self) -> String {
        match self {
            SplitError::Empty => {
                "the file is empty; expected front matter starting with a `---` line".into()
            }
            SplitError::Binary { .. } => {
                "this is a binary file (it contains a NUL byte), not an escalation".into()
            }
            SplitError::InvalidUtf8 { .. } => {
                "the file is not valid UTF-8 here; save it as UTF-8".into()
            }
            SplitError::NoFrontMatter { found } => {
                format!("no front matter: expected the first line to be `---`, found `{found}`")
            }
            SplitError::Unterminated { .. } => "front matter is not closed: expected a `---` line \
                 after the YAML, found the end of the file"
                .into(),
            SplitError::EmptyFrontMatter { .. } => {
                "front matter is empty: expected the escalation's fields between the `---` lines"
                    .into()
            }
        }
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The text of 1-based line `line`, without its line break.
pub fn line_text(text: &str, line: usize) -> Option<&str> {
    text.split('\n')
        .nth(line.checked_sub(1)?)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// Decodes a file's bytes as UTF-8, refusing binary files.
pub fn decode(bytes: &[u8]) -> Result<&str, SplitError> {
    if bytes.is_empty() {
        return Err(SplitError::Empty);
    }
    if let Some(nul) = bytes.iter().take(8192).position(|&b| b == 0) {
        let (line, column) = byte_line_col(bytes, nul);
        return Err(SplitError::Binary { line, column });
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = byte_line_col(bytes, e.valid_up_to());
        SplitError::InvalidUtf8 { line, column }
    })
}

fn byte_line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // Count characters of the valid prefix of the line.
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

/// True when `line` (without its line break) is a fence: `marker` plus optional trailing blanks.
fn is_fence(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.bytes().all(|b| b == b' ' || b == b'\t' || b == b'\r'))
}

/// Splits `text` into front matter and body. A UTF-8 BOM and CRLF line endings are accepted.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.is_empty() {
        return Err(SplitError::Empty);
    }
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let first = &text[start..first_end];
    if !is_fence(first, "---") {
        let found: String = first.trim_end_matches('\r').chars().take(40).collect();
        return Err(SplitError::NoFrontMatter { found });
    }
    if first_end == text.len() {
        return Err(SplitError::Unterminated { line: 1 });
    }
    let yaml_start = first_end + 1;
    let mut pos = yaml_start;
    let mut line_no = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = &text[pos..end];
        if is_fence(line, "---") || is_fence(line, "...") {
            let yaml = &text[yaml_start..pos];
            if yaml
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
            {
                return Err(SplitError::EmptyFrontMatter { line: 2 });
            }
            return Ok(Split {
                yaml,
                yaml_start,
                yaml_line: 2,
                body_start: (end + 1).min(text.len()),
            });
        }
        pos = end + 1;
        line_no += 1;
    }
    Err(SplitError::Unterminated { line: line_no - 1 })
}

/// The YAML parser's options: strict and bounded. Dates, `no`, `012` and `1_000` stay the
/// strings the user typed; duplicate keys are errors; aliases and depth have small budgets
/// (a front matter is a few dozen fields, so an alias bomb or deep nesting fails fast).
pub fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        budget: serde_saphyr::budget! {
            max_depth: 32,
            max_aliases: 64,
            max_anchors: 64,
            max_events: 200_000,
            max_nodes: 100_000,
            max_documents: 1,
        },
    }
}

/// A YAML parse error with its position in the whole file.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The front matter as a JSON value straight from the parser's events, for the common case:
/// block and flow collections of plain, quoted and block scalars. Anything this is not sure
/// of (anchors, aliases, tags, duplicate or complex keys, numbers other than plain integers,
/// deep nesting, a parse error) returns `None`, and the caller takes serde-saphyr's full
/// path, which is the reference: a test checks both agree. It is about three times faster,
/// which is most of `esc check`'s time.
pub fn fast_value(yaml: &str) -> Option<Value> {
    fast_value_flagged(yaml).map(|(v, _)| v)
}

/// `fast_value`, and whether a plain scalar it read as text is one other YAML readers take
/// for another type (`scalar::other_reading`): the `ambiguous-scalar` rule looks only then.
pub fn fast_value_flagged(yaml: &str) -> Option<(Value, bool)> {
    use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};
    enum Frame {
        Map(serde_json::Map<String, Value>, Option<String>),
        Seq(Vec<Value>),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = None;
    let mut parser = Parser::new_from_str(yaml);
    let mut docs = 0;
    let mut ambiguous = false;
    while let Some(event) = parser.next_event() {
        let (event, _) = event.ok()?;
        let value = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
            Event::DocumentStart(..) => {
                docs += 1;
                if docs > 1 {
                    return None;
                }
                continue;
            }
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                let key_slot = matches!(stack.last(), Some(Frame::Map(_, None)));
                if key_slot {
                    let plain_word = style == ScalarStyle::Plain
                        && text.starts_with(|c: char| c.is_ascii_alphabetic())
                        && !matches!(
                            text.as_ref(),
                            "null"
                                | "Null"
                                | "NULL"
                                | "true"
                                | "True"
                                | "TRUE"
                                | "false"
                                | "False"
                                | "FALSE"
                        );
                    let quoted =
                        matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
                    if !(plain_word || quoted) {
                        return None;
                    }
                    if let Some(Frame::Map(map, key)) = stack.last_mut() {
                        if map.contains_key(text.as_ref()) {
                            return None; // a duplicate: the full parser words the error
                        }
                        *key = Some(text.into_owned());
                    }
                    continue;
                }
                match style {
                    ScalarStyle::Plain => {
                        let v = plain_scalar(&text)?;
                        ambiguous |= v.is_string() && super::scalar::ambiguous(&text);
                        v
                    }
                    _ => Value::String(text.into_owned()),
                }
            }
            Event::MappingStart(_, anchor, ref tag) | Event::SequenceStart(_, anchor, ref tag) => {
                if anchor != 0 || tag.is_some() || stack.len() >= 16 {
                    return None;
                }
                if matches!(stack.last(), Some(Frame::Map(_, None))) {
                    return None; // a collection as a key
                }
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Map(serde_json::Map::new(), None)
                } else {
                    Frame::Seq(Vec::new())
                });
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => match stack.pop()? {
                Frame::Map(map, None) => Value::Object(map),
                Frame::Seq(seq) => Value::Array(seq),
                Frame::Map(_, Some(_)) => return None,
            },
            _ => return None, // aliases, anything else
        };
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Seq(seq)) => seq.push(value),
            Some(Frame::Map(map, key)) => {
                let k = key.take()?;
                map.insert(k, value);
            }
        }
    }
    if !stack.is_empty() {
        return None;
    }
    root.map(|v| (v, ambiguous))
}

/// A plain scalar under the YAML 1.2 core schema as esc configures it: null, the strict
/// booleans, plain decimal integers; other numeric-looking text is left to the full parser.
fn plain_scalar(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if digits.len() > 1 && digits.starts_with('0') {
            return None; // leading zeros: kept as text by the full parser's options
        }
        return text.parse::<i64>().ok().map(Value::from);
    }
    // Could it be a number (float, hex, octal, binary, .inf, .nan, underscores)? Then the
    // full parser decides. `2026-11-02` and `1,100 users` cannot be.
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let lower = unsigned.to_ascii_lowercase();
    if lower.starts_with("0x")
        || lower.starts_with("0o")
        || lower.starts_with("0b")
        || lower == ".inf"
        || lower == ".nan"
    {
        return None;
    }
    let b = unsigned.as_bytes();
    let float_like = !b.is_empty()
        && b.iter().enumerate().all(|(i, &c)| {
            c.is_ascii_digit()
                || matches!(c, b'.' | b'_' | b'e' | b'E')
                || (matches!(c, b'+' | b'-') && i > 0 && matches!(b[i - 1], b'e' | b'E'))
        });
    if float_like {
        return None;
    }
    Some(Value::String(text.to_string()))
}

/// `ESC_FULL_PARSE=1` turns every fast path off (the front matter's event builder here,
/// the timeline's line scan in history), so a test or a doubtful user can compare.
pub fn full_parse_only() -> bool {
    static ONLY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ONLY.get_or_init(|| std::env::var_os("ESC_FULL_PARSE").is_some_and(|v| v == "1"))
}

/// Parses the front matter into a JSON value (the model the schema validates).
pub fn parse_yaml(split: &Split<'_>) -> Result<Value, YamlError> {
    parse_yaml_flagged(split).map(|(v, _)| v)
}

/// `parse_yaml`, and whether a plain scalar may be one other YAML readers take for another
/// type than esc does (false only when the fast path saw every scalar and none was).
pub fn parse_yaml_flagged(split: &Split<'_>) -> Result<(Value, bool), YamlError> {
    if !full_parse_only()
        && let Some(v) = fast_value_flagged(split.yaml)
    {
        return Ok(v);
    }
    let full = serde_saphyr::from_str_with_options::<Value>(split.yaml, yaml_options());
    full.map(|v| (v, true)).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        let message = yaml_message(&e);
        let lines: Vec<&str> = split.yaml.split('\n').collect();
        let at = line.max(1) - 1;
        // YAML refuses a tab in the indentation, and the parser stumbles over it on its own
        // line, the line before (a plain scalar that might go on) or the next: point at the
        // tab itself.
        let indent_tab = |i: usize| {
            let l = lines.get(i)?;
            let tab = l
                .chars()
                .take_while(|c| matches!(c, ' ' | '\t'))
                .position(|c| c == '\t')?;
            Some((i, tab))
        };
        let in_indent = [Some(at), at.checked_add(1), at.checked_sub(1)]
            .into_iter()
            .flatten()
            .find_map(indent_tab);
        // Otherwise a tab error is reported after the tab, on its line.
        let after = || {
            let l = lines.get(at).filter(|_| message.contains("tab"))?;
            let tab = l
                .chars()
                .take(column.saturating_sub(1))
                .position(|c| c == '\t')?;
            Some((at, tab))
        };
        let (line, column) = in_indent
            .or_else(after)
            .map_or((line, column), |(i, c)| (i + 1, c + 1));
        YamlError {
            line: split.yaml_line + line.max(1) - 1,
            column: column.max(1),
            message,
        }
    })
}

/// The parser's message for a person editing the file: the wrapped error (not the alias
/// wrapper, whose "defined at / used at" positions are relative to the front matter), worded
/// by the user-facing formatter, and budget breaches said in plain words.
pub fn yaml_message(e: &serde_saphyr::Error) -> String {
    use serde_saphyr::{Error, budget::BudgetBreach};
    let mut inner = e;
    while let Error::AliasError { error, .. } | Error::WithSnippet { error, .. } = inner {
        inner = error;
    }
    const DEEP: &str = "nested too deeply (more than 32 levels); an escalation needs only a few";
    match inner {
        Error::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => DEEP.into(),
            BudgetBreach::Aliases { .. }
            | BudgetBreach::Anchors { .. }
            | BudgetBreach::AliasAnchorRatio { .. } => {
                "too many anchors or aliases (`&name`, `*name`); write the values out instead"
                    .into()
            }
            _ => "too large or too complex (aliases expand to too many values?); an escalation's \
                  front matter is a few dozen fields"
                .into(),
        },
        other => {
            let m = first_line(&other.render_with_formatter(&serde_saphyr::UserMessageFormatter));
            // The scanner's own limit on flow nesting (`[[[[...`), hit before the depth budget.
            if m.starts_with("recursion limit exceeded") {
                DEEP.into()
            } else {
                m
            }
        }
    }
}

fn first_line(s: &str) -> String {
    let s = s.lines().next().unwrap_or("").trim();
    // serde-saphyr appends " at line N column M"; we print our own position.
    let s = match s.rfind(" at line ") {
        Some(i) => &s[..i],
        None => s,
    };
    plain_words(s)
}

/// The parser's type words (`invalid u32`) in the words of the person editing the file.
fn plain_words(m: &str) -> String {
    let int = |rest: &str| matches!(rest, "8" | "16" | "32" | "64" | "128" | "size");
    match m {
        "expected string scalar" => "expected text (one value, not a list or a mapping)".into(),
        "invalid boolean (true or false expected)" => "expected true or false".into(),
        _ if m.strip_prefix("invalid u").is_some_and(int) => {
            "expected a whole number (0 or more)".into()
        }
        _ if m.strip_prefix("invalid i").is_some_and(int) => "expected a whole number".into(),
        _ if m.starts_with("invalid f32") || m.starts_with("invalid f64") => {
            "expected a number".into()
        }
        _ => m.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(yaml: &str) -> Option<Value> {
        serde_saphyr::from_str_with_options::<Value>(yaml, yaml_options()).ok()
    }

    #[test]
    fn the_fast_path_agrees_with_serde_saphyr_or_declines() {
        let cases = [
            "a: 1\nb: -5\nc: 0\nd: 012\ne: 1_000\nf: 0x1F\ng: 1.5\nh: .inf\ni: 1e3\n",
            "a: ~\nb: null\nc:\nd: true\ne: False\nf: yes\ng: 'no'\nh: \"1\"\n",
            "d: 2026-11-02\nt: 2611020040001234\nx: 99999999999999999999\nn: -0\n",
            "s: [a, 'b', \"c\", 1, {k: v}]\nm: {x: [1, 2], y: {}}\ne: []\n",
            "b: |\n  one\n  two\nf: >-\n  folded\n  text\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: 1\na: 2\n",
            "? [a]\n: b\n",
            "1: x\n",
            "a: 1,100 users\nb: 3 KB\nc: -x\nd: .hidden\ne: +1\n",
            "a: 'it''s'\nb: \"tab\\there\"\n",
            "- a\n- b\n",
            "just text\n",
            "a: b\n---\nc: d\n",
            "<<: {a: 1}\nb: 2\n",
            "a: [1, 2\n",
        ];
        for c in cases {
            if let Some(fast) = fast_value(c) {
                assert_eq!(Some(fast), full(c), "{c:?}");
            }
        }
        assert!(
            fast_value(cases[3]).is_some(),
            "the common shapes take the fast path"
        );
        assert!(fast_value(cases[5]).is_none() && fast_value(cases[7]).is_none());
    }

    #[test]
    fn the_samples_take_the_fast_path_and_agree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("escalations");
        let mut n = 0;
        for month in std::fs::read_dir(root).expect("escalations/") {
            for f in std::fs::read_dir(month.expect("entry").path()).expect("month") {
                let text = std::fs::read_to_string(f.expect("file").path()).expect("read");
                let s = split(&text).expect("split");
                let fast =
                    fast_value(s.yaml).unwrap_or_else(|| panic!("fast path declined:\n{}", s.yaml));
                assert_eq!(Some(fast), full(s.yaml));
                n += 1;
            }
        }
        assert!(n >= 8);
    }

    #[test]
    fn splits_lf_crlf_and_bom() {
        let s = split("---\nid: 1\n---\nbody\n").expect("split");
        assert_eq!(s.yaml, "id: 1\n");
        assert_eq!(s.body_start, 14);
        let s = split("\u{feff}---\r\nid: 1\r\n---\r\nbody").expect("split");
        assert_eq!(s.yaml, "id: 1\r\n");
        assert_eq!(
            &"\u{feff}---\r\nid: 1\r\n---\r\nbody"[s.body_start..],
            "body"
        );
        let s = split("---\nid: 1\n...").expect("split");
        assert_eq!(s.body_start, 13);
    }

    #[test]
    fn refuses_what_is_not_front_matter() {
        assert!(matches!(split(""), Err(SplitError::Empty)));
        assert!(matches!(
            split("# Title\n"),
            Err(SplitError::NoFrontMatter { .. })
        ));
        assert!(matches!(
            split("---\nid: 1\n"),
            Err(SplitError::Unterminated { line: 2 })
        ));
        assert!(matches!(
            split("---\n---\n"),
            Err(SplitError::EmptyFrontMatter { .. })
        ));
        assert!(matches!(split("---"), Err(SplitError::Unterminated { .. })));
    }

    #[test]
    fn positions_are_one_based_characters() {
        let t = "ab\néx: 1\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 5), (2, 2));
        assert_eq!(line_text("a\r\nb\n", 1), Some("a"));
    }

    #[test]
    fn invalid_utf8_and_binary_are_located() {
        assert_eq!(
            decode(b"---\nab\xff\n"),
            Err(SplitError::InvalidUtf8 { line: 2, column: 3 })
        );
        assert!(matches!(
            decode(b"\x00\x01"),
            Err(SplitError::Binary { .. })
        ));
    }
}
