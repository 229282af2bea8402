//! What templates see for one escalation: every schema field (empty where the file leaves it
//! out), plus what is derived from it: open and overdue actions, the last meeting, when the
//! next update is due by the agreed cadence (or the severity's target while none is agreed),
//! what the severity means, target breaches, the step's name, the timeline, who sends a
//! notice (`sender`), and `watch_lists` (each entry of `gathering.watch_list`, in either form,
//! with its link).
//!
//! `esc render TEMPLATE [ID] --context` prints this as JSON.

use crate::model::dates;
use crate::model::doc::At;
use crate::out::render::{overlay, skeleton};
use crate::rules::config::Config;
use crate::rules::process::Process;
use crate::timeline::Timeline;
use chrono::NaiveDate;
use serde_json::{Value, json};

fn date(v: &Value) -> Option<NaiveDate> {
    crate::model::dates::parse(v.as_str()?)
}

/// The context for one escalation.
pub struct Inputs<'a> {
    pub schema: &'a Value,
    pub config: &'a Config,
    pub process: &'a Process,
    pub today: NaiveDate,
    pub tz: chrono_tz::Tz,
}

impl Inputs<'_> {
    pub fn escalation(&self, file: &str, data: &Value, timeline: Option<&Timeline>) -> Value {
        let mut ctx = skeleton(self.schema);
        overlay(&mut ctx, data);
        overlay(&mut ctx, &self.derived(file, data, timeline));
        ctx
    }

    /// Only what is derived from the data (the report needs no more): `file`, `today`,
    /// `open`, `step_name`, `actions_open`, `next_update_due`, `timeline` and the rest.
    pub fn derived(&self, file: &str, data: &Value, timeline: Option<&Timeline>) -> Value {
        self.derived_as(file, data, timeline, false)
    }

    /// [`Inputs::derived`] with `timeline` holding only `days_in_step`: what the weekly
    /// report reads of every open escalation, without building each one's whole history.
    pub fn derived_brief(&self, file: &str, data: &Value, timeline: Option<&Timeline>) -> Value {
        self.derived_as(file, data, timeline, true)
    }

    fn derived_as(
        &self,
        file: &str,
        data: &Value,
        timeline: Option<&Timeline>,
        brief: bool,
    ) -> Value {
        let today = self.today;
        let step = data.get("step").and_then(Value::as_str).unwrap_or_default();
        let step_index = self.process.steps.iter().position(|s| s.id == step);
        let open = step != self.process.closed;

        let (open_actions, overdue_actions) = actions(data, today);
        let mut meetings: Vec<&Value> = data
            .get("meetings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        meetings.sort_by_key(|m| {
            m.get("date")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        });
        let last_meeting = meetings.last().map_or_else(
            || json!({"date": "", "kind": "", "attendees": [], "summary": ""}),
            |m| {
                let mut base = json!({"date": "", "kind": "", "attendees": [], "summary": ""});
                overlay(&mut base, m);
                base
            },
        );
        let last_update = self.last_update_day(data, timeline);
        let last_status = self.last_status_update(data, timeline);
        let (cadence, cadence_agreed) = self.cadence(data);
        let next_update = if open {
            self.next_update(data, timeline)
        } else {
            None
        };
        let severity = data
            .get("severity")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let breaches = if open {
            crate::out::breach::breaches(self, data, timeline)
        } else {
            Vec::new()
        };
        let raised = data.at("/raised/date").and_then(date);
        let end = data
            .at("/closing/date")
            .and_then(date)
            .filter(|_| !open)
            .unwrap_or(today);
        // Each watch list with its link, whichever form the file uses; `watch_list_link`
        // stays the first one's link, for templates written before there could be several.
        let watch_lists = crate::out::watch::entries(data, self.config);
        let watch_link = watch_lists.first().map_or(json!(""), |w| w["link"].clone());
        let timeline = match timeline {
            Some(t) if brief => {
                json!({"days_in_step": crate::timeline::days_in_step(t, self.tz, today)})
            }
            Some(t) => crate::timeline::to_json(t, self.tz, today, &self.process.closed, raised),
            None => {
                json!({"entered": [], "age_days": null, "days_in_step": null, "last_update": null})
            }
        };
        let d = |o: Option<NaiveDate>| o.map_or(String::new(), |d| d.to_string());
        json!({
            "file": file,
            "today": today.to_string(),
            "open": open,
            "step_name": step_index.map_or_else(
                || if open { step.to_string() } else { "Closed".to_string() },
                |i| self.process.steps[i].name.clone()),
            "step_number": step_index.map_or(json!(null), |i| json!(i + 1)),
            "steps_total": self.process.steps.len(),
            "owner_is_architect": data.get("owner_role").and_then(Value::as_str) == Some("architect"),
            // Who sends a notice: the owner, unless `esc notify --from` says otherwise.
            "sender": data.get("owner").and_then(Value::as_str).unwrap_or_default(),
            "actions_open": open_actions,
            "actions_overdue": overdue_actions,
            "last_meeting": last_meeting,
            "last_update": d(last_update),
            "last_status_update": d(last_status),
            "next_update_due": d(next_update),
            "update_overdue": next_update.is_some_and(|n| n < today),
            "cadence_label": crate::rules::targets::cadence_label(&cadence),
            "cadence_agreed": cadence_agreed,
            "severity_meaning": self.config.severities.get(severity).cloned().unwrap_or_default(),
            "next_meeting": next_meeting(data, today).map_or(String::new(), |d| d.to_string()),
            "breaches": breaches.iter().map(|b| b.to_json(self.process)).collect::<Vec<_>>(),
            "update_since": d(last_update_sent(data)),
            "update_changes": [],
            "next_update_notice": d(crate::rules::targets::cadence_days(&cadence)
                .and_then(|n| self.after(today, n))
                .filter(|_| open)),
            "days_open": raised.map_or(json!(null), |r| json!(dates::days_between(r, end))),
            "watch_lists": watch_lists,
            "watch_list_link": watch_link,
            "timeline": timeline,
        })
    }
}

