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
use std::collections::BTreeMap;

/// What one escalation adds to the analytics.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// Its groups for the dimension asked: one value, or several for types and services
    /// ("" where not set); none when not grouped. For the repository, the caller sets it.
    pub keys: Vec<String>,
    pub raised: Option<NaiveDate>,
    /// `closing.date`, when closed as resolved.
    pub resolved: Option<NaiveDate>,
    pub open: bool,
    /// When it closed (`closing.date`, else the day it entered the closed step).
    pub closed_on: Option<NaiveDate>,
    /// Days in each step of the process it has left (the step's index), visits added up.
    pub steps: Vec<(usize, i64)>,
    pub moved_back: bool,
    pub reopened: bool,
    pub ever_closed: bool,
    /// Resolved, with a severity `severity_policy.review` names.
    pub review_needed: bool,
    /// Resolved with a closing review: its root cause ("" where it gives none).
    pub review: Option<String>,
}

/// The groups of `data` for `by`: sorted and each once for types and services, "" where
/// the field is not set.
fn keys(data: &Value, by: Dimension) -> Vec<String> {
    let one = |p: &str| {
        vec![
            data.at(p)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        ]
    };
    let many = |p: &str| {
        let mut k: Vec<String> = data
            .at(p)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        k.sort_unstable();
        k.dedup();
        if k.is_empty() {
            k.push(String::new());
        }
        k
    };
    match by {
        Dimension::Severity => one("/severity"),
        Dimension::Type => many("/gathering/types"),
        Dimension::Service => many("/gathering/services"),
        Dimension::Source => one("/raised/source"),
        Dimension::Segment => one("/segment"),
        Dimension::Owner => one("/owner"),
        Dimension::Repository => Vec::new(),
    }
}

