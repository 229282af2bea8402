//! `esc due`: what is due now, per owner. Enterprise Status updates due by the cadence, the
//! status not brought up to date after the last meeting, actions overdue or due soon, the
//! step-4 decision, notices not sent (stakeholders, recurring updates, confirmation,
//! resolved), stale escalations and target breaches with whom to tell. Computed from the
//! files, the timelines and `esc.yaml` at the moment of asking, on all cores.

use crate::error::{Error, Result};
use crate::model::dates;
use crate::model::diag::Diagnostic;
use crate::model::doc::At;
use crate::model::doc::Doc;
use crate::out::context::{Inputs, actions};
pub use crate::out::due::{Due, Item, Owner};
use crate::store::workspace::Workspace;
use crate::timeline::Timeline;
use chrono::NaiveDate;
use serde_json::Value;

/// Which owners to list: everyone, one matching a text, or the git identity's.
pub enum Who {
    All,
    /// Part of the name or address, any case.
    Matching(String),
    /// `Name <address>` from git: matched by address, else by name.
    Me(String),
}

impl Who {
    fn wants(&self, owner: &str) -> bool {
        match self {
            Who::All => true,
            Who::Matching(q) => owner.to_lowercase().contains(&q.to_lowercase()),
            Who::Me(me) => {
                let addr = |p: &str| crate::model::person::address(p).map(|a| a.to_lowercase());
                match (addr(me), addr(owner)) {
                    (Some(a), Some(b)) => a == b,
                    _ => {
                        crate::model::person::display_name(me).to_lowercase()
                            == crate::model::person::display_name(owner).to_lowercase()
                    }
                }
            }
        }
    }
}

const SEVERITY_ORDER: [&str; 4] = ["critical", "high", "medium", "low"];

/// Everything due as of `today` (the team's today unless given), with actions due in the
/// next `within` working days.
pub fn due(ws: &Workspace, today: Option<NaiveDate>, within: u32, who: &Who) -> Result<Due> {
    let process = ws.config.process();
    let inputs = Inputs {
        schema: &ws.schemas.current.json,
        config: &ws.config,
        process: &process,
        today: ws.config.today(today),
        tz: ws.config.tz().map_err(Error::Usage)?,
    };
    let horizon = inputs.after(inputs.today, within).unwrap_or(dates::MAX);
    let entries = ws.entries(&[])?;
    // The steps and the last update are all due reads of the history: the cache is read
    // while the files are parsed.
    let (timelines, per_file) = crate::par::parallel_while_loading(
        &entries,
        || crate::timeline::timelines_without_activity(&ws.root, &process),
        |e| {
            let doc = crate::store::files::load_below(&ws.root, e)?;
            let owner = doc.str("/owner").unwrap_or_default().to_string();
            Ok((who.wants(&owner).then_some(doc), owner))
        },
        |parsed: std::result::Result<_, Box<Diagnostic>>, timelines| {
            let (doc, owner) = parsed?;
            let Some(doc) = doc else {
                return Ok((owner, Vec::new()));
            };
            let timelines = timelines.as_ref().ok().and_then(Option::as_ref);
            let t = doc.id().zip(timelines).and_then(|(id, all)| all.get(id));
            Ok((owner, items(&inputs, &doc, t, horizon)))
        },
    );
    timelines?;
    let rank = |s: &str| SEVERITY_ORDER.iter().position(|x| *x == s).unwrap_or(9);
    let mut left_out = Vec::new();
    let mut found: Vec<(String, Vec<Item>)> = Vec::new();
    for r in per_file {
        match r {
            Ok((_, items)) if items.is_empty() => {}
            Ok(owned) => found.push(owned),
            Err(d) => {
                let d: Box<Diagnostic> = d;
                left_out.push(*d);
            }
        }
    }
    // Most urgent escalation first: sorting escalations rather than their items keeps each
    // escalation's items in order and moves a tenth as much.
    let key = |v: &[Item]| v.first().map(|i| (rank(&i.severity), i.id.clone()));
    found.sort_by_cached_key(|(_, items)| key(items));
    let mut owners: Vec<Owner> = Vec::new();
    for (owner, items) in found {
        match owners.iter_mut().find(|o| o.owner == owner) {
            Some(o) => o.items.extend(items),
            None => owners.push(Owner { owner, items }),
        }
    }
    owners.sort_by_key(|o| {
        (
            o.owner.is_empty(),
            crate::model::person::display_name(&o.owner).to_lowercase(),
            o.owner.clone(),
        )
    });
    Ok(Due {
        today: inputs.today,
        horizon,
        owners,
        left_out,
    })
}

