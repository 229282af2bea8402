//! What `esc due` shows: the items due per owner, as terminal text (coloured on a terminal),
//! Markdown, JSON, and one e-mail draft per owner whose breaches copy the roles to tell.

use crate::model::diag::Diagnostic;
use crate::model::person::{display_name, one_line};
use crate::out::mail::Draft;
use chrono::NaiveDate;
use serde::Serialize;

/// One thing due on one escalation (its JSON form is what `--format json` prints).
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub customer: String,
    pub severity: String,
    pub step: String,
    /// `update`, `status`, `action`, `decision`, `notice`, `stale` or `breach`.
    pub kind: &'static str,
    /// When it was or is due (None: no date, e.g. stale).
    #[serde(serialize_with = "opt_date")]
    pub due: Option<NaiveDate>,
    /// Past its date (a breach always is).
    pub overdue: bool,
    pub message: String,
    /// The command that does it, where there is one.
    #[serde(rename = "command")]
    pub hint: String,
    /// Breaches: the roles to tell, and their people.
    pub roles: Vec<String>,
    pub tell: Vec<String>,
}

/// One owner's items, most urgent escalation first.
#[derive(Debug, Clone)]
pub struct Owner {
    /// `Name <address>` as in the files ("" when not set).
    pub owner: String,
    pub items: Vec<Item>,
}

pub struct Due {
    pub today: NaiveDate,
    /// Actions due up to this day are listed.
    pub horizon: NaiveDate,
    pub owners: Vec<Owner>,
    /// Files that do not parse (run `esc check`).
    pub left_out: Vec<Diagnostic>,
}

