//! Notices (step 4's stakeholder notice, the confirmation request, the resolved notice):
//! whether one fits the escalation now, who receives it, and the draft rendered from its
//! template, from the owner (or whoever sends it) and dated.

use crate::error::{Error, Result};
use crate::model::doc::At;
use crate::model::doc::Doc;
use crate::out::context::Inputs;
use crate::out::mail::Draft;
use crate::store::workspace::Workspace;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde_json::Value as Json;

/// A draft, and notes for the person sending it (who was left out, and why).
pub struct Notice {
    pub draft: Draft,
    pub notes: Vec<String>,
}

fn person_list(v: Option<&Json>) -> Vec<String> {
    match v {
        Some(Json::String(s)) if !s.is_empty() => vec![s.clone()],
        Some(Json::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

fn push_unique(list: &mut Vec<String>, more: impl IntoIterator<Item = String>) {
    for p in more {
        if !list.contains(&p) {
            list.push(p);
        }
    }
}

/// The `Date:` of a draft: `--today` at 09:00 in the team's time zone (the same bytes on
/// every run), else now there.
pub fn sent_at(ws: &Workspace, today: Option<NaiveDate>) -> Result<DateTime<FixedOffset>> {
    let tz = ws.config.tz().map_err(Error::Usage)?;
    let at = match today {
        Some(d) => d
            .and_hms_opt(9, 0, 0)
            .and_then(|t| tz.from_local_datetime(&t).earliest())
            .ok_or_else(|| Error::Usage(format!("--today {d}: no 09:00 on that day in {tz}")))?,
        None => chrono::Utc::now().with_timezone(&tz),
    };
    Ok(at.fixed_offset())
}

/// The `kind` notice for `doc` as of `today`, sent by `from` (else the owner), or why it
/// cannot be drafted: an unknown kind (usage), a notice that does not fit the step, or
/// missing recipients or fields (data).
pub fn draft(
    ws: &Workspace,
    doc: &Doc,
    kind: &str,
    today: NaiveDate,
    from: Option<&str>,
) -> Result<Notice> {
    let id = doc.id().unwrap_or_default().to_string();
    let mut notes = Vec::new();
    let process = ws.config.process();
    let Some(notice) = process.notices.get(kind) else {
        let kinds: Vec<&str> = process.notices.keys().map(String::as_str).collect();
        let hint = crate::model::diag::did_you_mean(kind, kinds.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        return Err(Error::Usage(format!(
            "unknown notice `{}`; {hint}kinds: {}",
            kind,
            kinds.join(", ")
        )));
    };
    let data = &doc.data;
    let s = |p: &str| {
        data.at(p)
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let step = s("/step");
    let closed = step == process.closed;
    let fits = if closed {
        notice.closed && s("/closing/outcome") == "resolved"
    } else {
        process.index(&step) >= process.index(&notice.from)
    };
    if !fits {
        return Err(Error::Data(format!(
            "{id} is at step `{step}`: the `{}` notice fits from step `{}`{}",
            kind,
            notice.from,
            if notice.closed {
                " (or once closed as resolved)"
            } else {
                " until it is closed"
            }
        )));
    }
    let mut missing = Vec::new();
    let (mut to, mut cc) = (Vec::new(), Vec::new());
    let sponsor = {
        let own = s("/stakeholders/sponsor");
        if own.is_empty() {
            ws.config
                .sponsors
                .get(&s("/customer"))
                .cloned()
                .unwrap_or_default()
        } else {
            own
        }
    };
    let raci = ws.config.raci_for(&s("/segment"));
    let people = |role: &str| ws.config.people_in(&[role.to_string()]);
    match kind {
        "confirmation" => {
            // Asking the customer to confirm nothing is outstanding while actions are open
            // contradicts itself: close them first.
            let open: Vec<String> = data
                .at("/status/actions")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .filter(|(_, a)| a.get("done").is_none())
                .map(|(i, a)| {
                    format!(
                        "{} ({})",
                        i + 1,
                        a.get("what").and_then(Json::as_str).unwrap_or("?")
                    )
                })
                .collect();
            if !open.is_empty() {
                missing.push(format!(
                    "every action done first; open: {} (esc action {id} done N)",
                    open.join(", ")
                ));
            }
            let contact = s("/customer_contact");
            if crate::model::person::address(&contact).is_none() {
                missing
                    .push("`customer_contact` with an e-mail address (Name <address>)".to_string());
            }
            push_unique(&mut to, [contact]);
            // The owner is copied when someone else sends it (never to himself: see below).
            push_unique(&mut cc, [s("/owner")]);
        }
        kind => {
            if (kind == "stakeholders" || kind == "update")
                && s("/stakeholders/decision") == "not-needed"
            {
                return Err(Error::Data(format!(
                    "{id}: the stakeholder decision is `not-needed` ({}); no notice is due",
                    s("/stakeholders/rationale")
                )));
            }
            if kind == "resolved" && s("/closing/summary").is_empty() {
                missing.push("`closing.summary` (what resolved it)".to_string());
            }
            // The resolved notice goes to the step-4 audience only if the step-4 notice went
            // out (playbook step 6); the roles the RACI informs are always told.
            let step4_sent = s("/stakeholders/decision") == "notify"
                && !(s("/stakeholders/notified").is_empty()
                    && s("/notices/stakeholders").is_empty());
            if kind != "resolved" || step4_sent {
                push_unique(&mut to, people("cxp_stakeholders"));
                if !sponsor.is_empty() {
                    push_unique(&mut to, [sponsor.clone()]);
                }
                push_unique(&mut cc, people("intermediate_leadership"));
                push_unique(&mut cc, person_list(data.at("/stakeholders/cc")));
            }
            if kind == "resolved" {
                push_unique(&mut to, ws.config.people_in(&raci.informed));
            }
            // The roles this notice addresses that esc.yaml leaves empty: a new repository
            // has none filled in, and should hear which ones matter here.
            let mut roles = Vec::new();
            if kind != "resolved" || step4_sent {
                roles.extend([
                    ("cxp_stakeholders", "To"),
                    ("intermediate_leadership", "Cc"),
                ]);
            }
            if kind == "resolved" {
                roles.extend(raci.informed.iter().map(|r| (r.as_str(), "To")));
            }
            let unfilled: Vec<String> = roles
                .iter()
                .filter(|(r, _)| people(r).is_empty())
                .map(|(r, part)| format!("`people.{r}` ({part})"))
                .collect();
            let unfilled = (!unfilled.is_empty()).then(|| {
                format!(
                    "esc.yaml names nobody as {}: fill them in (esc init writes commented examples)",
                    unfilled.join(", ")
                )
            });
            let hint = unfilled
                .as_ref()
                .map(|u| format!("; {u}"))
                .unwrap_or_default();
            if to.is_empty() && !step4_sent && kind == "resolved" {
                missing.push(format!(
                    "recipients: the step-4 notice did not go out, so only the roles the RACI row informs get this one, and `raci` in esc.yaml names none with an address in `people`{hint}"
                ));
            } else if to.is_empty() {
                missing.push(format!(
                    "recipients: `people.cxp_stakeholders` in esc.yaml, or a sponsor (`stakeholders.sponsor`, or `sponsors` in esc.yaml){hint}"
                ));
            } else if let Some(u) = unfilled {
                notes.push(u);
            }
        }
    }
    if !missing.is_empty() {
        return Err(Error::Data(format!(
            "{id}: cannot draft the `{}` notice; missing {}",
            kind,
            missing.join(", and ")
        )));
    }
    let sender = from.map_or_else(|| s("/owner"), String::from);
    if crate::model::person::address(&sender).is_none() {
        notes.push(format!(
            "no `From:`: `{sender}` has no e-mail address (give --from \"Name <address>\")"
        ));
    }
    crate::out::mail::tidy_recipients(Some(&sender), &mut to, &mut cc);
    if s("/owner_role") == "manager-health" {
        if !ws.config.manager_health_notices {
            return Err(Error::Data(format!(
                "{id} is owned by the FastTrack Manager Health; the playbook gives this notice to an assigned architect, and esc.yaml says `manager_health_notices: false`"
            )));
        }
        notes.push(format!(
            "{id} is owned by the FastTrack Manager Health; the playbook gives this notice to an assigned architect (esc.yaml `manager_health_notices: true` drafts it anyway)"
        ));
    }
    let unaddressed: Vec<&String> = to
        .iter()
        .chain(&cc)
        .filter(|p| crate::model::person::address(p).is_none())
        .collect();
    if !unaddressed.is_empty() {
        notes.push(format!(
            "left out (no e-mail address): {}",
            unaddressed
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }

    let timelines = crate::timeline::timelines_if_git(&ws.root, &process)?;
    let inputs = Inputs {
        schema: &ws.schemas.current.json,
        config: &ws.config,
        process: &process,
        today,
        tz: ws.config.tz().map_err(Error::Usage)?,
    };
    let mut c = inputs.escalation(&doc.rel, data, timelines.as_ref().and_then(|t| t.get(&id)));
    c["sender"] = Json::String(sender.clone());
    if kind == "update" {
        c["update_changes"] = serde_json::json!(changes_since_last_update(ws, doc, &process)?);
    }
    let mut env = crate::out::render::environment(
        crate::out::render::Source::Dir(crate::out::render::templates_dir(&ws.root)),
        ws.config.working_day_numbers(),
        crate::out::render::fuel_for(1),
    );
    crate::out::render::use_schema_labels(&mut env, &ws.schemas.current.json);
    let name = format!("notify-{}.txt.j2", kind);
    let rendered = crate::out::render::render(&env, &name, &c)?;
    let (subject, body) = match rendered.split_once('\n') {
        Some((first, rest)) if first.starts_with("Subject:") => (
            first["Subject:".len()..].trim().to_string(),
            rest.trim_start_matches(['\r', '\n']).to_string(),
        ),
        _ => {
            return Err(Error::Template(format!(
                "template {name}: the first line must be `Subject: ...`"
            )));
        }
    };
    let draft = Draft {
        from: Some(sender),
        to,
        cc,
        subject: crate::model::person::one_line(&subject),
        text: body.trim_end().to_string() + "\n",
        html: None,
    };
    Ok(Notice { draft, notes })
}

/// What changed since the last stakeholder update: the file now against its newest version
/// committed on or before the day that update was sent (in the team's time zone); against
/// its first version when no update was sent yet. Empty outside git or before the first
/// commit.
fn changes_since_last_update(
    ws: &Workspace,
    doc: &Doc,
    process: &crate::rules::process::Process,
) -> Result<Vec<String>> {
    let Ok(repo) = crate::git::repo::Repo::open(&ws.root) else {
        return Ok(Vec::new());
    };
    let Some(head) = repo.head() else {
        return Ok(Vec::new());
    };
    let tz = ws.config.tz().map_err(Error::Usage)?;
    let sent = crate::out::context::last_update_sent(&doc.data);
    let mut baseline: Option<Vec<u8>> = None;
    for commit in repo.first_parents(head, None)?.into_iter().rev() {
        let Some(bytes) = repo.read_at(commit, &doc.rel)? else {
            break;
        };
        let day = crate::out::context::day_of(tz, repo.commit_time(commit)?);
        baseline = Some(bytes);
        if sent.is_some_and(|s| day.is_some_and(|d| d <= s)) {
            break;
        }
    }
    let baseline = baseline.and_then(|b| crate::model::doc::parse(&doc.rel, b).ok());
    let name = |id: &str| {
        process
            .steps
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    Ok(baseline.map_or_else(Vec::new, |b| {
        crate::out::changes::changes(&b.data, &doc.data, &name)
    }))
}

/// `From:`, `To:`, `Cc:` and `Subject:` lines, then the body: for reading or pasting.
pub fn to_md(draft: &Draft) -> String {
    let list = |v: &[String]| {
        v.iter()
            .map(|p| crate::out::mail::display_mailbox(p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let cc = if draft.cc.is_empty() {
        String::new()
    } else {
        format!("Cc: {}\n", list(&draft.cc))
    };
    let from = draft
        .from
        .as_deref()
        .map(|f| format!("From: {}\n", crate::out::mail::display_mailbox(f)))
        .unwrap_or_default();
    format!(
        "{from}To: {}\n{cc}Subject: {}\n\n{}",
        list(&draft.to),
        draft.subject,
        draft.text
    )
}

/// An RFC 5322 message dated `date`, with the plain text and its HTML rendering (each line
/// of the text its own line in the HTML too).
pub fn to_eml(draft: Draft, id: &str, kind: &str, date: &DateTime<FixedOffset>) -> String {
    let html = crate::out::render::markdown_to_html(&draft.text);
    let draft = Draft {
        html: Some(format!(
            "<!DOCTYPE html>\n<html><body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px\">\n{html}</body></html>\n"
        )),
        ..draft
    };
    let message_id = draft.message_id(id, kind, date);
    draft.to_eml(&format!("esc-{id}-{kind}"), date, &message_id)
}
