//! `esc set ID FIELD=VALUE...`: set fields of an escalation.

use super::Ctx;
use super::save::{Edit, SaveArgs, message, save};
use crate::error::{Error, Result};
use crate::model::doc::Doc;
use crate::model::edit::{Value, pointer_of};
use std::io::Write;

/// Set fields of an escalation and commit.
///
/// FIELD is a dotted path (`gathering.deployment_phase`, `status.actions[0].due`). Values are
/// typed by the schema: a list field takes comma-separated items. Values the schema rejects
/// are refused and nothing changes. Use `esc advance` to change the step.
///
/// Examples:
///   esc set K7QD severity=high gathering.services=exchange-online,teams
///   esc set K7QD validation.cadence=weekly --no-commit
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The escalation id, or a unique part of it.
    pub id: String,
    /// FIELD=VALUE pairs.
    #[arg(required = true, value_name = "FIELD=VALUE")]
    pub pairs: Vec<String>,
    #[command(flatten)]
    pub save: SaveArgs,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let mut make = |doc: &Doc| -> Result<Edit> {
        let id = doc.id().unwrap_or(&args.id).to_string();
        let mut editor = doc.editor();
        let mut fields = Vec::new();
        for pair in &args.pairs {
            let (field, value) = pair
                .split_once('=')
                .ok_or_else(|| Error::Usage(format!("`{pair}`: expected FIELD=VALUE")))?;
            let pointer = pointer_of(field);
            if matches!(pointer.as_str(), "/step" | "/id") {
                return Err(Error::Usage(format!(
                    "`{field}` is not set by hand: {}",
                    if pointer == "/step" {
                        "use `esc advance ID --to STEP`"
                    } else {
                        "an escalation keeps its id for life"
                    }
                )));
            }
            let known = ws
                .schemas
                .current
                .known_keys(pointer.rsplit_once('/').map_or("", |p| p.0));
            let key = pointer.rsplit('/').next().unwrap_or_default();
            let is_index = key.parse::<usize>().is_ok();
            if !is_index
                && !key.starts_with("x-")
                && !known.is_empty()
                && !known.iter().any(|k| k == key)
            {
                let hint = crate::model::diag::did_you_mean(key, known.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "`{field}` is not a field the schema knows; {hint}(`esc schema` lists them)"
                )));
            }
            let value = typed(&ws.schemas.current, &pointer, value);
            editor
                .set(&pointer, &value)
                .map_err(|e| Error::Data(format!("{}: {e}", doc.rel)))?;
            fields.push(field.to_string());
        }
        let summary = format!("set {}", fields.join(", "));
        Ok(Edit {
            text: editor.into_text(),
            message: message(&id, &summary, None, &[]),
            what: summary,
        })
    };
    save(ctx, &ws, &args.id, false, args.save, out, &mut make)
}

/// The YAML for `value` as the schema types the field at `pointer`.
fn typed(schema: &crate::rules::schema::Schema, pointer: &str, value: &str) -> Value {
    let ty = schema.field_type(pointer);
    match ty.as_deref() {
        Some("array") => Value::List(
            value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::Str(s.to_string()))
                .collect(),
        ),
        Some("integer" | "number") if value.parse::<f64>().is_ok() => Value::Raw(value.to_string()),
        Some("boolean") if value == "true" || value == "false" => Value::Raw(value.to_string()),
        _ => Value::Str(value.to_string()),
    }
}
