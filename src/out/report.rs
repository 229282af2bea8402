//! The weekly status report: its week, and what one escalation adds to it (`tally` adds it
//! all up into the context its templates render).
//!
//! Everything is computed from the escalations (as of a revision, or the working tree) and
//! their timelines; output is sorted and dated from "today" only, so the same repository,
//! week and revision give byte-identical reports.

use crate::model::dates;
use crate::model::doc::At;
use crate::out::context::Inputs;
use crate::timeline::{Timeline, What};
use chrono::NaiveDate;
use serde_json::{Value, json};

/// An ISO week: its Monday and Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    pub year: i32,
    pub week: u32,
    pub monday: NaiveDate,
}

impl Week {
    pub fn of(d: NaiveDate) -> Week {
        let (year, week) = dates::week_of(d);
        Week {
            year,
            week,
            monday: dates::week_start(year, week).unwrap_or(d),
        }
    }

    /// The last complete week before `d`: Monday to Sunday of the week before `d`'s.
    pub fn last_complete(d: NaiveDate) -> Week {
        Week::of(dates::add_days(d, -7).unwrap_or(d))
    }

    /// Parses `2026-W48`.
    pub fn parse(s: &str) -> Option<Week> {
        let (year, week) = dates::parse_week(s)?;
        Some(Week {
            year,
            week,
            monday: dates::week_start(year, week)?,
        })
    }

    pub fn sunday(&self) -> NaiveDate {
        dates::add_days(self.monday, 6).unwrap_or(dates::MAX)
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        dates::week_of(d) == (self.year, self.week)
    }

    pub fn label(&self) -> String {
        dates::format_week(self.year, self.week)
    }
}

fn date(v: Option<&Value>) -> Option<NaiveDate> {
    dates::parse(v?.as_str()?)
}

pub(super) const SEVERITY_ORDER: [&str; 4] = ["critical", "high", "medium", "low"];

/// One escalation as the report needs it: its file, data and timeline.
pub struct Item<'a> {
    pub file: &'a str,
    pub data: &'a Value,
    pub timeline: Option<&'a Timeline>,
}

/// What one escalation adds to the report. Computed for every escalation on all cores, then
/// added up in order.
pub struct Part {
    pub(super) id: String,
    file: String,
    pub(super) raised: Option<NaiveDate>,
    pub(super) resolved: Option<NaiveDate>,
    pub(super) changes: Vec<Value>,
    /// Moved forward this week (past the first step).
    pub(super) advanced: bool,
    pub(super) open: Option<OpenPart>,
}

pub(super) struct OpenPart {
    pub(super) step_i: usize,
    pub(super) step: String,
    pub(super) step_name: String,
    pub(super) update_overdue: bool,
    pub(super) actions_overdue: usize,
    /// The overdue actions, named: escalation, what, owner, due.
    pub(super) overdue: Vec<Value>,
    /// The targets missed, each with its escalation.
    pub(super) breaches: Vec<Value>,
    pub(super) row: Value,
    pub(super) stale: Option<Value>,
    pub(super) watch: Option<Value>,
}

