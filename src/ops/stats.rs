//! `esc stats` and the weekly report's analytics, computed. Each escalation gives a [`Sample`]
//! in the pass that parses it (the report takes its samples in its own pass, so no file is
//! read twice); [`figures`] adds samples up per group of a dimension. [`stats`] reads one
//! repository or several (each with its label) and returns the figures of all of them.
//!
//! Days are calendar days in the team's time zone, whole days as `esc log --steps` counts
//! them: a step's days run from the day it was entered to the day it was left, each
//! escalation's visits to a step added up, and a step counts only once the escalation has
//! left it. Time to resolve runs from `raised.date` to `closing.date`, as the report's.

use crate::error::{Error, Result};
use crate::model::dates;
use crate::model::diag::Diagnostic;
use crate::model::doc::At;
use crate::ops::snapshot::Snapshot;
use crate::out::context::{Inputs, day_of};
use crate::out::report::Week;
use crate::out::stats::{Dimension, Group, Rate, Stats, Times};
use crate::timeline::Timeline;
use chrono::NaiveDate;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// What one escalation adds to the analytics.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// The repository's label (empty when only one is read).
    pub repository: String,
    pub severity: String,
    pub types: Vec<String>,
    pub services: Vec<String>,
    pub source: String,
    pub segment: String,
    pub owner: String,
    pub raised: Option<NaiveDate>,
    /// `closing.date`, when closed as resolved.
    pub resolved: Option<NaiveDate>,
    pub open: bool,
    /// When it closed (`closing.date`, else the day it entered the closed step).
    pub closed_on: Option<NaiveDate>,
    /// Days in each step it has left, its visits added up.
    pub steps: Vec<(String, i64)>,
    pub moved_back: bool,
    pub reopened: bool,
    pub ever_closed: bool,
    /// Resolved, with a severity `severity_policy.review` names.
    pub review_needed: bool,
    /// Resolved with a closing review: its root cause ("" where it gives none).
    pub review: Option<String>,
}

impl Sample {
    /// Its groups for `by` (several for types and services; "" where not set).
    fn keys(&self, by: Dimension) -> Vec<&str> {
        fn many(v: &[String]) -> Vec<&str> {
            if v.is_empty() {
                vec![""]
            } else {
                let mut k: Vec<&str> = v.iter().map(String::as_str).collect();
                k.sort_unstable();
                k.dedup();
                k
            }
        }
        match by {
            Dimension::Severity => vec![&self.severity],
            Dimension::Type => many(&self.types),
            Dimension::Service => many(&self.services),
            Dimension::Source => vec![&self.source],
            Dimension::Segment => vec![&self.segment],
            Dimension::Owner => vec![&self.owner],
            Dimension::Repository => vec![&self.repository],
        }
    }
}

