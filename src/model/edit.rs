//! Surgical edits of front matter: change one value, add one key, append one list item.
//!
//! Every edit works on the file's text with the parser's byte ranges and rewrites only the
//! bytes it must: comments, key order, quoting, blank lines, line endings and the Markdown
//! body stay exactly as they were. Nothing is ever re-serialised.

use crate::model::yamlpos::{Node, Positions, ScalarStyle, escape};
use std::fmt;

/// A value to write: text (quoted only where YAML needs it) or raw YAML (numbers, lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Str(String),
    /// Already valid YAML for one line (a number, `[a, b]`, `{k: v}`).
    Raw(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Quotes `s` for YAML only when it needs it: plain when it reads back as the same string,
/// in esc and in other YAML readers (YAML 1.1 ones read `012345` as a number and `yes` as
/// true).
pub fn yaml_scalar(s: &str) -> String {
    let plain_ok = !s.is_empty()
        && !read_as_other_than_text(s)
        && s.trim() == s
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~".contains(c))
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(char::is_control)
        && serde_saphyr::from_str_with_options::<serde_json::Value>(
            s,
            crate::model::document::yaml_options(),
        )
        .is_ok_and(|v| v.as_str() == Some(s));
    if plain_ok {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// Whether some YAML reader takes the plain scalar `s` for a number, a boolean or null,
/// even where esc reads text (esc keeps `012` and `yes` as written). Dates (`2026-11-26`)
/// stay plain: every file writes them so.
fn read_as_other_than_text(s: &str) -> bool {
    const WORDS: [&str; 25] = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
        "OFF", "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "~",
    ];
    if WORDS.contains(&s) || s == "NULL" {
        return true;
    }
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = t.to_ascii_lowercase();
    if lower == ".inf" || lower == ".nan" {
        return true;
    }
    for radix in ["0x", "0o", "0b"] {
        if let Some(digits) = lower.strip_prefix(radix) {
            return !digits.is_empty() && digits.chars().all(|c| c.is_ascii_hexdigit() || c == '_');
        }
    }
    let date = t.len() == 10
        && t.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    let numeric_start = t.starts_with(|c: char| c.is_ascii_digit())
        || t.strip_prefix('.')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
    // Digits with `_`, `.`, an exponent or sexagesimal `:` (YAML 1.1's `1:20` is 80).
    !date
        && numeric_start
        && t.chars()
            .all(|c| c.is_ascii_digit() || "._:eE+-".contains(c))
}

fn render(value: &Value, style: Option<ScalarStyle>) -> String {
    match value {
        Value::Raw(r) => r.clone(),
        Value::Str(s) => match style {
            Some(ScalarStyle::DoubleQuoted) => serde_json::to_string(s).unwrap_or_default(),
            Some(ScalarStyle::SingleQuoted) if !s.chars().any(char::is_control) => {
                format!("'{}'", s.replace('\'', "''"))
            }
            _ => yaml_scalar(s),
        },
    }
}

/// The front matter of one file, being edited. Offsets are into the whole file's text.
pub struct Editor {
    text: String,
    yaml_start: usize,
    yaml_end: usize,
    newline: &'static str,
}

impl Editor {
    /// `yaml` is `text[yaml_start..yaml_end]`, the front matter between the fences.
    pub fn new(text: String, yaml_start: usize, yaml_end: usize) -> Editor {
        let newline = if text[yaml_start..yaml_end].contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        Editor {
            text,
            yaml_start,
            yaml_end,
            newline,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> String {
        self.text
    }

    fn yaml(&self) -> &str {
        &self.text[self.yaml_start..self.yaml_end]
    }

    fn positions(&self) -> Positions {
        Positions::build(self.yaml())
    }

    fn splice(&mut self, at: std::ops::Range<usize>, with: &str) {
        let (a, b) = (self.yaml_start + at.start, self.yaml_start + at.end);
        self.text.replace_range(a..b, with);
        self.yaml_end = self.yaml_end + with.len() - (b - a);
    }

    /// Like [`Editor::set`], but a key that must be added goes right after the line of the
    /// sibling `after` (e.g. `step_reason` after `step`) when that is in the same block mapping.
    pub fn set_after(
        &mut self,
        pointer: &str,
        value: &Value,
        after: &str,
    ) -> Result<(), EditError> {
        let pos = self.positions();
        let same_parent =
            pointer.rsplit_once('/').map(|p| p.0) == after.rsplit_once('/').map(|p| p.0);
        let parent = pointer.rsplit_once('/').map_or("", |p| p.0);
        let block = pos.get(parent).is_some_and(|n| n.is_map && !n.flow);
        match pos.get(after) {
            Some(sib)
                if pos.get(pointer).is_none() && same_parent && block && sib.key.is_some() =>
            {
                let sib = sib.clone();
                let yaml = self.yaml();
                let end = if sib.scalar_style.is_some() {
                    let e = sib.value.end;
                    if e > 0 && yaml.as_bytes().get(e - 1) == Some(&b'\n') {
                        e
                    } else {
                        yaml[e..].find('\n').map_or(yaml.len(), |i| e + i + 1)
                    }
                } else {
                    self.content_end(&pos, &sib)
                };
                let key_start = sib.key.as_ref().map_or(0, |k| k.start);
                let indent = self.key_column(key_start);
                let key = pointer.rsplit('/').next().unwrap_or_default();
                let nl = self.newline;
                let prefix = if end > 0 && !yaml[..end].ends_with('\n') {
                    nl
                } else {
                    ""
                };
                let text = format!(
                    "{prefix}{}{}: {}{nl}",
                    " ".repeat(indent),
                    unescape(key),
                    render(value, None)
                );
                self.splice(end..end, &text);
                Ok(())
            }
            _ => self.set(pointer, value),
        }
    }

    /// Sets the value at `pointer` (e.g. `/step`, `/closing/outcome`), adding the key, and
    /// any missing parent mappings, when absent.
    pub fn set(&mut self, pointer: &str, value: &Value) -> Result<(), EditError> {
        let pos = self.positions();
        if let Some(node) = pos.get(pointer) {
            return self.replace(node, value);
        }
        // Find the nearest existing ancestor and add what is missing below it.
        let parts: Vec<&str> = pointer.split('/').skip(1).collect();
        for depth in (0..parts.len()).rev() {
            let parent: String = parts[..depth].iter().map(|p| format!("/{p}")).collect();
            if let Some(node) = pos.get(&parent) {
                if !node.is_map || node.scalar_style.is_some() {
                    return Err(EditError(format!(
                        "`{}` is not a mapping, so `{}` cannot be added to it",
                        crate::model::diag::dotted(&parent),
                        crate::model::diag::dotted(pointer)
                    )));
                }
                let node = node.clone();
                return self.insert(&pos, &node, &parts[depth..], value);
            }
        }
        Err(EditError("the front matter is not a mapping".into()))
    }

    fn replace(&mut self, node: &Node, value: &Value) -> Result<(), EditError> {
        match node.scalar_style {
            Some(ScalarStyle::Literal | ScalarStyle::Folded) => {
                // A block scalar: its range covers the content lines (and their line break),
                // not the `|` indicator. Replace from just after the key's colon.
                let key = node
                    .key
                    .clone()
                    .ok_or_else(|| EditError("cannot edit a block scalar in a list".into()))?;
                let yaml = self.yaml();
                let colon = yaml[key.end..node.value.start]
                    .find(':')
                    .map(|i| key.end + i + 1)
                    .ok_or_else(|| EditError("cannot find the key's colon".into()))?;
                // The span may run into the next line's indentation: end at the last line
                // break inside it.
                let end = yaml[..node.value.end]
                    .rfind('\n')
                    .map_or(node.value.end, |i| i + 1)
                    .max(colon);
                // An anchor or tag before the indicator (`key: &a |`) stays: an alias may
                // refer to it.
                let mut from = colon;
                loop {
                    let rest = &yaml[from..end];
                    let t = rest.trim_start_matches([' ', '\t']);
                    if !t.starts_with(['&', '!']) {
                        break;
                    }
                    let token = t.find([' ', '\t', '\r', '\n']).unwrap_or(t.len());
                    from += rest.len() - t.len() + token;
                }
                let text = format!(" {}{}", render(value, None), self.newline);
                self.splice(from..end, &text);
                Ok(())
            }
            Some(_) if node.value.is_empty() => {
                let text = render(value, None);
                self.fill_empty(node, &text)
            }
            Some(style) => {
                let text = render(value, Some(style));
                self.splice(node.value.clone(), &text);
                Ok(())
            }
            // A list or mapping replaced by a one-line value (`esc set F=a,b` gives `[a, b]`).
            None if matches!(value, Value::Raw(_)) => {
                let text = render(value, None);
                if node.flow {
                    self.splice(node.value.clone(), &text);
                    return Ok(());
                }
                // A block collection: from just after the key's colon to the end of its last
                // line (the key's own trailing comment goes with the old value).
                let key = node.key.clone().ok_or_else(|| {
                    EditError("cannot replace a block collection in a list".into())
                })?;
                let yaml = self.yaml();
                let colon = yaml[key.end..node.value.start]
                    .find(':')
                    .map(|i| key.end + i + 1)
                    .ok_or_else(|| EditError("cannot find the key's colon".into()))?;
                let end = self.content_end(&self.positions(), node);
                let text = format!(" {text}{}", self.newline);
                self.splice(colon..end, &text);
                Ok(())
            }
            None => Err(EditError(format!(
                "`{}` is a {}, not a single value",
                crate::model::diag::dotted(&node.pointer),
                if node.is_map { "mapping" } else { "list" }
            ))),
        }
    }

    /// Writes `text` as an empty (null) value. It has no bytes of its own: the parser places
    /// it at the end of its key (`key:`, `key:   # c`), or just after the dash, anchor or tag
    /// before it (`-`, `key: &a`). The text goes after the key's colon, or after what
    /// precedes it, one space apart; a `? key` without a `:` line has nowhere to put it.
    fn fill_empty(&mut self, node: &Node, text: &str) -> Result<(), EditError> {
        let yaml = self.yaml();
        let at = node.value.start;
        if let Some(key) = &node.key {
            let rest = &yaml[key.end..];
            let colon = key.end + rest.len() - rest.trim_start().len();
            if !yaml[colon..].starts_with(':') {
                return Err(EditError(format!(
                    "`{}` has no `:` to write a value after",
                    crate::model::diag::dotted(&node.pointer)
                )));
            }
            if at <= colon {
                self.splice(colon + 1..colon + 1, &format!(" {text}"));
                return Ok(());
            }
        }
        // After a dash with a comment (`- # c`) the parser places the value past the
        // comment: it goes before the comment, a space apart.
        let line_start = yaml[..at].rfind('\n').map_or(0, |i| i + 1);
        let at = yaml[line_start..at]
            .find(" #")
            .map_or(at, |i| line_start + i + 1);
        let after = if yaml[at..].starts_with('#') { " " } else { "" };
        match yaml[..at].chars().next_back() {
            Some(' ') => self.splice(at..at, &format!("{text}{after}")),
            Some(c) if c != '\n' && c != '\r' => self.splice(at..at, &format!(" {text}{after}")),
            _ => {
                return Err(EditError(format!(
                    "cannot find where the value of `{}` goes",
                    crate::model::diag::dotted(&node.pointer)
                )));
            }
        }
        Ok(())
    }

    /// Byte offset just after the last content of the collection at `pointer` (end of line
    /// for block collections, so a trailing comment stays with its line).
    fn content_end(&self, pos: &Positions, node: &Node) -> usize {
        let prefix = format!("{}/", node.pointer);
        let last = pos
            .nodes()
            .iter()
            .filter(|n| n.pointer.starts_with(&prefix) && (n.scalar_style.is_some() || n.flow))
            .chain(pos.nodes().iter().filter(|n| {
                // Aliases (`*a`) are content too; they are neither scalars nor flow.
                n.pointer.starts_with(&prefix) && self.yaml()[n.value.start..].starts_with('*')
            }))
            .map(|n| self.value_end(n))
            .max()
            .unwrap_or(node.value.start);
        let yaml = self.yaml();
        if last > 0 && yaml.as_bytes().get(last - 1) == Some(&b'\n') {
            return last;
        }
        yaml[last..].find('\n').map_or(yaml.len(), |i| last + i + 1)
    }

    /// Where a new entry goes in a flow collection: right after its last entry (so spacing
    /// before the closing bracket stays), or just inside the brackets when it is empty.
    fn flow_insert_point(&self, pos: &Positions, node: &Node) -> usize {
        let prefix = format!("{}/", node.pointer);
        pos.nodes()
            .iter()
            .filter(|n| n.pointer.starts_with(&prefix))
            .map(|n| self.value_end(n))
            .max()
            .unwrap_or(node.value.start + 1)
    }

    /// Where a node's text ends. An empty value's range sits at the end of its key, before
    /// the colon (see [`Editor::fill_empty`]); it ends after the colon.
    fn value_end(&self, n: &Node) -> usize {
        match (&n.key, n.value.is_empty()) {
            (Some(key), true) => {
                let rest = &self.yaml()[key.end..];
                let colon = key.end + rest.len() - rest.trim_start().len();
                if n.value.start <= colon && rest.trim_start().starts_with(':') {
                    colon + 1
                } else {
                    n.value.end
                }
            }
            _ => n.value.end,
        }
    }

    /// Indentation (in columns) of the keys of the block mapping `node`.
    fn key_indent(&self, pos: &Positions, node: &Node) -> usize {
        let first = pos.keys_of(&node.pointer).first().map(|(_, r)| r.start);
        first.map_or(0, |start| self.key_column(start))
    }

    /// The column of the key at byte `start`, counting what belongs to the key before it.
    fn key_column(&self, start: usize) -> usize {
        let yaml = self.yaml();
        let line = yaml[..start].rfind('\n').map_or(0, |i| i + 1);
        // A BOM the parser takes at the start of the document takes no column.
        let line = line
            + if yaml[line..].starts_with('\u{feff}') {
                3
            } else {
                0
            };
        // An anchor or tag before the key (`&a key:`, `! : v`) belongs to it, and so does
        // the explicit key indicator (`? key`): the key's column is where they start.
        let mut before = yaml[line..start].trim_end_matches([' ', '\t']);
        let mut col = start - line;
        while let Some(token) = before
            .rsplit([' ', '\t'])
            .next()
            .filter(|t| t.starts_with(['&', '!']) || *t == "?")
        {
            col = before.len() - token.len();
            before = before[..col].trim_end_matches([' ', '\t']);
        }
        col
    }

    fn insert(
        &mut self,
        pos: &Positions,
        parent: &Node,
        missing: &[&str],
        value: &Value,
    ) -> Result<(), EditError> {
        let nl = self.newline;
        let leaf = render(value, None);
        if parent.flow && !self.yaml()[parent.value.start..].starts_with('{') {
            // `[k: v]`: a single-pair mapping, which has no braces to add an entry in.
            return Err(EditError(format!(
                "`{}` is a single `key: value` pair in a list; write it as `{{key: value}}` first",
                crate::model::diag::dotted(&parent.pointer)
            )));
        }
        if parent.flow {
            // `{a: 1}` -> `{a: 1, b: 2}`; nested missing parents become flow mappings.
            let mut text = leaf;
            for key in missing.iter().skip(1).rev() {
                text = format!("{{{}: {text}}}", unescape(key));
            }
            let text = format!("{}: {text}", unescape(missing[0]));
            let at = self.flow_insert_point(pos, parent);
            let empty = pos.keys_of(&parent.pointer).is_empty();
            let sep = if empty { "" } else { ", " };
            self.splice(at..at, &format!("{sep}{text}"));
            return Ok(());
        }
        // The root's keys may be indented too (` id: A`): new keys line up with them.
        let indent = self.key_indent(pos, parent);
        let mut text = String::new();
        for (i, key) in missing.iter().enumerate() {
            let pad = " ".repeat(indent + 2 * i);
            if i + 1 == missing.len() {
                text.push_str(&format!("{pad}{}: {leaf}{nl}", unescape(key)));
            } else {
                text.push_str(&format!("{pad}{}:{nl}", unescape(key)));
            }
        }
        let at = if pos.keys_of(&parent.pointer).is_empty() {
            self.yaml().len()
        } else {
            self.content_end(pos, parent)
        };
        let yaml = self.yaml();
        let prefix = if at > 0 && !yaml[..at].ends_with('\n') {
            nl
        } else {
            ""
        };
        self.splice(at..at, &format!("{prefix}{text}"));
        Ok(())
    }

    /// Appends `item` (one line of flow YAML, e.g. `{ what: x, owner: y }`) to the list at
    /// `pointer`, creating the list when absent.
    pub fn append(&mut self, pointer: &str, item: &str) -> Result<(), EditError> {
        let pos = self.positions();
        let Some(node) = pos.get(pointer).cloned() else {
            return self.set(pointer, &Value::Raw(format!("[{item}]")));
        };
        if node.is_map || node.scalar_style.is_some() {
            return Err(EditError(format!(
                "`{}` is not a list",
                crate::model::diag::dotted(pointer)
            )));
        }
        if node.flow {
            // Right after the last item, so a trailing comma (`[a, b,]`) stays last.
            let close = self.flow_insert_point(&pos, &node);
            let empty = !pos
                .nodes()
                .iter()
                .any(|n| n.pointer.starts_with(&format!("{pointer}/")));
            let sep = if empty { "" } else { ", " };
            self.splice(close..close, &format!("{sep}{item}"));
            return Ok(());
        }
        let yaml = self.yaml();
        // Indentation of the existing `- ` markers: the column of the first item's dash.
        let first = node.value.start;
        let line_start = yaml[..first].rfind('\n').map_or(0, |i| i + 1);
        let dash = yaml[line_start..first]
            .find('-')
            .map_or(first - line_start, |i| i);
        let at = self.content_end(&pos, &node);
        let nl = self.newline;
        let text = format!("{}- {item}{nl}", " ".repeat(dash));
        self.splice(at..at, &text);
        Ok(())
    }
}

fn unescape(key: &str) -> String {
    key.replace("~1", "/").replace("~0", "~")
}

/// The JSON pointer for a dotted path (`status.actions.0.done` or `status.actions[0].done`).
pub fn pointer_of(dotted: &str) -> String {
    dotted
        .replace('[', ".")
        .replace(']', "")
        .split('.')
        .filter(|p| !p.is_empty())
        .map(|p| format!("/{}", escape(p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, f: impl FnOnce(&mut Editor)) -> String {
        let start = text.find('\n').map_or(0, |i| i + 1);
        let end = text[start..].find("---").map_or(text.len(), |i| start + i);
        let mut e = Editor::new(text.to_string(), start, end);
        f(&mut e);
        e.into_text()
    }

    #[test]
    fn replaces_only_the_value() {
        let t = "---\nid: A  # keep\nstep: gathering   # comment\ntitle: 'x'\n---\nbody\n";
        let out = edit(t, |e| {
            e.set("/step", &Value::Str("validation".into()))
                .expect("set")
        });
        assert_eq!(
            out,
            "---\nid: A  # keep\nstep: validation   # comment\ntitle: 'x'\n---\nbody\n"
        );
        let out = edit(t, |e| {
            e.set("/title", &Value::Str("it's".into())).expect("set")
        });
        assert!(out.contains("title: 'it''s'\n"), "{out}");
    }

    #[test]
    fn keeps_quote_style_and_crlf() {
        let t = "---\r\nstep: \"raised\"\r\nb: 1\r\n---\r\n";
        let out = edit(t, |e| {
            e.set("/step", &Value::Str("gathering".into()))
                .expect("set");
            e.set("/step_reason", &Value::Str("x: y".into()))
                .expect("set");
        });
        assert_eq!(
            out,
            "---\r\nstep: \"gathering\"\r\nb: 1\r\nstep_reason: \"x: y\"\r\n---\r\n"
        );
    }

    #[test]
    fn adds_keys_in_block_and_flow_mappings() {
        let t = "---\na: 1\nclosing:\n  date: 2026-01-01   # c\n  # trailing comment\nz: 2\nf: {x: 1}\n---\n";
        let out = edit(t, |e| {
            e.set("/closing/outcome", &Value::Str("resolved".into()))
                .expect("set");
            e.set("/f/y", &Value::Str("2".into())).expect("set");
            e.set("/new/deep", &Value::Str("v".into())).expect("set");
        });
        assert_eq!(
            out,
            "---\na: 1\nclosing:\n  date: 2026-01-01   # c\n  outcome: resolved\n  # trailing comment\nz: 2\nf: {x: 1, y: \"2\"}\nnew:\n  deep: v\n---\n"
        );
    }

    #[test]
    fn adds_a_key_after_its_sibling() {
        let t = "---\nid: A\nstep: raised   # c\ntitle: x\n---\n";
        let out = edit(t, |e| {
            e.set_after("/step_reason", &Value::Str("why".into()), "/step")
                .expect("set")
        });
        assert_eq!(
            out,
            "---\nid: A\nstep: raised   # c\nstep_reason: why\ntitle: x\n---\n"
        );
        let out = edit(&out, |e| {
            e.set_after("/step_reason", &Value::Str("again".into()), "/step")
                .expect("set")
        });
        assert_eq!(
            out,
            "---\nid: A\nstep: raised   # c\nstep_reason: again\ntitle: x\n---\n"
        );
    }

    #[test]
    fn fills_empty_values() {
        let t = "---\na:\nb:   # c\nc: &x\ns:\n  -\n  - \n? k\n:\n? q\nf: {z: , y: 1}\n---\n";
        let out = edit(t, |e| {
            for p in ["/a", "/b", "/c", "/s/0", "/s/1", "/k", "/f/z"] {
                e.set(p, &Value::Str("v".into())).expect(p);
            }
            assert!(e.set("/q", &Value::Str("v".into())).is_err());
        });
        assert_eq!(
            out,
            "---\na: v\nb: v   # c\nc: &x v\ns:\n  - v\n  - v\n? k\n: v\n? q\nf: {z: v , y: 1}\n---\n"
        );
    }

    #[test]
    fn adds_after_an_empty_value() {
        let t = "---\nf: [a, {k:}]\ng: {k: }\n---\n";
        let out = edit(t, |e| {
            e.set("/f/1/n", &Value::Str("v".into())).expect("set");
            e.set("/g/n", &Value::Str("v".into())).expect("set");
        });
        assert_eq!(out, "---\nf: [a, {k:, n: v}]\ng: {k:, n: v }\n---\n");
    }

    #[test]
    fn adds_to_an_indented_root_and_refuses_a_single_pair() {
        let t = "---\n  a: 1\n---\n";
        let out = edit(t, |e| e.set("/b", &Value::Raw("2".into())).expect("set"));
        assert_eq!(out, "---\n  a: 1\n  b: 2\n---\n");
        let t = "---\n&a a: 1\n---\n";
        let out = edit(t, |e| e.set("/b", &Value::Raw("2".into())).expect("set"));
        assert_eq!(out, "---\n&a a: 1\nb: 2\n---\n");
        let t = "---\n? &a k\n---\n";
        let out = edit(t, |e| e.set("/b", &Value::Raw("2".into())).expect("set"));
        assert_eq!(out, "---\n? &a k\nb: 2\n---\n");
        let t = "---\n\u{feff}a: 1\n---\n";
        let out = edit(t, |e| e.set("/b", &Value::Raw("2".into())).expect("set"));
        assert_eq!(out, "---\n\u{feff}a: 1\nb: 2\n---\n");
        let t = "---\ns: [i: 1]\n---\n";
        edit(t, |e| {
            assert!(e.set("/s/0/j", &Value::Raw("2".into())).is_err())
        });
    }

    #[test]
    fn adds_after_a_tagged_sibling() {
        let t = "---\n!<x> step: g\n---\n";
        let out = edit(t, |e| {
            e.set_after("/step_reason", &Value::Str("r".into()), "/step")
                .expect("set")
        });
        assert_eq!(out, "---\n!<x> step: g\nstep_reason: r\n---\n");
    }

    #[test]
    fn keeps_anchors_and_comments_next_to_replaced_values() {
        let t = "---\ne: &fz |\n  text\nf: *fz\np:\n- # c\n---\n";
        let out = edit(t, |e| {
            e.set("/e", &Value::Str("new".into())).expect("set");
            e.set("/p/0", &Value::Str("v".into())).expect("set");
        });
        assert_eq!(out, "---\ne: &fz new\nf: *fz\np:\n- v # c\n---\n");
    }

    #[test]
    fn adds_after_an_alias() {
        let t = "---\ne: &b x\nd:\n  e:\n  f: *b\n---\n";
        let out = edit(t, |e| e.set("/n", &Value::Raw("1".into())).expect("set"));
        assert_eq!(out, "---\ne: &b x\nd:\n  e:\n  f: *b\nn: 1\n---\n");
    }

    #[test]
    fn replaces_block_scalars() {
        let t = "---\nr: |\n  one\n  two\nz: 1\n---\n";
        let out = edit(t, |e| e.set("/r", &Value::Str("new".into())).expect("set"));
        assert_eq!(out, "---\nr: new\nz: 1\n---\n");
        let t = "---\nm:\n  d: >-\n    one\n    two\n  t: [x]\n---\n";
        let out = edit(t, |e| {
            e.set("/m/d", &Value::Str("new".into())).expect("set")
        });
        assert_eq!(out, "---\nm:\n  d: new\n  t: [x]\n---\n");
    }

    #[test]
    fn adds_to_flow_mappings_right_after_the_last_entry() {
        let t = "---\na: [ { x: 1, y: 2 } ]\n---\n";
        let out = edit(t, |e| {
            e.set("/a/0/z", &Value::Raw("3".into())).expect("set")
        });
        assert_eq!(out, "---\na: [ { x: 1, y: 2, z: 3 } ]\n---\n");
    }

    #[test]
    fn appends_to_lists() {
        let t = "---\ns:\n  - a\n  - b   # c\nf: [x]\ne: []\nt: [ x, [y], ]\n---\n";
        let out = edit(t, |e| {
            e.append("/s", "c").expect("append");
            e.append("/f", "y").expect("append");
            e.append("/e", "z").expect("append");
            e.append("/t", "z").expect("append");
            e.append("/n", "{ k: v }").expect("append");
        });
        assert_eq!(
            out,
            "---\ns:\n  - a\n  - b   # c\n  - c\nf: [x, y]\ne: [z]\nt: [ x, [y], z, ]\nn: [{ k: v }]\n---\n"
        );
    }

    #[test]
    fn pointers_from_dotted_paths() {
        assert_eq!(
            pointer_of("status.actions[0].done"),
            "/status/actions/0/done"
        );
        assert_eq!(pointer_of("step"), "/step");
    }
}

#[cfg(test)]
mod quoting {
    use super::yaml_scalar;

    #[test]
    fn quotes_what_any_yaml_reader_takes_for_other_than_text() {
        for s in [
            "012345", "0012", "1_000", "1e3", "0x1F", "1:20", ".5", "yes", "off", "~",
        ] {
            assert_eq!(yaml_scalar(s), format!("\"{s}\""), "{s}");
        }
        for s in [
            "2026-11-26",
            "hello",
            "exchange-online",
            "CRM-1",
            "S1500",
            "Dana Whitfield",
        ] {
            assert_eq!(yaml_scalar(s), s, "{s}");
        }
    }
}

#[cfg(test)]
mod property {
    //! Edits every sample and thousands of variants of them (CRLF, BOM, quoting, comments,
    //! flow style), and checks that only the intended bytes changed: every other line is
    //! identical, and the data reads back equal except for the edited field.
    use super::*;
    use serde_json::Value as Json;

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn samples() -> Vec<String> {
        let mut out = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("escalations");
        for month in std::fs::read_dir(root).expect("escalations/") {
            for f in std::fs::read_dir(month.expect("entry").path()).expect("month") {
                out.push(std::fs::read_to_string(f.expect("file").path()).expect("read"));
            }
        }
        out.sort();
        assert!(out.len() >= 8, "the samples are there");
        out
    }

    /// A variant of `text`: line endings, BOM, the step's quoting and a comment after it.
    fn variant(text: &str, rng: &mut Rng) -> String {
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        if let Some(l) = lines.iter_mut().find(|l| l.starts_with("step:")) {
            let v = l["step:".len()..]
                .trim()
                .split(" #")
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            let v = v.trim_matches(['"', '\'']).to_string();
            let quoted = match rng.pick(3) {
                0 => v,
                1 => format!("'{v}'"),
                _ => format!("\"{v}\""),
            };
            let pad = " ".repeat(rng.pick(4) + 1);
            *l = match rng.pick(3) {
                0 => format!("step:{pad}{quoted}"),
                1 => format!("step: {quoted}{pad}# the step"),
                _ => format!("step: {quoted}"),
            };
        }
        if rng.pick(4) == 0 {
            // A comment line before some top-level key.
            let end = lines.iter().skip(1).position(|l| l == "---").unwrap_or(1);
            let keys: Vec<usize> = (1..=end)
                .filter(|&i| lines[i].starts_with(|c: char| c.is_ascii_alphabetic()))
                .collect();
            if !keys.is_empty() {
                let at = keys[rng.pick(keys.len())];
                lines.insert(at, "# a comment line".into());
            }
        }
        let nl = if rng.pick(3) == 0 { "\r\n" } else { "\n" };
        let bom = if rng.pick(5) == 0 { "\u{feff}" } else { "" };
        format!("{bom}{}{nl}", lines.join(nl))
    }

    fn data(text: &str) -> (Json, usize, usize) {
        let s = crate::model::document::split(text).expect("split");
        let v = crate::model::document::parse_yaml(&s).expect("yaml");
        (v, s.yaml_start, s.yaml_start + s.yaml.len())
    }

    fn changed_lines(a: &str, b: &str) -> Vec<usize> {
        let (a, b): (Vec<&str>, Vec<&str>) = (a.split('\n').collect(), b.split('\n').collect());
        (0..a.len().max(b.len()))
            .filter(|&i| a.get(i) != b.get(i))
            .collect()
    }

    #[test]
    fn only_the_intended_bytes_change() {
        let steps = [
            "raised",
            "gathering",
            "validation",
            "stakeholders",
            "management",
            "resolution",
            "closed",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut edits = 0;
        for sample in samples() {
            for _ in 0..60 {
                let text = variant(&sample, &mut rng);
                let (before, start, end) = data(&text);
                let to = steps[rng.pick(steps.len())];

                // Change the step: exactly one line differs, and only the step's value.
                let mut e = Editor::new(text.clone(), start, end);
                e.set("/step", &Value::Str(to.into())).expect("set step");
                let out = e.into_text();
                let (after, ..) = data(&out);
                let mut expect = before.clone();
                expect["step"] = Json::String(to.into());
                assert_eq!(after, expect, "data after setting step in:\n{text}");
                let lines = changed_lines(&text, &out);
                assert!(
                    lines.len() <= 1,
                    "one line at most: {lines:?}\n{text}\n{out}"
                );
                if let Some(&l) = lines.first() {
                    let old = text.split('\n').nth(l).unwrap_or("");
                    let new = out.split('\n').nth(l).unwrap_or("");
                    // Same key, same comment, same line ending.
                    assert!(new.starts_with("step:") && old.starts_with("step:"));
                    assert_eq!(old.ends_with('\r'), new.ends_with('\r'));
                    assert_eq!(old.contains("# the step"), new.contains("# the step"));
                }

                // Add a reason after `step`: one line added, nothing else moves.
                let mut e = Editor::new(text.clone(), start, end);
                e.set_after(
                    "/step_reason",
                    &Value::Str("Customer: \"not yet\" #2".into()),
                    "/step",
                )
                .expect("set reason");
                let out = e.into_text();
                let (after, ..) = data(&out);
                let mut expect = before.clone();
                expect["step_reason"] = Json::String("Customer: \"not yet\" #2".into());
                if before.get("step_reason").is_none() {
                    assert_eq!(
                        out.len() - text.len(),
                        out.lines()
                            .find(|l| l.starts_with("step_reason:"))
                            .map_or(0, |l| l.len() + if text.contains("\r\n") { 2 } else { 1 }),
                        "one line added"
                    );
                }
                assert_eq!(after, expect, "data after adding the reason");
                // One contiguous region differs: the old reason's lines (if any) became one line.
                let (a, b): (Vec<&str>, Vec<&str>) =
                    (text.lines().collect(), out.lines().collect());
                let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
                let tail = a
                    .iter()
                    .rev()
                    .zip(b.iter().rev())
                    .take_while(|(x, y)| x == y)
                    .count();
                let (old_region, new_region) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
                assert_eq!(new_region.len(), 1, "one new line: {new_region:?}");
                assert!(new_region[0].starts_with("step_reason: "));
                assert!(
                    old_region.iter().enumerate().all(|(i, l)| if i == 0 {
                        l.starts_with("step_reason:")
                    } else {
                        l.starts_with(' ')
                    }),
                    "only the old reason was replaced: {old_region:?}"
                );

                // Append a meeting and set a nested field.
                let mut e = Editor::new(text.clone(), start, end);
                e.append(
                    "/meetings",
                    "{ date: 2026-11-20, kind: internal, summary: \"a | b\" }",
                )
                .expect("append");
                e.set("/closing/outcome", &Value::Str("resolved".into()))
                    .expect("set nested");
                let out = e.into_text();
                let (after, ..) = data(&out);
                let mut expect = before.clone();
                let meeting = serde_json::json!({"date": "2026-11-20", "kind": "internal", "summary": "a | b"});
                match expect.get_mut("meetings").and_then(Json::as_array_mut) {
                    Some(m) => m.push(meeting),
                    None => expect["meetings"] = Json::Array(vec![meeting]),
                }
                match expect.get_mut("closing").and_then(Json::as_object_mut) {
                    Some(c) => {
                        c.insert("outcome".into(), "resolved".into());
                    }
                    None => expect["closing"] = serde_json::json!({"outcome": "resolved"}),
                }
                assert_eq!(
                    after, expect,
                    "data after append and nested set in:\n{text}\n---\n{out}"
                );
                // The body is untouched.
                let body = |t: &str| {
                    t[crate::model::document::split(t).expect("split").body_start..].to_string()
                };
                assert_eq!(body(&out), body(&text));
                edits += 3;
            }
        }
        assert!(edits >= 3 * 60 * 8);
    }
}
