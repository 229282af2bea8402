//! The weekly report as an e-mail draft, addressed as the playbook's RACI says: to the roles
//! it consults (the FastTrack Managers, FRP and Health), the roles it informs in copy (the
//! Team Manager and Regional Leadership), over every segment's row.

use crate::error::{Error, Result};
use crate::out::mail::{Draft, tidy_recipients};
use crate::store::workspace::Workspace;
use chrono::NaiveDate;

/// A draft, and notes for the person sending it.
pub struct ReportMail {
    pub eml: String,
    pub notes: Vec<String>,
}

/// Roles in the order the RACI rows name them, each once.
fn roles(
    ws: &Workspace,
    pick: impl Fn(&crate::rules::config::Raci) -> &Vec<String>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for row in ws.config.raci.values() {
        for r in pick(row) {
            if !out.contains(r) {
                out.push(r.clone());
            }
        }
    }
    out
}

/// The draft of the report for `week` (`md` is its text part, `html` its HTML part), sent by
/// `from` (checked by the caller) and dated `today` as notices are.
pub fn draft(
    ws: &Workspace,
    md: &str,
    html: &str,
    week: &str,
    from: Option<&str>,
    today: Option<NaiveDate>,
) -> Result<ReportMail> {
    let consulted = roles(ws, |r| &r.consulted);
    let informed = roles(ws, |r| &r.informed);
    let mut to = ws.config.people_in(&consulted);
    let mut cc = ws.config.people_in(&informed);
    tidy_recipients(from, &mut to, &mut cc);
    if to.is_empty() {
        let fill: Vec<String> = consulted.iter().map(|r| format!("people.{r}")).collect();
        return Err(Error::Data(format!(
            "the weekly report goes to the roles the RACI consults ({}), and esc.yaml names nobody \
             in them; fill {} with \"Name <address>\"",
            consulted.join(", "),
            if fill.is_empty() {
                "raci.*.consulted".to_string()
            } else {
                fill.join(" or ")
            }
        )));
    }
    let mut notes = Vec::new();
    if from.is_none() {
        notes.push("no `From:`: give --from \"Name <address>\" to sign it".to_string());
    }
    let subject = md
        .lines()
        .next()
        .map(|l| l.trim_start_matches('#').trim())
        .filter(|l| !l.is_empty())
        .unwrap_or("Escalations: weekly report")
        .to_string();
    let draft = Draft {
        from: from.map(String::from),
        to,
        cc,
        subject,
        text: md.to_string(),
        html: Some(html.to_string()),
    };
    let date = crate::ops::notice::sent_at(ws, today)?;
    let message_id = draft.message_id("report", week, &date);
    Ok(ReportMail {
        eml: draft.to_eml(&format!("esc-report-{week}"), &date, &message_id),
        notes,
    })
}
