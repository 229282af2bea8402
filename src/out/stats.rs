//! The analytics of `esc stats` and of the weekly report as people and scripts read them: per
//! group of a dimension (severity, type, service, source, segment, owner), the days spent in
//! each step and to resolve (median, 90th percentile, count), raised and resolved per week,
//! the share moved back and reopened, and closing reviews by root cause. Markdown tables
//! (labels from the schema), JSON and CSV (raw codes), and what the report's templates see.
//! `ops::stats` computes the figures.
//!
//! Days are calendar days in the team's time zone, whole days as `esc log --steps` counts
//! them: from the day a step was entered to the day it was left.

use crate::model::dates;
use crate::model::person::{display_name, one_line};
use crate::out::labels::Labels;
use crate::out::report::Week;
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// What escalations are grouped by. An escalation with several types or services is
/// counted under each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Severity,
    Type,
    Service,
    Source,
    Segment,
    Owner,
    /// The repository, when several are read at once.
    Repository,
}

impl Dimension {
    /// The name scripts use (`--by NAME`, the `by` of JSON and CSV).
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Severity => "severity",
            Dimension::Type => "type",
            Dimension::Service => "service",
            Dimension::Source => "source",
            Dimension::Segment => "segment",
            Dimension::Owner => "owner",
            Dimension::Repository => "repository",
        }
    }

    /// The field whose values it groups by, in plural where one escalation may have several.
    fn field(self) -> &'static str {
        match self {
            Dimension::Severity => "severity",
            Dimension::Type => "gathering.types",
            Dimension::Service => "gathering.services",
            Dimension::Source => "raised.source",
            Dimension::Segment => "segment",
            Dimension::Owner => "owner",
            Dimension::Repository => "repository",
        }
    }

    /// Whether one escalation may be in several groups (types, services).
    pub fn multi(self) -> bool {
        matches!(self, Dimension::Type | Dimension::Service)
    }

    /// A group's value as people read it: the schema's label, the owner's name.
    pub fn label(self, labels: &Labels, key: &str) -> String {
        match self {
            _ if key.is_empty() => "(not set)".to_string(),
            Dimension::Severity | Dimension::Type | Dimension::Service | Dimension::Source => {
                labels.label(self.field(), key)
            }
            Dimension::Owner => match display_name(key) {
                n if n.is_empty() => key.to_string(),
                n => n,
            },
            Dimension::Segment | Dimension::Repository => key.to_string(),
        }
    }
}

/// How many durations, their median and their 90th percentile (nearest rank), in days.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Times {
    pub count: usize,
    pub median: Option<f64>,
    pub p90: Option<i64>,
}

impl Times {
    pub fn of(mut days: Vec<i64>) -> Times {
        days.sort_unstable();
        let n = days.len();
        let m = n / 2;
        let median = match (
            n % 2,
            m.checked_sub(1).and_then(|i| days.get(i)),
            days.get(m),
        ) {
            (1, _, Some(x)) => Some(*x as f64),
            (_, Some(a), Some(b)) => Some((*a + *b) as f64 / 2.0),
            _ => None,
        };
        let p90 = days.get((n * 9).div_ceil(10).saturating_sub(1)).copied();
        Times {
            count: n,
            median,
            p90,
        }
    }

    fn json(&self) -> Value {
        json!({"count": self.count, "median_days": number(self.median), "p90_days": self.p90})
    }

    /// `2 / 5 (8)`: median / 90th percentile (count); `-` for none.
    fn cell(&self) -> String {
        match (self.median, self.p90) {
            (Some(m), Some(p)) => format!("{} / {p} ({})", days(m), self.count),
            _ => "-".to_string(),
        }
    }
}

/// `count` of `of`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rate {
    pub count: usize,
    pub of: usize,
}

impl Rate {
    /// The share, 0 to 1, to three decimals (None of none).
    pub fn rate(self) -> Option<f64> {
        (self.of > 0).then(|| (self.count as f64 / self.of as f64 * 1000.0).round() / 1000.0)
    }

