//! The weekly status report: the figures and the context its templates render.
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
use std::collections::BTreeMap;

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

const SEVERITY_ORDER: [&str; 4] = ["critical", "high", "medium", "low"];

/// One escalation as the report needs it: its file, data and timeline.
pub struct Item<'a> {
    pub file: &'a str,
    pub data: &'a Value,
    pub timeline: Option<&'a Timeline>,
}

/// What one escalation adds to the report. Computed for every escalation on all cores, then
/// added up in order.
pub struct Part {
    id: String,
    raised: Option<NaiveDate>,
    resolved: Option<NaiveDate>,
    changes: Vec<Value>,
    /// Moved forward this week (past the first step).
    advanced: bool,
    open: Option<OpenPart>,
}

struct OpenPart {
    step_i: usize,
    step: String,
    step_name: String,
    update_overdue: bool,
    actions_overdue: usize,
    /// The overdue actions, named: escalation, what, owner, due.
    overdue: Vec<Value>,
    /// The targets missed, each with its escalation.
    breaches: Vec<Value>,
    row: Value,
    stale: Option<Value>,
    watch: Option<Value>,
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
        raised,
        resolved,
        changes,
        advanced,
        open,
    }
}

/// The report's context from what every escalation (open and closed) adds, in file order.
pub fn context(inputs: &Inputs<'_>, week: Week, as_of: &str, parts: Vec<Part>) -> Value {
    let today = inputs.today;
    let mut open = Vec::new();
    let mut changes = Vec::new();
    let mut watch = Vec::new();
    let mut stale = Vec::new();
    let mut overdue_actions = Vec::new();
    let mut breaches = Vec::new();
    let mut resolve_days = Vec::new();
    let mut by_step: BTreeMap<usize, (String, String, usize)> = BTreeMap::new();
    let (mut raised_n, mut resolved_n, mut updates_overdue, mut actions_overdue) = (0, 0, 0, 0);
    let mut advanced: Vec<String> = Vec::new();
    // 12 weeks ending with the report's week: raised and resolved counts.
    let weeks: Vec<Week> = (0..12)
        .rev()
        .filter_map(|i| dates::add_days(week.monday, -7 * i).map(Week::of))
        .collect();
    let mut weekly: Vec<(usize, usize)> = vec![(0, 0); weeks.len()];

    for p in parts {
        let (raised, resolved) = (p.raised, p.resolved);
        if raised.is_some_and(|r| week.contains(r)) {
            raised_n += 1;
        }
        if resolved.is_some_and(|r| week.contains(r)) {
            resolved_n += 1;
        }
        for (i, w) in weeks.iter().enumerate() {
            weekly[i].0 += usize::from(raised.is_some_and(|r| w.contains(r)));
            weekly[i].1 += usize::from(resolved.is_some_and(|r| w.contains(r)));
        }
        if let (Some(r), Some(x)) = (raised, resolved) {
            resolve_days.push(dates::days_between(r, x));
        }
        if p.advanced && !advanced.contains(&p.id) {
            advanced.push(p.id);
        }
        changes.extend(p.changes);
        let Some(o) = p.open else { continue };
        by_step
            .entry(o.step_i)
            .or_insert_with(|| (o.step, o.step_name, 0))
            .2 += 1;
        updates_overdue += usize::from(o.update_overdue);
        actions_overdue += o.actions_overdue;
        stale.extend(o.stale);
        overdue_actions.extend(o.overdue);
        breaches.extend(o.breaches);
        watch.extend(o.watch);
        open.push(o.row);
    }
    let sev = |v: &Value| {
        let s = v["severity"].as_str().unwrap_or_default();
        SEVERITY_ORDER
            .iter()
            .position(|x| *x == s)
            .unwrap_or(SEVERITY_ORDER.len())
    };
    // Keys read once per row: a comparison that looks fields up by name each time was a
    // tenth of a large report's time, on one core.
    let id_of = |v: &Value| v["id"].as_str().map(String::from);
    open.sort_by_cached_key(|v| (sev(v), std::cmp::Reverse(v["days_open"].as_i64()), id_of(v)));
    watch.sort_by_cached_key(|v| (sev(v), id_of(v)));
    stale.sort_by_cached_key(|v| (std::cmp::Reverse(v["working_days"].as_i64()), id_of(v)));
    // In the order things happened: by time, then id, then step order.
    changes.sort_by_cached_key(|v| (v["order"][0].as_i64(), id_of(v), v["order"][1].as_u64()));
    // Oldest due first; breaches by deadline.
    let by = |k: &'static str| {
        move |a: &Value, b: &Value| {
            a[k].as_str()
                .cmp(&b[k].as_str())
                .then(a["id"].as_str().cmp(&b["id"].as_str()))
        }
    };
    overdue_actions.sort_by(by("due"));
    breaches.sort_by(by("deadline"));
    let mean = if resolve_days.is_empty() {
        Value::Null
    } else {
        json!(
            ((resolve_days.iter().sum::<i64>() as f64 / resolve_days.len() as f64) * 10.0).round()
                / 10.0
        )
    };
    let resolve = crate::out::stats::Times::of(resolve_days);
    let consulted: Vec<String> = {
        let mut roles: Vec<String> = inputs
            .config
            .raci
            .values()
            .flat_map(|r| r.consulted.clone())
            .collect();
        roles.sort();
        roles.dedup();
        inputs.config.people_in(&roles)
    };
    let max_week = weekly
        .iter()
        .map(|(a, b)| *a.max(b))
        .max()
        .unwrap_or(0)
        .max(1);
    let max_step = by_step.values().map(|v| v.2).max().unwrap_or(0).max(1);
    let (weekly_top, weekly_ticks) = axis(max_week);
    // The lists move into their places below: `json!` would copy each of them whole.
    let (open_n, stale_n) = (open.len(), stale.len());
    let mut context = json!({
        "week": week.label(),
        "week_start": week.monday.to_string(),
        "week_end": week.sunday().to_string(),
        "today": today.to_string(),
        "as_of": as_of,
        "timezone": inputs.config.timezone,
        "figures": {
            "open": open_n,
            "raised": raised_n,
            "advanced": advanced.len(),
            "resolved": resolved_n,
            "updates_overdue": updates_overdue,
            "actions_overdue": actions_overdue,
            "stale": stale_n,
        },
        "open": null,
        "changes": null,
        "watch": null,
        "stale": null,
        "overdue_actions": null,
        "breaches": null,
        "resolve_times": {
            "count": resolve.count,
            "median_days": crate::out::stats::number(resolve.median),
            "p90_days": resolve.p90,
            "mean_days": mean,
        },
        "by_step": by_step.into_values().map(|(id, name, n)| json!({"step": id, "name": name, "count": n})).collect::<Vec<_>>(),
        "by_step_max": max_step,
        "weekly": weeks.iter().zip(&weekly).map(|(w, (r, x))| json!({
            "week": w.label(), "short": format!("W{:02}", w.week), "raised": r, "resolved": x,
        })).collect::<Vec<_>>(),
        "weekly_max": max_week,
        "weekly_top": weekly_top,
        "weekly_ticks": weekly_ticks,
        "consulted": consulted,
        "stale_after_days": inputs.config.stale_after_days,
    });
    for (key, list) in [
        ("open", open),
        ("changes", changes),
        ("watch", watch),
        ("stale", stale),
        ("overdue_actions", overdue_actions),
        ("breaches", breaches),
    ] {
        context[key] = Value::Array(list);
    }
    context
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

/// An axis from 0 for counts up to `max`: at most 5 steps of a whole, round size (1, 2, 5,
/// 10, 20, 50...); returns its top and its ticks.
fn axis(max: usize) -> (usize, Vec<usize>) {
    let mut step = 1usize;
    for scale in std::iter::successors(Some(1usize), |s| s.checked_mul(10)) {
        if let Some(s) = [1, 2, 5]
            .iter()
            .filter_map(|k| scale.checked_mul(*k))
            .find(|s| max.div_ceil(*s) <= 5)
        {
            step = s;
            break;
        }
    }
    let top = max.div_ceil(step).max(1) * step;
    (top, (0..=top).step_by(step).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_have_whole_round_steps() {
        assert_eq!(axis(1), (1, vec![0, 1]));
        assert_eq!(axis(3), (3, vec![0, 1, 2, 3]));
        assert_eq!(axis(5), (5, vec![0, 1, 2, 3, 4, 5]));
        assert_eq!(axis(6), (6, vec![0, 2, 4, 6]));
        assert_eq!(axis(11), (15, vec![0, 5, 10, 15]));
        assert_eq!(axis(42), (50, vec![0, 10, 20, 30, 40, 50]));
        assert_eq!(axis(0), (1, vec![0, 1]));
    }

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
