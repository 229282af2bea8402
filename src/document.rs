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

/// Parses the front matter into a JSON value (the model the schema validates).
pub fn parse_yaml(split: &Split<'_>) -> Result<Value, YamlError> {
    serde_saphyr::from_str_with_options::<Value>(split.yaml, yaml_options()).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        let message = yaml_message(&e);
        // The parser reports a tab error after the tab; point at the tab itself.
        let tab = split
            .yaml
            .split('\n')
            .nth(line.max(1) - 1)
            .filter(|_| message.contains("tab"))
            .and_then(|l| {
                l.chars()
                    .take(column.saturating_sub(1))
                    .position(|c| c == '\t')
            });
        let column = tab.map_or(column, |i| i + 1);
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
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
