//! What the next step of an escalation still needs: the schema's guard for that step
//! evaluated as if the file were already there, down to the individual fields.

use crate::model::doc::At;
use crate::model::doc::Doc;
use crate::rules::schema::Schema;
use crate::store::workspace::Workspace;
use serde_json::Value;

/// The step after the escalation's current one, and the fields it still needs (dotted).
pub struct Next {
    pub id: String,
    pub name: String,
    pub missing: Vec<String>,
}

/// None when the escalation is closed or at a step the process does not know. At the last
/// step, the next is closing as resolved, and `missing` is what that needs.
pub fn next_step(ws: &Workspace, doc: &Doc) -> Option<Next> {
    let process = ws.config.process();
    let step = doc.str("/step")?;
    let i = process.steps.iter().position(|x| x.id == step)?;
    let schema = &ws.schemas.current;
    let mut data = doc.data.clone();
    match process.steps.get(i + 1) {
        Some(next) => {
            data["step"] = Value::String(next.id.clone());
            Some(Next {
                id: next.id.clone(),
                name: next.name.clone(),
                missing: missing_fields(schema, data),
            })
        }
        None => {
            data["step"] = Value::String(process.closed.clone());
            if let Some(closing) = data.as_object_mut().map(|m| {
                m.entry("closing")
                    .or_insert_with(|| Value::Object(Default::default()))
            }) && let Some(c) = closing.as_object_mut()
            {
                c.entry("outcome")
                    .or_insert_with(|| Value::String("resolved".into()));
            }
            let mut missing = missing_fields(schema, data);
            // The closing review the severity policy asks for (rules::review).
            let severity = doc.str("/severity").unwrap_or_default();
            if ws
                .config
                .severity_policy
                .review
                .iter()
                .any(|s| s == severity)
                && doc.data.at("/closing/review").is_none()
            {
                missing.extend(
                    ["closing.review.root_cause", "closing.review.lessons"].map(String::from),
                );
            }
            Some(Next {
                id: process.closed.clone(),
                name: "closing as resolved".into(),
                missing,
            })
        }
    }
}

/// The required fields `data` lacks, down to the leaves: a missing section is filled in
/// empty and asked again, so `validation` becomes `validation.confirmed_with`, ... A field
/// that is present but wrong is not listed here (`esc check` says what is wrong with it).
fn missing_fields(schema: &Schema, mut data: Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Sections nest at most a few levels deep; each round fills one level.
    for _ in 0..4 {
        let mut filled = false;
        for issue in schema.issues(&data) {
            if issue.rule != "schema.required" {
                continue;
            }
            let pointer = issue.pointer;
            if data.at(&pointer).is_none()
                && schema.field_type(&pointer).as_deref() == Some("object")
                && let Some((parent, key)) = pointer.rsplit_once('/')
                && let Some(obj) = data.pointer_mut(parent).and_then(Value::as_object_mut)
            {
                let key = key.replace("~1", "/").replace("~0", "~");
                obj.insert(key, Value::Object(Default::default()));
                filled = true;
                continue;
            }
            let dotted = crate::model::diag::dotted(&pointer);
            if !out.contains(&dotted) {
                out.push(dotted);
            }
        }
        if !filled {
            break;
        }
    }
    out
}