fn date(v: Option<&Value>) -> Option<NaiveDate> {
    dates::parse(v?.as_str()?)
}

fn long(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// `overdue since 25 Nov 2026`, or `due today`.
fn when(d: NaiveDate, today: NaiveDate) -> String {
    if d < today {
        format!("overdue since {}", long(d))
    } else {
        "due today".to_string()
    }
}

/// A notice an escalation owes, as `esc due` and the weekly report name it.
#[derive(Debug, Clone)]
pub struct Owed {
    /// Its kind, as `esc notify ID KIND` takes it: `stakeholders`, `update`,
    /// `confirmation` or `resolved`.
    pub notice: &'static str,
    /// When it fell due (None: owed since the step it fits, with no date of its own).
    pub due: Option<NaiveDate>,
    /// One line for people: `stakeholder update overdue since 25 Nov 2026 (weekly cadence)`.
    pub message: String,
}

impl Owed {
    /// What it is, in a few words: `stakeholder update`.
    pub fn what(&self) -> &'static str {
        match self.notice {
            "stakeholders" => "stakeholder notice",
            "update" => "stakeholder update",
            "confirmation" => "request for written confirmation",
            "resolved" => "resolved notice",
            other => other,
        }
    }
}

/// `weekly cadence`, or `weekly cadence, the severity's target` while none is agreed.
fn cadence_label(inputs: &Inputs<'_>, data: &Value) -> String {
    let (cadence, agreed) = inputs.cadence(data);
    crate::rules::targets::cadence_label(&cadence)
        + if agreed {
            ""
        } else {
            ", the severity's target"
        }
}

/// The notices one escalation owes as of `inputs.today`: the stakeholder notice once the
/// decision is to notify, the stakeholder update by the cadence during step 5, the request
/// for written confirmation in resolution, and the resolved notice once closed as resolved.
/// Where the Manager Health owns it and `manager_health_notices` is off, the updates and the
/// resolved notice are not the owner's to send.
pub fn notices(inputs: &Inputs<'_>, data: &Value) -> Vec<Owed> {
    let s = |p: &str| data.at(p).and_then(Value::as_str).unwrap_or_default();
    let step = s("/step");
    let today = inputs.today;
    let process = inputs.process;
    let mut out = Vec::new();
    let to_owner = s("/owner_role") != "manager-health" || inputs.config.manager_health_notices;
    if step == process.closed {
        if s("/closing/outcome") == "resolved"
            && data.at("/notices/resolved").is_none()
            && process.notices.get("resolved").is_some_and(|n| n.closed)
            && to_owner
        {
            out.push(Owed {
                notice: "resolved",
                due: date(data.at("/closing/date")),
                message: "resolved notice to the stakeholders not sent".into(),
            });
        }
        return out;
    }
    let at_least = |kind: &str| {
        process
            .notices
            .get(kind)
            .is_some_and(|n| process.index(step) >= process.index(&n.from))
    };
    let decision = s("/stakeholders/decision");
    if decision == "notify" && data.at("/stakeholders/notified").is_none() {
        out.push(Owed {
            notice: "stakeholders",
            due: None,
            message: "stakeholder notice not sent".into(),
        });
    }
    let sent_before_confirmation = process
        .notices
        .get("confirmation")
        .is_none_or(|n| process.index(step) < process.index(&n.from));
    if decision == "notify" && at_least("update") && sent_before_confirmation && to_owner {
        let last = crate::out::context::last_update_sent(data);
        let next = last
            .zip(crate::rules::targets::cadence_days(&inputs.cadence(data).0))
            .and_then(|(l, n)| inputs.after(l, n));
        if let Some(next) = next.filter(|n| *n <= today) {
            out.push(Owed {
                notice: "update",
                due: Some(next),
                message: format!(
                    "stakeholder update {} ({})",
                    when(next, today),
                    cadence_label(inputs, data)
                ),
            });
        }
    }
    if at_least("confirmation") && data.at("/notices/confirmation").is_none() {
        out.push(Owed {
            notice: "confirmation",
            due: None,
            message: "written confirmation not requested from the customer".into(),
        });
    }
    out
}

