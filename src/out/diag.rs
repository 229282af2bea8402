//! Problems found in the data, written for people and for the CI systems that read them:
//! human text, JSON, GitHub workflow commands (plus the job summary) and Azure logging commands.

use crate::model::diag::Diagnostic;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Output formats of `esc check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `file:line:column: error[rule]: message`, with the source line.
    Human,
    /// A JSON array of objects: file, line, column, rule, field, message, expected, found.
    Json,
    /// GitHub Actions workflow commands, plus a Markdown table in $GITHUB_STEP_SUMMARY.
    Github,
    /// Azure Pipelines logging commands.
    Azure,
}

/// How many annotations GitHub shows per type and step; we print no more than that.
const GITHUB_ANNOTATIONS: usize = 10;

/// Writes `diags` (already sorted) in `format`. `files` is the number of files checked.
pub fn write(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    files: usize,
    format: Format,
    color: bool,
) -> io::Result<()> {
    match format {
        Format::Human => write_human(out, diags, files, color),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, diags).map_err(json_io)?;
            writeln!(out)
        }
        Format::Github => {
            for d in diags.iter().take(GITHUB_ANNOTATIONS) {
                writeln!(
                    out,
                    "::error file={},line={},col={},title={}::{}",
                    gh_property(&d.file),
                    d.line,
                    d.column,
                    gh_property(&format!("esc {}", d.rule)),
                    gh_data(&d.message)
                )?;
            }
            let summary = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty());
            if diags.len() > GITHUB_ANNOTATIONS {
                let where_ = if summary.is_some() {
                    "see the job summary or run `esc check` locally"
                } else {
                    "run `esc check` locally to see them all"
                };
                writeln!(
                    out,
                    "::notice::{} more problems: {where_}",
                    diags.len() - GITHUB_ANNOTATIONS
                )?;
            }
            if let Some(path) = summary {
                let mut f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)?;
                f.write_all(markdown_summary(diags, files).as_bytes())?;
            }
            writeln!(out, "{}", summary_line(diags, files))
        }
        Format::Azure => {
            for d in diags {
                writeln!(
                    out,
                    "##vso[task.logissue type=error;sourcepath={};linenumber={};columnnumber={};code={}]{}",
                    azure_escape(&d.file),
                    d.line,
                    d.column,
                    azure_escape(&d.rule),
                    azure_escape(&d.message)
                )?;
            }
            writeln!(out, "{}", summary_line(diags, files))
        }
    }
}

/// A serde_json write error as the io::Error underneath it (so a closed pipe stays one).
pub fn json_io(e: serde_json::Error) -> io::Error {
    match e.io_error_kind() {
        Some(kind) => io::Error::from(kind),
        None => io::Error::other(e),
    }
}

fn summary_line(diags: &[Diagnostic], files: usize) -> String {
    let mut bad: Vec<&str> = diags.iter().map(|d| d.file.as_str()).collect();
    bad.dedup();
    let s = |n: usize| if n == 1 { "" } else { "s" };
    if diags.is_empty() {
        format!("{files} file{} checked, no problems", s(files))
    } else {
        format!(
            "{files} file{} checked, {} problem{} in {} file{}",
            s(files),
            diags.len(),
            s(diags.len()),
            bad.len(),
            s(bad.len())
        )
    }
}

fn write_human(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    files: usize,
    color: bool,
) -> io::Result<()> {
    let (red, bold, blue, reset) = if color {
        ("\x1b[31m", "\x1b[1m", "\x1b[34m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    for d in diags {
        writeln!(
            out,
            "{bold}{}:{}:{}:{reset} {red}error[{}]{reset}: {}",
            d.file, d.line, d.column, d.rule, d.message
        )?;
        if let Some(src) = &d.source {
            let num = d.line.to_string();
            let pad = " ".repeat(num.len());
            let caret_pad: String = src
                .chars()
                .take(d.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(out, "{blue}{num} |{reset} {src}")?;
            writeln!(out, "{blue}{pad} |{reset} {caret_pad}{red}^{reset}")?;
        }
    }
    if !diags.is_empty() {
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(diags, files))
}

fn markdown_summary(diags: &[Diagnostic], files: usize) -> String {
    let mut s = format!("### esc check\n\n{}\n\n", summary_line(diags, files));
    if !diags.is_empty() {
        s.push_str("| file | line | rule | problem |\n|---|---:|---|---|\n");
        for d in diags {
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | {} |",
                md_cell(&d.file.replace('`', "'")),
                d.line,
                d.rule,
                literal_cell(&d.message)
            );
        }
        s.push('\n');
    }
    s
}

/// A message as literal text in a table cell: a message quotes data (`found ...`), and a
/// backtick in that data would end a code span early and let HTML through, so no code span
/// and no HTML is left to interpret: backticks are escaped, `<`, `>` and `&` are entities.
fn literal_cell(s: &str) -> String {
    md_cell(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('`', "\\`")
}

/// Text safe inside a Markdown table cell: pipes escaped, line breaks folded.
pub fn md_cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace("\r\n", " ")
        .replace(['\n', '\r'], " ")
}

fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn azure_escape(s: &str) -> String {
    s.replace('%', "%AZP25")
        .replace(';', "%3B")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(']', "%5D")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(gh_property("a,b:c\nd"), "a%2Cb%3Ac%0Ad");
        assert_eq!(azure_escape("a;b]c"), "a%3Bb%5Dc");
        assert_eq!(md_cell("a|b\nc"), "a\\|b c");
    }
}