/// The sample of one escalation, from its data and timeline, with its groups for `by`
/// (`inputs` gives the process, the time zone and the review policy). Steps the process
/// does not have (an old history) are not counted.
pub fn sample(
    inputs: &Inputs<'_>,
    data: &Value,
    timeline: Option<&Timeline>,
    by: Option<Dimension>,
) -> Sample {
    let s = |p: &str| data.at(p).and_then(Value::as_str).unwrap_or_default();
    let date = |p: &str| data.at(p).and_then(Value::as_str).and_then(dates::parse);
    let process = inputs.process;
    let closed = process.closed.as_str();
    let step = s("/step");
    let is_closed = step == closed;
    let resolved_now = is_closed && s("/closing/outcome") == "resolved";
    let severity = s("/severity");
    let mut out = Sample {
        keys: by.map(|b| keys(data, b)).unwrap_or_default(),
        raised: date("/raised/date"),
        resolved: date("/closing/date").filter(|_| resolved_now),
        open: !is_closed,
        ever_closed: is_closed,
        review_needed: resolved_now
            && inputs
                .config
                .severity_policy
                .review
                .iter()
                .any(|r| r == severity),
        review: resolved_now
            .then(|| data.at("/closing/review"))
            .flatten()
            .map(|r| {
                r.get("root_cause")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            }),
        ..Sample::default()
    };
    let mut closed_day = None;
    if let Some(t) = timeline {
        let n_steps = process.steps.len();
        let index = |id: &str| process.index(id).filter(|i| *i < n_steps);
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
            let (Some(k), Some(next)) = (index(&e.step), t.entered.get(i + 1)) else {
                continue;
            };
            let (Some(from), Some(to)) = (day_of(inputs.tz, e.time), day_of(inputs.tz, next.time))
            else {
                continue;
            };
            let n = dates::days_between(from, to).max(0);
            match out.steps.iter_mut().find(|(s, _)| *s == k) {
                Some(d) => d.1 += n,
                None => out.steps.push((k, n)),
            }
        }
        // The step it is in now has not ended, whatever its earlier visits were.
        let current = t.entered.last().and_then(|e| index(&e.step));
        let now = index(step);
        out.steps
            .retain(|(k, _)| Some(*k) != current && Some(*k) != now);
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
    fn add(&mut self, s: &Sample, n_steps: usize, weeks: &[Week]) {
        self.steps.resize_with(n_steps, Vec::new);
        self.weekly.resize(weeks.len(), (0, 0));
        self.escalations += 1;
        self.open += usize::from(s.open);
        if let (Some(r), Some(x)) = (s.raised, s.resolved) {
            self.resolve.push(dates::days_between(r, x));
        }
        for (k, n) in &s.steps {
            if let Some(v) = self.steps.get_mut(*k) {
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

/// The figures of `samples`, whose steps are indices into `steps`: the weeks, all
/// escalations, and each group of `opts.by` (most severe first for severity; else the
/// largest first; "not set" last).
pub fn figures(
    samples: impl IntoIterator<Item = Sample>,
    steps: &[(String, String)],
    opts: &Options,
) -> (Vec<Week>, Group, Vec<Group>) {
    let weeks = crate::out::stats::weeks(opts.since, opts.until);
    let n_steps = steps.len();
    let mut all = Acc::default();
    let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
    let kept = samples
        .into_iter()
        .filter(|s| match (opts.since, s.closed_on) {
            (Some(since), Some(c)) => c >= since,
            _ => true,
        });
    for s in kept {
        all.add(&s, n_steps, &weeks);
        if opts.by.is_some() {
            for k in &s.keys {
                match groups.get_mut(k) {
                    Some(g) => g.add(&s, n_steps, &weeks),
                    None => {
                        let mut g = Acc::default();
                        g.add(&s, n_steps, &weeks);
                        groups.insert(k.clone(), g);
                    }
                }
            }
        }
    }
    let n_weeks = weeks.len();
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

/// Each input's escalations as (id, file), for ids unique across repositories.
pub type Held = Vec<Vec<(String, String)>>;

/// [`stats`] of one repository, or of the organisation's (`--repo`, or `repositories:` in
/// esc.yaml): each read as it is now, in parallel, with its own config, ids unique across
/// them. Returns the notes to print (repositories that may share ids) as well.
pub fn of_scope(
    scope: crate::ops::org::Scope,
    today: Option<NaiveDate>,
    by: Option<Dimension>,
    since: Option<NaiveDate>,
) -> Result<(Stats, Vec<Diagnostic>, Vec<String>)> {
    use crate::ops::org::{self, Scope};
    match scope {
        Scope::One(ws) => {
            let repository = ws
                .root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let snapshot = crate::ops::snapshot::snapshot(*ws, today, None)?;
            let input = Input {
                repository,
                snapshot: &snapshot,
            };
            let (stats, left_out, _) = self::stats(&[input], by, since)?;
            Ok((stats, left_out, Vec::new()))
        }
        Scope::Many { members, .. } => {
            let read = org::read(&members, |_, ws| {
                let prefix = ws.config.id_prefix.clone();
                Ok((crate::ops::snapshot::snapshot(ws, today, None)?, prefix))
            })?;
            let inputs: Vec<Input<'_>> = members
                .iter()
                .zip(&read)
                .map(|(m, (snapshot, _))| Input {
                    repository: m.name.clone(),
                    snapshot,
                })
                .collect();
            let (stats, left_out, held) = self::stats(&inputs, by, since)?;
            org::unique_ids(&members, &held)?;
            let prefixes: Vec<Option<String>> = read.iter().map(|(_, p)| p.clone()).collect();
            Ok((stats, left_out, org::prefix_notes(&members, &prefixes)))
        }
    }
}

/// The statistics of every escalation in `inputs` (one repository, or several added up),
/// grouped by `by`, without those closed before `since`; and the files left out (they do
/// not parse). Today is the latest of the repositories' todays.
pub fn stats(
    inputs: &[Input<'_>],
    by: Option<Dimension>,
    since: Option<NaiveDate>,
) -> Result<(Stats, Vec<Diagnostic>, Held)> {
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
    let mut held: Vec<Vec<(String, String)>> = Vec::with_capacity(inputs.len());
    let mut steps: Vec<(String, String)> = Vec::new();
    let mut labels = crate::out::labels::Labels::builtin();
    for input in inputs {
        let snap = input.snapshot;
        let process = snap.config.process();
        // Each of this repository's steps at its place among all repositories' steps.
        let place: Vec<usize> = process
            .steps
            .iter()
            .map(|s| match steps.iter().position(|(id, _)| *id == s.id) {
                Some(i) => i,
                None => {
                    steps.push((s.id.clone(), s.name.clone()));
                    steps.len() - 1
                }
            })
            .collect();
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
                let doc: crate::model::doc::Doc = doc?;
                let all = timelines.as_ref().ok();
                let t = doc.id().zip(all).and_then(|(id, all)| all.get(id));
                let mut s = sample(&ctx, &doc.data, t, by);
                if by == Some(Dimension::Repository) {
                    s.keys = vec![input.repository.clone()];
                }
                for (k, _) in &mut s.steps {
                    *k = place.get(*k).copied().unwrap_or(usize::MAX);
                }
                Ok::<_, Box<Diagnostic>>((
                    s,
                    doc.id().unwrap_or_default().to_string(),
                    doc.rel.clone(),
                ))
            },
        );
        timelines?;
        let mut ids = Vec::with_capacity(read.len());
        for r in read {
            match r {
                Ok((s, id, file)) => {
                    samples.push(s);
                    ids.push((id, file));
                }
                Err(d) => {
                    let mut d: Diagnostic = *d;
                    if inputs.len() > 1 {
                        // Which repository's file, in an organisation's figures.
                        d.file = format!("{}/{}", input.repository, d.file);
                    }
                    left_out.push(d);
                }
            }
        }
        held.push(ids);
    }
    let opts = Options {
        by,
        since,
        until: today,
    };
    let (weeks, all, groups) = figures(samples, &steps, &opts);
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
        held,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::snapshot::{Files, Timelines};
    use crate::timeline::Entered;

    /// Noon UTC on `day`, in seconds.
    fn at(day: &str) -> i64 {
        dates::parse(day)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map_or(0, |t| t.and_utc().timestamp())
    }

    fn file(id: &str, step: &str, extra: &str) -> (String, Vec<u8>) {
        let text = format!(
            "---\nid: {id}\nstep: {step}\nseverity: high\nraised: {{ date: 2026-11-02 }}\n{extra}---\n"
        );
        (format!("escalations/2026-11/{id}.md"), text.into_bytes())
    }

    fn timeline(id: &str, steps: &[(&str, &str)]) -> (String, Timeline) {
        let entered = steps
            .iter()
            .map(|(step, day)| Entered {
                step: step.to_string(),
                commit: String::new(),
                author: String::new(),
                time: at(day),
            })
            .collect();
        let t = Timeline {
            id: id.to_string(),
            entered,
            ..Timeline::default()
        };
        (id.to_string(), t)
    }

    fn snapshot(
        config: &str,
        files: Vec<(String, Vec<u8>)>,
        t: Vec<(String, Timeline)>,
    ) -> Snapshot {
        Snapshot {
            config: crate::rules::config::Config::parse(config, "esc.yaml").expect("config"),
            schemas: crate::rules::schema::Schemas::from_files(Vec::new()).expect("schemas"),
            files: Files::At(files),
            templates: crate::out::render::Source::Files(Vec::new()),
            timelines: Timelines::ready(t.into_iter().collect()),
            today: dates::parse("2026-11-26").expect("today"),
            as_of: "commit 1234567".to_string(),
        }
    }

    /// Two repositories added up, the way the organisation view will call it: one with the
    /// built-in process, one with a step of its own, which lands after the shared ones.
    #[test]
    fn several_repositories_add_up_with_their_own_steps() {
        let emea = snapshot(
            "",
            vec![file(
                "ESC-2611-AAAA",
                "closed",
                "closing: { outcome: resolved, date: 2026-11-12 }\n",
            )],
            vec![timeline(
                "ESC-2611-AAAA",
                &[
                    ("raised", "2026-11-02"),
                    ("gathering", "2026-11-03"),
                    ("validation", "2026-11-05"),
                    ("closed", "2026-11-12"),
                ],
            )],
        );
        let process = "process:\n  steps:\n    - { id: raised, name: Raised }\n    - { id: triage, name: Triage }\n    - { id: gathering, name: Gathering }\n  closed: closed\n  outcomes: { resolved: [\"*\"] }\n";
        let apac = snapshot(
            process,
            vec![file("ESC-2611-BBBB", "gathering", "")],
            vec![timeline(
                "ESC-2611-BBBB",
                &[
                    ("raised", "2026-11-02"),
                    ("triage", "2026-11-04"),
                    ("gathering", "2026-11-07"),
                ],
            )],
        );
        let inputs = [
            Input {
                repository: "emea".into(),
                snapshot: &emea,
            },
            Input {
                repository: "apac".into(),
                snapshot: &apac,
            },
        ];
        let (s, left_out, _) = stats(&inputs, Some(Dimension::Repository), None).expect("stats");
        assert!(left_out.is_empty());
        assert_eq!(s.repositories.len(), 2);
        let ids: Vec<&str> = s.steps.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "raised",
                "gathering",
                "validation",
                "stakeholders",
                "management",
                "resolution",
                "triage"
            ]
        );
        assert_eq!(s.all.escalations, 2);
        // raised: 1 day in emea, 2 in apac; triage only in apac; gathering only emea's (apac
        // is in it now).
        assert_eq!(s.all.steps[0].count, 2);
        assert_eq!(s.all.steps[0].median, Some(1.5));
        assert_eq!(s.all.steps[6].count, 1);
        assert_eq!(s.all.steps[6].p90, Some(3));
        assert_eq!(s.all.steps[1].count, 1);
        assert_eq!(s.all.resolve.median, Some(10.0));
        let groups: Vec<(&str, usize)> = s
            .groups
            .iter()
            .map(|g| (g.key.as_str(), g.escalations))
            .collect();
        assert_eq!(groups, [("apac", 1), ("emea", 1)]);
        // Resolved high without a review: needed, and missing.
        assert_eq!(s.all.review_missing, Rate { count: 1, of: 1 });
        // Since after emea's closing: only apac's escalation is left.
        let (s, _, _) = stats(&inputs, None, dates::parse("2026-11-13")).expect("stats");
        assert_eq!(s.all.escalations, 1);
    }
}
