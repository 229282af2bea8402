//! `esc demo`: a repository built from the bundled sample escalations, with a history that
//! moves each one through its steps on the dates its own fields give (raised, validated,
//! notified, meetings, closed), so timelines and the weekly report have something real to
//! show.

use crate::error::{Error, Result};
use crate::git::repo::Repo;
use crate::model::edit::Value as Yaml;
use chrono::NaiveDate;
use serde_json::Value;
use std::path::Path;

/// The bundled samples (this repository's `escalations/`).
pub const SAMPLES: &[(&str, &str)] = &[
    (
        "escalations/2026-08/ESC-2608-3MWR.md",
        include_str!("../../escalations/2026-08/ESC-2608-3MWR.md"),
    ),
    (
        "escalations/2026-09/ESC-2609-B4TZ.md",
        include_str!("../../escalations/2026-09/ESC-2609-B4TZ.md"),
    ),
    (
        "escalations/2026-09/ESC-2609-X2KP.md",
        include_str!("../../escalations/2026-09/ESC-2609-X2KP.md"),
    ),
    (
        "escalations/2026-10/ESC-2610-7FJX.md",
        include_str!("../../escalations/2026-10/ESC-2610-7FJX.md"),
    ),
    (
        "escalations/2026-10/ESC-2610-D5VG.md",
        include_str!("../../escalations/2026-10/ESC-2610-D5VG.md"),
    ),
    (
        "escalations/2026-10/ESC-2610-Q8HN.md",
        include_str!("../../escalations/2026-10/ESC-2610-Q8HN.md"),
    ),
    (
        "escalations/2026-11/ESC-2611-2RSM.md",
        include_str!("../../escalations/2026-11/ESC-2611-2RSM.md"),
    ),
    (
        "escalations/2026-11/ESC-2611-H9CE.md",
        include_str!("../../escalations/2026-11/ESC-2611-H9CE.md"),
    ),
    (
        "escalations/2026-11/ESC-2611-N3YA.md",
        include_str!("../../escalations/2026-11/ESC-2611-N3YA.md"),
    ),
    (
        "escalations/2026-11/ESC-2611-W6FB.md",
        include_str!("../../escalations/2026-11/ESC-2611-W6FB.md"),
    ),
];

/// The demo's config: the playbook's roles with example people.
pub const CONFIG: &str = include_str!("demo.yaml");

struct Step {
    time: i64,
    path: &'static str,
    text: String,
    author: (String, String),
    message: String,
}

fn day(v: Option<&Value>) -> Option<NaiveDate> {
    crate::model::dates::parse(v?.as_str()?)
}

/// Seconds at `hour`:`minute` UTC on `d`.
fn at(d: NaiveDate, hour: u32, minute: u32) -> i64 {
    d.and_hms_opt(hour, minute, 0)
        .map_or(0, |t| t.and_utc().timestamp())
}

