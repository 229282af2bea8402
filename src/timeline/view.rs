//! A timeline as people and scripts read it: dates in the team's time zone, days spent in
//! each step, age, who held it when, the activity. `View` borrows the timeline and is
//! written straight to JSON (`esc list` writes thousands); `to_json` makes a value of it for
//! templates and `esc show`.

use super::activity::{Activity, What, describe};
use super::{Entered, Timeline};
use serde::Serialize;

/// The timeline's JSON, field by field (`to_json` documents the fields).
#[derive(Serialize)]
pub struct View<'a> {
    entered: Vec<Step<'a>>,
    closed: bool,
    age_days: Option<i64>,
    days_in_step: Option<i64>,
    last_update: Option<Last<'a>>,
    owners: Vec<Owner<'a>>,
    activity: Vec<Act<'a>>,
}

#[derive(Serialize)]
struct Step<'a> {
    step: &'a str,
    at: String,
    commit: &'a str,
    author: &'a str,
    days: i64,
}

#[derive(Serialize)]
struct Last<'a> {
    at: String,
    commit: &'a str,
    author: &'a str,
    /// What the update was: `status`, `meeting`, `step`... (an activity's `kind`).
    kind: &'static str,
}

#[derive(Serialize)]
struct Owner<'a> {
    owner: &'a Option<String>,
    role: &'a Option<String>,
    since: String,
    commit: &'a str,
    author: &'a str,
}

/// One activity: `kind` and `detail` (from `What`), `commit`, `author`, `date`, `text`.
#[derive(Serialize)]
struct Act<'a> {
    #[serde(flatten)]
    what: &'a What,
    commit: &'a str,
    author: &'a str,
    date: String,
    text: String,
}

/// The timeline as people and scripts read it. Age counts from `raised` (the escalation's
/// `raised.date`; else its first commit), as the report's "days open" does; once the
/// escalation is in the `closed` step, its age stops there.
pub fn view<'a>(
    t: &'a Timeline,
    tz: chrono_tz::Tz,
    today: chrono::NaiveDate,
    closed: &str,
    raised: Option<chrono::NaiveDate>,
) -> View<'a> {
    // Many activities share a commit: its date is formatted once.
    let mut last: Option<(i64, String)> = None;
    let mut date = |secs: i64| {
        if let Some((s, d)) = &last
            && *s == secs
        {
            return d.clone();
        }
        let d = chrono::DateTime::from_timestamp(secs, 0)
            .map(|d| d.with_timezone(&tz).to_rfc3339())
            .unwrap_or_default();
        last = Some((secs, d.clone()));
        d
    };
    let day = |secs: i64| {
        chrono::DateTime::from_timestamp(secs, 0)
            .and_then(|d| crate::model::dates::in_range(d.with_timezone(&tz).date_naive()))
            .unwrap_or(today)
    };
    let between = crate::model::dates::days_between;
    let entered = t
        .entered
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let until = t.entered.get(i + 1).map_or(today, |n| day(n.time));
            Step {
                step: &e.step,
                at: date(e.time),
                commit: &e.commit,
                author: &e.author,
                days: between(day(e.time), until),
            }
        })
        .collect();
    let first = raised.or_else(|| t.entered.first().map(|e| day(e.time)));
    let last_step: Option<&Entered> = t.entered.last();
    let is_closed = last_step.is_some_and(|e| e.step == closed);
    let end = last_step
        .filter(|_| is_closed)
        .map_or(today, |e| day(e.time));
    let owners = t
        .activity
        .iter()
        .filter_map(|a| {
            let (owner, role) = match &a.what {
                What::Created { owner, role, .. } => (owner, role),
                What::Owner { to, role, .. } => (to, role),
                _ => return None,
            };
            Some((a, owner, role))
        })
        .map(|(a, owner, role)| Owner {
            owner,
            role,
            since: date(a.time),
            commit: &a.commit,
            author: &a.author,
        })
        .collect();
    let activity = t
        .activity
        .iter()
        .map(|a: &Activity| Act {
            what: &a.what,
            commit: &a.commit,
            author: &a.author,
            date: date(a.time),
            text: describe(&a.what),
        })
        .collect();
    View {
        entered,
        closed: is_closed,
        age_days: first.map(|f| between(f, end)),
        days_in_step: days_in_step(t, tz, today),
        last_update: t.last_update().map(|a| Last {
            at: date(a.time),
            commit: &a.commit,
            author: &a.author,
            kind: a.what.kind(),
        }),
        owners,
        activity,
    }
}

/// Days since the escalation entered its current step, counted in the team's time zone.
pub fn days_in_step(t: &Timeline, tz: chrono_tz::Tz, today: chrono::NaiveDate) -> Option<i64> {
    let e = t.entered.last()?;
    let day = chrono::DateTime::from_timestamp(e.time, 0)
        .and_then(|d| crate::model::dates::in_range(d.with_timezone(&tz).date_naive()))
        .unwrap_or(today);
    Some(crate::model::dates::days_between(day, today))
}

/// [`view`] as a JSON value: `entered` (step, at, commit, author, days), `closed`,
/// `age_days`, `days_in_step`, `last_update` (at, commit, author, kind: the last change to
/// status, meetings, actions, notices or step, see `Timeline::last_update`), `owners` (owner, role,
/// since, commit, author) and `activity` (kind, detail, commit, author, date, text).
pub fn to_json(
    t: &Timeline,
    tz: chrono_tz::Tz,
    today: chrono::NaiveDate,
    closed: &str,
    raised: Option<chrono::NaiveDate>,
) -> serde_json::Value {
    serde_json::to_value(view(t, tz, today, closed, raised)).unwrap_or(serde_json::Value::Null)
}
