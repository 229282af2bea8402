//! Targets per severity (`targets:` in `esc.yaml`): working days to validation and to the
//! step-4 decision, the update cadence when none was agreed, the most working days in one
//! step, and the roles told of a breach; and what each severity level means (`severities:`).
//! Also the one reading of a cadence: a named rhythm or a number of working days.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Working days between updates for a cadence: a named rhythm (`daily`, `twice-weekly`,
/// `weekly`, `biweekly`, `monthly`) or a whole number of working days (1 or more).
pub fn cadence_days(cadence: &Value) -> Option<u32> {
    match cadence {
        Value::String(s) => named_cadence(s),
        Value::Number(n) => n
            .as_u64()
            .filter(|&n| n >= 1)
            .and_then(|n| u32::try_from(n).ok()),
        _ => None,
    }
}

fn named_cadence(cadence: &str) -> Option<u32> {
    Some(match cadence {
        "daily" => 1,
        "twice-weekly" => 3,
        "weekly" => 5,
        "biweekly" => 10,
        "monthly" => 20,
        _ => return None,
    })
}

/// A cadence for people: `daily cadence`, `every 3 working days`.
pub fn cadence_label(cadence: &Value) -> String {
    match (cadence, cadence_days(cadence)) {
        (Value::String(s), Some(_)) => format!("{s} cadence"),
        (_, Some(1)) => "every working day".to_string(),
        (_, Some(n)) => format!("every {n} working days"),
        _ => String::new(),
    }
}

/// The targets of one severity (or the default): each key falls back to the default's, then
/// to the built-in value.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Working days from raising to validation with the customer (`validation.date`).
    pub validation_days: Option<u32>,
    /// Working days from raising to the step-4 decision (`stakeholders.decision`).
    pub decision_days: Option<u32>,
    /// The update cadence while none is agreed (`validation.cadence`): a rhythm or days.
    pub update_cadence: Option<Value>,
    /// The most working days an escalation may stay in one step.
    pub step_days: Option<u32>,
    /// Roles told of a breach (default: the RACI row's informed roles).
    pub tell: Option<Vec<String>>,
}

/// A severity's targets with every fallback applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub validation_days: u32,
    pub decision_days: u32,
    pub update_cadence: Value,
    pub step_days: u32,
    /// None: the RACI row's informed roles.
    pub tell: Option<Vec<String>>,
}

/// Built-in targets: `(severity, validation, decision, cadence, step)`; `default` is for an
/// escalation whose severity is not set yet.
const BUILT_IN: [(&str, u32, u32, &str, u32); 5] = [
    ("critical", 1, 2, "daily", 10),
    ("high", 2, 4, "twice-weekly", 15),
    ("medium", 5, 10, "weekly", 20),
    ("low", 10, 15, "biweekly", 30),
    ("default", 5, 10, "weekly", 20),
];

fn built_in(severity: &str) -> Option<Target> {
    let (_, v, d, c, st) = BUILT_IN.iter().find(|b| b.0 == severity)?;
    Some(Target {
        validation_days: Some(*v),
        decision_days: Some(*d),
        update_cadence: Some(Value::String(c.to_string())),
        step_days: Some(*st),
        tell: None,
    })
}

/// What each severity level means (the playbook says "based on severity" without levels):
/// by default the built-in schema's meanings (`$defs.labels.severity`), so a draft and the
/// editor say the same; `severities:` in esc.yaml replaces them.
pub fn default_severities() -> BTreeMap<String, String> {
    let schema: Value = serde_json::from_str(crate::rules::schema::EMBEDDED).unwrap_or_default();
    schema
        .pointer("/$defs/labels/properties/severity/oneOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            let code = v.get("const")?.as_str()?;
            let meaning = v.get("description")?.as_str()?;
            Some((code.to_string(), meaning.to_string()))
        })
        .collect()
}