/// A little movement in the current week, so the report's "what changed" has something:
/// the newest escalation moves on to information gathering, and a meeting is logged on the
/// critical one.
fn this_week(steps: &mut Vec<Step>, today: NaiveDate) -> Result<()> {
    use chrono::Datelike;
    let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let latest = |steps: &[Step], path: &str| {
        steps
            .iter()
            .filter(|s| s.path == path)
            .max_by_key(|s| s.time)
            .map(|s| (s.text.clone(), s.time))
    };
    let edit = |text: &str,
                path: &str,
                f: &dyn Fn(
        &mut crate::model::edit::Editor,
    ) -> std::result::Result<(), crate::model::edit::EditError>|
     -> Result<String> {
        let doc = crate::model::doc::parse(path, text.as_bytes().to_vec())
            .map_err(|d| Error::Data(d.message))?;
        let mut e = doc.editor();
        f(&mut e).map_err(|e| Error::Data(e.to_string()))?;
        Ok(e.into_text())
    };
    let (p1, p2) = (
        "escalations/2026-11/ESC-2611-W6FB.md",
        "escalations/2026-10/ESC-2610-7FJX.md",
    );
    if let Some((text, t)) = latest(steps, p1) {
        let new = edit(&text, p1, &|e| {
            e.set("/step", &crate::model::edit::Value::Str("gathering".into()))
        })?;
        steps.push(Step {
            time: at(monday, 10, 30).max(t + 600).min(at(today, 23, 0)),
            path: p1,
            text: new,
            author: ("Sam Ortiz".into(), "sam.ortiz@example.com".into()),
            message: "ESC-2611-W6FB: raised -> gathering\n\nEscalation: ESC-2611-W6FB\nStep: gathering\nFrom-Step: raised\n".into(),
        });
    }
    if let Some((text, t)) = latest(steps, p2) {
        let d = (monday + chrono::Duration::days(1)).min(today);
        let new = edit(&text, p2, &|e| {
            let meeting = Yaml::map([
                ("date", Some(Yaml::Raw(d.to_string()))),
                ("kind", Some(Yaml::Str("customer".into()))),
                (
                    "attendees",
                    Some(Yaml::List(vec![
                        Yaml::Str("Dana Whitfield".into()),
                        Yaml::Str("Priya Raman".into()),
                    ])),
                ),
                (
                    "summary",
                    Some(Yaml::Str(
                        "POS client moved after the ESP; pilot in three stores is green.".into(),
                    )),
                ),
            ]);
            e.append("/meetings", &meeting)?;
            e.set(
                "/status/as_of",
                &crate::model::edit::Value::Raw(d.to_string()),
            )?;
            // The meeting reports the POS client moved: that action is done.
            e.set(
                "/status/actions/1/done",
                &crate::model::edit::Value::Raw(d.to_string()),
            )
        })?;
        steps.push(Step {
            time: at(d, 15, 0).max(t + 600),
            path: p2,
            text: new,
            author: ("Dana Whitfield".into(), "dana.whitfield@example.com".into()),
            message: format!(
                "ESC-2610-7FJX: meeting {d} (customer)\n\nEscalation: ESC-2610-7FJX\nMeeting: {d}\n"
            ),
        });
    }
    // The last migration wave of the Woodgrove escalation is done: its action closes, so the
    // customer can be asked to confirm nothing is outstanding.
    let p3 = "escalations/2026-09/ESC-2609-X2KP.md";
    if let Some((text, t)) = latest(steps, p3) {
        let d = (monday + chrono::Duration::days(2)).min(today);
        let new = edit(&text, p3, &|e| {
            e.set(
                "/status/actions/2/done",
                &crate::model::edit::Value::Raw(d.to_string()),
            )
        })?;
        steps.push(Step {
            time: at(d, 11, 0).max(t + 600),
            path: p3,
            text: new,
            author: ("Sam Ortiz".into(), "sam.ortiz@example.com".into()),
            message: "ESC-2609-X2KP: action 3 done: Finish the last two migration waves\n\nEscalation: ESC-2609-X2KP\n".into(),
        });
    }
    Ok(())
}

