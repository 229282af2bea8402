//! What templates see for one escalation: every schema field (empty where the file leaves it
//! out), plus what is derived from it: open and overdue actions, the last meeting, when the
//! next update is due by the agreed cadence, the step's name, the timeline, and who sends a
//! notice (`sender`).
//!
//! `esc render TEMPLATE [ID] --context` prints this as JSON.

use crate::model::dates;
use crate::out::render::{overlay, skeleton};
use crate::rules::config::Config;
use crate::rules::process::Process;
use crate::timeline::Timeline;
use chrono::NaiveDate;
use serde_json::{Value, json};

/// Working days between updates for each agreed cadence.
pub fn cadence_days(cadence: &str) -> Option<u32> {
    Some(match cadence {
        "daily" => 1,
        "twice-weekly" => 3,
        "weekly" => 5,
        "biweekly" => 10,
        "monthly" => 20,
        _ => return None,
    })
}

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
        let wd = self.config.working_day_numbers();
        let today = self.today;
        let step = data.get("step").and_then(Value::as_str).unwrap_or_default();
        let step_index = self.process.steps.iter().position(|s| s.id == step);
        let open = step != self.process.closed;

        let mut open_actions = Vec::new();
        let mut overdue_actions = Vec::new();
        for (i, a) in data
            .pointer("/status/actions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let mut a = a.clone();
            a["n"] = json!(i + 1);
            if a.get("done").is_none() {
                let overdue = a.get("due").and_then(date).is_some_and(|d| d < today);
                a["overdue"] = json!(overdue);
                if overdue {
                    overdue_actions.push(a.clone());
                }
                open_actions.push(a);
            }
        }
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
        // The last status update, for the cadence: the Enterprise Status's as-of date, else
        // validation or raising. A meeting is not an update until the status is brought up to
        // date after it, and a commit that fixes a typo is no update either.
        let last_update = [
            data.pointer("/status/as_of"),
            data.pointer("/validation/date"),
            data.pointer("/raised/date"),
        ]
        .into_iter()
        .flatten()
        .filter_map(date)
        .max();
        let cadence = data
            .pointer("/validation/cadence")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let next_update = match (open, cadence_days(cadence), last_update) {
            // With no working days configured, count calendar days.
            (true, Some(n), Some(d)) if wd.is_empty() => dates::add_days(d, i64::from(n)),
            (true, Some(n), Some(d)) => dates::add_working_days(d, n, &wd),
            _ => None,
        };
        let raised = data.pointer("/raised/date").and_then(date);
        let end = data
            .pointer("/closing/date")
            .and_then(date)
            .filter(|_| !open)
            .unwrap_or(today);
        // Only web links: templates put it in `href`, where `javascript:` would run.
        let web = |l: &String| l.starts_with("https://") || l.starts_with("http://");
        let watch_link = data
            .pointer("/gathering/watch_list/link")
            .and_then(Value::as_str)
            .map(String::from)
            .filter(web)
            .or_else(|| {
                let list = data.pointer("/gathering/watch_list/list")?.as_str()?;
                self.config.watch_lists.get(list).cloned().filter(web)
            })
            .unwrap_or_default();
        let timeline = timeline.map_or_else(
            || json!({"entered": [], "age_days": null, "days_in_step": null, "last_update": null}),
            |t| crate::timeline::to_json(t, self.tz, today, &self.process.closed),
        );
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
            "next_update_due": d(next_update),
            "update_overdue": next_update.is_some_and(|n| n < today),
            "days_open": raised.map_or(json!(null), |r| json!(dates::days_between(r, end))),
            "watch_list_link": watch_link,
            "timeline": timeline,
        })
    }
}