/// Open actions and, of those, the ones past due, each with its number `n` (1-based) and
/// `overdue`.
pub fn actions(data: &Value, today: NaiveDate) -> (Vec<Value>, Vec<Value>) {
    let mut open = Vec::new();
    let mut overdue = Vec::new();
    for (i, a) in data
        .at("/status/actions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if a.get("done").is_some() {
            continue;
        }
        let mut a = a.clone();
        a["n"] = json!(i + 1);
        let late = a.get("due").and_then(date).is_some_and(|d| d < today);
        a["overdue"] = json!(late);
        if late {
            overdue.push(a.clone());
        }
        open.push(a);
    }
    (open, overdue)
}

/// The last stakeholder update sent: the newest of `notices.updates`, else the step-4
/// notice (`stakeholders.notified`).
pub fn last_update_sent(data: &Value) -> Option<NaiveDate> {
    data.at("/notices/updates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(date)
        .chain(data.at("/stakeholders/notified").and_then(date))
        .max()
}

/// The next meeting planned: the latest `meetings[].next` that is today or later.
pub fn next_meeting(data: &Value, today: NaiveDate) -> Option<NaiveDate> {
    data.get("meetings")?
        .as_array()?
        .iter()
        .filter_map(|m| m.get("next").and_then(date))
        .filter(|d| *d >= today)
        .max()
}

/// The day (in the team's time zone) of a commit time.
pub fn day_of(tz: chrono_tz::Tz, secs: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(secs, 0)
        .and_then(|d| dates::in_range(d.with_timezone(&tz).date_naive()))
}

impl Inputs<'_> {
    /// The last status update, for the cadence: the Enterprise Status's as-of date, else
    /// validation or raising, or the day a closed escalation was reopened if later. A meeting
    /// is not an update until the status is brought up to date after it, and a commit that
    /// fixes a typo is no update either.
    pub fn last_status_update(
        &self,
        data: &Value,
        timeline: Option<&Timeline>,
    ) -> Option<NaiveDate> {
        let reopened = timeline.and_then(|t| {
            let i = t
                .entered
                .iter()
                .rposition(|e| e.step == self.process.closed)?;
            day_of(self.tz, t.entered.get(i + 1)?.time)
        });
        [
            data.at("/status/as_of"),
            data.at("/validation/date"),
            data.at("/raised/date"),
        ]
        .into_iter()
        .flatten()
        .filter_map(date)
        .chain(reopened)
        .max()
    }

    /// The update cadence: the agreed one (`validation.cadence`), else the severity's target;
    /// and whether it was agreed.
    pub fn cadence(&self, data: &Value) -> (Value, bool) {
        match data.at("/validation/cadence") {
            Some(c) if crate::rules::targets::cadence_days(c).is_some() => (c.clone(), true),
            _ => {
                let sev = data
                    .get("severity")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                (self.config.target(sev).update_cadence, false)
            }
        }
    }

    /// When the next Enterprise Status update is due: the cadence in working days after the
    /// last update (calendar days when no working days are configured).
    pub fn next_update(&self, data: &Value, timeline: Option<&Timeline>) -> Option<NaiveDate> {
        let n = crate::rules::targets::cadence_days(&self.cadence(data).0)?;
        self.after(self.last_status_update(data, timeline)?, n)
    }

    /// `n` working days after `d` (calendar days when no working days are configured).
    pub fn after(&self, d: NaiveDate, n: u32) -> Option<NaiveDate> {
        let wd = self.config.working_day_numbers();
        if wd.is_empty() {
            dates::add_days(d, i64::from(n))
        } else {
            dates::add_working_days(d, n, &wd)
        }
    }

    /// The last update, as the report, `esc list` and `esc show` read it: the last change to
    /// status, meetings, actions, notices or step, the day of the newest such activity in the
    /// timeline ([`Timeline::last_update`]) or the newest date the file gives those (the
    /// status date, meetings, actions done, notices sent; validation, raising), whichever is
    /// later; never after today. A commit that changes none of these (a typo fixed in the
    /// body, a handoff) is no update.
    pub fn last_update_day(&self, data: &Value, timeline: Option<&Timeline>) -> Option<NaiveDate> {
        let list = |p: &str, key: &str| -> Vec<NaiveDate> {
            data.at(p)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.get(key).and_then(date))
                .collect()
        };
        timeline
            .and_then(Timeline::last_update_time)
            .and_then(|t| day_of(self.tz, t))
            .into_iter()
            .chain(list("/meetings", "date"))
            .chain(list("/status/actions", "done"))
            .chain(last_update_sent(data))
            .chain(self.last_status_update(data, timeline))
            .filter(|d| *d <= self.today)
            .max()
    }

    /// Working days since the last update, when that is more than `stale_after_days`.
    pub fn stale_days(&self, data: &Value, timeline: Option<&Timeline>) -> Option<i64> {
        let last = self.last_update_day(data, timeline)?;
        let n = dates::working_days_between(last, self.today, &self.config.working_day_numbers());
        (n > i64::from(self.config.stale_after_days)).then_some(n)
    }
}
