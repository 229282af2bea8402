//! Activity: every change that matters in an escalation's history, found by comparing the
//! digest of each new version of its file with the one before: created, step moves,
//! reopenings, owner and severity changes, meetings added, actions added and done, notices
//! recorded, the status brought up to date.

use crate::model::digest::{Action, Digest, Meeting};
use crate::model::person::display_name;
use serde::{Deserialize, Serialize};

/// One change, with the commit that made it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Activity {
    /// Full commit id.
    pub commit: String,
    /// `Name <email>` of the commit's author.
    pub author: String,
    /// Author time, seconds since the epoch.
    pub time: i64,
    pub what: What,
}

/// What changed. The JSON shape (`kind` and `detail`) is documented in the README.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", content = "detail", rename_all = "kebab-case")]
pub enum What {
    /// The file's first version.
    Created {
        step: Option<String>,
        owner: Option<String>,
        role: Option<String>,
        severity: Option<String>,
    },
    /// A move to another step (forward, or back with its `step_reason`).
    Step {
        from: String,
        to: String,
        back: bool,
        reason: Option<String>,
    },
    /// A closed escalation opened again, with its `step_reason`.
    Reopened {
        from: String,
        to: String,
        reason: Option<String>,
    },
    /// A handoff: another owner or owner role (the reason from `esc assign`'s commit).
    Owner {
        from: Option<String>,
        to: Option<String>,
        from_role: Option<String>,
        role: Option<String>,
        reason: Option<String>,
    },
    Severity {
        from: Option<String>,
        to: Option<String>,
    },
    Meeting {
        date: Option<String>,
        kind: Option<String>,
        summary: Option<String>,
    },
    ActionAdded {
        what: Option<String>,
        owner: Option<String>,
        due: Option<String>,
    },
    ActionDone {
        what: Option<String>,
        done: Option<String>,
    },
    /// A notice recorded as sent: `stakeholders` (`stakeholders.notified`, or the old
    /// `notices.stakeholders`) or another `notices.KIND`.
    Notice { notice: String, date: String },
    /// `status.as_of` changed: the Enterprise Status was brought up to date.
    Status {
        as_of: Option<String>,
        from: Option<String>,
    },
}

/// The non-step changes from `old` to `new` (steps are found with the timeline's moves).
/// `reason` is the handoff's reason from the commit, if it gave one.
pub fn changes(old: &Digest, new: &Digest, reason: Option<&str>) -> Vec<What> {
    let mut out = Vec::new();
    if old.owner != new.owner || old.owner_role != new.owner_role {
        out.push(What::Owner {
            from: old.owner.clone(),
            to: new.owner.clone(),
            from_role: old.owner_role.clone(),
            role: new.owner_role.clone(),
            reason: reason.map(String::from),
        });
    }
    if old.severity != new.severity {
        out.push(What::Severity {
            from: old.severity.clone(),
            to: new.severity.clone(),
        });
    }
    // Most versions change one thing: equal lists need no matching.
    let meetings = if old.meetings == new.meetings {
        Vec::new()
    } else {
        added_meetings(&old.meetings, &new.meetings)
    };
    for m in meetings {
        out.push(What::Meeting {
            date: m.date.clone(),
            kind: m.kind.clone(),
            summary: m.summary.clone(),
        });
    }
    if old.actions != new.actions {
        actions(&old.actions, &new.actions, &mut out);
    }
    let (before, now) = match (old.notices == new.notices, old.notified == new.notified) {
        (true, true) => (Vec::new(), Vec::new()),
        _ => (notices(old), notices(new)),
    };
    for (kind, date) in &now {
        if !before.iter().any(|(k, d)| k == kind && d == date) {
            out.push(What::Notice {
                notice: kind.to_string(),
                date: date.to_string(),
            });
        }
    }
    if old.as_of != new.as_of && new.as_of.is_some() {
        out.push(What::Status {
            as_of: new.as_of.clone(),
            from: old.as_of.clone(),
        });
    }
    out
}

/// Meetings in `new` that `old` does not have: each old meeting matches one new meeting
/// that equals it; of the rest, a new meeting on a date no unmatched old one has is added
/// (one on such a date is an old meeting edited).
fn added_meetings<'a>(old: &[Meeting], new: &'a [Meeting]) -> Vec<&'a Meeting> {
    let mut left: Vec<&Meeting> = old.iter().collect();
    let mut unmatched = Vec::new();
    for m in new {
        match left.iter().position(|o| *o == m) {
            Some(i) => {
                left.remove(i);
            }
            None => unmatched.push(m),
        }
    }
    unmatched
        .into_iter()
        .filter(|m| !left.iter().any(|o| o.date == m.date))
        .collect()
}

/// Actions added (no old action has the same `what`) and done (`done` set where it was not).
fn actions(old: &[Action], new: &[Action], out: &mut Vec<What>) {
    let mut left: Vec<&Action> = old.iter().collect();
    for a in new {
        let before = left
            .iter()
            .position(|o| o.what == a.what)
            .map(|i| left.remove(i));
        if before.is_none() {
            out.push(What::ActionAdded {
                what: a.what.clone(),
                owner: a.owner.clone(),
                due: a.due.clone(),
            });
        }
        if a.done.is_some() && before.is_none_or(|b| b.done.is_none()) {
            out.push(What::ActionDone {
                what: a.what.clone(),
                done: a.done.clone(),
            });
        }
    }
}