/// The targets for `severity` (empty: not set): the severity's own keys, then `default`'s,
/// then the built-in ones for that severity, then the built-in default.
pub fn resolve(targets: &BTreeMap<String, Target>, severity: &str) -> Resolved {
    let sev = if severity.is_empty() {
        "default"
    } else {
        severity
    };
    let built = [built_in(sev), built_in("default")];
    let chain: Vec<&Target> = [targets.get(sev), targets.get("default")]
        .into_iter()
        .flatten()
        .chain(built.iter().flatten())
        .collect();
    let first = |f: &dyn Fn(&Target) -> Option<u32>, last: u32| {
        chain.iter().find_map(|t| f(t)).unwrap_or(last)
    };
    Resolved {
        validation_days: first(&|t| t.validation_days, 5),
        decision_days: first(&|t| t.decision_days, 10),
        update_cadence: chain
            .iter()
            .find_map(|t| t.update_cadence.clone())
            .unwrap_or_else(|| Value::String("weekly".into())),
        step_days: first(&|t| t.step_days, 20),
        tell: chain.iter().find_map(|t| t.tell.clone()),
    }
}

/// The problems serde cannot see: a key that is no severity, a cadence that is none, an
/// unknown role. The message starts with the key it is about.
pub fn validate(
    targets: &BTreeMap<String, Target>,
    severities: &BTreeMap<String, String>,
    roles: &[&str],
) -> Result<(), String> {
    for (key, t) in targets {
        if key != "default" && !severities.contains_key(key) {
            let known: Vec<&str> = severities.keys().map(String::as_str).collect();
            return Err(format!(
                "targets: expected `default` or a severity ({}); found `{key}`",
                known.join(", ")
            ));
        }
        if let Some(c) = &t.update_cadence
            && cadence_days(c).is_none()
        {
            return Err(format!(
                "targets.{key}.update_cadence: expected daily, twice-weekly, weekly, biweekly, \
                 monthly or a number of working days (1 or more); found `{}`",
                c.as_str().map_or_else(|| c.to_string(), String::from)
            ));
        }
        for role in t.tell.iter().flatten() {
            if !roles.contains(&role.as_str()) {
                return Err(format!(
                    "targets.{key}.tell: unknown role `{role}`; roles: {}",
                    roles.join(", ")
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cadences_are_names_or_working_days() {
        assert_eq!(cadence_days(&json!("daily")), Some(1));
        assert_eq!(cadence_days(&json!("twice-weekly")), Some(3));
        assert_eq!(cadence_days(&json!(4)), Some(4));
        assert_eq!(cadence_days(&json!(0)), None);
        assert_eq!(cadence_days(&json!(-2)), None);
        assert_eq!(cadence_days(&json!(1.5)), None);
        assert_eq!(cadence_days(&json!("fortnightly")), None);
        assert_eq!(cadence_label(&json!("weekly")), "weekly cadence");
        assert_eq!(cadence_label(&json!(3)), "every 3 working days");
        let meanings = default_severities();
        assert_eq!(
            meanings.keys().map(String::as_str).collect::<Vec<_>>(),
            ["critical", "high", "low", "medium"]
        );
        assert!(meanings["critical"].starts_with("business stopped"));
    }

    #[test]
    fn a_severity_falls_back_key_by_key() {
        let mut t = BTreeMap::new();
        t.insert(
            "default".to_string(),
            Target {
                step_days: Some(7),
                tell: Some(vec!["team_manager".into()]),
                ..Target::default()
            },
        );
        t.insert(
            "critical".to_string(),
            Target {
                validation_days: Some(3),
                ..Target::default()
            },
        );
        let r = resolve(&t, "critical");
        assert_eq!(r.validation_days, 3);
        assert_eq!(r.step_days, 7);
        assert_eq!(r.decision_days, 2);
        assert_eq!(r.tell, Some(vec!["team_manager".to_string()]));
        assert_eq!(resolve(&BTreeMap::new(), "").validation_days, 5);
        assert_eq!(
            resolve(&BTreeMap::new(), "high").update_cadence,
            json!("twice-weekly")
        );
    }
}