/// The sample of one escalation, from its data and timeline (`inputs` gives the process, the
/// time zone and the review policy).
pub fn sample(inputs: &Inputs<'_>, data: &Value, timeline: Option<&Timeline>) -> Sample {
    let s = |p: &str| {
        data.at(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let list = |p: &str| -> Vec<String> {
        data.at(p)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect()
    };
    let date = |p: &str| data.at(p).and_then(Value::as_str).and_then(dates::parse);
    let process = inputs.process;
    let closed = process.closed.as_str();
    let step = s("/step");
    let is_closed = step == closed;
    let resolved_now = is_closed && s("/closing/outcome") == "resolved";
    let severity = s("/severity");
    let mut out = Sample {
        raised: date("/raised/date"),
        resolved: date("/closing/date").filter(|_| resolved_now),
        open: !is_closed,
        ever_closed: is_closed,
        review_needed: resolved_now && inputs.config.severity_policy.review.contains(&severity),
        review: resolved_now
            .then(|| data.at("/closing/review"))
            .flatten()
            .map(|r| {
                r.get("root_cause")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            }),
        severity,
        types: list("/gathering/types"),
        services: list("/gathering/services"),
        source: s("/raised/source"),
        segment: s("/segment"),
        owner: s("/owner"),
        ..Sample::default()
    };
    let mut closed_day = None;
    if let Some(t) = timeline {
        let mut days: Vec<(String, i64)> = Vec::new();
        for (i, e) in t.entered.iter().enumerate() {
            let prev = i.checked_sub(1).and_then(|j| t.entered.get(j));
            if let Some(p) = prev {
                if p.step == closed && e.step != closed {
                    out.reopened = true;
                } else if process
                    .index(&e.step)
                    .zip(process.index(&p.step))
                    .is_some_and(|(now, before)| now < before)
                {
                    out.moved_back = true;
                }
            }
            if e.step == closed {
                out.ever_closed = true;
                closed_day = day_of(inputs.tz, e.time);
                continue;
            }
            // A stay counts once it has ended: the next step entered.
            let Some(next) = t.entered.get(i + 1) else {
                continue;
            };
            let (Some(from), Some(to)) = (day_of(inputs.tz, e.time), day_of(inputs.tz, next.time))
            else {
                continue;
            };
            let n = dates::days_between(from, to).max(0);
            match days.iter_mut().find(|(s, _)| *s == e.step) {
                Some(d) => d.1 += n,
                None => days.push((e.step.clone(), n)),
            }
        }
        // The step it is in now has not ended, whatever its earlier visits were.
        let current = t.entered.last().map(|e| e.step.as_str());
        days.retain(|(s, _)| Some(s.as_str()) != current && *s != step);
        out.steps = days;
    }
    out.closed_on = is_closed
        .then(|| date("/closing/date").or(closed_day))
        .flatten();
    out
}

/// What to add up: grouped by `by` (None: all escalations only), without those closed before
/// `since`, with weeks up to `until`'s.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub by: Option<Dimension>,
    pub since: Option<NaiveDate>,
    pub until: NaiveDate,
}

/// One group being added up.
#[derive(Default)]
struct Acc {
    escalations: usize,
    open: usize,
    resolve: Vec<i64>,
    steps: Vec<Vec<i64>>,
    weekly: Vec<(usize, usize)>,
    moved_back: usize,
    reopened: usize,
    ever_closed: usize,
    reviews: BTreeMap<String, usize>,
    needed: usize,
    missing: usize,
}

impl Acc {
    fn add(&mut self, s: &Sample, steps: &HashMap<String, usize>, weeks: &[Week]) {
        let n_steps = steps.len();
        self.steps.resize_with(n_steps, Vec::new);
        self.weekly.resize(weeks.len(), (0, 0));
        self.escalations += 1;
        self.open += usize::from(s.open);
        if let (Some(r), Some(x)) = (s.raised, s.resolved) {
            self.resolve.push(dates::days_between(r, x));
        }
        for (step, n) in &s.steps {
            if let Some(v) = steps.get(step).and_then(|i| self.steps.get_mut(*i)) {
                v.push(*n);
            }
        }
        let first = weeks.first().map(|w| w.monday);
        let index = |d: NaiveDate| {
            let i = dates::days_between(first?, Week::of(d).monday).div_euclid(7);
            usize::try_from(i).ok().filter(|i| *i < weeks.len())
        };
        if let Some(i) = s.raised.and_then(index) {
            self.weekly[i].0 += 1;
        }
        if let Some(i) = s.resolved.and_then(index) {
            self.weekly[i].1 += 1;
        }
        self.moved_back += usize::from(s.moved_back);
        self.reopened += usize::from(s.reopened);
        self.ever_closed += usize::from(s.ever_closed);
        if let Some(c) = &s.review {
            *self.reviews.entry(c.clone()).or_default() += 1;
        }
        self.needed += usize::from(s.review_needed);
        self.missing += usize::from(s.review_needed && s.review.is_none());
    }

    fn finish(self, key: &str, n_steps: usize, n_weeks: usize) -> Group {
        let mut steps: Vec<Times> = self.steps.into_iter().map(Times::of).collect();
        steps.resize_with(n_steps, Times::default);
        let mut weekly = self.weekly;
        weekly.resize(n_weeks, (0, 0));
        Group {
            key: key.to_string(),
            escalations: self.escalations,
            open: self.open,
            resolve: Times::of(self.resolve),
            steps,
            weekly,
            moved_back: Rate {
                count: self.moved_back,
                of: self.escalations,
            },
            reopened: Rate {
                count: self.reopened,
                of: self.ever_closed,
            },
            reviews: self.reviews,
            review_missing: Rate {
                count: self.missing,
                of: self.needed,
            },
        }
    }
}

const SEVERITY_ORDER: [&str; 4] = ["critical", "high", "medium", "low"];

/// The figures of `samples`: the weeks, all escalations, and each group of `opts.by` (most
/// severe first for severity; else the largest first; "not set" last). `steps` (id, name)
/// gains any step a sample has that it lacks.
pub fn figures(
    samples: impl IntoIterator<Item = Sample>,
    steps: &mut Vec<(String, String)>,
    opts: &Options,
) -> (Vec<Week>, Group, Vec<Group>) {
    let weeks = crate::out::stats::weeks(opts.since, opts.until);
    let kept: Vec<Sample> = samples
        .into_iter()
        .filter(|s| match (opts.since, s.closed_on) {
            (Some(since), Some(c)) => c >= since,
            _ => true,
        })
        .collect();
    for s in &kept {
        for (step, _) in &s.steps {
            if !steps.iter().any(|(id, _)| id == step) {
                steps.push((step.clone(), step.clone()));
            }
        }
    }
    let index: HashMap<String, usize> = steps
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.clone(), i))
        .collect();
    let mut all = Acc::default();
    let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
    for s in &kept {
        all.add(s, &index, &weeks);
        if let Some(by) = opts.by {
            for k in s.keys(by) {
                groups
                    .entry(k.to_string())
                    .or_default()
                    .add(s, &index, &weeks);
            }
        }
    }
    let (n_steps, n_weeks) = (steps.len(), weeks.len());
    let mut groups: Vec<Group> = groups
        .into_iter()
        .map(|(k, a)| a.finish(&k, n_steps, n_weeks))
        .collect();
    let severity = opts.by == Some(Dimension::Severity);
    groups.sort_by_key(|g| {
        let rank = if severity {
            SEVERITY_ORDER
                .iter()
                .position(|s| *s == g.key)
                .unwrap_or(SEVERITY_ORDER.len())
        } else {
            0
        };
        let size = if severity { 0 } else { g.escalations };
        (
            g.key.is_empty(),
            rank,
            std::cmp::Reverse(size),
            g.key.clone(),
        )
    });
    (weeks, all.finish("", n_steps, n_weeks), groups)
}

