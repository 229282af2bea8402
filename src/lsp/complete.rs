//! What to offer at a cursor: the keys the schema allows at that depth and the values a field
//! takes (the schema's enums, the process's steps, the people, segments and watch lists of
//! `esc.yaml`), each with its description; and what a hover over a key says.

use super::context::{Spot, What, key_path_at, spot};
use crate::store::workspace::Workspace;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, TextEdit,
};
use serde_json::Value;

/// The completion items at character `col` of line `line_no`.
pub fn complete(ws: &Workspace, text: &str, line_no: usize, col: usize) -> Vec<CompletionItem> {
    let Some(s) = spot(text, line_no, col) else {
        return Vec::new();
    };
    let range = super::text::range(text, line_no, s.start, col);
    let offers = match &s.what {
        What::Key => keys(ws, &s),
        What::Value(key) => values(ws, &s.pointer(&[key])),
        What::Item => {
            let mut v = values(ws, &s.pointer(&["0"]));
            if v.is_empty() {
                let mut inner = s.clone();
                inner.parents.push("0".into());
                v = keys(ws, &inner);
            }
            v
        }
    };
    offers
        .into_iter()
        .filter(|o| o.label.starts_with(s.word.as_str()) || s.word.is_empty())
        .map(|o| CompletionItem {
            label: o.label.clone(),
            kind: Some(o.kind),
            detail: o.detail,
            documentation: o.doc.map(|d| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: d,
                })
            }),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: o.insert,
            })),
            ..Default::default()
        })
        .collect()
}

struct Offer {
    label: String,
    insert: String,
    kind: CompletionItemKind,
    detail: Option<String>,
    doc: Option<String>,
}

fn offer(
    label: &str,
    kind: CompletionItemKind,
    detail: Option<String>,
    doc: Option<String>,
) -> Offer {
    Offer {
        label: label.to_string(),
        insert: label.to_string(),
        kind,
        detail,
        doc,
    }
}

/// The keys of the mapping at the spot, with their descriptions.
fn keys(ws: &Workspace, s: &Spot) -> Vec<Offer> {
    let schema = &ws.schemas.current;
    schema
        .known_keys(&s.pointer(&[]))
        .into_iter()
        .map(|k| {
            let pointer = s.pointer(&[&k]);
            let nested = matches!(
                schema.field_type(&pointer).as_deref(),
                Some("object" | "array")
            );
            let mut o = offer(
                &k,
                CompletionItemKind::FIELD,
                None,
                schema.describe_field(&pointer),
            );
            o.insert = if nested {
                format!("{k}:")
            } else {
                format!("{k}: ")
            };
            o
        })
        .collect()
}

/// The values the field at `pointer` takes.
fn values(ws: &Workspace, pointer: &str) -> Vec<Offer> {
    let schema = &ws.schemas.current;
    let Some(sub) = schema.subschema(pointer) else {
        return Vec::new();
    };
    let description = schema.describe_field(pointer).unwrap_or_default();
    let kind = CompletionItemKind::ENUM_MEMBER;
    let mut out: Vec<Offer> = Vec::new();
    if pointer == "/step" {
        let process = ws.config.process();
        for step in &process.steps {
            out.push(offer(&step.id, kind, Some(step.name.clone()), None));
        }
        out.push(offer(&process.closed, kind, Some("closed".into()), None));
        return out;
    }
    let enumerated = sub
        .get("enum")
        .or_else(|| sub.pointer("/items/enum"))
        .and_then(Value::as_array);
    for v in enumerated.into_iter().flatten().filter_map(Value::as_str) {
        let own = meaning(&description, v);
        out.push(offer(v, kind, own, Some(description.clone())));
    }
    let person = sub.get("$ref").and_then(Value::as_str) == Some("#/$defs/person")
        || Some(sub) == schema.json.pointer("/$defs/person");
    if person {
        for (role, people) in &ws.config.people {
            for p in people {
                out.push(offer(
                    p,
                    CompletionItemKind::VALUE,
                    Some(role.clone()),
                    None,
                ));
            }
        }
    }
    let last = pointer
        .rsplit('/')
        .find(|p| p.parse::<usize>().is_err())
        .unwrap_or_default();
    match last {
        "segment" => {
            for seg in ws.config.raci.keys().filter(|k| *k != "*") {
                out.push(offer(
                    seg,
                    kind,
                    Some("a RACI row in esc.yaml".into()),
                    None,
                ));
            }
        }
        // `gathering.watch_list.list`, or `gathering.watch_list[N].list` in a list of entries.
        "list"
            if pointer
                .split('/')
                .filter(|p| p.parse::<usize>().is_err())
                .collect::<Vec<_>>()
                .ends_with(&["watch_list", "list"]) =>
        {
            for (id, link) in &ws.config.watch_lists {
                if !out.iter().any(|o| &o.label == id) {
                    out.push(offer(id, kind, Some(link.clone()), None));
                }
            }
        }
        _ => {}
    }
    if out.is_empty() {
        // Free text with examples in its description ("e.g. teams, intune").
        let parent = pointer.rsplit_once('/').map_or("", |(p, _)| p);
        let described = if description.contains("e.g.") {
            description.clone()
        } else {
            schema.describe_field(parent).unwrap_or_default()
        };
        for e in examples(&described) {
            out.push(offer(
                &e,
                CompletionItemKind::VALUE,
                Some("example".into()),
                None,
            ));
        }
    }
    out
}

