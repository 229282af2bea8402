//! What the next step of an escalation still needs: the schema's guard for that step
//! evaluated as if the file were already there.

use crate::model::doc::Doc;
use crate::store::workspace::Workspace;
use serde_json::Value;

/// The step after the escalation's current one, and the fields it still needs (dotted).
pub struct Next {
    pub id: String,
    pub name: String,
    pub missing: Vec<String>,
}

/// None when the escalation is at the last step, closed, or at a step the process does not
/// know.
pub fn next_step(ws: &Workspace, doc: &Doc) -> Option<Next> {
    let process = ws.config.process();
    let step = doc.str("/step")?;
    let i = process.steps.iter().position(|x| x.id == step)?;
    let next = process.steps.get(i + 1)?;
    let mut data = doc.data.clone();
    data["step"] = Value::String(next.id.clone());
    let missing = ws
        .schemas
        .current
        .issues(&data)
        .into_iter()
        .filter(|i| i.rule == "schema.required")
        .map(|i| crate::model::diag::dotted(&i.pointer))
        .collect();
    Some(Next {
        id: next.id.clone(),
        name: next.name.clone(),
        missing,
    })
}
