//! `esc set ID FIELD=VALUE...`: set fields of an escalation.

use super::Ctx;
use super::save::{Edit, SaveArgs, message, save};
use crate::error::{Error, Result};
use crate::model::doc::Doc;
use crate::model::edit::{Value, pointer_of};
use std::io::Write;

/// Set fields of an escalation and commit.
///
/// FIELD is a dotted path (`gathering.deployment_phase`, `status.actions[0].due`).
/// Values are typed by the schema: a list field takes comma-separated items; an
/// item in double quotes keeps its commas, and so does an <address>. Values the
/// schema rejects are refused and nothing changes. Use `esc advance` to change the
/// step.
///
/// Examples:
///   esc set K7QD severity=high gathering.services=exchange-online,teams
///   esc set K7QD validation.cadence=weekly --no-commit
///   esc set K7QD 'stakeholders.cc="Ortiz, Sam" <sam@example.com>,Lee Chen'
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
        Some("array") => Value::List(items(value).into_iter().map(Value::Str).collect()),
        Some("integer" | "number") if value.parse::<f64>().is_ok() => Value::Raw(value.to_string()),
        Some("boolean") if value == "true" || value == "false" => Value::Raw(value.to_string()),
        _ => Value::Str(value.to_string()),
    }
}

/// The items of a comma-separated list: a comma inside double quotes or `<...>` belongs
/// to its item, and quotes around a whole item go (`"Raman, Priya",Sam`).
fn items(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut item, mut quoted, mut angle) = (String::new(), false, false);
    for c in value.chars() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' if !quoted && !angle => {
                out.push(std::mem::take(&mut item));
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
    out.push(item);
    out.iter()
        .map(|s| s.trim())
        .map(
            |s| match s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                Some(inner) if !inner.contains('"') => inner.to_string(),
                _ => s.to_string(),
            },
        )
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_items_keep_quoted_commas_and_addresses() {
        let items = |s: &str| super::items(s);
        assert_eq!(
            items("exchange-online, teams"),
            ["exchange-online", "teams"]
        );
        assert_eq!(items("\"Raman, Priya\",Sam"), ["Raman, Priya", "Sam"]);
        assert_eq!(
            items("\"Ortiz, Sam\" <sam@x.example>, Lee <l@x.example>"),
            ["\"Ortiz, Sam\" <sam@x.example>", "Lee <l@x.example>"]
        );
        assert_eq!(items("a,,b,"), ["a", "b"]);
    }
}