/// What is due on one escalation.
pub fn items(
    inputs: &Inputs<'_>,
    doc: &Doc,
    timeline: Option<&Timeline>,
    horizon: NaiveDate,
) -> Vec<Item> {
    let data = &doc.data;
    let s = |p: &str| doc.str(p).unwrap_or_default().to_string();
    let id = s("/id");
    let step = s("/step");
    let today = inputs.today;
    let process = inputs.process;
    let mut out = Vec::new();
    let mut push = |kind: &'static str, due: Option<NaiveDate>, message: String, hint: String| {
        out.push(Item {
            id: id.clone(),
            title: s("/title"),
            customer: s("/customer"),
            severity: s("/severity"),
            step: step.clone(),
            kind,
            due,
            overdue: due.is_none_or(|d| d < today),
            message,
            hint,
            roles: Vec::new(),
            tell: Vec::new(),
        });
    };
    let owed = notices(inputs, data);
    if step == process.closed {
        for o in owed {
            let hint = format!("esc notify {id} {} --mark-sent", o.notice);
            push("notice", o.due, o.message, hint);
        }
        return out;
    }
    let label = cadence_label(inputs, data);
    if let Some(next) = inputs.next_update(data, timeline)
        && next <= today
    {
        push(
            "update",
            Some(next),
            format!("Enterprise Status update {} ({label})", when(next, today)),
            format!("esc status {id}; then esc set {id} status.as_of={today}"),
        );
    }
    let as_of = date(data.at("/status/as_of"));
    let last_meeting = data
        .get("meetings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| date(m.get("date")))
        .filter(|d| *d <= today)
        .max();
    if let Some(m) = last_meeting
        && as_of.is_none_or(|a| a < m)
    {
        push(
            "status",
            Some(m),
            format!(
                "Enterprise Status not brought up to date after the meeting of {}",
                long(m)
            ),
            format!("esc status {id}; then esc set {id} status.as_of={today}"),
        );
    }
    let (open, _) = actions(data, today);
    for a in open {
        let Some(d) = date(a.get("due")).filter(|d| *d <= horizon) else {
            continue;
        };
        let what = a.get("what").and_then(Value::as_str).unwrap_or("?");
        let who = a.get("owner").and_then(Value::as_str).unwrap_or("?");
        let when = if d < today { "overdue since" } else { "due" };
        push(
            "action",
            Some(d),
            format!("action {}: {what} ({who}) {when} {}", a["n"], long(d)),
            format!("esc action {id} done {}", a["n"]),
        );
    }
    let decision = s("/stakeholders/decision");
    let stakeholders_from = process.notices.get("stakeholders").map(|n| n.from.as_str());
    if decision.is_empty() && stakeholders_from.is_some_and(|f| f == step) {
        let sev = s("/severity");
        let must =
            s("/owner_role") == "architect" && inputs.config.severity_policy.notify.contains(&sev);
        push(
            "decision",
            None,
            if must {
                format!("step-4 decision missing: the severity policy says notify for {sev}")
            } else {
                "step-4 decision missing: notify, or not-needed with a rationale".to_string()
            },
            format!("esc notify {id} stakeholders --mark-sent"),
        );
    }
    for o in owed {
        let hint = format!("esc notify {id} {} --mark-sent", o.notice);
        push("notice", o.due, o.message, hint);
    }
    if let Some(n) = inputs.stale_days(data, timeline) {
        push(
            "stale",
            None,
            format!("stale: no update for {n} working days"),
            String::new(),
        );
    }
    let steps = &process.steps;
    let breaches = crate::out::breach::breaches(inputs, data, timeline);
    for b in &breaches {
        let name = steps
            .iter()
            .find(|x| x.id == b.step)
            .map_or(b.step.as_str(), |x| x.name.as_str());
        push("breach", Some(b.deadline), b.message(name), String::new());
    }
    let first = out.len() - breaches.len();
    for (item, b) in out[first..].iter_mut().zip(breaches) {
        item.overdue = true;
        item.roles = b.roles;
        item.tell = b.tell;
    }
    out
}