/// Notices recorded: `stakeholders.notified` is the stakeholder notice (where the file
/// still has the old `notices.stakeholders` only, that one).
fn notices(d: &Digest) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = d
        .notices
        .iter()
        .filter(|(k, _)| k != "stakeholders" || d.notified.is_none())
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if let Some(n) = &d.notified {
        out.push(("stakeholders", n));
    }
    out
}

/// One line for people: `meeting 2026-11-05 (customer): Agreed throttling plan`.
pub fn describe(w: &What) -> String {
    let name = |p: &Option<String>| p.as_deref().map_or("nobody".to_string(), display_name);
    let or = |s: &Option<String>, d: &str| s.clone().unwrap_or_else(|| d.to_string());
    let because = |r: &Option<String>| {
        r.as_deref()
            .map(|r| format!(": {}", one_line(r).trim_end_matches('.')))
            .unwrap_or_default()
    };
    match w {
        What::Created {
            step,
            owner,
            role,
            severity,
        } => {
            let mut s = format!("created at {}, owner {}", or(step, "?"), name(owner));
            if let Some(r) = role {
                s.push_str(&format!(" ({r})"));
            }
            if let Some(sev) = severity {
                s.push_str(&format!(", severity {sev}"));
            }
            s
        }
        What::Step {
            from,
            to,
            back,
            reason,
        } => match back {
            true => format!("moved back from {from} to {to}{}", because(reason)),
            false => format!("moved on from {from} to {to}"),
        },
        What::Reopened { from, to, reason } => {
            format!("reopened from {from} to {to}{}", because(reason))
        }
        What::Owner {
            from,
            to,
            from_role,
            role,
            reason,
        } => {
            let role = match (from_role, role) {
                (a, Some(b)) if a.as_ref() != Some(b) => {
                    format!(" (role {} to {b})", or(a, "none"))
                }
                (_, Some(b)) => format!(" ({b})"),
                _ => String::new(),
            };
            format!(
                "handed over from {} to {}{role}{}",
                name(from),
                name(to),
                because(reason)
            )
        }
        What::Severity { from, to } => match from {
            Some(f) => format!("severity changed from {f} to {}", or(to, "none")),
            None => format!("severity set to {}", or(to, "none")),
        },
        What::Meeting {
            date,
            kind,
            summary,
        } => {
            let kind = kind.as_ref().map(|k| format!(" ({k})")).unwrap_or_default();
            format!("meeting {}{kind}{}", or(date, "?"), because(summary))
        }
        What::ActionAdded { what, owner, due } => {
            let mut s = format!("action added: {}", one_line(&or(what, "?")));
            let who = [owner.clone(), due.as_ref().map(|d| format!("due {d}"))];
            let who: Vec<String> = who.into_iter().flatten().collect();
            if !who.is_empty() {
                s.push_str(&format!(" ({})", who.join(", ")));
            }
            s
        }
        What::ActionDone { what, done } => {
            format!(
                "action done: {} ({})",
                one_line(&or(what, "?")),
                or(done, "?")
            )
        }
        What::Notice { notice, date } => format!("{notice} notice sent {date}"),
        What::Status { as_of, .. } => format!("status brought up to date as of {}", or(as_of, "?")),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl What {
    /// Whether this change is an update, for "last update" everywhere (the report, `esc
    /// list`, `esc show`): the first version, a step move or reopening, a meeting, an action
    /// added or done, a notice recorded, the status brought up to date. Handoffs and severity
    /// changes are not updates, and a commit that changes nothing of these (a typo fixed in
    /// the body) has no activity at all.
    pub fn is_update(&self) -> bool {
        !matches!(self, What::Owner { .. } | What::Severity { .. })
    }

    /// The `kind` of the JSON shape: `created`, `step`, `action-added`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            What::Created { .. } => "created",
            What::Step { .. } => "step",
            What::Reopened { .. } => "reopened",
            What::Owner { .. } => "owner",
            What::Severity { .. } => "severity",
            What::Meeting { .. } => "meeting",
            What::ActionAdded { .. } => "action-added",
            What::ActionDone { .. } => "action-done",
            What::Notice { .. } => "notice",
            What::Status { .. } => "status",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `kind()` is the tag serde writes: the two never drift apart.
    #[test]
    fn kind_is_the_serde_tag() {
        let all = [
            What::Created {
                step: None,
                owner: None,
                role: None,
                severity: None,
            },
            What::Step {
                from: "a".into(),
                to: "b".into(),
                back: false,
                reason: None,
            },
            What::Reopened {
                from: "a".into(),
                to: "b".into(),
                reason: None,
            },
            What::Owner {
                from: None,
                to: None,
                from_role: None,
                role: None,
                reason: None,
            },
            What::Severity {
                from: None,
                to: None,
            },
            What::Meeting {
                date: None,
                kind: None,
                summary: None,
            },
            What::ActionAdded {
                what: None,
                owner: None,
                due: None,
            },
            What::ActionDone {
                what: None,
                done: None,
            },
            What::Notice {
                notice: "x".into(),
                date: "d".into(),
            },
            What::Status {
                as_of: None,
                from: None,
            },
        ];
        for w in all {
            let json = serde_json::to_value(&w).expect("json");
            assert_eq!(json["kind"], w.kind());
        }
    }
}