fn long(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

impl Due {
    /// Items in all.
    pub fn count(&self) -> usize {
        self.owners.iter().map(|o| o.items.len()).sum()
    }

    fn headline(&self) -> String {
        let n = self.count();
        format!(
            "Due on {} (actions up to {}): {} for {}",
            long(self.today),
            long(self.horizon),
            plural(n, "item"),
            plural(self.owners.len(), "owner")
        )
    }

    /// Text for a terminal; `color` adds ANSI colours (red: overdue or breached; yellow:
    /// due later).
    pub fn to_text(&self, color: bool) -> String {
        let paint = |code: &str, s: &str| {
            if color {
                format!("\x1b[{code}m{s}\x1b[0m")
            } else {
                s.to_string()
            }
        };
        use std::fmt::Write;
        // Written in place: tens of thousands of items, each a few lines.
        let mut out = self.headline() + "\n";
        for o in &self.owners {
            out.push('\n');
            out += &paint(
                "1",
                &format!("{}: {}", owner_label(&o.owner), o.items.len()),
            );
            out.push('\n');
            let mut last_id = "";
            for it in &o.items {
                if it.id != last_id {
                    let sev = if it.severity.is_empty() {
                        "-"
                    } else {
                        &it.severity
                    };
                    let _ = writeln!(
                        out,
                        "  {} {sev} · {} · {}",
                        paint("1", &it.id),
                        one_line(&it.customer),
                        one_line(&it.title)
                    );
                    last_id = &it.id;
                }
                let tag = format!("{:<8}", it.kind);
                let tag = if it.overdue {
                    paint("31", &tag)
                } else {
                    paint("33", &tag)
                };
                let _ = write!(out, "    {tag} {}", one_line(&it.message));
                if !it.tell.is_empty() || !it.roles.is_empty() {
                    let _ = write!(out, "; tell {}", tell(it));
                }
                out.push('\n');
                if !it.hint.is_empty() {
                    let _ = writeln!(out, "             {}", paint("2", &it.hint));
                }
            }
        }
        out
    }

    /// Markdown: a section and a table per owner.
    pub fn to_md(&self) -> String {
        let cell = |s: &str| crate::out::render::md_escape(&one_line(s));
        let mut out = format!("# {}\n", self.headline());
        for o in &self.owners {
            out += &format!(
                "\n## {} ({})\n\n| escalation | severity | what | due | detail |\n|---|---|---|---|---|\n",
                cell(&if o.owner.is_empty() {
                    owner_label(&o.owner)
                } else {
                    display_name(&o.owner)
                }),
                o.items.len()
            );
            for it in &o.items {
                out += &format!(
                    "| {} ({}) | {} | {} | {} | {} |\n",
                    cell(&it.id),
                    cell(&it.customer),
                    cell(if it.severity.is_empty() {
                        "-"
                    } else {
                        &it.severity
                    }),
                    it.kind,
                    it.due
                        .map_or("-".to_string(), |d| d.format("%-d %b %Y").to_string())
                        + if it.overdue && it.due.is_some() {
                            " (overdue)"
                        } else {
                            ""
                        },
                    cell(&it.message)
                        + &if it.tell.is_empty() && it.roles.is_empty() {
                            String::new()
                        } else {
                            format!("; tell {}", cell(&tell(it)))
                        }
                        + &if it.hint.is_empty() {
                            String::new()
                        } else {
                            format!(" (`{}`)", it.hint.replace('`', "'"))
                        }
                );
            }
        }
        out
    }

    /// JSON on one line: today, horizon, count, and the owners with their items. Written
    /// straight from the structs: a due list of 10,000 escalations runs to megabytes.
    pub fn write_json(&self, out: &mut dyn std::io::Write) -> serde_json::Result<()> {
        use serde_json::Error;
        let text = |s: &str| serde_json::to_string(s);
        write!(
            out,
            r#"{{"today":"{}","horizon":"{}","count":{},"owners":["#,
            self.today,
            self.horizon,
            self.count()
        )
        .map_err(Error::io)?;
        for (k, o) in self.owners.iter().enumerate() {
            let comma = if k == 0 { "" } else { "," };
            let (owner, name) = (text(&o.owner)?, text(&display_name(&o.owner))?);
            write!(out, r#"{comma}{{"owner":{owner},"name":{name},"items":["#)
                .map_err(Error::io)?;
            // A long list is most of the time `esc due` takes after parsing: its items are
            // written on all cores, a chunk each, and joined in order.
            let chunks: Vec<&[Item]> = o.items.chunks(256).collect();
            let parts = crate::par::parallel(&chunks, |chunk| {
                let mut buf = Vec::with_capacity(chunk.len() * 400);
                for (j, it) in chunk.iter().enumerate() {
                    if j > 0 {
                        buf.push(b',');
                    }
                    serde_json::to_writer(&mut buf, it)?;
                }
                Ok::<_, Error>(buf)
            });
            for (j, part) in parts.into_iter().enumerate() {
                if j > 0 {
                    out.write_all(b",").map_err(Error::io)?;
                }
                out.write_all(&part?).map_err(Error::io)?;
            }
            out.write_all(b"]}").map_err(Error::io)?;
        }
        out.write_all(b"]}").map_err(Error::io)
    }

    /// One draft per owner: (file name, RFC 5322 text), dated `date`. To the owner; copied
    /// to the people the breached targets name.
    pub fn to_eml(&self, date: &chrono::DateTime<chrono::FixedOffset>) -> Vec<(String, String)> {
        self.owners
            .iter()
            .map(|o| {
                let mut cc: Vec<String> = Vec::new();
                for p in o.items.iter().flat_map(|it| &it.tell) {
                    if !cc.contains(p) && p != &o.owner {
                        cc.push(p.clone());
                    }
                }
                let one = Due {
                    today: self.today,
                    horizon: self.horizon,
                    owners: vec![o.clone()],
                    left_out: Vec::new(),
                };
                let text = one.to_text(false);
                let html = crate::out::render::markdown_to_html(&one.to_md());
                let draft = Draft {
                    from: None,
                    to: vec![o.owner.clone()],
                    cc,
                    subject: format!(
                        "Due on your escalations: {} ({})",
                        plural(o.items.len(), "item"),
                        self.today.format("%-d %b %Y")
                    ),
                    text,
                    html: Some(format!(
                        "<!DOCTYPE html>\n<html><body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px\">\n{html}</body></html>\n"
                    )),
                };
                let slug = slug(&o.owner);
                let message_id = draft.message_id("due", &slug, date);
                (
                    format!("due-{slug}.eml"),
                    draft.to_eml(&format!("esc-due-{slug}"), date, &message_id),
                )
            })
            .collect()
    }
}

fn opt_date<S: serde::Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn owner_label(owner: &str) -> String {
    if owner.is_empty() {
        "(no owner)".to_string()
    } else {
        one_line(owner)
    }
}

/// Whom to tell of a breach: the people's names, else the roles (no one in `people`).
fn tell(it: &Item) -> String {
    if it.tell.is_empty() {
        format!("{} (no one in esc.yaml's people)", it.roles.join(", "))
    } else {
        it.tell
            .iter()
            .map(|p| display_name(p))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A file-name part for an owner: lower-case letters and digits joined by `-`.
pub fn slug(owner: &str) -> String {
    let name = display_name(owner);
    let base = if name.is_empty() {
        "no-owner"
    } else {
        name.as_str()
    };
    let mut out = String::new();
    for c in base.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out
        .trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>();
    if out.is_empty() {
        "owner".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(
            super::slug("Dana Whitfield <d@x.example>"),
            "dana-whitfield"
        );
        assert_eq!(super::slug("../../etc <e@x.example>"), "etc");
        assert_eq!(super::slug(""), "no-owner");
        assert_eq!(super::slug("Zoë Ångström <z@x.example>"), "zo-ngstr-m");
    }
}
