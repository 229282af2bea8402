//! The repository as a report reads it: as it is (working tree, history to HEAD) or as it
//! was at a revision (files, config, schemas and templates all from that commit), and the
//! weekly report's context computed from it.

use crate::error::{Error, Result};
use crate::model::diag::Diagnostic;
use crate::model::doc::{At, Doc};
use crate::out::context::Inputs;
use crate::out::report::{Item, Part, Week};
use crate::rules::config::Config;
use crate::rules::process::Process;
use crate::rules::schema::Schemas;
use crate::store::workspace::Workspace;
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::path::PathBuf;

/// The escalation files a report reads: parsed one at a time on all cores, each dropped once
/// what it adds to the report is taken, so memory does not grow with the number of files.
pub enum Files {
    /// In the working tree below this root.
    Tree(PathBuf, Vec<crate::store::workspace::Entry>),
    /// As of a revision: path and bytes.
    At(Vec<(String, Vec<u8>)>),
}

impl Files {
    pub fn count(&self) -> usize {
        match self {
            Files::Tree(_, e) => e.len(),
            Files::At(f) => f.len(),
        }
    }

    /// The `i`th file, parsed.
    pub fn load(&self, i: usize) -> std::result::Result<Doc, Box<crate::model::diag::Diagnostic>> {
        match self {
            Files::Tree(root, entries) => crate::store::files::load_below(root, &entries[i]),
            Files::At(files) => {
                let (path, bytes) = &files[i];
                crate::model::doc::parse(path, bytes.clone())
            }
        }
    }
}

type Map = std::collections::BTreeMap<String, crate::timeline::Timeline>;

/// Every escalation's timeline, read on a thread of its own from the moment the snapshot is
/// taken: reading the cache took a fifth of a warm report's time on one core while the
/// others waited, and now overlaps listing and parsing the files.
pub struct Timelines {
    pending: std::sync::Mutex<Option<std::thread::JoinHandle<Result<Map>>>>,
    map: std::sync::OnceLock<Map>,
}

impl Timelines {
    pub fn ready(map: Map) -> Self {
        Timelines {
            pending: std::sync::Mutex::new(None),
            map: std::sync::OnceLock::from(map),
        }
    }

    /// Starts `load` now, on its own thread.
    pub fn load(load: impl FnOnce() -> Result<Map> + Send + 'static) -> Self {
        Timelines {
            pending: std::sync::Mutex::new(Some(std::thread::spawn(load))),
            map: std::sync::OnceLock::new(),
        }
    }

    /// The timelines, once read. The first caller gets the error if reading failed; a
    /// panic there is raised again here.
    pub fn get(&self) -> Result<&Map> {
        if let Some(m) = self.map.get() {
            return Ok(m);
        }
        let handle = self
            .pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        let Some(handle) = handle else {
            return Ok(self.map.wait());
        };
        match handle.join() {
            Ok(Ok(map)) => Ok(self.map.get_or_init(|| map)),
            Ok(Err(e)) => {
                let _ = self.map.set(Map::new());
                Err(e)
            }
            Err(panic) => {
                // Nobody waits for a map that will never come.
                let _ = self.map.set(Map::new());
                std::panic::resume_unwind(panic)
            }
        }
    }
}

/// Everything a report is made from.
pub struct Snapshot {
    pub config: Config,
    pub schemas: Schemas,
    pub files: Files,
    pub templates: crate::out::render::Source,
    pub timelines: Timelines,
    pub today: chrono::NaiveDate,
    pub as_of: String,
}