fn str_of(v: &Value, p: &str) -> String {
    v.at(p)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

pub fn part(inputs: &Inputs<'_>, week: Week, it: &Item<'_>) -> Part {
    let today = inputs.today;
    let tz = inputs.tz;
    let day_of = |secs: i64| {
        chrono::DateTime::from_timestamp(secs, 0)
            .and_then(|d| dates::in_range(d.with_timezone(&tz).date_naive()))
    };
    let closed = inputs.process.closed.as_str();
    let d = it.data;
    let id = str_of(d, "/id");
    let step = str_of(d, "/step");
    let raised = date(d.at("/raised/date"));
    let resolved = (step == closed && str_of(d, "/closing/outcome") == "resolved")
        .then(|| date(d.at("/closing/date")))
        .flatten();
    let mut changes = Vec::new();
    let mut advanced = false;
    // What changed this week, from the timeline.
    if let Some(t) = it.timeline {
        for (k, e) in t.entered.iter().enumerate() {
            let Some(day) = day_of(e.time) else { continue };
            // A move back enters an earlier step than the one before it.
            let before = k
                .checked_sub(1)
                .and_then(|j| inputs.process.index(&t.entered[j].step));
            let back = before.is_some_and(|b| inputs.process.index(&e.step).is_some_and(|i| i < b));
            if week.contains(day) && day <= today {
                let first = inputs.process.steps.first().map(|s| s.id.as_str());
                if !back && Some(e.step.as_str()) != first {
                    advanced = true;
                }
                let step_i = inputs.process.index(&e.step).unwrap_or(usize::MAX);
                // The move's reason, and whether it reopened the escalation, from its activity.
                let (reopened, reason) = t
                    .activity
                    .iter()
                    .find_map(|a| match &a.what {
                        What::Reopened { to, reason, .. }
                            if a.commit == e.commit && *to == e.step =>
                        {
                            Some((true, reason.clone()))
                        }
                        What::Step { to, reason, .. } if a.commit == e.commit && *to == e.step => {
                            Some((false, reason.clone()))
                        }
                        _ => None,
                    })
                    .unwrap_or((false, None));
                changes.push(json!({
                    "kind": "step",
                    "reopened": reopened,
                    "reason": reason,
                    "text": "",
                    "back": back,
                    "order": [e.time, step_i],
                    "date": day.to_string(),
                    "id": id,
                    "customer": str_of(d, "/customer"),
                    "step": e.step,
                    "step_name": inputs.process.steps.iter().find(|s| s.id == e.step).map_or_else(|| if e.step == closed { "Closed".to_string() } else { e.step.clone() }, |s| s.name.clone()),
                    "author": crate::model::person::display_name(&e.author),
                    "commit": e.commit.get(..7).unwrap_or(&e.commit),
                }));
            }
        }
        // The rest of the week's activity: handoffs, severity, meetings, actions, notices,
        // status updates (steps are above, from the steps entered).
        for (k, a) in t.activity.iter().enumerate() {
            let Some(day) = day_of(a.time) else { continue };
            if matches!(
                a.what,
                What::Created { .. } | What::Step { .. } | What::Reopened { .. }
            ) || !week.contains(day)
                || day > today
            {
                continue;
            }
            changes.push(json!({
                "kind": a.what.kind(),
                "reopened": false,
                "reason": null,
                "text": people_dates(&crate::timeline::activity::describe(&a.what)),
                "back": false,
                "order": [a.time, 1000 + k],
                "date": day.to_string(),
                "id": id,
                "customer": str_of(d, "/customer"),
                "step": "",
                "step_name": "",
                "author": crate::model::person::display_name(&a.author),
                "commit": a.commit.get(..7).unwrap_or(&a.commit),
            }));
        }
    }
    let open = (step != closed).then(|| {
        let c = inputs.derived_brief(it.file, d, it.timeline);
        let last_update = inputs.last_update_day(d, it.timeline);
        let days_in_step = c
            .at("/timeline/days_in_step")
            .cloned()
            .unwrap_or(Value::Null);
        let actions_overdue = c["actions_overdue"].as_array().map_or(0, Vec::len);
        let overdue = c["actions_overdue"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| {
                json!({
                    "id": id, "customer": str_of(d, "/customer"),
                    "what": str_of(a, "/what"),
                    "owner": crate::model::person::display_name(&str_of(a, "/owner")),
                    "due": str_of(a, "/due"),
                })
            })
            .collect();
        let breaches = c["breaches"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|b| {
                json!({
                    "id": id, "customer": str_of(d, "/customer"),
                    "kind": b["kind"], "deadline": b["deadline"], "message": b["message"],
                })
            })
            .collect();
        let row = json!({
            "id": id,
            "title": str_of(d, "/title"),
            "customer": str_of(d, "/customer"),
            "severity": str_of(d, "/severity"),
            "step": step,
            "step_name": str_of(&c, "/step_name"),
            "days_open": c["days_open"],
            "days_in_step": days_in_step,
            "owner": crate::model::person::display_name(&str_of(d, "/owner")),
            "last_update": last_update.map(|d| d.to_string()).unwrap_or_default(),
            "next_update_due": c["next_update_due"],
            "update_overdue": c["update_overdue"],
            "actions_overdue": actions_overdue,
        });
        let stale = inputs.stale_days(d, it.timeline).map(|n| {
            json!({
                "id": row["id"], "customer": row["customer"], "owner": row["owner"],
                "last_update": row["last_update"], "working_days": n,
            })
        });
        let lists = c["watch_lists"].as_array().cloned().unwrap_or_default();
        let risk = str_of(d, "/status/risk");
        // `list`, `since` and `link` are the first list's, for templates written before an
        // escalation could be on several; `lists` has them all.
        let first = |k: &str| lists.first().map_or(json!(""), |l| l[k].clone());
        let (list, since, link) = (first("list"), first("date"), first("link"));
        let watch = (!lists.is_empty() || !risk.is_empty()).then(|| {
            json!({
                "id": row["id"], "customer": row["customer"], "severity": row["severity"],
                "list": list, "since": since, "link": link, "lists": lists, "risk": risk,
            })
        });
        OpenPart {
            step_i: inputs.process.index(&step).unwrap_or(usize::MAX),
            step: step.clone(),
            step_name: str_of(&c, "/step_name"),
            update_overdue: c["update_overdue"].as_bool() == Some(true),
            actions_overdue,
            overdue,
            breaches,
            row,
            stale,
            watch,
        }
    });
    Part {
        id,
        file: it.file.to_string(),
        raised,
        resolved,
        changes,
        advanced,
        open,
    }
}

impl Part {
    /// The escalation's id (empty when the file has none).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The escalation's file, relative to its repository.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Names the repository this escalation is in, in every row and list entry it adds (the
    /// organisation's report: templates show it as a column).
    pub fn tag(&mut self, repository: &str) {
        let name = Value::from(repository);
        let mut put = |v: &mut Value| {
            if let Some(m) = v.as_object_mut() {
                m.insert("repository".into(), name.clone());
            }
        };
        self.changes.iter_mut().for_each(&mut put);
        if let Some(o) = &mut self.open {
            put(&mut o.row);
            o.overdue.iter_mut().for_each(&mut put);
            o.breaches.iter_mut().for_each(&mut put);
            o.stale.iter_mut().for_each(&mut put);
            o.watch.iter_mut().for_each(&mut put);
        }
    }
}

/// `s` with every ISO date (`2026-11-05`) written as people read it (`5 Nov 2026`).
fn people_dates(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((i, c)) = rest.char_indices().next() {
        let day = rest
            .get(i..i + 10)
            .filter(|_| c.is_ascii_digit())
            .and_then(dates::parse);
        match day {
            Some(d) => {
                out.push_str(&d.format("%-d %b %Y").to_string());
                rest = rest.get(10..).unwrap_or_default();
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_text_are_for_people() {
        assert_eq!(
            people_dates("meeting 2026-11-24 (call): ok, done 2026-11-05."),
            "meeting 24 Nov 2026 (call): ok, done 5 Nov 2026."
        );
        assert_eq!(people_dates("ticket 20261124123"), "ticket 20261124123");
        assert_eq!(people_dates("é 2026-13-01"), "é 2026-13-01");
    }

    #[test]
    fn iso_weeks() {
        let w = Week::parse("2026-W48").expect("week");
        assert_eq!(w.monday.to_string(), "2026-11-23");
        assert_eq!(w.sunday().to_string(), "2026-11-29");
        assert_eq!(Week::of(w.sunday()), w);
        assert_eq!(
            Week::parse("2026-W01").expect("week").monday.to_string(),
            "2025-12-29"
        );
        assert!(Week::parse("2026-W54").is_none());
        assert!(Week::parse("nonsense").is_none());
    }
}
