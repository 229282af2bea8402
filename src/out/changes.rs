//! What changed in one escalation between two versions of its file, for the stakeholder
//! update: the step, severity and owner, the Enterprise Status fields, meetings added, and
//! actions added or done. A plain comparison of the two front matters.

use crate::model::doc::At;
use crate::model::person::one_line;
use serde_json::Value;

const STATUS: [(&str, &str); 6] = [
    ("brief", "Brief description"),
    ("impact", "Impact"),
    ("deployment_status", "Deployment status"),
    ("current_activities", "Current activities"),
    ("risk", "Risk / watch list"),
    ("awareness", "Awareness"),
];

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => one_line(s),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A date as people read it (`4 Nov 2026`); other text as it is.
fn day(v: Option<&Value>) -> String {
    let t = text(v);
    crate::model::dates::parse(&t).map_or(t, |d| d.format("%-d %b %Y").to_string())
}

fn list<'a>(v: &'a Value, pointer: &str) -> Vec<&'a Value> {
    v.at(pointer)
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// One line per change from `before` to `now`, in a fixed order.
pub fn changes(before: &Value, now: &Value, step_name: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut out = Vec::new();
    let field = |p: &str| (text(before.at(p)), text(now.at(p)));
    let (a, b) = field("/step");
    if a != b {
        out.push(format!("Step: {} -> {}", step_name(&a), step_name(&b)));
    }
    for (p, label) in [("/severity", "Severity"), ("/owner", "Owner")] {
        let (a, b) = field(p);
        if a != b && !b.is_empty() {
            out.push(format!(
                "{label}: {b} (was {})",
                if a.is_empty() { "not set" } else { &a }
            ));
        }
    }
    for (key, label) in STATUS {
        let (a, b) = field(&format!("/status/{key}"));
        if a != b && !b.is_empty() {
            out.push(format!("{label}: {b}"));
        }
    }
    let old_meetings = list(before, "/meetings");
    for m in list(now, "/meetings") {
        if !old_meetings.contains(&m) {
            out.push(format!(
                "Meeting on {} ({}): {}",
                day(m.get("date")),
                text(m.get("kind")),
                text(m.get("summary"))
            ));
        }
    }
    let old_actions = list(before, "/status/actions");
    let what = |a: &Value| text(a.get("what"));
    for a in list(now, "/status/actions") {
        let was = old_actions.iter().find(|o| what(o) == what(a));
        match (was, a.get("done")) {
            (None, done) => out.push(format!(
                "New action: {} ({}, due {}){}",
                what(a),
                text(a.get("owner")),
                day(a.get("due")),
                done.map_or(String::new(), |d| format!(", done {}", day(Some(d))))
            )),
            (Some(o), Some(d)) if o.get("done").is_none() => {
                out.push(format!("Done: {} ({})", what(a), day(Some(d))));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn the_changes_people_want_to_hear_about() {
        let before = json!({"step": "stakeholders", "status": {"brief": "a", "actions": [
            {"what": "x", "owner": "o", "due": "2026-11-02"}]}, "meetings": []});
        let now = json!({"step": "management", "severity": "high", "status": {"brief": "b",
            "actions": [{"what": "x", "owner": "o", "due": "2026-11-02", "done": "2026-11-03"},
            {"what": "y", "owner": "p", "due": "2026-11-09"}]},
            "meetings": [{"date": "2026-11-04", "kind": "customer", "summary": "s"}]});
        let got = super::changes(&before, &now, &|s| s.to_uppercase());
        assert_eq!(
            got,
            [
                "Step: STAKEHOLDERS -> MANAGEMENT",
                "Severity: high (was not set)",
                "Brief description: b",
                "Meeting on 4 Nov 2026 (customer): s",
                "Done: x (3 Nov 2026)",
                "New action: y (p, due 9 Nov 2026)",
            ]
        );
        assert!(super::changes(&now, &now, &|s| s.to_string()).is_empty());
    }
}
