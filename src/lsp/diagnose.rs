//! The problems of a text being edited, as `esc check` finds them (the same parse, the same
//! `check_doc`, the same messages), placed as LSP ranges, with the fix a "did you mean"
//! names.

use crate::error::Error;
use crate::model::diag::Diagnostic;
use crate::rules::config::{Config, FILE};
use crate::store::workspace::Workspace;
use chrono::NaiveDate;
use lsp_types::{DiagnosticSeverity, NumberOrString, Range};

/// One problem for the editor, and the text that would fix it when esc suggests one.
#[derive(Debug, Clone)]
pub struct Problem {
    pub diagnostic: lsp_types::Diagnostic,
    /// The suggestion of a "did you mean", to replace the diagnostic's range with.
    pub fix: Option<String>,
}

/// The problems of an escalation file's text (`rel` is its path in the repository).
pub fn escalation(ws: &Workspace, rel: &str, text: &str, today: NaiveDate) -> Vec<Problem> {
    let diags = match crate::model::doc::parse(rel, text.as_bytes().to_vec()) {
        Ok(doc) => crate::rules::check::check_doc(&ws.config, &ws.schemas, &doc, today),
        Err(d) => vec![*d],
    };
    diags.iter().map(|d| problem(text, d)).collect()
}

/// The problems of `esc.yaml`'s text, and the config it gives when it is valid.
pub fn config(ws: &Workspace, text: &str) -> (Vec<Problem>, Option<Config>) {
    let (mut diags, config) = match Config::parse(text, FILE) {
        Ok(c) => (Vec::new(), Some(c)),
        Err(Error::Config {
            path,
            line,
            column,
            message,
        }) => (
            vec![Diagnostic::new(&path, line, column, "config", message)],
            None,
        ),
        Err(e) => (
            vec![Diagnostic::new(FILE, 1, 1, "config", e.to_string())],
            None,
        ),
    };
    let effective = config.as_ref().unwrap_or(&ws.config);
    diags.extend(
        crate::rules::check::process_agreement(effective, &ws.schemas)
            .into_iter()
            .filter(|d| d.file == FILE),
    );
    (diags.iter().map(|d| problem(text, d)).collect(), config)
}

/// Where a problem is: from esc's 1-based line and character column to the word esc found
/// there (the found value, or the first `quoted` word of the message), else to the end of
/// the line.
fn problem(text: &str, d: &Diagnostic) -> Problem {
    let line_no = d.line.saturating_sub(1);
    let line = super::text::line(text, line_no);
    let chars: Vec<char> = line.chars().collect();
    let start = d.column.saturating_sub(1).min(chars.len());
    let target = d
        .found
        .clone()
        .filter(|f| !f.is_empty())
        .or_else(|| first_quoted(&d.message));
    let word = target.as_deref().and_then(|t| find_word(&chars, start, t));
    let (from, to) = word.unwrap_or_else(|| {
        let end = line.trim_end().chars().count().max(start);
        (start, end)
    });
    let range: Range = super::text::range(text, line_no, from, to);
    // A fix replaces exactly the word the message quotes.
    let fix = word.and(suggestion(&d.message));
    Problem {
        diagnostic: lsp_types::Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String(d.rule.clone())),
            source: Some("esc".into()),
            message: d.message.clone(),
            ..Default::default()
        },
        fix,
    }
}

/// Where `word` is on the line, at or after character `start` (char indices).
fn find_word(line: &[char], start: usize, word: &str) -> Option<(usize, usize)> {
    let w: Vec<char> = word.chars().collect();
    if w.is_empty() || w.len() > line.len() {
        return None;
    }
    (start..=line.len() - w.len())
        .find(|&i| line[i..i + w.len()] == w[..])
        .map(|i| (i, i + w.len()))
}

/// The first `word` in backquotes in a message.
fn first_quoted(message: &str) -> Option<String> {
    let (_, rest) = message.split_once('`')?;
    let (word, _) = rest.split_once('`')?;
    Some(word.to_string())
}

/// The suggestion of a message's "did you mean `X`?" (the wording of rules::schema and
/// rules::config).
pub fn suggestion(message: &str) -> Option<String> {
    let (_, rest) = message.rsplit_once("did you mean `")?;
    let (word, _) = rest.split_once("`?")?;
    Some(word.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_did_you_mean_covers_the_found_word_after_an_emoji() {
        let text = "---\ntitle: 🚀\nseverity: \"critcal\" # 🚀\n---\n";
        let d = Diagnostic::new(
            "x.md",
            3,
            11,
            "schema.enum",
            "`severity` must be one of critical, high; found `critcal`; did you mean `critical`?"
                .into(),
        )
        .found("critcal");
        let p = problem(text, &d);
        assert_eq!(p.fix.as_deref(), Some("critical"));
        assert_eq!(
            (
                p.diagnostic.range.start.character,
                p.diagnostic.range.end.character
            ),
            (11, 18)
        );
        let emoji = "---\nt: 🚀x: bad\n---\n";
        let d = Diagnostic::new("x.md", 2, 5, "yaml", "whatever".into());
        let p = problem(emoji, &d);
        // Character 4 (0-based) is after the emoji: UTF-16 offset 5.
        assert_eq!(p.diagnostic.range.start.character, 5);
        assert_eq!(p.fix, None);
    }
}
