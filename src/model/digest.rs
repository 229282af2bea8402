//! What the history keeps of one version of an escalation file: the fields whose changes are
//! activity (step and its reason, owner, severity, meetings, actions, notices, the status
//! date), read by the line scan (`scan`) or, when it declines, from the full parse; both give
//! the same digest for the same text.

use crate::model::doc::At;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One meeting as the history sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub date: Option<String>,
    pub kind: Option<String>,
    pub summary: Option<String>,
}

/// One action (`status.actions[]`) as the history sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub what: Option<String>,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub done: Option<String>,
}

/// The fields of one file version that activity is made of. A value that is not a string
/// (a number, a list where text belongs) is `None`; a list that is not a list is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    pub step: Option<String>,
    pub id: Option<String>,
    pub step_reason: Option<String>,
    pub owner: Option<String>,
    pub owner_role: Option<String>,
    pub severity: Option<String>,
    /// `status.as_of`.
    pub as_of: Option<String>,
    /// `stakeholders.notified`.
    pub notified: Option<String>,
    /// `notices.KIND: DATE`, sorted by kind.
    pub notices: Vec<(String, String)>,
    pub meetings: Vec<Meeting>,
    /// `status.actions`.
    pub actions: Vec<Action>,
}

/// Where a value sits, for the fields a digest keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    Step,
    Id,
    StepReason,
    Owner,
    OwnerRole,
    Severity,
    AsOf,
    Notified,
    /// A key of `notices` (the key is given with the value).
    Notice,
    MeetingDate,
    MeetingKind,
    MeetingSummary,
    ActionWhat,
    ActionOwner,
    ActionDue,
    ActionDone,
}

/// A collection the digest reads into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Watch {
    Root,
    Status,
    Stakeholders,
    Notices,
    /// The `meetings` list; its items are `Meeting`s.
    Meetings,
    Meeting,
    /// `status.actions`; its items are `Action`s.
    Actions,
    Action,
    /// Nothing below is kept.
    Other,
}

impl Watch {
    /// Whether this is a list (else a mapping, or `Other`).
    pub(crate) fn is_list(self) -> bool {
        matches!(self, Watch::Meetings | Watch::Actions)
    }
}

/// What the key `key` of a mapping of kind `w` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Child {
    Leaf(Slot),
    Collection(Watch),
    Ignored,
}

pub(crate) fn child(w: Watch, key: &str) -> Child {
    use Child::{Collection as C, Leaf as L};
    match (w, key) {
        (Watch::Root, "step") => L(Slot::Step),
        (Watch::Root, "id") => L(Slot::Id),
        (Watch::Root, "step_reason") => L(Slot::StepReason),
        (Watch::Root, "owner") => L(Slot::Owner),
        (Watch::Root, "owner_role") => L(Slot::OwnerRole),
        (Watch::Root, "severity") => L(Slot::Severity),
        (Watch::Root, "status") => C(Watch::Status),
        (Watch::Root, "stakeholders") => C(Watch::Stakeholders),
        (Watch::Root, "notices") => C(Watch::Notices),
        (Watch::Root, "meetings") => C(Watch::Meetings),
        (Watch::Status, "as_of") => L(Slot::AsOf),
        (Watch::Status, "actions") => C(Watch::Actions),
        (Watch::Stakeholders, "notified") => L(Slot::Notified),
        // `notices.updates` is a list of dates (step 5's updates); the digest keeps the
        // one-date notices only, as `of_value` does.
        (Watch::Notices, "updates") => Child::Ignored,
        (Watch::Notices, _) => L(Slot::Notice),
        (Watch::Meeting, "date") => L(Slot::MeetingDate),
        (Watch::Meeting, "kind") => L(Slot::MeetingKind),
        (Watch::Meeting, "summary") => L(Slot::MeetingSummary),
        (Watch::Action, "what") => L(Slot::ActionWhat),
        (Watch::Action, "owner") => L(Slot::ActionOwner),
        (Watch::Action, "due") => L(Slot::ActionDue),
        (Watch::Action, "done") => L(Slot::ActionDone),
        _ => Child::Ignored,
    }
}

/// The item kind of a watched list.
pub(crate) fn item_of(w: Watch) -> Watch {
    match w {
        Watch::Meetings => Watch::Meeting,
        Watch::Actions => Watch::Action,
        _ => Watch::Other,
    }
}

impl Digest {
    /// Starts a new item of the watched list `w`.
    pub(crate) fn new_item(&mut self, w: Watch) {
        match w {
            Watch::Meetings => self.meetings.push(Meeting::default()),
            Watch::Actions => self.actions.push(Action::default()),
            _ => {}
        }
    }

