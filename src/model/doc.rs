//! One escalation file parsed: its text, where the front matter sits, and the data.

use crate::model::diag::{Diagnostic, Issue, dotted, show};
use crate::model::document::{self, Split};
use crate::model::yamlpos::Positions;
use serde_json::Value;

/// `value.at("/a/0/b")` is `value.pointer(..)` without its allocations: serde_json copies
/// each segment to unescape `~0` and `~1`, which esc's own pointers never hold. Every file
/// is read through dozens of these, so the copies showed up in `esc due`'s profile.
pub trait At {
    fn at(&self, pointer: &str) -> Option<&Value>;
}

impl At for Value {
    fn at(&self, pointer: &str) -> Option<&Value> {
        if pointer.contains('~') {
            return self.pointer(pointer);
        }
        let Some(rest) = pointer.strip_prefix('/') else {
            return pointer.is_empty().then_some(self);
        };
        rest.split('/').try_fold(self, |v, key| match v {
            Value::Object(map) => map.get(key),
            // As serde_json: digits only, no leading zero.
            Value::Array(list) if key == "0" || !key.starts_with(['0', '+']) => {
                key.parse::<usize>().ok().and_then(|i| list.get(i))
            }
            _ => None,
        })
    }
}

/// A parsed escalation file.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Path relative to the repository root.
    pub rel: String,
    pub text: String,
    pub yaml_start: usize,
    pub yaml_line: usize,
    pub body_start: usize,
    /// The front matter as data.
    pub data: Value,
    /// Whether a plain scalar may be one that other YAML readers take for another type
    /// than esc does (rule `ambiguous-scalar`); false when the parse proved none is.
    pub ambiguous_plain: bool,
}

impl Doc {
    pub fn yaml(&self) -> &str {
        &self.text[self.yaml_start..self.body_start.max(self.yaml_start)]
    }

    pub fn str(&self, pointer: &str) -> Option<&str> {
        self.data.at(pointer).and_then(Value::as_str)
    }

    /// The date at `pointer`, read by the one calendar (`model::dates`).
    pub fn date(&self, pointer: &str) -> Option<chrono::NaiveDate> {
        crate::model::dates::parse(self.str(pointer)?)
    }

    pub fn id(&self) -> Option<&str> {
        self.str("/id")
    }

    /// A surgical editor over this file's text.
    pub fn editor(&self) -> crate::model::edit::Editor {
        crate::model::edit::Editor::new(
            self.text.clone(),
            self.yaml_start,
            self.yaml_start + self.yaml().len(),
        )
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_start.min(self.text.len())..]
    }

    /// A diagnostic at a byte offset of the YAML text.
    pub fn diag_at(&self, yaml_offset: usize, issue: Issue) -> Diagnostic {
        let (line, column) = document::line_col(&self.text, self.yaml_start + yaml_offset);
        let mut d = Diagnostic::new(&self.rel, line, column, &issue.rule, issue.message)
            .field(dotted(&issue.pointer));
        d.expected = issue.expected;
        d.found = issue.found;
        d.source = document::line_text(&self.text, line).map(String::from);
        d
    }

    /// Places each issue at the line of the field it is about.
    pub fn locate(&self, issues: Vec<Issue>) -> Vec<Diagnostic> {
        let pos = Positions::build(self.yaml());
        issues
            .into_iter()
            .map(|issue| {
                let at_key = issue.rule == "unknown-key" || issue.rule == "schema.required";
                let missing_top = issue.rule == "schema.required"
                    && pos.get(&issue.pointer).is_none()
                    && issue.pointer.matches('/').count() == 1;
                let offset = if missing_top {
                    // A field the step needs: point at `step`, which is what asks for it.
                    pos.locate("/step").unwrap_or(0)
                } else if at_key {
                    pos.locate(&issue.pointer).unwrap_or(0)
                } else {
                    pos.locate_value(&issue.pointer).unwrap_or(0)
                };
                self.diag_at(offset, issue)
            })
            .collect()
    }
}

/// Parses a file's bytes; `rel` names it in diagnostics.
pub fn parse(rel: &str, bytes: Vec<u8>) -> Result<Doc, Box<Diagnostic>> {
    let split_err = |e: document::SplitError| {
        let (line, column) = e.position();
        Diagnostic::new(rel, line, column, e.rule(), e.message())
    };
    let text = document::decode(&bytes).map_err(split_err)?;
    let split: Split<'_> = document::split(text).map_err(split_err)?;
    let (data, ambiguous_plain) = document::parse_yaml_flagged(&split).map_err(|e| {
        let source = document::line_text(text, e.line).map(String::from);
        let hint = if source.as_deref().is_some_and(|s| s.contains('\t')) {
            "; use spaces to indent, YAML does not allow tabs"
        } else if text
            .lines()
            .any(|l| l.starts_with("<<<<<<< ") || l.starts_with(">>>>>>> "))
        {
            "; the file has merge conflict markers: resolve the conflict first"
        } else {
            ""
        };
        let mut d = Diagnostic::new(
            rel,
            e.line,
            e.column,
            "yaml",
            format!("front matter is not valid YAML: {}{hint}", e.message),
        );
        d.source = source;
        d
    })?;
    let (yaml_start, yaml_line, body_start) = (split.yaml_start, split.yaml_line, split.body_start);
    // `decode` succeeded, so this conversion cannot fail; it only avoids a copy.
    let text = String::from_utf8(bytes).unwrap_or_default();
    let doc = Doc {
        rel: rel.to_string(),
        text,
        yaml_start,
        yaml_line,
        body_start,
        data,
        ambiguous_plain,
    };
    if !doc.data.is_object() {
        let found = show(&doc.data);
        return Err(Box::new(doc.diag_at(
            0,
            Issue {
                pointer: String::new(),
                rule: "front-matter".into(),
                message: format!(
                    "front matter must be a mapping of fields (key: value lines); found `{found}`"
                ),
                expected: Some("a mapping".into()),
                found: Some(found),
            },
        )));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::At;
    use serde_json::json;

    #[test]
    fn at_reads_as_serde_json_pointer_does() {
        let v = json!({"a": {"b": [1, {"c": "x"}], "~k": 2, "s/t": 3, "": 4}, "n": null});
        for p in [
            "", "/", "/a", "/a/b", "/a/b/0", "/a/b/1/c", "/a/b/01", "/a/b/+1", "/a/b/2", "/a/b/-1",
            "/a/~0k", "/a/s~1t", "/a/", "a", "/n", "/n/x", "/zz",
        ] {
            assert_eq!(v.at(p), v.pointer(p), "{p}");
        }
    }
}
