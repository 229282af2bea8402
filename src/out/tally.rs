//! The weekly report's figures and lists: what every escalation adds (`report::part`) added
//! up in a [`Tally`], one per repository (merged into the organisation's), then sorted into
//! the context the report's templates render.

use crate::model::dates;
use crate::out::context::Inputs;
use crate::out::report::{Part, SEVERITY_ORDER, Week};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The report's context from what every escalation (open and closed) adds, in file order.
pub fn context(inputs: &Inputs<'_>, week: Week, as_of: &str, parts: Vec<Part>) -> Value {
    let mut tally = Tally::new(week);
    for p in parts {
        tally.add(p);
    }
    tally.context(inputs, as_of)
}

/// What escalations add up to, before sorting: the figures and the lists. One tally per
/// repository, merged, is the organisation's.
pub struct Tally {
    open: Vec<Value>,
    changes: Vec<Value>,
    watch: Vec<Value>,
    stale: Vec<Value>,
    overdue_actions: Vec<Value>,
    breaches: Vec<Value>,
    resolve_days: Vec<i64>,
    /// Open escalations per step: (index in the process, id) -> (name, count).
    by_step: BTreeMap<(usize, String), (String, usize)>,
    raised: usize,
    resolved: usize,
    updates_overdue: usize,
    actions_overdue: usize,
    advanced: Vec<String>,
    /// The 12 weeks ending with the report's week, and their raised and resolved counts.
    weeks: Vec<Week>,
    weekly: Vec<(usize, usize)>,
    week: Week,
}

impl Tally {
    pub fn new(week: Week) -> Tally {
        let weeks: Vec<Week> = (0..12)
            .rev()
            .filter_map(|i| dates::add_days(week.monday, -7 * i).map(Week::of))
            .collect();
        Tally {
            open: Vec::new(),
            changes: Vec::new(),
            watch: Vec::new(),
            stale: Vec::new(),
            overdue_actions: Vec::new(),
            breaches: Vec::new(),
            resolve_days: Vec::new(),
            by_step: BTreeMap::new(),
            raised: 0,
            resolved: 0,
            updates_overdue: 0,
            actions_overdue: 0,
            advanced: Vec::new(),
            weekly: vec![(0, 0); weeks.len()],
            weeks,
            week,
        }
    }

    pub fn add(&mut self, p: Part) {
        let week = self.week;
        let (raised, resolved) = (p.raised, p.resolved);
        if raised.is_some_and(|r| week.contains(r)) {
            self.raised += 1;
        }
        if resolved.is_some_and(|r| week.contains(r)) {
            self.resolved += 1;
        }
        for (i, w) in self.weeks.iter().enumerate() {
            self.weekly[i].0 += usize::from(raised.is_some_and(|r| w.contains(r)));
            self.weekly[i].1 += usize::from(resolved.is_some_and(|r| w.contains(r)));
        }
        if let (Some(r), Some(x)) = (raised, resolved) {
            self.resolve_days.push(dates::days_between(r, x));
        }
        if p.advanced && !self.advanced.contains(&p.id) {
            self.advanced.push(p.id);
        }
        self.changes.extend(p.changes);
        let Some(o) = p.open else { return };
        self.by_step
            .entry((o.step_i, o.step))
            .or_insert_with(|| (o.step_name, 0))
            .1 += 1;
        self.updates_overdue += usize::from(o.update_overdue);
        self.actions_overdue += o.actions_overdue;
        self.stale.extend(o.stale);
        self.overdue_actions.extend(o.overdue);
        self.breaches.extend(o.breaches);
        self.watch.extend(o.watch);
        self.open.push(o.row);
    }

    /// Adds another tally of the same week (another repository's) to this one.
    pub fn merge(&mut self, other: Tally) {
        self.open.extend(other.open);
        self.changes.extend(other.changes);
        self.watch.extend(other.watch);
        self.stale.extend(other.stale);
        self.overdue_actions.extend(other.overdue_actions);
        self.breaches.extend(other.breaches);
        self.resolve_days.extend(other.resolve_days);
        for (k, (name, n)) in other.by_step {
            self.by_step.entry(k).or_insert_with(|| (name, 0)).1 += n;
        }
        self.raised += other.raised;
        self.resolved += other.resolved;
        self.updates_overdue += other.updates_overdue;
        self.actions_overdue += other.actions_overdue;
        for id in other.advanced {
            if !self.advanced.contains(&id) {
                self.advanced.push(id);
            }
        }
        for (mine, theirs) in self.weekly.iter_mut().zip(other.weekly) {
            mine.0 += theirs.0;
            mine.1 += theirs.1;
        }
    }

    /// The headline figures.
    pub fn figures(&self) -> Value {
        json!({
            "open": self.open.len(),
            "raised": self.raised,
            "advanced": self.advanced.len(),
            "resolved": self.resolved,
            "updates_overdue": self.updates_overdue,
            "actions_overdue": self.actions_overdue,
            "stale": self.stale.len(),
        })
    }

    /// The report's context: the lists sorted, the figures, the charts' data.
    pub fn context(self, inputs: &Inputs<'_>, as_of: &str) -> Value {
        let today = inputs.today;
        let figures = self.figures();
        let Tally {
            mut open,
            mut changes,
            mut watch,
            mut stale,
            mut overdue_actions,
            mut breaches,
            resolve_days,
            by_step,
            weeks,
            weekly,
            week,
            ..
        } = self;
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
                ((resolve_days.iter().sum::<i64>() as f64 / resolve_days.len() as f64) * 10.0)
                    .round()
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
        let max_step = by_step.values().map(|v| v.1).max().unwrap_or(0).max(1);
        let (weekly_top, weekly_ticks) = axis(max_week);
        // The lists move into their places below: `json!` would copy each of them whole.
        let mut context = json!({
            "week": week.label(),
            "week_start": week.monday.to_string(),
            "week_end": week.sunday().to_string(),
            "today": today.to_string(),
            "as_of": as_of,
            "timezone": inputs.config.timezone,
            "figures": figures,
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
            "by_step": by_step.into_iter().map(|((_, id), (name, n))| json!({"step": id, "name": name, "count": n})).collect::<Vec<_>>(),
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
}