/// The repository as it is (working tree, history up to HEAD), or as it was at `rev`.
/// `today` overrides the date (else the team's today, or the revision's date with `as_of`).
pub fn snapshot(ws: Workspace, today: Option<NaiveDate>, as_of: Option<&str>) -> Result<Snapshot> {
    match as_of {
        None => {
            let process = ws.config.process();
            let root = ws.root.clone();
            let from = root.clone();
            // Not a git repository: no timelines.
            let timelines = Timelines::load(move || match crate::git::repo::Repo::open(&from) {
                Ok(repo) => crate::timeline::timelines(&repo, &process),
                Err(_) => Ok(Map::new()),
            });
            // Which commit, and whether the files differ from it (git's status over every
            // file), is asked on a thread of its own while the files are listed.
            let (entries, found) = std::thread::scope(|s| {
                let found = s.spawn(|| {
                    let repo = crate::git::repo::Repo::open(&root).ok()?;
                    let label = match repo.head() {
                        None => "the files (no commits yet)".to_string(),
                        Some(h) => match repo.changes_since("HEAD") {
                            Ok(c) if c.files.is_empty() && !c.rules_changed => {
                                format!("commit {}", h.short())
                            }
                            _ => format!("commit {} and uncommitted changes", h.short()),
                        },
                    };
                    Some(label)
                });
                let entries = ws.entries(&[]);
                (
                    entries,
                    found
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p)),
                )
            });
            let files = Files::Tree(ws.root.clone(), entries?);
            let label = found.unwrap_or_else(|| "the files (not a git repository)".to_string());
            let today = ws.config.today(today);
            Ok(Snapshot {
                templates: crate::out::render::Source::Dir(crate::out::render::templates_dir(
                    &ws.root,
                )),
                config: ws.config,
                schemas: ws.schemas,
                files,
                timelines,
                today,
                as_of: label,
            })
        }
        Some(rev) => {
            let repo = crate::git::repo::Repo::open(&ws.root)?;
            let commit = repo.commit_id(rev)?;
            let text_of = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
            let config = match repo.read_at(commit, crate::rules::config::FILE)? {
                Some(b) => Config::parse(
                    &text_of(b),
                    &format!("{}@{rev}", crate::rules::config::FILE),
                )?,
                None => Config::default(),
            };
            let schema_files = repo
                .files_at(commit, "schemas")?
                .into_iter()
                .map(|(p, b)| {
                    (
                        p.rsplit('/').next().unwrap_or_default().to_string(),
                        text_of(b),
                    )
                })
                .collect();
            let schemas = Schemas::from_files(schema_files)?;
            let templates = repo
                .files_at(commit, "templates")?
                .into_iter()
                .map(|(p, b)| {
                    (
                        p.strip_prefix("templates/").unwrap_or(&p).to_string(),
                        text_of(b),
                    )
                })
                .collect();
            let files: Vec<(String, Vec<u8>)> = repo
                .escalations_at(commit)?
                .into_iter()
                .filter(|(p, _)| p.ends_with(".md"))
                .collect();
            let process = config.process();
            let root = ws.root.clone();
            let timelines = Timelines::load(move || {
                let repo = crate::git::repo::Repo::open(&root)?;
                crate::timeline::timelines_at(&repo, &process, commit)
            });
            let tz = config.tz().map_err(Error::Usage)?;
            let today = match today {
                Some(t) => t,
                None => chrono::DateTime::from_timestamp(repo.commit_time(commit)?, 0)
                    .and_then(|d| crate::model::dates::in_range(d.with_timezone(&tz).date_naive()))
                    .unwrap_or_else(|| config.today(None)),
            };
            Ok(Snapshot {
                config,
                schemas,
                files: Files::At(files),
                templates: crate::out::render::Source::Files(templates),
                timelines,
                today,
                as_of: format!("commit {}", commit.short()),
            })
        }
    }
}

/// Which week a report is for: the last complete one (Monday to Sunday before today), the
/// one in progress, or a named ISO week.
#[derive(Debug, Clone, Copy)]
pub enum WeekChoice {
    LastComplete,
    Current,
    Given(Week),
}

impl WeekChoice {
    /// `current`, or an ISO week such as `2026-W48`; None when it is neither.
    pub fn parse(s: &str) -> Option<WeekChoice> {
        match s {
            "current" => Some(WeekChoice::Current),
            _ => Week::parse(s).map(WeekChoice::Given),
        }
    }