    /// Records the string value of `slot` (`key` is the key, for a notice).
    pub(crate) fn set(&mut self, slot: Slot, key: &str, value: String) {
        let v = Some(value);
        match slot {
            Slot::Step => self.step = v,
            Slot::Id => self.id = v,
            Slot::StepReason => self.step_reason = v,
            Slot::Owner => self.owner = v,
            Slot::OwnerRole => self.owner_role = v,
            Slot::Severity => self.severity = v,
            Slot::AsOf => self.as_of = v,
            Slot::Notified => self.notified = v,
            Slot::Notice => {
                if let Some(value) = v {
                    let at = self.notices.partition_point(|(k, _)| k.as_str() < key);
                    self.notices.insert(at, (key.to_string(), value));
                }
            }
            Slot::MeetingDate | Slot::MeetingKind | Slot::MeetingSummary => {
                if let Some(m) = self.meetings.last_mut() {
                    match slot {
                        Slot::MeetingDate => m.date = v,
                        Slot::MeetingKind => m.kind = v,
                        _ => m.summary = v,
                    }
                }
            }
            Slot::ActionWhat | Slot::ActionOwner | Slot::ActionDue | Slot::ActionDone => {
                if let Some(a) = self.actions.last_mut() {
                    match slot {
                        Slot::ActionWhat => a.what = v,
                        Slot::ActionOwner => a.owner = v,
                        Slot::ActionDue => a.due = v,
                        _ => a.done = v,
                    }
                }
            }
        }
    }

    /// The digest of parsed front matter (the full parse's answer).
    pub fn of_value(v: &Value) -> Digest {
        let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(String::from);
        let list = |v: Option<&Value>| v.and_then(Value::as_array).cloned().unwrap_or_default();
        let mut notices: Vec<(String, String)> = v
            .get("notices")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, x)| Some((k.clone(), x.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        notices.sort();
        Digest {
            step: s(v, "step"),
            id: s(v, "id"),
            step_reason: s(v, "step_reason"),
            owner: s(v, "owner"),
            owner_role: s(v, "owner_role"),
            severity: s(v, "severity"),
            as_of: v.get("status").and_then(|x| s(x, "as_of")),
            notified: v.get("stakeholders").and_then(|x| s(x, "notified")),
            notices,
            meetings: list(v.get("meetings"))
                .iter()
                .map(|m| Meeting {
                    date: s(m, "date"),
                    kind: s(m, "kind"),
                    summary: s(m, "summary"),
                })
                .collect(),
            actions: list(v.at("/status/actions"))
                .iter()
                .map(|a| Action {
                    what: s(a, "what"),
                    owner: s(a, "owner"),
                    due: s(a, "due"),
                    done: s(a, "done"),
                })
                .collect(),
        }
    }
}

/// The text of a block scalar (`|`, `|-`, `>`, `>-`) whose content lines are `lines`, each
/// with its indentation removed ("" for an empty line), when the scan is sure of it: no
/// `+` chomping, no line indented more than the first (folding keeps those as they are).
pub(crate) fn block_text(header: &str, lines: &[&str], deeper: bool) -> Option<String> {
    let folded = header.starts_with('>');
    let chomp = header[1..].chars().next();
    if chomp == Some('+') || deeper {
        return None;
    }
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    let lines = &lines[..end];
    if lines.first().is_some_and(|l| l.is_empty()) {
        return None; // leading empty lines: rare, and folded differently
    }
    let mut out = String::new();
    let mut empties = 0;
    for (i, l) in lines.iter().enumerate() {
        if l.is_empty() {
            empties += 1;
            continue;
        }
        if i > 0 {
            if !folded {
                out.push_str(&"\n".repeat(empties + 1));
            } else if empties == 0 {
                out.push(' ');
            } else {
                out.push_str(&"\n".repeat(empties));
            }
        }
        empties = 0;
        out.push_str(l);
    }
    if !lines.is_empty() && chomp != Some('-') {
        out.push('\n');
    }
    Some(out)
}

/// The string a plain scalar (already checked to be one the parser accepts, its comment
/// removed) is, when the scan is sure the parser reads it as that string: it starts with a
/// letter and is not `true`, `null` or the like, or it is a date (`2026-11-05`).
pub(crate) fn plain_text(v: &str) -> Option<String> {
    let date = v.len() == 10
        && v.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let word = v.starts_with(|c: char| c.is_ascii_alphabetic())
        && !matches!(
            v,
            "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | "null" | "Null" | "NULL"
        );
    (date || word).then(|| v.to_string())
}
