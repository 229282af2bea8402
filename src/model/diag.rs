//! A problem in the data, with where it is: what every check produces.

use serde::Serialize;
use serde_json::Value;
use std::fmt::Write as _;

/// One problem in one file. `line` and `column` are 1-based; column counts characters.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the repository root, with `/` separators.
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// A stable rule id, e.g. `schema.required`, `date-order`, `unknown-key`.
    pub rule: String,
    /// The field, as a dotted path (`gathering.services[1]`); empty for whole-file problems.
    pub field: String,
    /// The whole message, naming what was expected and what was found.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// The source line the problem is on, when there is one.
    #[serde(skip)]
    pub source: Option<String>,
}

impl Diagnostic {
    pub fn new(file: &str, line: usize, column: usize, rule: &str, message: String) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            rule: rule.to_string(),
            field: String::new(),
            message,
            expected: None,
            found: None,
            source: None,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn found(mut self, found: impl Into<String>) -> Self {
        self.found = Some(found.into());
        self
    }
}

/// One schema violation, before it is given a file position.
#[derive(Debug, Clone)]
pub struct Issue {
    /// JSON pointer of the field the problem is about (for a missing field: the missing one).
    pub pointer: String,
    pub rule: String,
    pub message: String,
    pub expected: Option<String>,
    pub found: Option<String>,
}

/// A short rendering of a value for messages.
pub fn show(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        other => other.to_string(),
    };
    let s = s.replace(['\n', '\r'], " ");
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

/// Turns a JSON pointer into the dotted form people read: `/status/actions/0/due` ->
/// `status.actions[0].due`.
pub fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.split('/').skip(1) {
        let part = part.replace("~1", "/").replace("~0", "~");
        if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
            let _ = write!(out, "[{part}]");
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&part);
        }
    }
    out
}

/// Closest candidate to `word` by edit distance, if close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (levenshtein(&word_l, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths() {
        assert_eq!(dotted("/status/actions/0/due"), "status.actions[0].due");
        assert_eq!(dotted("/a~1b"), "a/b");
        assert_eq!(dotted(""), "");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("severty", ["severity", "segment"]),
            Some("severity")
        );
        assert_eq!(did_you_mean("zzz", ["severity"]), None);
    }
}