    /// The week this choice names when today is `today`.
    pub fn week(self, today: NaiveDate) -> Week {
        match self {
            WeekChoice::LastComplete => Week::last_complete(today),
            WeekChoice::Current => Week::of(today),
            WeekChoice::Given(w) => w,
        }
    }
}

/// The snapshot a weekly report reads, and its week. With `as_of`, the repository at that
/// revision (its date is today). Else a week that has ended is read as the repository was at
/// its end (the last commit on or before Sunday 23:59:59 in the team's time zone, with that
/// Sunday as today), so its report never changes; the week in progress (or one to come) is
/// read as the repository is now.
pub fn for_report(
    ws: Workspace,
    today: Option<NaiveDate>,
    as_of: Option<&str>,
    choice: WeekChoice,
) -> Result<(Snapshot, Week)> {
    if as_of.is_some() {
        let snap = snapshot(ws, today, as_of)?;
        let week = choice.week(snap.today);
        return Ok((snap, week));
    }
    let now = ws.config.today(today);
    let week = choice.week(now);
    let end = week.sunday();
    if end >= now {
        return Ok((snapshot(ws, Some(now), None)?, week));
    }
    let tz = ws.config.tz().map_err(Error::Usage)?;
    let last = end.and_hms_opt(23, 59, 59).map(|t| {
        use chrono::TimeZone;
        tz.from_local_datetime(&t)
            .latest()
            .map_or_else(|| t.and_utc().timestamp(), |d| d.timestamp())
    });
    let repo = crate::git::repo::Repo::open(&ws.root).ok();
    let commit = match (&repo, last) {
        (Some(r), Some(secs)) => r.last_commit_until(secs)?,
        _ => None,
    };
    match commit {
        Some(c) => Ok((snapshot(ws, Some(end), Some(&c.to_string()))?, week)),
        // The week ended before the first commit: nothing was there yet.
        None => {
            let templates =
                crate::out::render::Source::Dir(crate::out::render::templates_dir(&ws.root));
            let snap = Snapshot {
                templates,
                config: ws.config,
                schemas: ws.schemas,
                files: Files::At(Vec::new()),
                timelines: Timelines::ready(Map::new()),
                today: end,
                as_of: "nothing (the week ended before the first commit)".to_string(),
            };
            Ok((snap, week))
        }
    }
}

/// What a snapshot's escalations add to the report of `week`, a [`Piece`] each, and the files
/// left out of it (they do not parse). Each file is parsed once, on all cores, and dropped
/// once its piece is taken.
pub fn report_pieces(snap: &Snapshot, week: Week) -> Result<(Vec<Piece>, Vec<Diagnostic>)> {
    let process = snap.config.process();
    let inputs = inputs(snap, &process)?;
    let indices: Vec<usize> = (0..snap.files.count()).collect();
    let (timelines, week_parts) = crate::par::parallel_while_loading(
        &indices,
        || snap.timelines.get(),
        |&i| snap.files.load(i),
        |doc, timelines| {
            let doc = doc?;
            let timelines = timelines.as_ref().ok();
            let timeline = doc.id().zip(timelines).and_then(|(id, all)| all.get(id));
            let item = Item {
                file: &doc.rel,
                data: &doc.data,
                timeline,
            };
            Ok(piece(&inputs, week, &item))
        },
    );
    timelines?;
    let mut pieces = Vec::with_capacity(week_parts.len());
    let mut left_out = Vec::new();
    for p in week_parts {
        match p {
            Ok(p) => pieces.push(p),
            Err(d) => {
                let d: Box<Diagnostic> = d;
                left_out.push(*d);
            }
        }
    }
    Ok((pieces, left_out))
}

/// What the report's code reads of a snapshot besides its files.
pub fn inputs<'a>(snap: &'a Snapshot, process: &'a Process) -> Result<Inputs<'a>> {
    Ok(Inputs {
        schema: &snap.schemas.current.json,
        config: &snap.config,
        process,
        today: snap.today,
        tz: snap.config.tz().map_err(Error::Usage)?,
    })
}

