//! `esc assign`: hand an escalation to another owner (and owner role), as one edit saved like
//! every other (`save`): checked (the `owner-role` rule among them), written, one commit.

use crate::error::{Error, Result};
use crate::model::doc::Doc;
use crate::model::edit::Value;
use crate::model::person::{address, display_name};
use crate::rules::config::Config;

/// The owner roles, as `owner_role` spells them.
pub const ROLES: [&str; 2] = ["architect", "manager-health"];

/// The `people:` role of esc.yaml whose members own escalations of `owner_role`.
fn people_key(owner_role: &str) -> Option<&'static str> {
    match owner_role {
        "architect" => Some("architect"),
        "manager-health" => Some("fasttrack_manager_health"),
        _ => None,
    }
}

/// The owner as esc.yaml lists them, when `name` is one of the people of the role by name or
/// address (`--owner "Lee Chen"` writes `Lee Chen <lee.chen@example.com>`); else `name` as
/// given (the `owner-role` check then says whether it may own the escalation).
pub fn resolve_owner(config: &Config, owner_role: &str, name: &str) -> String {
    let name = name.trim();
    let listed = people_key(owner_role)
        .and_then(|k| config.people.get(k))
        .map(Vec::as_slice)
        .unwrap_or_default();
    let by_address = address(name).map(|a| a.to_ascii_lowercase());
    listed
        .iter()
        .find(|p| match (&by_address, address(p)) {
            (Some(x), Some(y)) => *x == y.to_ascii_lowercase(),
            (None, y) => {
                display_name(p).eq_ignore_ascii_case(name)
                    || y.is_some_and(|y| y.eq_ignore_ascii_case(name))
            }
            _ => false,
        })
        .cloned()
        .unwrap_or_else(|| name.to_string())
}

/// The handoff decided on the file as it is: its new text, what it does and the commit
/// message (`ID: owner A -> B`, trailers `Owner`, `From-Owner`, `Owner-Role`, `Reason`).
pub fn handoff(
    config: &Config,
    doc: &Doc,
    owner: &str,
    role: Option<&str>,
    reason: Option<&str>,
) -> Result<crate::ops::save::Edit> {
    let id = doc.id().unwrap_or_default().to_string();
    let from = doc.str("/owner").unwrap_or_default().to_string();
    let from_role = doc.str("/owner_role").unwrap_or_default().to_string();
    if let Some(r) = role.filter(|r| !ROLES.contains(r)) {
        return Err(Error::Usage(format!(
            "--role `{r}`: expected one of {}",
            ROLES.join(", ")
        )));
    }
    let role = role.unwrap_or(&from_role).to_string();
    let to = resolve_owner(config, &role, owner);
    if to.is_empty() {
        return Err(Error::Usage(
            "--owner: give a name (`Name <address>`)".into(),
        ));
    }
    if to == from && role == from_role {
        return Err(Error::Data(format!(
            "{id}: {} already owns it as {role}; nothing was changed",
            display_name(&to)
        )));
    }
    let mut editor = doc.editor();
    let edit_err = |e: crate::model::edit::EditError| Error::Data(format!("{}: {e}", doc.rel));
    editor
        .set("/owner", &Value::Str(to.clone()))
        .map_err(edit_err)?;
    if role != from_role {
        editor
            .set("/owner_role", &Value::Str(role.clone()))
            .map_err(edit_err)?;
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let what = if to == from {
        format!("owner role {from_role} -> {role}")
    } else {
        format!("owner {} -> {}", display_name(&from), display_name(&to))
    };
    let mut trailers = vec![("Owner", to.as_str()), ("From-Owner", from.as_str())];
    if role != from_role {
        trailers.push(("Owner-Role", role.as_str()));
    }
    if let Some(r) = reason {
        trailers.push(("Reason", r));
    }
    Ok(crate::ops::save::Edit {
        text: editor.into_text(),
        message: crate::ops::save::message(&id, &what, None, &trailers),
        what,
    })
}
