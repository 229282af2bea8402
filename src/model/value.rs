//! A value to write into front matter (text, a token, a list, a mapping) and its YAML text
//! for the context it lands in: block or flow, at a given indentation.

use crate::model::scalar::{self, Context};
use crate::model::yamlpos::ScalarStyle;

/// A value to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Text: it reads back as exactly this text wherever it lands (plain, quoted, escaped or a
    /// `|` block, as the context needs).
    Str(String),
    /// A token esc makes itself and knows to be plain YAML in any context: a date, a number,
    /// `true`. Never text a user typed.
    Raw(String),
    /// A list: a flow `[a, b]` when it is short and simple, else a block list.
    List(Vec<Value>),
    /// A mapping, keys in order: one key per line in block context.
    Map(Vec<(String, Value)>),
}

impl Value {
    /// A mapping from `(key, value)` pairs, leaving out the `None`s.
    pub fn map<'a>(pairs: impl IntoIterator<Item = (&'a str, Option<Value>)>) -> Value {
        Value::Map(
            pairs
                .into_iter()
                .filter_map(|(k, v)| Some((k.to_string(), v?)))
                .collect(),
        )
    }
}

/// `s` as the value of a block mapping key at column `indent` (one line, or a `|` block
/// whose content lines follow), for files esc writes whole (`esc new`).
pub fn yaml_scalar(s: &str, indent: usize) -> String {
    scalar::scalar(s, Context::Block, indent, "\n")
}

/// How wide a flow list may grow before it is written as a block list instead.
const WIDTH: usize = 80;

/// `v` on one line inside `[...]` or `{...}`.
pub fn flow(v: &Value) -> String {
    match v {
        Value::Str(s) => scalar::scalar(s, Context::Flow, 0, "\n"),
        Value::Raw(r) => r.clone(),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Map(pairs) => {
            let pairs: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar::key(k, Context::Flow), flow(v)))
                .collect();
            format!("{{{}}}", pairs.join(", "))
        }
    }
}

/// What follows `key:` for `v` under a key at column `indent`: ` value`, ` |` and its
/// content lines, or the lines of a nested block list or mapping. No final line break.
pub fn after_key(v: &Value, indent: usize, nl: &str) -> String {
    let pad = " ".repeat(indent + 2);
    match v {
        Value::Str(s) => format!(" {}", scalar::scalar(s, Context::Block, indent, nl)),
        Value::Raw(r) => format!(" {r}"),
        Value::List(items) => {
            let simple = items
                .iter()
                .all(|i| matches!(i, Value::Str(_) | Value::Raw(_)));
            let f = flow(v);
            if items.is_empty() || (simple && indent + f.chars().count() < WIDTH) {
                return format!(" {f}");
            }
            items
                .iter()
                .map(|i| format!("{nl}{pad}- {}", item(i, indent + 2, nl)))
                .collect()
        }
        Value::Map(pairs) if pairs.is_empty() => " {}".into(),
        Value::Map(pairs) => pairs
            .iter()
            .map(|(k, v)| {
                let k = scalar::key(k, Context::Block);
                format!("{nl}{pad}{k}:{}", after_key(v, indent + 2, nl))
            })
            .collect(),
    }
}

/// What follows `- ` for an item whose dash is at column `dash`: a mapping has its first
/// key on the dash's line and the others below it.
pub fn item(v: &Value, dash: usize, nl: &str) -> String {
    match v {
        Value::Map(pairs) if !pairs.is_empty() => {
            let pad = " ".repeat(dash + 2);
            pairs
                .iter()
                .enumerate()
                .map(|(i, (k, v))| {
                    let lead = if i == 0 {
                        String::new()
                    } else {
                        format!("{nl}{pad}")
                    };
                    let k = scalar::key(k, Context::Block);
                    format!("{lead}{k}:{}", after_key(v, dash + 2, nl))
                })
                .collect()
        }
        Value::Str(s) => scalar::scalar(s, Context::Block, dash, nl),
        other => flow(other),
    }
}

/// Whether `s` can be written in `style` as it is (keeping a user's quotes).
pub fn fits_style(s: &str, style: ScalarStyle) -> bool {
    let printable = |c: char| {
        !c.is_control()
            && !matches!(
                c,
                '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
    };
    match style {
        ScalarStyle::DoubleQuoted => true,
        ScalarStyle::SingleQuoted => s.chars().all(printable),
        _ => false,
    }
}

/// `s` in the double-quoted style, escaped as YAML reads it.
pub fn double_quoted(s: &str) -> String {
    // A single-line flow rendering is either plain, single- or double-quoted; force double.
    let f = scalar::scalar(s, Context::Flow, 0, "\n");
    if f.starts_with('"') {
        f
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// `v` with every text as one double-quoted line: the form that reads back as given in any
/// context, for when the preferred style would not.
pub fn one_line(v: &Value) -> Value {
    match v {
        Value::Str(s) => Value::Raw(double_quoted(s)),
        Value::Raw(r) => Value::Raw(r.clone()),
        Value::List(items) => Value::List(items.iter().map(one_line).collect()),
        Value::Map(pairs) => Value::Map(
            pairs
                .iter()
                .map(|(k, v)| (k.clone(), one_line(v)))
                .collect(),
        ),
    }
}

/// `v` as data, the way esc reads it back.
pub fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Str(s) => serde_json::Value::String(s.clone()),
        Value::Raw(r) => {
            serde_saphyr::from_str_with_options(r, crate::model::document::yaml_options())
                .unwrap_or_else(|_| serde_json::Value::String(r.clone()))
        }
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(pairs) => {
            serde_json::Value::Object(pairs.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

/// `data` with `v` set at `pointer` (missing mappings added), or appended to the list there
/// (made when missing): what an edit must read back as.
pub fn apply(data: &mut serde_json::Value, pointer: &str, v: &Value, append: bool) {
    let mut at = data;
    for part in pointer.split('/').skip(1) {
        let key = part.replace("~1", "/").replace("~0", "~");
        at = match at {
            serde_json::Value::Array(a) => {
                match key.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                    Some(x) => x,
                    None => return,
                }
            }
            other => {
                if !other.is_object() {
                    *other = serde_json::Value::Object(Default::default());
                }
                match other.as_object_mut() {
                    Some(m) => m.entry(key).or_insert(serde_json::Value::Null),
                    None => return,
                }
            }
        };
    }
    if append {
        match at {
            serde_json::Value::Array(a) => a.push(to_json(v)),
            other => *other = serde_json::Value::Array(vec![to_json(v)]),
        }
    } else {
        *at = to_json(v);
    }
}