/// The report's context from a snapshot, and the files left out of it (they do not parse).
pub fn report_context(snap: &Snapshot, week: Week) -> Result<(serde_json::Value, Vec<Diagnostic>)> {
    let (pieces, left_out) = report_pieces(snap, week)?;
    let process = snap.config.process();
    let inputs = inputs(snap, &process)?;
    Ok((assemble(&inputs, week, &snap.as_of, pieces), left_out))
}

/// What one escalation adds to the report: its figures, the notices it owes (as `esc due`
/// finds them) and its sample for the analytics.
pub struct Piece {
    pub part: Part,
    pub notices: Vec<Value>,
    pub sample: crate::ops::stats::Sample,
}

impl Piece {
    /// Names the repository the escalation is in, in its rows and its notices (the
    /// organisation's report).
    pub fn tag(&mut self, repository: &str) {
        self.part.tag(repository);
        for n in &mut self.notices {
            if let Some(m) = n.as_object_mut() {
                m.insert("repository".into(), Value::from(repository));
            }
        }
    }
}

/// The [`Piece`] of one escalation.
pub fn piece(inputs: &Inputs<'_>, week: Week, it: &Item<'_>) -> Piece {
    let s = |p: &str| it.data.at(p).and_then(Value::as_str).unwrap_or_default();
    let notices = crate::ops::due::notices(inputs, it.data)
        .into_iter()
        .map(|o| {
            json!({
                "id": s("/id"),
                "customer": s("/customer"),
                "notice": o.notice,
                "what": o.what(),
                "detail": o.message,
                "owner": crate::model::person::display_name(s("/owner")),
                "due": o.due.map(|d| d.to_string()).unwrap_or_default(),
            })
        })
        .collect();
    Piece {
        part: crate::out::report::part(inputs, week, it),
        notices,
        sample: crate::ops::stats::sample(inputs, it.data, it.timeline, None),
    }
}

/// The report's context from every escalation's [`Piece`] (open and closed, in file order):
/// the figures, `pending_notices` (dated ones first, oldest first) and `analytics` (every
/// escalation, weeks up to the report's).
pub fn assemble(inputs: &Inputs<'_>, week: Week, as_of: &str, pieces: Vec<Piece>) -> Value {
    let mut parts = Vec::with_capacity(pieces.len());
    let mut samples = Vec::with_capacity(pieces.len());
    let mut notices = Vec::new();
    for p in pieces {
        parts.push(p.part);
        samples.push(p.sample);
        notices.extend(p.notices);
    }
    let mut context = crate::out::tally::context(inputs, week, as_of, parts);
    let steps: Vec<(String, String)> = inputs
        .process
        .steps
        .iter()
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect();
    finish(&mut context, notices, samples, &steps, week);
    context
}

/// Puts `pending_notices` (dated ones first, oldest first) and `analytics` (of `samples`,
/// whose steps are indices into `steps`; weeks up to `week`'s) into a report's context.
pub fn finish(
    context: &mut Value,
    mut notices: Vec<Value>,
    samples: Vec<crate::ops::stats::Sample>,
    steps: &[(String, String)],
    week: Week,
) {
    notices.sort_by(|a, b| {
        let key = |v: &Value| {
            let due = v["due"].as_str().unwrap_or_default().to_string();
            (
                due.is_empty(),
                due,
                v["id"].as_str().unwrap_or_default().to_string(),
            )
        };
        key(a).cmp(&key(b))
    });
    let opts = crate::ops::stats::Options {
        by: None,
        since: None,
        until: week.sunday(),
    };
    let (weeks, all, _) = crate::ops::stats::figures(samples, steps, &opts);
    context["pending_notices"] = Value::Array(notices);
    context["analytics"] = crate::out::stats::analytics(steps, &weeks, &all);
}