/// One repository to read: its label (empty for one repository alone) and its snapshot.
pub struct Input<'a> {
    pub repository: String,
    pub snapshot: &'a Snapshot,
}

/// The statistics of every escalation in `inputs` (one repository, or several added up),
/// grouped by `by`, without those closed before `since`; and the files left out (they do
/// not parse). Today is the latest of the repositories' todays.
pub fn stats(
    inputs: &[Input<'_>],
    by: Option<Dimension>,
    since: Option<NaiveDate>,
) -> Result<(Stats, Vec<Diagnostic>)> {
    let today = inputs
        .iter()
        .map(|i| i.snapshot.today)
        .max()
        .ok_or_else(|| Error::Usage("no repository to read".into()))?;
    if let Some(s) = since.filter(|s| *s > today) {
        return Err(Error::Usage(format!(
            "--since {s} is after today ({today}): nothing to count yet"
        )));
    }
    let mut samples = Vec::new();
    let mut left_out = Vec::new();
    let mut steps: Vec<(String, String)> = Vec::new();
    let mut labels = crate::out::labels::Labels::builtin();
    for input in inputs {
        let snap = input.snapshot;
        let process = snap.config.process();
        for s in &process.steps {
            if !steps.iter().any(|(id, _)| *id == s.id) {
                steps.push((s.id.clone(), s.name.clone()));
            }
        }
        labels = labels.merged(crate::out::labels::Labels::from_schema(
            &snap.schemas.current.json,
        ));
        let ctx = Inputs {
            schema: &snap.schemas.current.json,
            config: &snap.config,
            process: &process,
            today: snap.today,
            tz: snap.config.tz().map_err(Error::Usage)?,
        };
        let indices: Vec<usize> = (0..snap.files.count()).collect();
        // The timelines are read while the files parse, as the report reads them.
        let (timelines, read) = crate::par::parallel_while_loading(
            &indices,
            || snap.timelines.get(),
            |&i| snap.files.load(i),
            |doc, timelines| {
                let doc = doc?;
                let all = timelines.as_ref().ok();
                let t = doc.id().zip(all).and_then(|(id, all)| all.get(id));
                let mut s = sample(&ctx, &doc.data, t);
                s.repository.clone_from(&input.repository);
                Ok(s)
            },
        );
        timelines?;
        for r in read {
            match r {
                Ok(s) => samples.push(s),
                Err(d) => {
                    let d: Box<Diagnostic> = d;
                    left_out.push(*d);
                }
            }
        }
    }
    let opts = Options {
        by,
        since,
        until: today,
    };
    let (weeks, all, groups) = figures(samples, &mut steps, &opts);
    let first = inputs.first().map(|i| i.snapshot);
    Ok((
        Stats {
            by,
            since,
            today,
            timezone: first.map(|s| s.config.timezone.clone()).unwrap_or_default(),
            repositories: inputs
                .iter()
                .map(|i| (i.repository.clone(), i.snapshot.as_of.clone()))
                .collect(),
            steps,
            weeks,
            all,
            groups,
            labels,
        },
        left_out,
    ))
}