    fn json(self) -> Value {
        json!({"count": self.count, "of": self.of, "rate": self.rate()})
    }

    /// `1 of 10 (10%)`; `-` of none.
    fn cell(self) -> String {
        match self.rate() {
            Some(r) => format!("{} of {} ({}%)", self.count, self.of, (r * 100.0).round()),
            None => "-".to_string(),
        }
    }
}

/// The figures of one group (or of all escalations).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    /// The value grouped by, as in the files ("" where not set; "" for all).
    pub key: String,
    pub escalations: usize,
    pub open: usize,
    /// From `raised.date` to `closing.date`, of those closed as resolved.
    pub resolve: Times,
    /// Days in each step of [`Stats::steps`], all visits added up, of the escalations that
    /// have left it.
    pub steps: Vec<Times>,
    /// Raised and resolved in each week of [`Stats::weeks`].
    pub weekly: Vec<(usize, usize)>,
    /// Moved back at least once, of all.
    pub moved_back: Rate,
    /// Reopened at least once, of those ever closed.
    pub reopened: Rate,
    /// Closing reviews by root cause (`closing.review.root_cause`), of those resolved.
    pub reviews: BTreeMap<String, usize>,
    /// Resolved with a severity `severity_policy.review` names, and of them without review.
    pub review_missing: Rate,
}

/// `esc stats`: the figures of all escalations and of each group.
#[derive(Debug, Clone)]
pub struct Stats {
    pub by: Option<Dimension>,
    /// Escalations closed before this day are left out.
    pub since: Option<NaiveDate>,
    pub today: NaiveDate,
    pub timezone: String,
    /// Each repository read: its label and what it was read as of (`commit 9bfd949`).
    pub repositories: Vec<(String, String)>,
    /// Every step before closed, in order: id and name.
    pub steps: Vec<(String, String)>,
    pub weeks: Vec<Week>,
    pub all: Group,
    pub groups: Vec<Group>,
    pub labels: Labels,
}

/// A number of days as JSON: whole where it is whole (a median may be a half).
pub fn number(x: Option<f64>) -> Value {
    match x {
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => json!(x as i64),
        Some(x) => json!(x),
        None => Value::Null,
    }
}

