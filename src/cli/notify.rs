use super::Ctx;
use super::save::{Edit, SaveArgs, message, open_for_edit, save};
use crate::error::{Error, Result};
use crate::model::edit::Value;
use crate::out::context::Inputs;
use crate::out::mail::Draft;
use serde_json::Value as Json;
use std::io::Write;
use std::path::PathBuf;

/// Draft a notification e-mail for an escalation.
///
/// KIND is `stakeholders` (step 4: to the CXP stakeholders and the sponsor, copy to the
/// intermediate leadership), `confirmation` (step 6: asks the customer contact to confirm
/// in writing that nothing is outstanding) or `resolved` (step 6: to the step-4 audience and
/// the roles the RACI row informs). Recipients come from esc.yaml (`people`, `raci`,
/// `sponsors`) and the escalation. `--format eml` writes an RFC 5322 draft (X-Unsent: 1)
/// that mail clients open ready to review and send.
///
/// Examples:
///   esc notify K7QD stakeholders
///   esc notify K7QD confirmation --format eml -o confirm.eml --mark-sent
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The escalation id, or a unique part of it.
    pub id: String,
    /// stakeholders, confirmation or resolved.
    pub kind: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: Format,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Record today as the date this notice was sent (`notices.KIND`), and commit.
    #[arg(long)]
    pub mark_sent: bool,
    #[command(flatten)]
    pub save: SaveArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Headers as a list, then the body: for reading or pasting.
    Md,
    /// An RFC 5322 message with a plain-text and an HTML body.
    Eml,
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

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8> {
    let ws = ctx.workspace()?;
    let doc = crate::store::files::find(&ws, &args.id)?;
    let id = doc.id().unwrap_or(&args.id).to_string();
    let process = ws.config.process();
    let Some(notice) = process.notices.get(&args.kind) else {
        let kinds: Vec<&str> = process.notices.keys().map(String::as_str).collect();
        let hint = crate::model::diag::did_you_mean(&args.kind, kinds.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        return Err(Error::Usage(format!(
            "unknown notice `{}`; {hint}kinds: {}",
            args.kind,
            kinds.join(", ")
        )));
    };
    let data = &doc.data;
    let s = |p: &str| {
        data.pointer(p)
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
            "{id} is at step `{step}`: a `{}` notice fits from step `{}`{}",
            args.kind,
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
    match args.kind.as_str() {
        "confirmation" => {
            // Asking the customer to confirm nothing is outstanding while actions are open
            // contradicts itself: close them first.
            let open: Vec<String> = data
                .pointer("/status/actions")
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
            push_unique(&mut cc, [s("/owner")]);
        }
        kind => {
            if kind == "stakeholders" && s("/stakeholders/decision") == "not-needed" {
                return Err(Error::Data(format!(
                    "{id}: the stakeholder decision is `not-needed` ({}); no notice is due",
                    s("/stakeholders/rationale")
                )));
            }
            if kind == "resolved" && s("/closing/summary").is_empty() {
                missing.push("`closing.summary` (what resolved it)".to_string());
            }
            push_unique(&mut to, people("cxp_stakeholders"));
            if !sponsor.is_empty() {
                push_unique(&mut to, [sponsor.clone()]);
            }
            if kind == "resolved" {
                push_unique(&mut to, ws.config.people_in(&raci.informed));
            }
            push_unique(&mut cc, people("intermediate_leadership"));
            push_unique(&mut cc, person_list(data.pointer("/stakeholders/cc")));
            if to.is_empty() {
                missing.push(
                    "recipients: `people.cxp_stakeholders` in esc.yaml, or a sponsor (`stakeholders.sponsor`, or `sponsors` in esc.yaml)"
                        .to_string(),
                );
            }
        }
    }
    if !missing.is_empty() {
        return Err(Error::Data(format!(
            "{id}: cannot draft the `{}` notice; missing {}",
            args.kind,
            missing.join(", and ")
        )));
    }
    if s("/owner_role") == "manager-health" {
        if !ws.config.manager_health_notices {
            return Err(Error::Data(format!(
                "{id} is owned by the FastTrack Manager Health; the playbook gives this notice to an assigned architect, and esc.yaml says `manager_health_notices: false`"
            )));
        }
        eprintln!(
            "note: {id} is owned by the FastTrack Manager Health; the playbook gives this notice to an assigned architect (esc.yaml `manager_health_notices: true` drafts it anyway)"
        );
    }
    let unaddressed: Vec<&String> = to
        .iter()
        .chain(&cc)
        .filter(|p| crate::model::person::address(p).is_none())
        .collect();
    if !unaddressed.is_empty() {
        eprintln!(
            "note: left out (no e-mail address): {}",
            unaddressed
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    let timelines = crate::timeline::timelines_if_git(&ws.root, &process)?;
    let inputs = Inputs {
        schema: &ws.schemas.current.json,
        config: &ws.config,
        process: &process,
        today: ws.config.today(ctx.today),
        tz: ws.config.tz().map_err(Error::Usage)?,
    };
    let c = inputs.escalation(&doc.rel, data, timelines.as_ref().and_then(|t| t.get(&id)));
    let env = crate::out::render::environment(
        crate::out::render::Source::Dir(crate::out::render::templates_dir(&ws.root)),
        ws.config.working_day_numbers(),
        crate::out::render::fuel_for(1),
    );
    let name = format!("notify-{}.txt.j2", args.kind);
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
        to,
        cc,
        subject: crate::model::person::one_line(&subject),
        text: body.trim_end().to_string() + "\n",
        html: None,
    };
    let text = match args.format {
        Format::Md => {
            let list = |v: &[String]| {
                v.iter()
                    .map(|p| crate::model::person::one_line(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!(
                "To: {}\nCc: {}\nSubject: {}\n\n{}",
                list(&draft.to),
                list(&draft.cc),
                draft.subject,
                draft.text
            )
        }
        Format::Eml => {
            let html = crate::out::render::markdown_to_html(&draft.text);
            let draft = Draft {
                html: Some(format!(
                    "<!DOCTYPE html>\n<html><body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px\">\n{html}</body></html>\n"
                )),
                ..draft
            };
            draft.to_eml(&format!("esc-{id}-{}", args.kind))
        }
    };
    super::write_output(ctx, args.output.as_deref(), &text, out)?;
    if args.mark_sent {
        let doc = open_for_edit(&ws, &id, false)?;
        let mut editor = doc.editor();
        let today = ws.config.today(ctx.today).to_string();
        editor
            .set(
                &format!("/notices/{}", args.kind),
                &Value::Raw(today.clone()),
            )
            .map_err(|e| Error::Data(format!("{}: {e}", doc.rel)))?;
        let summary = format!("{} notice sent {today}", args.kind);
        let msg = message(&id, &summary, None, &[("Notice", &args.kind)]);
        let mut sink = std::io::stderr();
        return save(
            ctx,
            &ws,
            &doc,
            Edit {
                text: editor.into_text(),
                what: summary,
                message: msg,
            },
            args.save,
            &mut sink,
        );
    }
    Ok(0)
}