/// Builds the demo repository in `dir` (which must not exist or be empty). Returns the
/// number of commits made.
pub fn build(dir: &Path, today: NaiveDate) -> Result<usize> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .next()
            .is_some()
    {
        return Err(Error::Usage(format!(
            "{} is not empty; give a new folder (esc demo DIR)",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    // Always a repository of its own: inside another work tree, `repo::init` would reuse
    // that repository, and the demo would commit into it and check out over its files.
    crate::git::repo::init_new(dir)?;
    let repo = Repo::open(dir)?;
    let process = crate::rules::process::Process::default();
    let setup_time = at(NaiveDate::from_ymd_opt(2026, 8, 3).unwrap_or(today), 9, 0);
    repo.commit_files(
        &[
            ("esc.yaml".into(), CONFIG.as_bytes().to_vec()),
            (
                "schemas/escalation.schema.json".into(),
                crate::rules::schema::EMBEDDED.as_bytes().to_vec(),
            ),
        ],
        "Joana Pires",
        "joana.pires@example.com",
        setup_time,
        "Set up the escalation repository\n",
    )?;
    let mut steps: Vec<Step> = Vec::new();
    for (path, text) in SAMPLES {
        let doc = crate::model::doc::parse(path, text.as_bytes().to_vec())
            .map_err(|d| Error::Data(format!("bundled sample {path}: {}", d.message)))?;
        let data = &doc.data;
        let id = doc.id().unwrap_or_default().to_string();
        let owner = data
            .get("owner")
            .and_then(Value::as_str)
            .unwrap_or("Dana <dana@example.com>");
        let author = (
            crate::model::person::display_name(owner),
            crate::model::person::address(owner)
                .unwrap_or_else(|| "escalations@example.com".into()),
        );
        let final_step = doc.str("/step").unwrap_or("raised").to_string();
        let raised = day(data.pointer("/raised/date")).unwrap_or(today);
        let meetings: Vec<NaiveDate> = data
            .get("meetings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|m| day(m.get("date")))
            .collect();
        // The day each step was entered, from the escalation's own dates.
        let when = |step: &str| -> Option<NaiveDate> {
            match step {
                "raised" => Some(raised),
                "gathering" => Some(raised),
                "validation" => day(data.pointer("/validation/date")),
                "stakeholders" => day(data.pointer("/stakeholders/notified"))
                    .or(day(data.pointer("/validation/date"))),
                "management" => meetings
                    .first()
                    .copied()
                    .or(day(data.pointer("/stakeholders/notified"))),
                "resolution" => day(data.pointer("/status/as_of")).or(meetings.last().copied()),
                _ => day(data.pointer("/closing/date")),
            }
        };
        // The path: every step up to the final one; a moved-back escalation went one further
        // first; a withdrawn or duplicate one closed from where it was.
        let mut path_steps: Vec<String> = Vec::new();
        let closed = final_step == process.closed;
        let outcome = doc.str("/closing/outcome").unwrap_or_default();
        let last_open = if closed && outcome != "resolved" {
            // Closed early: stop at the furthest step its fields support.
            ["validation", "gathering", "raised"]
                .into_iter()
                .find(|s| {
                    when(s).is_some()
                        && (*s != "validation" || data.pointer("/validation/date").is_some())
                })
                .unwrap_or("raised")
                .to_string()
        } else if closed {
            process
                .steps
                .last()
                .map(|s| s.id.clone())
                .unwrap_or_default()
        } else {
            final_step.clone()
        };
        for s in process.step_ids() {
            path_steps.push(s.to_string());
            if s == last_open {
                break;
            }
        }
        let moved_back = doc.str("/step_reason").is_some() && !closed;
        if moved_back && let Some(i) = process.index(&final_step) {
            path_steps.push(
                process
                    .step_ids()
                    .nth(i + 1)
                    .unwrap_or("validation")
                    .to_string(),
            );
            path_steps.push(final_step.clone());
        }
        if closed {
            path_steps.push(process.closed.clone());
        }
        let mut prev_time = at(raised, 9, 0);
        let mut prev_step: Option<String> = None;
        for (i, step) in path_steps.iter().enumerate() {
            let is_last = i + 1 == path_steps.len();
            let mut text_i = doc.editor();
            text_i
                .set("/step", &crate::model::edit::Value::Str(step.clone()))
                .map_err(|e| Error::Data(e.to_string()))?;
            let body = text_i.into_text();
            let prev_day =
                chrono::DateTime::from_timestamp(prev_time, 0).map_or(raised, |t| t.date_naive());
            let d = if moved_back && is_last {
                // Moved back two days after the validation that did not hold.
                prev_day + chrono::Duration::days(2)
            } else {
                when(step).unwrap_or(prev_day)
            };
            let minute = 10 + (i as u32 * 7) % 40;
            let t = at(d.min(today), 9 + (i as u32 % 8), minute).max(prev_time + 600);
            prev_time = t;
            let message = match &prev_step {
                None => format!("{id}: raised\n\nEscalation: {id}\nStep: {step}\n"),
                Some(p) => {
                    let mut m = format!("{id}: {p} -> {step}\n\n");
                    if moved_back && is_last {
                        m.push_str(&format!(
                            "Reason: {}\n",
                            crate::model::person::one_line(
                                doc.str("/step_reason").unwrap_or_default()
                            )
                        ));
                    }
                    m.push_str(&format!("Escalation: {id}\nStep: {step}\nFrom-Step: {p}\n"));
                    m
                }
            };
            steps.push(Step {
                time: t,
                path,
                text: if is_last { text.to_string() } else { body },
                author: author.clone(),
                message,
            });
            prev_step = Some(step.clone());
        }
    }
    this_week(&mut steps, today)?;
    steps.sort_by_key(|s| s.time);
    for s in &steps {
        repo.commit_files(
            &[(s.path.to_string(), s.text.as_bytes().to_vec())],
            &s.author.0,
            &s.author.1,
            s.time,
            &s.message,
        )?;
    }
    repo.sync_worktree()?;
    Ok(steps.len() + 1)
}

/// Keeps the demo's report in `weekly-report.md` in the demo repository, for reading; the
/// repository ignores it (`.git/info/exclude`), so its status stays clean.
pub fn keep_report(dir: &Path, text: &[u8]) -> Result<std::path::PathBuf> {
    let file = dir.join("weekly-report.md");
    crate::store::files::write_atomic(&file, text).map_err(|e| Error::io(&file, e))?;
    let exclude = dir.join(".git").join("info").join("exclude");
    if let Some(parent) = exclude.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut rules = std::fs::read_to_string(&exclude).unwrap_or_default();
    if !rules.lines().any(|l| l == "/weekly-report.md") {
        if !rules.is_empty() && !rules.ends_with('\n') {
            rules.push('\n');
        }
        rules.push_str("/weekly-report.md\n");
        crate::store::files::write_atomic(&exclude, rules.as_bytes())
            .map_err(|e| Error::io(&exclude, e))?;
    }
    Ok(file)
}
