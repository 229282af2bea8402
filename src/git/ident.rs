//! Who commits, and when, as git decides it: `GIT_AUTHOR_NAME`/`EMAIL`/`DATE` and
//! `GIT_COMMITTER_NAME`/`EMAIL`/`DATE` first, then the config (`author.*`, `committer.*`,
//! `user.*`); dates in git's formats. A commit's time is not an escalation's date, so it is
//! read here and not by `model::dates`.

use crate::error::{Error, Result};
use chrono::{DateTime, FixedOffset, Local, NaiveDateTime, Offset, TimeZone};

/// Author and committer of a commit about to be made.
pub(super) struct Idents {
    pub author: git2::Signature<'static>,
    pub committer: git2::Signature<'static>,
}

/// The author and committer for a commit in `repo`, from the environment and the config.
/// Unlike git, esc does not guess an identity (from `EMAIL`, the user and the host name): a
/// commit in an audit trail names someone who said who they are.
pub(super) fn idents(repo: &git2::Repository) -> Result<Idents> {
    let config = repo.config().ok().and_then(|mut c| c.snapshot().ok());
    let conf = |key: &str| {
        config
            .as_ref()
            .and_then(|c| c.get_string(key).ok())
            .filter(|v| !v.is_empty())
    };
    let env = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
    let one = |role: &str| -> Result<git2::Signature<'static>> {
        let upper = role.to_ascii_uppercase();
        let name = env(&format!("GIT_{upper}_NAME"))
            .or_else(|| conf(&format!("{role}.name")))
            .or_else(|| conf("user.name"));
        let email = env(&format!("GIT_{upper}_EMAIL"))
            .or_else(|| conf(&format!("{role}.email")))
            .or_else(|| conf("user.email"));
        let (Some(name), Some(email)) = (name, email) else {
            return Err(Error::Git(
                "no git identity: set one with `git config user.name \"Your Name\"` and \
                 `git config user.email you@example.com` (or GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL, \
                 GIT_COMMITTER_NAME and GIT_COMMITTER_EMAIL)"
                    .into(),
            ));
        };
        let var = format!("GIT_{upper}_DATE");
        let sig = match env(&var) {
            Some(text) => {
                let (secs, offset) = parse_date(&text).ok_or_else(|| {
                    Error::Git(format!(
                        "{var}=`{text}` is not a date git reads (try `2026-11-26T09:00:00+01:00`, \
                         `Thu, 26 Nov 2026 09:00:00 +0100` or `@1795680000 +0100`)"
                    ))
                })?;
                git2::Signature::new(&name, &email, &git2::Time::new(secs, offset))
            }
            None => git2::Signature::now(&name, &email),
        };
        sig.map_err(|e| {
            Error::Git(format!(
                "the {role} identity `{name} <{email}>`: {}",
                e.message()
            ))
        })
    };
    Ok(Idents {
        author: one("author")?,
        committer: one("committer")?,
    })
}

impl super::repo::Repo {
    /// Who "me" is here: the author git would commit as (`Name <email>`), for `--owner me`.
    pub fn me(&self) -> Result<String> {
        let who = idents(&self.repo)?.author;
        Ok(format!(
            "{} <{}>",
            String::from_utf8_lossy(who.name_bytes()),
            String::from_utf8_lossy(who.email_bytes())
        ))
    }
}

/// A date in one of git's formats, as (seconds since the epoch, offset in minutes):
/// `@1795680000 +0100` (or without the `@`, git's own form), RFC 2822
/// (`Thu, 26 Nov 2026 09:00:00 +0100`) and ISO 8601 (`2026-11-26T09:00:00+01:00`,
/// `2026-11-26 09:00:00 +0100`, `...Z`; local time when no zone is given).
pub fn parse_date(text: &str) -> Option<(i64, i32)> {
    let t = text.trim();
    if let Some(d) = raw(t) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(t) {
        return Some(of(&d));
    }
    iso(t)
}

fn of(d: &DateTime<FixedOffset>) -> (i64, i32) {
    (d.timestamp(), d.offset().local_minus_utc() / 60)
}

/// `@SECONDS [ZONE]` or `SECONDS ZONE`.
fn raw(t: &str) -> Option<(i64, i32)> {
    let (at, rest) = match t.strip_prefix('@') {
        Some(r) => (true, r),
        None => (false, t),
    };
    let mut parts = rest.split_whitespace();
    let secs: i64 = parts.next()?.parse().ok()?;
    let offset = match parts.next() {
        Some(z) => zone(z)?,
        None if at => 0,
        None => return None,
    };
    parts.next().is_none().then_some((secs, offset))
}

/// `+HHMM`, `-HH:MM`, `+HH` or `Z`, in minutes east of UTC.
fn zone(z: &str) -> Option<i32> {
    if z == "Z" || z == "z" {
        return Some(0);
    }
    let sign = match z.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = z[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (digits[..2].parse::<i32>().ok()?, digits[2..].parse().ok()?),
        _ => return None,
    };
    (h < 24 && m < 60).then_some(sign * (h * 60 + m))
}

/// ISO 8601: a date, `T` or a space, a time (fractions ignored), then an optional zone.
fn iso(t: &str) -> Option<(i64, i32)> {
    let split = t.find(['Z', 'z', '+']).or_else(|| {
        // A `-` after the time is a zone; the ones in the date are not.
        t.get(10..).and_then(|r| r.find('-')).map(|i| i + 10)
    });
    let (local, z) = match split {
        Some(i) => (t[..i].trim(), Some(t[i..].trim())),
        None => (t, None),
    };
    let local = local.replacen(' ', "T", 1);
    let naive = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&local, f).ok())?;
    match z {
        Some(z) => {
            let offset = zone(z)?;
            let tz = FixedOffset::east_opt(offset * 60)?;
            let d = tz.from_local_datetime(&naive).single()?;
            Some(of(&d))
        }
        None => {
            let d = Local.from_local_datetime(&naive).earliest()?;
            Some((d.timestamp(), d.offset().fix().local_minus_utc() / 60))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn gits_date_formats() {
        let want = Some((1_795_676_400, 60));
        assert_eq!(parse_date("@1795676400 +0100"), want);
        assert_eq!(parse_date("1795676400 +0100"), want);
        assert_eq!(parse_date("@1795676400"), Some((1_795_676_400, 0)));
        assert_eq!(parse_date("Thu, 26 Nov 2026 08:00:00 +0100"), want);
        assert_eq!(parse_date("2026-11-26T08:00:00+01:00"), want);
        assert_eq!(parse_date("2026-11-26 08:00:00 +0100"), want);
        assert_eq!(parse_date("2026-11-26T07:00:00Z"), Some((1_795_676_400, 0)));
        assert_eq!(
            parse_date("2026-11-26T02:00:00-05:00"),
            Some((1_795_676_400, -300))
        );
        assert_eq!(
            parse_date("2026-11-26T07:00:00.5Z"),
            Some((1_795_676_400, 0))
        );
        assert!(parse_date("2026-11-26T08:00:00").is_some());
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "@12x",
            "123",
            "2026-11-26T08:00:00+9",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