/// What a description says one value means: `value = meaning, next = ...` or `value =
/// meaning; next = ...`.
fn meaning(description: &str, value: &str) -> Option<String> {
    let at = description.find(&format!("{value} = "))?;
    let before = description[..at].chars().last();
    if before.is_some_and(|c| c.is_alphanumeric() || c == '-') {
        return None;
    }
    let rest = &description[at + value.len() + 3..];
    let end = rest.find([',', ';']).unwrap_or(rest.len());
    Some(rest[..end].trim_end_matches('.').trim().to_string())
}

/// The examples after "e.g." in a description.
fn examples(description: &str) -> Vec<String> {
    let Some((_, rest)) = description.split_once("e.g. ") else {
        return Vec::new();
    };
    let end = rest.find([';', '.']).unwrap_or(rest.len());
    rest[..end]
        .split([',', ' '])
        .map(str::trim)
        .filter(|w| !w.is_empty() && *w != "or" && *w != "and")
        .map(String::from)
        .collect()
}

/// The hover text for the key on line `line_no`: its description, and on `step`, what the
/// next step still needs (when the text parses; `rel` names the file).
pub fn hover(ws: &Workspace, rel: &str, text: &str, line_no: usize) -> Option<String> {
    let (parents, key) = key_path_at(text, line_no)?;
    let s = Spot {
        parents,
        what: What::Key,
        start: 0,
        word: String::new(),
    };
    let pointer = s.pointer(&[&key]);
    let schema = &ws.schemas.current;
    let mut out = format!("**{}**", crate::model::diag::dotted(&pointer));
    if let Some(d) = schema.describe_field(&pointer) {
        out.push_str(&format!(": {d}."));
    }
    if pointer == "/step"
        && let Ok(doc) = crate::model::doc::parse(rel, text.as_bytes().to_vec())
        && let Some(next) = crate::ops::next::next_step(ws, &doc)
    {
        if next.missing.is_empty() {
            out.push_str(&format!(
                "\n\nNext: `{}` ({}); nothing missing.",
                next.id, next.name
            ));
        } else {
            let missing: Vec<String> = next.missing.iter().map(|m| format!("`{m}`")).collect();
            out.push_str(&format!(
                "\n\nNext: `{}` ({}) still needs {}.",
                next.id,
                next.name,
                missing.join(", ")
            ));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meanings_and_examples_come_from_descriptions() {
        let d = "Source: tam = Technical Account Manager, customer = Customer, other = anything else (say what).";
        assert_eq!(
            meaning(d, "tam").as_deref(),
            Some("Technical Account Manager")
        );
        assert_eq!(
            meaning(d, "other").as_deref(),
            Some("anything else (say what)")
        );
        assert_eq!(meaning(d, "am"), None);
        assert_eq!(
            examples("Customer segment, e.g. S500 or S1500; picks"),
            ["S500", "S1500"]
        );
    }
}
