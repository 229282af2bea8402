//! Who may own an escalation, as the playbook says: an executive escalation is the FastTrack
//! Architect's (rule `executive-owner`), and where `esc.yaml` lists the people of a role, the
//! owner is one of them for the owner role (rule `owner-role`: the R and A of the RACI).

use crate::model::diag::Issue;
use crate::model::doc::At;
use crate::model::person::{address, display_name};
use crate::rules::config::Config;
use serde_json::Value;

/// The `people:` role whose members may own an escalation with this `owner_role`.
fn people_role(owner_role: &str) -> Option<&'static str> {
    match owner_role {
        "architect" => Some("architect"),
        "manager-health" => Some("fasttrack_manager_health"),
        _ => None,
    }
}

/// Same person: by address when both have one (case-insensitive), else by name.
fn same(a: &str, b: &str) -> bool {
    match (address(a), address(b)) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(&y),
        _ => display_name(a).eq_ignore_ascii_case(&display_name(b)),
    }
}

pub fn issues(config: &Config, data: &Value) -> Vec<Issue> {
    let mut out = Vec::new();
    let role = data.get("owner_role").and_then(Value::as_str);
    let source = data.at("/raised/source").and_then(Value::as_str);
    if source == Some("slt-executive") && role.is_some_and(|r| r != "architect") {
        out.push(Issue {
            pointer: "/owner_role".into(),
            rule: "executive-owner".into(),
            message: format!(
                "raised by SLT/executive: the playbook makes the FastTrack Architect the resolution owner; set `owner_role: architect` and an architect as `owner` (found `{}`)",
                role.unwrap_or_default()
            ),
            expected: Some("architect".into()),
            found: role.map(String::from),
        });
        return out;
    }
    let (Some(owner), Some(role)) = (data.get("owner").and_then(Value::as_str), role) else {
        return out;
    };
    let Some(key) = people_role(role) else {
        return out;
    };
    let listed = config
        .people
        .get(key)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if !listed.is_empty() && !listed.iter().any(|p| same(p, owner)) {
        let names: Vec<String> = listed.iter().map(|p| display_name(p)).collect();
        out.push(Issue {
            pointer: "/owner".into(),
            rule: "owner-role".into(),
            message: format!(
                "`{}` is not among the people of `{key}` in esc.yaml ({}), who own `owner_role: {role}` escalations; pick one of them, or add the owner to `people.{key}`",
                display_name(owner),
                names.join(", ")
            ),
            expected: Some(format!("one of people.{key}")),
            found: Some(owner.to_string()),
        });
    }
    out
}
