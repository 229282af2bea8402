//! The organisation's weekly report: the same ISO week in every repository, each read as its
//! single report reads it (its own config, time zone and timeline cache: a week that has
//! ended where the repository is, is read as the repository was at its end), added up, with
//! the repository named in every row and each repository's own figures beside the totals.

use crate::error::{Error, Result};
use crate::model::diag::Diagnostic;
use crate::ops::org::{self, Member};
use crate::ops::snapshot::{WeekChoice, finish, for_report, report_pieces};
use crate::ops::stats::Sample;
use crate::out::context::Inputs;
use crate::out::report::Week;
use crate::out::tally::Tally;
use crate::store::workspace::Workspace;
use chrono::NaiveDate;
use serde_json::{Value, json};

/// The organisation's report, ready to render.
pub struct OrgReport {
    /// What the report's templates see: the single report's keys (figures summed, lists
    /// merged, each entry with its `repository`), and `repositories` (each one's name, path,
    /// time zone, today, as of, id prefix and figures).
    pub context: Value,
    /// The files left out because they do not parse, each with its repository's path.
    pub left_out: Vec<(String, Diagnostic)>,
    /// For the person running it (repositories that share an id prefix).
    pub notes: Vec<String>,
    /// How many escalation files were read, in all.
    pub files: usize,
    pub week: Week,
}

/// What one repository gives.
struct One {
    tally: Tally,
    notices: Vec<Value>,
    /// The analytics' samples, their steps indices into `steps`: this repository's process.
    samples: Vec<Sample>,
    steps: Vec<(String, String)>,
    held: Vec<(String, String)>,
    left_out: Vec<Diagnostic>,
    files: usize,
    prefix: Option<String>,
    summary: Value,
}

/// The report of the week `choice` names, `lead`'s today deciding it, over `members`.
pub fn context(
    lead: &Workspace,
    members: &[Member],
    today: Option<NaiveDate>,
    choice: WeekChoice,
) -> Result<OrgReport> {
    let now = lead.config.today(today);
    let week = choice.week(now);
    let mut ones = org::read(members, |m, ws| {
        let prefix = ws.config.id_prefix.clone();
        let (snap, _) = for_report(ws, today, None, WeekChoice::Given(week))?;
        let (pieces, left_out) = report_pieces(&snap, week)?;
        let held = pieces
            .iter()
            .map(|p| (p.part.id().to_string(), p.part.file().to_string()))
            .collect();
        let mut tally = Tally::new(week);
        let (mut notices, mut samples) = (Vec::new(), Vec::with_capacity(pieces.len()));
        for mut p in pieces {
            p.tag(&m.name);
            tally.add(p.part);
            notices.extend(p.notices);
            samples.push(p.sample);
        }
        let steps = (snap.config.process().steps.iter())
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect();
        let summary = json!({
            "name": m.name,
            "path": m.shown,
            "timezone": snap.config.timezone,
            "today": snap.today.to_string(),
            "as_of": snap.as_of,
            "id_prefix": prefix,
            "figures": tally.figures(),
        });
        Ok(One {
            tally,
            notices,
            samples,
            steps,
            held,
            left_out,
            files: snap.files.count(),
            prefix,
            summary,
        })
    })?;
    let held: Vec<Vec<(String, String)>> = ones
        .iter_mut()
        .map(|o| std::mem::take(&mut o.held))
        .collect();
    org::unique_ids(members, &held)?;
    let prefixes: Vec<Option<String>> = ones.iter().map(|o| o.prefix.clone()).collect();
    let notes = org::prefix_notes(members, &prefixes);
    let as_of = members
        .iter()
        .zip(&ones)
        .map(|(m, o)| format!("{} {}", m.name, o.summary["as_of"].as_str().unwrap_or("")))
        .collect::<Vec<_>>()
        .join("; ");
    let mut total = Tally::new(week);
    let mut left_out = Vec::new();
    let mut summaries = Vec::with_capacity(ones.len());
    let mut files = 0;
    let (mut notices, mut samples) = (Vec::new(), Vec::new());
    // Every repository's steps, each once, in the order they come: a repository's own
    // process may have steps the others do not (as `esc stats` reads several).
    let mut steps: Vec<(String, String)> = Vec::new();
    for (m, o) in members.iter().zip(ones) {
        total.merge(o.tally);
        notices.extend(o.notices);
        let place: Vec<usize> = (o.steps.into_iter())
            .map(|s| match steps.iter().position(|(id, _)| *id == s.0) {
                Some(i) => i,
                None => {
                    steps.push(s);
                    steps.len() - 1
                }
            })
            .collect();
        samples.extend(o.samples.into_iter().map(|mut s| {
            for (k, _) in &mut s.steps {
                *k = place.get(*k).copied().unwrap_or(usize::MAX);
            }
            s
        }));
        left_out.extend(o.left_out.into_iter().map(|d| (m.shown.clone(), d)));
        summaries.push(o.summary);
        files += o.files;
    }
    let process = lead.config.process();
    let inputs = Inputs {
        schema: &lead.schemas.current.json,
        config: &lead.config,
        process: &process,
        // As the single report: a week that has ended is seen from its Sunday.
        today: now.min(week.sunday()),
        tz: lead.config.tz().map_err(Error::Usage)?,
    };
    let mut context = total.context(&inputs, &as_of);
    finish(&mut context, notices, samples, &steps, week);
    if let Some(c) = context.as_object_mut() {
        c.insert("repositories".into(), Value::Array(summaries));
    }
    Ok(OrgReport {
        context,
        left_out,
        notes,
        files,
        week,
    })
}