fn days(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// Root causes in the order people read them: most frequent first, then by code.
fn causes(g: &Group) -> Vec<(&str, usize)> {
    let mut v: Vec<(&str, usize)> = g.reviews.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v
}

/// What the weekly report's templates see of the analytics (`analytics`): the figures of
/// all escalations, with each step's name and each week's short label.
pub fn analytics(steps: &[(String, String)], weeks: &[Week], all: &Group) -> Value {
    json!({
        "escalations": all.escalations,
        "open": all.open,
        "resolve": all.resolve.json(),
        "steps": steps.iter().zip(&all.steps).map(|((id, name), t)| {
            let mut v = t.json();
            v["step"] = json!(id);
            v["name"] = json!(name);
            v
        }).collect::<Vec<_>>(),
        "weekly": weeks.iter().zip(&all.weekly).map(|(w, (r, x))| json!({
            "week": w.label(), "short": format!("W{:02}", w.week), "raised": r, "resolved": x,
        })).collect::<Vec<_>>(),
        "moved_back": all.moved_back.json(),
        "reopened": all.reopened.json(),
        "reviews": causes(all).into_iter().map(|(c, n)| json!({"root_cause": c, "count": n})).collect::<Vec<_>>(),
        "reviews_needed": all.review_missing.of,
        "reviews_missing": all.review_missing.count,
    })
}

impl Stats {
    fn as_of(&self) -> String {
        match self.repositories.as_slice() {
            [(_, one)] => one.clone(),
            many => many
                .iter()
                .map(|(r, a)| format!("{r} ({a})"))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// All escalations, then each group, with what people read for it.
    fn rows(&self) -> Vec<(String, &Group)> {
        let mut rows = vec![("All".to_string(), &self.all)];
        if let Some(by) = self.by {
            for g in &self.groups {
                rows.push((by.label(&self.labels, &g.key), g));
            }
        }
        rows
    }

    /// Markdown: the figures, then four tables with one row for all escalations and one per
    /// group (rates and time to resolve, days in each step, weeks, closing reviews).
    pub fn to_md(&self) -> String {
        let cell = |s: &str| crate::out::render::md_escape(&one_line(s));
        let by = self.by.map_or("", Dimension::name);
        let long = |d: NaiveDate| d.format("%-d %b %Y").to_string();
        let mut out = match self.by {
            Some(b) => format!("# Escalation statistics by {}\n\n", b.name()),
            None => "# Escalation statistics\n\n".to_string(),
        };
        out += &format!(
            "On {} ({}), as of {}: {} escalation{}",
            long(self.today),
            cell(&self.timezone),
            cell(&self.as_of()),
            self.all.escalations,
            if self.all.escalations == 1 { "" } else { "s" }
        );
        if let Some(s) = self.since {
            out += &format!(" (those closed before {} left out)", long(s));
        }
        out += ". Days are calendar days in the team's time zone, whole days as `esc log --steps` counts them.";
        if let Some(b) = self.by.filter(|b| b.multi()) {
            out += &format!(
                " An escalation with several {b}s is counted under each, so the groups add up to more than all.",
                b = b.name()
            );
        }
        let rows = self.rows();
        let head = |cols: &[String]| {
            format!(
                "| {by} | {} |\n|---|{}\n",
                cols.join(" | "),
                "---:|".repeat(cols.len())
            )
        };
        out += "\n\n## Time to resolve, moves back and reopenings\n\n";
        out += &head(
            &[
                "escalations",
                "open",
                "resolved",
                "median days to resolve",
                "90th percentile",
                "moved back",
                "reopened",
            ]
            .map(String::from),
        );
        for (label, g) in &rows {
            let or_dash = |x: Option<String>| x.unwrap_or_else(|| "-".into());
            out += &format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                cell(label),
                g.escalations,
                g.open,
                g.resolve.count,
                or_dash(g.resolve.median.map(days)),
                or_dash(g.resolve.p90.map(|p| p.to_string())),
                g.moved_back.cell(),
                g.reopened.cell()
            );
        }
        out += "\nTo resolve: from `raised.date` to `closing.date` of those closed as resolved. \
                Moved back: of all, those moved back to an earlier step at least once. \
                Reopened: of those ever closed, those reopened.\n";
        out += "\n## Days in each step\n\nMedian / 90th percentile (escalations), of the escalations that have left the step: \
                each escalation's visits added up; a step passed in one move counts 0 days.\n\n";
        let names: Vec<String> = self.steps.iter().map(|(_, n)| cell(n)).collect();
        out += &head(&names);
        for (label, g) in &rows {
            let cells: Vec<String> = g.steps.iter().map(Times::cell).collect();
            out += &format!("| {} | {} |\n", cell(label), cells.join(" | "));
        }
        out += "\n## Raised and resolved per week\n\nRaised / resolved, by `raised.date` and `closing.date`.\n\n";
        let labels: Vec<String> = rows.iter().map(|(l, _)| cell(l)).collect();
        out += &format!(
            "| week | {} |\n|---|{}\n",
            labels.join(" | "),
            "---:|".repeat(labels.len())
        );
        for (i, w) in self.weeks.iter().enumerate() {
            let cells: Vec<String> = rows
                .iter()
                .map(|(_, g)| {
                    let (r, x) = g.weekly.get(i).copied().unwrap_or_default();
                    format!("{r} / {x}")
                })
                .collect();
            out += &format!(
                "| {} ({}) | {} |\n",
                w.label(),
                w.monday.format("%-d %b"),
                cells.join(" | ")
            );
        }
        out += "\n## Closing reviews by root cause\n\n";
        let all_causes = causes(&self.all);
        if all_causes.is_empty() && self.all.review_missing.of == 0 {
            out += "No escalation was resolved with a closing review, and none needed one.\n";
            return out;
        }
        let mut cols: Vec<String> = all_causes
            .iter()
            .map(|(c, _)| {
                cell(&if c.is_empty() {
                    "(no root cause)".to_string()
                } else {
                    self.labels.label("closing.review.root_cause", c)
                })
            })
            .collect();
        cols.push("needed and missing".to_string());
        out += &head(&cols);
        for (label, g) in &rows {
            let mut cells: Vec<String> = all_causes
                .iter()
                .map(|(c, _)| g.reviews.get(*c).copied().unwrap_or(0).to_string())
                .collect();
            cells.push(g.review_missing.cell());
            out += &format!("| {} | {} |\n", cell(label), cells.join(" | "));
        }
        out += "\nOf the escalations closed as resolved. Needed: their severity is one \
                `severity_policy.review` names in esc.yaml (default critical and high).\n";
        out
    }

    /// JSON: what was read and how, the steps and weeks, `all` and `groups` (raw codes).
    pub fn to_json(&self) -> Value {
        let group = |g: &Group| {
            json!({
                "group": g.key,
                "label": self.by.map_or_else(String::new, |b| b.label(&self.labels, &g.key)),
                "escalations": g.escalations,
                "open": g.open,
                "time_to_resolve": g.resolve.json(),
                "time_in_step": self.steps.iter().zip(&g.steps).map(|((id, _), t)| {
                    let mut v = json!({"step": id});
                    if let (Value::Object(m), Value::Object(t)) = (&mut v, t.json()) {
                        m.extend(t);
                    }
                    v
                }).collect::<Vec<_>>(),
                "weekly": self.weeks.iter().zip(&g.weekly).map(|(w, (r, x))| json!({
                    "week": w.label(), "raised": r, "resolved": x,
                })).collect::<Vec<_>>(),
                "moved_back": g.moved_back.json(),
                "reopened": g.reopened.json(),
                "reviews": {
                    "by_root_cause": causes(g).into_iter()
                        .map(|(c, n)| json!({"root_cause": c, "count": n}))
                        .collect::<Vec<_>>(),
                    "needed": g.review_missing.of,
                    "missing": g.review_missing.count,
                },
            })
        };
        let mut all = group(&self.all);
        if let Value::Object(m) = &mut all {
            m.shift_remove("group");
            m.shift_remove("label");
        }
        json!({
            "today": self.today.to_string(),
            "timezone": self.timezone,
            "days": "calendar days in the team's time zone, whole days (as esc log --steps)",
            "repositories": self.repositories.iter()
                .map(|(r, a)| json!({"repository": r, "as_of": a}))
                .collect::<Vec<_>>(),
            "by": self.by.map(Dimension::name),
            "counted_under_each": self.by.is_some_and(Dimension::multi),
            "since": self.since.map(|d| d.to_string()),
            "steps": self.steps.iter()
                .map(|(id, name)| json!({"step": id, "name": name}))
                .collect::<Vec<_>>(),
            "weeks": self.weeks.iter().map(Week::label).collect::<Vec<_>>(),
            "all": all,
            "groups": self.groups.iter().map(group).collect::<Vec<_>>(),
        })
    }

    /// CSV, one figure per line (long form, for pivot tables):
    /// `by,group,measure,key,count,of,rate,median_days,p90_days`. The rows of all escalations
    /// have `by` = `all`; `key` is the step, the week or the root cause where the measure has
    /// one.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("by,group,measure,key,count,of,rate,median_days,p90_days\n");
        let by = self.by.map_or("all", Dimension::name);
        let groups = std::iter::once(("all", &self.all))
            .chain(self.groups.iter().map(|g| (by, g)))
            .filter(|(b, _)| *b == "all" || self.by.is_some());
        for (b, g) in groups {
            let mut line = |measure: &str, key: &str, cells: [String; 5]| {
                let mut fields = vec![
                    crate::out::csv::cell(b),
                    crate::out::csv::cell(&g.key),
                    measure.to_string(),
                    crate::out::csv::cell(key),
                ];
                fields.extend(cells);
                out += &fields.join(",");
                out.push('\n');
            };
            let count = |n: usize| {
                [
                    n.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]
            };
            let times = |t: &Times| {
                [
                    t.count.to_string(),
                    String::new(),
                    String::new(),
                    t.median.map(days).unwrap_or_default(),
                    t.p90.map(|p| p.to_string()).unwrap_or_default(),
                ]
            };
            let rate = |r: Rate| {
                [
                    r.count.to_string(),
                    r.of.to_string(),
                    r.rate().map(|x| x.to_string()).unwrap_or_default(),
                    String::new(),
                    String::new(),
                ]
            };
            line("escalations", "", count(g.escalations));
            line("open", "", count(g.open));
            line("time_to_resolve", "", times(&g.resolve));
            for ((id, _), t) in self.steps.iter().zip(&g.steps) {
                line("time_in_step", id, times(t));
            }
            for (w, (r, x)) in self.weeks.iter().zip(&g.weekly) {
                line("raised", &w.label(), count(*r));
                line("resolved", &w.label(), count(*x));
            }
            line("moved_back", "", rate(g.moved_back));
            line("reopened", "", rate(g.reopened));
            for (c, n) in causes(g) {
                line("review", c, count(n));
            }
            line("review_missing", "", rate(g.review_missing));
        }
        out
    }
}

/// The weeks from `since`'s (at most 520 before `until`'s; without `since`, the 12 ending
/// with `until`'s) to `until`'s.
pub fn weeks(since: Option<NaiveDate>, until: NaiveDate) -> Vec<Week> {
    let last = Week::of(until);
    let earliest = dates::add_days(last.monday, -7 * 519).unwrap_or(last.monday);
    let first = match since {
        Some(s) => Week::of(s).monday.max(earliest),
        None => dates::add_days(last.monday, -7 * 11).unwrap_or(last.monday),
    };
    std::iter::successors(Some(first), |d| dates::add_days(*d, 7))
        .take_while(|d| *d <= last.monday)
        .map(Week::of)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_percentiles_are_nearest_rank() {
        assert_eq!(Times::of(vec![]), Times::default());
        let t = Times::of(vec![37]);
        assert_eq!((t.count, t.median, t.p90), (1, Some(37.0), Some(37)));
        let t = Times::of(vec![4, 1, 3, 2]);
        assert_eq!((t.median, t.p90), (Some(2.5), Some(4)));
        let t = Times::of((1..=10).collect());
        assert_eq!((t.median, t.p90), (Some(5.5), Some(9)));
        assert_eq!(t.cell(), "5.5 / 9 (10)");
        assert_eq!(number(Some(37.0)), json!(37));
        assert_eq!(number(Some(2.5)), json!(2.5));
    }

    #[test]
    fn rates_say_of_what() {
        assert_eq!(Rate { count: 1, of: 3 }.rate(), Some(0.333));
        assert_eq!(Rate { count: 1, of: 10 }.cell(), "1 of 10 (10%)");
        assert_eq!(Rate { count: 0, of: 0 }.cell(), "-");
        assert_eq!(Rate { count: 0, of: 0 }.rate(), None);
    }

    #[test]
    fn weeks_run_from_since_to_today() {
        let d = |s: &str| dates::parse(s).expect("date");
        let w = weeks(None, d("2026-11-26"));
        assert_eq!(w.len(), 12);
        assert_eq!(w[11].label(), "2026-W48");
        let w = weeks(Some(d("2026-11-01")), d("2026-11-26"));
        let labels: Vec<String> = w.iter().map(Week::label).collect();
        assert_eq!(
            labels,
            ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]
        );
        assert_eq!(weeks(Some(d("1000-01-01")), d("2026-11-26")).len(), 520);
    }

    #[test]
    fn labels_read_as_people_do() {
        let l = Labels::builtin();
        assert_eq!(
            Dimension::Service.label(&l, "exchange-online"),
            "Exchange Online"
        );
        assert_eq!(Dimension::Owner.label(&l, "Dana W <d@x.example>"), "Dana W");
        assert_eq!(Dimension::Segment.label(&l, ""), "(not set)");
    }
}
