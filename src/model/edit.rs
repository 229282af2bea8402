//! Surgical edits of front matter: change one value, add one key, append one list item.
//!
//! Every edit works on the file's text with the parser's byte ranges and rewrites only the
//! bytes it must: comments, key order, quoting, blank lines, line endings and the Markdown
//! body stay exactly as they were. Nothing is ever re-serialised.

use crate::model::layout;
use crate::model::scalar::{self, Context};
pub use crate::model::value::{Value, yaml_scalar};
use crate::model::value::{after_key, double_quoted, fits_style, flow, item};
use crate::model::yamlpos::{Node, Positions, ScalarStyle, escape};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The front matter of one file, being edited. Offsets are into the whole file's text.
pub struct Editor {
    pub(super) text: String,
    yaml_start: usize,
    pub(super) yaml_end: usize,
    newline: &'static str,
}

impl Editor {
    /// `yaml` is `text[yaml_start..yaml_end]`, the front matter between the fences.
    pub fn new(text: String, yaml_start: usize, yaml_end: usize) -> Editor {
        // The line ending of the front matter's first line: the range may end with the
        // closing fence, whose ending can differ.
        let newline = match text[yaml_start..yaml_end].find('\n') {
            Some(i) if text[yaml_start..yaml_start + i].ends_with('\r') => "\r\n",
            _ => "\n",
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

    /// The positions of every node, once the text is one esc can edit safely.
    fn positions(&self) -> Result<Positions, EditError> {
        let yaml = self.yaml();
        // YAML reads a lone CR as a line break; every edit here finds lines by `\n`.
        if yaml
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'\r' && w[1] != b'\n')
            || yaml.ends_with('\r')
        {
            return Err(EditError(
                "the front matter uses a lone CR as a line break; save it with LF or CRLF line endings first".into(),
            ));
        }
        Ok(Positions::build(yaml))
    }

    fn splice(&mut self, at: std::ops::Range<usize>, with: &str) {
        let (a, b) = (self.yaml_start + at.start, self.yaml_start + at.end);
        self.text.replace_range(a..b, with);
        self.yaml_end = self.yaml_end + with.len() - (b - a);
    }

    /// Refuses to edit a node whose anchor (or an ancestor's) is used by an alias: the
    /// edit would change the alias too, silently.
    fn refuse_aliased(&self, pos: &Positions, pointer: &str) -> Result<(), EditError> {
        for n in pos.nodes() {
            let covers = pointer == n.pointer
                || pointer.starts_with(&format!("{}/", n.pointer))
                || n.pointer.is_empty();
            if n.anchor != 0 && covers && pos.nodes().iter().any(|a| a.alias_of == n.anchor) {
                return Err(EditError(format!(
                    "`{}` is anchored (`&`) and used elsewhere by an alias (`*`); changing it here would change that too, so edit it by hand",
                    crate::model::diag::dotted(&n.pointer)
                )));
            }
        }
        Ok(())
    }

    /// Sets the value at `pointer` (e.g. `/step`, `/closing/outcome`), adding the key, and
    /// any missing parent mappings, when absent. The result is read back: an edit that would
    /// not read as the value set is tried once more with every text on one quoted line, and
    /// refused if that does not read back either; the text is then as it was.
    pub fn set(&mut self, pointer: &str, value: &Value) -> Result<(), EditError> {
        self.checked(pointer, value, false, &mut |e, v| e.set_raw(pointer, v))
    }

    /// Like [`Editor::set`], but a key that must be added goes right after the line of the
    /// sibling `after` (e.g. `step_reason` after `step`) when that is in the same block mapping.
    pub fn set_after(
        &mut self,
        pointer: &str,
        value: &Value,
        after: &str,
    ) -> Result<(), EditError> {
        self.checked(pointer, value, false, &mut |e, v| {
            e.set_after_raw(pointer, v, after)
        })
    }

    /// Appends `item` to the list at `pointer`, creating the list when absent: a block list
    /// gets a block item (a mapping one key per line), a flow list a flow item. Read back like
    /// [`Editor::set`].
    pub fn append(&mut self, pointer: &str, item: &Value) -> Result<(), EditError> {
        self.checked(pointer, item, true, &mut |e, v| e.append_raw(pointer, v))
    }

    /// Like [`Editor::set`], but a key that must be added goes right after the line of the
    /// sibling `after` (e.g. `step_reason` after `step`) when that is in the same block mapping.
    fn set_after_raw(
        &mut self,
        pointer: &str,
        value: &Value,
        after: &str,
    ) -> Result<(), EditError> {
        let pos = self.positions()?;
        let same_parent =
            pointer.rsplit_once('/').map(|p| p.0) == after.rsplit_once('/').map(|p| p.0);
        let parent = pointer.rsplit_once('/').map_or("", |p| p.0);
        let block = pos.get(parent).is_some_and(|n| n.is_map && !n.flow);
        match pos.get(after) {
            Some(sib)
                if pos.get(pointer).is_none() && same_parent && block && sib.key.is_some() =>
            {
                self.refuse_aliased(&pos, pointer)?;
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
                    layout::content_end(self.yaml(), &pos, &sib)
                };
                let key_start = sib.key.as_ref().map_or(0, |k| k.start);
                let (indent, lead) =
                    layout::column(self.yaml(), layout::node_start(self.yaml(), key_start));
                let lead = lead.to_string();
                let end = layout::past_deeper_comments(self.yaml(), end, indent);
                let key = pointer.rsplit('/').next().unwrap_or_default();
                let nl = self.newline;
                let prefix = if end > 0 && !yaml[..end].ends_with('\n') {
                    nl
                } else {
                    ""
                };
                let text = format!(
                    "{prefix}{lead}{}:{}{nl}",
                    scalar::key(&unescape(key), Context::Block),
                    after_key(value, indent, nl)
                );
                self.splice(end..end, &text);
                Ok(())
            }
            _ => self.set_raw(pointer, value),
        }
    }

    /// Sets the value at `pointer` (e.g. `/step`, `/closing/outcome`), adding the key, and
    /// any missing parent mappings, when absent.
    fn set_raw(&mut self, pointer: &str, value: &Value) -> Result<(), EditError> {
        let pos = self.positions()?;
        self.refuse_aliased(&pos, pointer)?;
        if let Some(node) = pos.get(pointer) {
            let node = node.clone();
            return self.replace(&pos, &node, value);
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

    /// Whether the node at `pointer` sits inside a flow collection.
    fn in_flow(pos: &Positions, pointer: &str) -> bool {
        let parent = pointer.rsplit_once('/').map_or("", |p| p.0);
        pos.get(parent).is_some_and(|n| n.flow)
    }

    fn replace(&mut self, pos: &Positions, node: &Node, value: &Value) -> Result<(), EditError> {
        let yaml = self.yaml();
        let nl = self.newline;
        let flow_ctx = Self::in_flow(pos, &node.pointer);
        // The column that owns the value: its key's, or for a list item its dash's.
        let indent = match &node.key {
            Some(k) => layout::column(self.yaml(), k.start).0,
            None => {
                let (col, lead) = layout::column(self.yaml(), node.value.start);
                lead.rfind('-').map_or(col, |d| lead[..d].chars().count())
            }
        };
        match node.scalar_style {
            _ if node.value.is_empty() && node.scalar_style == Some(ScalarStyle::Plain) => {
                // An empty value (`a:`, `a:   # c`, `{a, b}`): its range is empty and sits at
                // the end of the key, so write after the colon (adding one in flow).
                let at = node.value.start;
                let rest = &yaml[at..];
                let Some(after_colon) = rest.strip_prefix(':').map(|_| at + 1) else {
                    if flow_ctx {
                        self.splice(at..at, &format!(": {}", flow(value)));
                        return Ok(());
                    }
                    return Err(EditError(format!(
                        "cannot find the colon of `{}`",
                        crate::model::diag::dotted(&node.pointer)
                    )));
                };
                if flow_ctx {
                    self.splice(after_colon..after_colon, &format!(" {}", flow(value)));
                    return Ok(());
                }
                let blanks = yaml[after_colon..]
                    .find(|c: char| c != ' ' && c != '\t')
                    .map_or(yaml.len(), |i| after_colon + i);
                let mut text = after_key(value, indent, nl);
                if let Value::Str(s) = value
                    && text.contains(nl)
                    && layout::comments_follow(self.yaml(), blanks, indent)
                {
                    // A `|` block would take the comment lines below for its content.
                    text = format!(" {}", double_quoted(s));
                }
                if yaml[blanks..].starts_with('#') {
                    // Keep the comment: after a `|` header, or after the value on its line.
                    let comment_end = yaml[blanks..].find('\n').map_or(yaml.len(), |i| blanks + i);
                    // A CRLF line keeps its CR with its line break, not with the comment.
                    let comment_end = if yaml[..comment_end].ends_with('\r') {
                        comment_end - 1
                    } else {
                        comment_end
                    };
                    let comment = &yaml[after_colon..comment_end];
                    let text = match text.split_once(nl) {
                        Some((head, body)) => format!("{head}{comment}{nl}{body}"),
                        None => format!("{text}{comment}"),
                    };
                    self.splice(after_colon..comment_end, &text);
                } else {
                    self.splice(after_colon..blanks, &text);
                }
                Ok(())
            }
            Some(ScalarStyle::Literal | ScalarStyle::Folded) => {
                // A block scalar: its range covers the content lines (and their line break),
                // not the `|` indicator. Replace from just after the key's colon.
                let key = node
                    .key
                    .clone()
                    .ok_or_else(|| EditError("cannot edit a block scalar in a list".into()))?;
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
                let text = format!("{}{nl}", after_key(value, indent, nl));
                self.splice(colon..end, &text);
                Ok(())
            }
            Some(style) => {
                // A tag (`!!int 1`) says what the old value was; it goes with it.
                let mut start = node.value.start;
                if node.tagged {
                    let before = yaml[..start].trim_end_matches([' ', '\t']);
                    if let Some(tag) = before.rfind([' ', '\t', ':', '-', '[', '{', ','])
                        && before[tag + 1..].starts_with('!')
                    {
                        start = tag + 1;
                    }
                }
                let text = match value {
                    Value::Str(s) if fits_style(s, style) && style == ScalarStyle::SingleQuoted => {
                        format!("'{}'", s.replace('\'', "''"))
                    }
                    Value::Str(s) if fits_style(s, style) => double_quoted(s),
                    _ if flow_ctx => flow(value),
                    // A `|` block would take deeper comment lines below for its content.
                    Value::Str(s)
                        if s.contains('\n')
                            && layout::comments_follow(self.yaml(), node.value.end, indent) =>
                    {
                        double_quoted(s)
                    }
                    _ => after_key(value, indent, nl)
                        .strip_prefix(' ')
                        .map(String::from)
                        .unwrap_or_else(|| after_key(value, indent, nl)),
                };
                match text.split_once(nl) {
                    // Several lines (a `|` block, a block collection) in block context: the
                    // rest of the old value's line (a comment) goes after the header.
                    Some((head, body)) if !flow_ctx => {
                        let line_end = yaml[node.value.end..]
                            .find('\n')
                            .map_or(yaml.len(), |i| node.value.end + i);
                        let line_end = if yaml[..line_end].ends_with('\r') {
                            line_end - 1
                        } else {
                            line_end
                        };
                        let rest = yaml[node.value.end..line_end].to_string();
                        let (head, body) = (head.to_string(), body.to_string());
                        let text = if head.is_empty() {
                            // A block collection starts on the next line.
                            format!("{rest}{nl}{body}")
                        } else {
                            format!("{head}{rest}{nl}{body}")
                        };
                        let start = if head.is_empty() {
                            yaml[..start].trim_end_matches([' ', '\t']).len()
                        } else {
                            start
                        };
                        self.splice(start..line_end, &text);
                    }
                    _ => self.splice(start..node.value.end, &text),
                }
                Ok(())
            }
            // A list or mapping replaced by a new value (`esc set F=a,b` gives `[a, b]`).
            None if matches!(value, Value::Raw(_) | Value::List(_) | Value::Map(_)) => {
                if node.flow || flow_ctx {
                    self.splice(node.value.clone(), &flow(value));
                    return Ok(());
                }
                // A block collection: from just after the key's colon to the end of its last
                // line (the key's own trailing comment goes with the old value).
                let key = node.key.clone().ok_or_else(|| {
                    EditError("cannot replace a block collection in a list".into())
                })?;
                let colon = yaml[key.end..node.value.start]
                    .find(':')
                    .map(|i| key.end + i + 1)
                    .ok_or_else(|| EditError("cannot find the key's colon".into()))?;
                let end = layout::content_end(self.yaml(), pos, node);
                let text = format!("{}{nl}", after_key(value, indent, nl));
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

    fn insert(
        &mut self,
        pos: &Positions,
        parent: &Node,
        missing: &[&str],
        value: &Value,
    ) -> Result<(), EditError> {
        let nl = self.newline;
        // The new value, with the missing parents as nested mappings.
        let mut nested = value.clone();
        for key in missing.iter().skip(1).rev() {
            nested = Value::Map(vec![(unescape(key), nested)]);
        }
        let first = unescape(missing[0]);
        if parent.flow {
            let text = format!("{}: {}", scalar::key(&first, Context::Flow), flow(&nested));
            let at = layout::flow_insert_point(pos, parent);
            let empty = pos.keys_of(&parent.pointer).is_empty();
            let yaml = self.yaml();
            if !yaml[parent.value.start..].starts_with('{') {
                // An implicit pair in a flow list (`[a: b]`): a second key there would be
                // a second item, so make it a mapping of its own.
                let end = parent.value.end;
                self.splice(end..end, &format!(", {text}}}"));
                self.splice(parent.value.start..parent.value.start, "{");
                return Ok(());
            }
            let sep = if empty { "" } else { ", " };
            self.splice(at..at, &format!("{sep}{text}"));
            return Ok(());
        }
        // New keys line up with the mapping's existing keys, with the same leading text
        // (an indented root mapping keeps its indentation).
        let keys = pos.keys_of(&parent.pointer);
        let (indent, lead) = match keys.first() {
            Some((_, r)) => {
                // The mapping starts at its first key, with that key's properties, or at the
                // `?` of an explicit one.
                let at = layout::node_start(self.yaml(), r.start).min(
                    parent.value.start.max(
                        self.yaml()[..r.start]
                            .rfind('\n')
                            .map_or(0, |i| i + 1)
                            .min(r.start),
                    ),
                );
                let (col, lead) = layout::column(self.yaml(), at);
                if lead.contains('\t') {
                    return Err(EditError(
                        "the keys here are indented with a tab, which YAML does not allow for indentation; indent them with spaces first".into(),
                    ));
                }
                // A list item's first key shares its line with the dash.
                let lead = if lead.trim().is_empty() {
                    lead.to_string()
                } else {
                    " ".repeat(col)
                };
                (col, lead)
            }
            None => (0, String::new()),
        };
        let text = format!(
            "{lead}{}:{}{nl}",
            scalar::key(&first, Context::Block),
            after_key(&nested, indent, nl)
        );
        let at = if keys.is_empty() {
            self.yaml().len()
        } else {
            let end = layout::content_end(self.yaml(), pos, parent);
            layout::past_deeper_comments(self.yaml(), end, indent)
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

    /// Appends `item` to the list at `pointer`, creating the list when absent: a block list
    /// gets a block item (a mapping one key per line), a flow list a flow item.
    fn append_raw(&mut self, pointer: &str, item_value: &Value) -> Result<(), EditError> {
        let pos = self.positions()?;
        self.refuse_aliased(&pos, pointer)?;
        let Some(node) = pos.get(pointer).cloned() else {
            // A new list: a block list of this one item.
            return self.set_new_list(pointer, item_value);
        };
        if node.is_map || node.scalar_style.is_some() {
            return Err(EditError(format!(
                "`{}` is not a list",
                crate::model::diag::dotted(pointer)
            )));
        }
        if node.flow {
            let empty = !pos
                .nodes()
                .iter()
                .any(|n| n.pointer.starts_with(&format!("{pointer}/")));
            let at = if empty {
                node.value.end.saturating_sub(1)
            } else {
                layout::flow_insert_point(&pos, &node)
            };
            let sep = if empty { "" } else { ", " };
            self.splice(at..at, &format!("{sep}{}", flow(item_value)));
            return Ok(());
        }
        let yaml = self.yaml();
        // Indentation of the existing `- ` markers: the column of the list's own first dash
        // (where a block list starts; in `- - x` the inner list starts at the second dash).
        let first = node.value.start;
        let line_start = yaml[..first].rfind('\n').map_or(0, |i| i + 1);
        let dash = if yaml[first..].starts_with('-') {
            first - line_start
        } else {
            yaml[line_start..first]
                .rfind('-')
                .map_or(first - line_start, |i| i)
        };
        let at = layout::content_end(self.yaml(), &pos, &node);
        let at = layout::past_deeper_comments(self.yaml(), at, dash);
        let nl = self.newline;
        let prefix = if at > 0 && !yaml[..at].ends_with('\n') {
            nl
        } else {
            ""
        };
        let text = format!(
            "{prefix}{}- {}{nl}",
            " ".repeat(dash),
            item(item_value, dash, nl)
        );
        self.splice(at..at, &text);
        Ok(())
    }

    /// Adds the list `pointer` with one item, as a block list (or a flow one inside flow).
    fn set_new_list(&mut self, pointer: &str, first: &Value) -> Result<(), EditError> {
        let pos = self.positions()?;
        let parent = pointer.rsplit_once('/').map_or("", |p| p.0);
        let in_flow = pos.get(parent).is_some_and(|n| n.flow);
        if in_flow {
            return self.set_raw(pointer, &Value::List(vec![first.clone()]));
        }
        // Build `key:\n  - item` through `set` with a placeholder list, so parents are
        // added as needed, then write the item in block style.
        self.set_raw(pointer, &Value::Raw("[]".into()))?;
        let pos = self.positions()?;
        let node = pos
            .get(pointer)
            .cloned()
            .ok_or_else(|| EditError("the new list is not where it was written".into()))?;
        let key = node
            .key
            .clone()
            .ok_or_else(|| EditError("a new list must have a key".into()))?;
        let (col, _) = layout::column(self.yaml(), key.start);
        let nl = self.newline;
        let dash = col + 2;
        let text = format!("{nl}{}- {}", " ".repeat(dash), item(first, dash, nl));
        // Replace ` []` with the block list.
        let yaml = self.yaml();
        let start = yaml[..node.value.start].trim_end_matches(' ').len();
        self.splice(start..node.value.end, &text);
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
            "---\r\nstep: \"gathering\"\r\nb: 1\r\nstep_reason: 'x: y'\r\n---\r\n"
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
            "---\na: 1\nclosing:\n  date: 2026-01-01   # c\n  outcome: resolved\n  # trailing comment\nz: 2\nf: {x: 1, 'y': '2'}\nnew:\n  deep: v\n---\n"
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
        let t = "---\ns:\n  - a\n  - b   # c\nf: [x]\ne: []\n---\n";
        let out = edit(t, |e| {
            e.append("/s", &Value::Str("c".into())).expect("append");
            e.append("/f", &Value::Str("y".into())).expect("append");
            e.append("/e", &Value::Str("z".into())).expect("append");
            e.append("/n", &Value::map([("k", Some(Value::Str("v".into())))]))
                .expect("append");
        });
        assert_eq!(
            out,
            "---\ns:\n  - a\n  - b   # c\n  - c\nf: [x, 'y']\ne: [z]\n'n':\n  - k: v\n---\n"
        );
    }

    /// Issue 9's findings from mutation fuzzing, each with its minimal input, and the
    /// first meeting a new user recorded. Each edit must read back as the value set.
    #[test]
    fn regressions_from_fuzzing_and_first_use() {
        let s = |v: &str| Value::Str(v.into());
        let read = |t: &str| -> serde_json::Value {
            let start = t.find('\n').map_or(0, |i| i + 1);
            let end = t[start..].rfind("---").map_or(t.len(), |i| start + i);
            serde_saphyr::from_str_with_options(
                &t[start..end],
                crate::model::document::yaml_options(),
            )
            .unwrap_or_else(|e| panic!("does not parse: {e}\n{t}"))
        };
        // 1. An empty value: written after the colon, the key kept, a comment kept.
        for (t, want) in [
            ("---\na:\nb: 1\n---\n", "---\na: x\nb: 1\n---\n"),
            (
                "---\na:   # why\nb: 1\n---\n",
                "---\na: x   # why\nb: 1\n---\n",
            ),
            ("---\na: \t\nb: 1\n---\n", "---\na: x\nb: 1\n---\n"),
            ("---\nm: {a, b}\n---\n", "---\nm: {a: x, b}\n---\n"),
        ] {
            let ptr = if t.contains('{') { "/m/a" } else { "/a" };
            assert_eq!(edit(t, |e| e.set(ptr, &s("x")).expect("set")), want);
        }
        // 2. Flow context quotes what flow needs; block context does not.
        let out = edit("---\nx: { p: P2, note: x }\n---\n", |e| {
            e.set("/x/note", &s("call back, then close")).expect("set")
        });
        assert_eq!(read(&out)["x"]["note"], "call back, then close", "{out}");
        let out = edit("---\nnote: x\n---\n", |e| {
            e.set("/note", &s("Call Lena, then Sam")).expect("set")
        });
        assert_eq!(out, "---\nnote: Call Lena, then Sam\n---\n");
        // 3. Control characters are escaped.
        for v in [
            "a\u{7f}b",
            "a\u{85}b",
            "a\u{fffe}b",
            "a\u{ffff}b",
            "tab\there",
        ] {
            let out = edit("---\na: 1\n---\n", |e| e.set("/a", &s(v)).expect("set"));
            assert_eq!(read(&out)["a"], v, "{out:?}");
        }
        // 4. A flow list with a trailing comma.
        let out = edit("---\nk: [a,]\n---\n", |e| {
            e.append("/k", &s("x")).expect("append")
        });
        assert_eq!(read(&out)["k"], serde_json::json!(["a", "x"]), "{out}");
        // 5. Mixed line endings: the front matter's own ending, not the closing fence's.
        let out = edit("---\na: 1\n---\r\n", |e| e.set("/b", &s("x")).expect("set"));
        assert_eq!(out, "---\na: 1\nb: x\n---\r\n");
        // 6. An indented root mapping keeps its indentation.
        let out = edit("---\n id: A\n---\n", |e| e.set("/b", &s("x")).expect("set"));
        assert_eq!(out, "---\n id: A\n b: x\n---\n");
        // 7. A lone CR as a line break is refused, not misread.
        let mut e = Editor::new("---\nid: A\rstep: x\n---\n".into(), 4, 19);
        assert!(e.set("/b", &s("x")).is_err());
        // 8. A tag goes with the value it described.
        let out = edit("---\na: !!int 1\n---\n", |e| {
            e.set("/a", &s("x")).expect("set")
        });
        assert_eq!(out, "---\na: x\n---\n");
        // 9. An implicit pair in a flow list stays one item.
        let out = edit("---\nk: [a: b]\n---\n", |e| {
            e.set("/k/0/c", &s("d")).expect("set")
        });
        assert_eq!(
            read(&out)["k"],
            serde_json::json!([{"a": "b", "c": "d"}]),
            "{out}"
        );
        // 10. An anchored list used by an alias is not changed behind the alias's back.
        let mut e = Editor::new("---\na: &l [x]\nb: *l\n---\n".into(), 4, 22);
        assert!(e.append("/a", &s("y")).is_err());
        // New meetings are block mappings, one key per line; names with commas stay whole.
        let out = edit(
            "---\nmeetings:\n  - { date: 2026-11-01, kind: internal, summary: x }\n---\n",
            |e| {
                e.append(
                    "/meetings",
                    &Value::map([
                        ("date", Some(Value::Raw("2026-11-30".into()))),
                        (
                            "attendees",
                            Some(Value::List(vec![s("Raman, Priya"), s("Sam")])),
                        ),
                        ("summary", Some(s("Reviewed logs, agreed next steps"))),
                    ]),
                )
                .expect("append")
            },
        );
        assert_eq!(
            out,
            "---\nmeetings:\n  - { date: 2026-11-01, kind: internal, summary: x }\n  - date: 2026-11-30\n    attendees: ['Raman, Priya', Sam]\n    summary: Reviewed logs, agreed next steps\n---\n"
        );
        assert_eq!(read(&out)["meetings"][1]["attendees"][0], "Raman, Priya");
        // Multi-line text becomes a `|` block at the file's indentation.
        let out = edit("---\nstatus:\n  brief: x  # c\n---\n", |e| {
            e.set("/status/brief", &s("line one\nline two"))
                .expect("set")
        });
        assert_eq!(
            out,
            "---\nstatus:\n  brief: |-  # c\n    line one\n    line two\n---\n"
        );
        assert_eq!(read(&out)["status"]["brief"], "line one\nline two");
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
            assert_eq!(yaml_scalar(s, 0), format!("'{s}'"), "{s}");
        }
        for s in [
            "2026-11-26",
            "hello",
            "exchange-online",
            "CRM-1",
            "S1500",
            "Dana Whitfield",
        ] {
            assert_eq!(yaml_scalar(s, 0), s, "{s}");
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
                    &Value::map([
                        ("date", Some(Value::Raw("2026-11-20".into()))),
                        ("kind", Some(Value::Str("internal".into()))),
                        ("summary", Some(Value::Str("a | b".into()))),
                    ]),
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
