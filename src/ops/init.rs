//! `esc init`: where CI installs esc from (`--esc-source URL@REF`), checked so that it can be
//! written into YAML and shell without quoting, when the scheduled `esc due` runs (UTC cron
//! from the team's time zone and working days), and the scaffold's files filled in with them
//! and the branch.

use crate::error::{Error, Result};
use crate::rules::config::Config;
use chrono::{NaiveDate, Offset, TimeZone};
use std::path::Path;

/// Where the scaffolded CI and pre-commit hook install esc from: a git URL and a ref.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub url: String,
    pub git_ref: String,
    /// How cargo is told the ref: `tag`, `branch` or `rev` (`cargo install --tag ...`).
    pub kind: &'static str,
}

impl Source {
    /// This build's own repository (`repository` in Cargo.toml) at the tag of this version.
    pub fn default_for_this_build() -> Source {
        let git_ref = format!("v{}", env!("CARGO_PKG_VERSION"));
        Source {
            url: env!("CARGO_PKG_REPOSITORY").to_string(),
            kind: ref_kind(&git_ref),
            git_ref,
        }
    }

    /// `URL` or `URL@REF` (REF defaults to this version's tag). Refused (usage) when the URL
    /// is not a git URL or either part has a character that YAML or a shell would need quoted.
    pub fn parse(text: &str) -> Result<Source> {
        let bad = |why: String| {
            Error::Usage(format!(
                "--esc-source `{text}`: {why}; expected a git URL (https://host/org/esc or \
                 ssh://git@host/org/esc), optionally followed by @REF \
                 (a tag, branch or commit), e.g. https://github.com/esc-project/esc@v0.1.0"
            ))
        };
        if let Some(c) = text.chars().find(|c| !url_char(*c)) {
            return Err(bad(format!(
                "found {c:?}, which the workflows would need to quote or escape (allowed: \
                 letters, digits and . _ ~ - / : @ + %)"
            )));
        }
        let (url, git_ref) = split_ref(text);
        let scheme = ["https://", "http://", "ssh://", "git://", "file://"]
            .iter()
            .find(|s| url.starts_with(**s));
        let Some(scheme) = scheme else {
            // cargo takes URLs only: `git@host:org/esc` is `ssh://git@host/org/esc` to it.
            return Err(bad(
                "found no https://, http://, ssh://, git:// or file:// at the start".into(),
            ));
        };
        let path = url[scheme.len()..].split_once('/').map(|(_, p)| p);
        if path.is_none_or(|p| p.trim_matches('/').is_empty()) {
            return Err(bad("found no repository path after the host".into()));
        }
        let git_ref = match git_ref {
            None => format!("v{}", env!("CARGO_PKG_VERSION")),
            Some(r) if r.is_empty() || r.starts_with(['-', '/']) || r.contains("..") => {
                return Err(bad(format!(
                    "found the ref `{r}`, which git would not accept"
                )));
            }
            Some(r) if r.contains([':', '@', '~', '%']) => {
                return Err(bad(format!("found `{r}` after @, which is not a ref name")));
            }
            Some(r) => r.to_string(),
        };
        Ok(Source {
            url: url.to_string(),
            kind: ref_kind(&git_ref),
            git_ref,
        })
    }

    /// `owner/name@REF` of a GitHub-hosted source, for `uses:` of its action.
    pub fn github_action(&self) -> Option<String> {
        let rest = self.url.strip_prefix("https://github.com/")?;
        let rest = rest.trim_end_matches('/').trim_end_matches(".git");
        let (owner, name) = rest.split_once('/')?;
        (!owner.is_empty() && !name.is_empty() && !name.contains('/'))
            .then(|| format!("{owner}/{name}@{}", self.git_ref))
    }

    /// One line for people: `URL at tag REF`.
    pub fn describe(&self) -> String {
        format!("{} at {} {}", self.url, self.kind, self.git_ref)
    }
}

fn url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._~-/:@+%".contains(c)
}

/// Splits `URL@REF` at the first `@` in the URL's path (so `ssh://git@host/org/esc` keeps
/// its user).
fn split_ref(text: &str) -> (&str, Option<&str>) {
    let path_start = match text.find("://") {
        Some(i) => text[i + 3..].find('/').map_or(text.len(), |j| i + 3 + j),
        None => 0,
    };
    match text[path_start..].find('@') {
        Some(j) => (&text[..path_start + j], Some(&text[path_start + j + 1..])),
        None => (text, None),
    }
}

/// A version (`v1.2.3`, `1.2`) is a tag, 7 to 40 hex digits a commit, anything else a branch.
fn ref_kind(r: &str) -> &'static str {
    let version = r.strip_prefix('v').unwrap_or(r);
    if version.starts_with(|c: char| c.is_ascii_digit())
        && version
            .split(['.', '-', '+'])
            .next()
            .is_some_and(|m| m.chars().all(|c| c.is_ascii_digit()))
    {
        "tag"
    } else if (7..=40).contains(&r.len()) && r.chars().all(|c| c.is_ascii_hexdigit()) {
        "rev"
    } else {
        "branch"
    }
}

/// A branch name the workflows can name unquoted in YAML and shell, or why not.
pub fn check_branch(branch: &str) -> Result<()> {
    if branch.is_empty()
        || branch.starts_with('-')
        || !branch
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c))
    {
        return Err(Error::Usage(format!(
            "the branch `{branch}` cannot be written into the CI workflows (expected letters, \
             digits and . _ / -); check out a branch with a plainer name, or set \
             `git config init.defaultBranch main`"
        )));
    }
    Ok(())
}

/// When the scheduled `esc due` runs: [`Schedule::LOCAL_HOUR`]:00 on the team's working days
/// in its time zone, as a cron line in UTC (GitHub's and Azure's schedules know no other).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// `M H * * DAYS`, in UTC.
    pub cron: String,
    /// For the workflow's comment: `07:00 Europe/Berlin (UTC+01:00 on 2026-11-26)`.
    pub local: String,
}

impl Schedule {
    pub const LOCAL_HOUR: i32 = 7;

    /// The schedule for `config`'s time zone and working days, with the UTC offset `on` that
    /// day (cron does not follow summer time: the comment says so). An unknown time zone is
    /// UTC, as everywhere else.
    pub fn for_team(config: &Config, on: NaiveDate) -> Schedule {
        let tz = config.tz().unwrap_or(chrono_tz::UTC);
        let local = on
            .and_hms_opt(Self::LOCAL_HOUR as u32, 0, 0)
            .unwrap_or_default();
        let offset = tz
            .from_local_datetime(&local)
            .earliest()
            .map_or(0, |t| t.offset().fix().local_minus_utc() / 60);
        let utc = Self::LOCAL_HOUR * 60 - offset;
        let (shift, minutes) = (utc.div_euclid(24 * 60), utc.rem_euclid(24 * 60));
        // cron numbers Sunday 0 to Saturday 6; esc Monday 0 to Sunday 6.
        let mut days: Vec<i32> = config
            .working_day_numbers()
            .iter()
            .map(|d| (*d as i32 + 1 + shift).rem_euclid(7))
            .collect();
        days.sort_unstable();
        days.dedup();
        let sign = if offset < 0 { '-' } else { '+' };
        Schedule {
            cron: format!("{} {} * * {}", minutes % 60, minutes / 60, cron_days(&days)),
            local: format!(
                "{:02}:00 {} (UTC{sign}{:02}:{:02} on {on})",
                Self::LOCAL_HOUR,
                config.timezone,
                offset.abs() / 60,
                offset.abs() % 60
            ),
        }
    }
}

/// `1-5`, `0-4`, `1,3,5`: runs of consecutive days as ranges; `*` for none (every day).
fn cron_days(days: &[i32]) -> String {
    if days.is_empty() {
        return "*".into();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut start = days[0];
    for (k, d) in days.iter().enumerate() {
        let end_of_run = days.get(k + 1) != Some(&(d + 1));
        if end_of_run {
            parts.push(if start == *d {
                d.to_string()
            } else {
                format!("{start}-{d}")
            });
            if let Some(next) = days.get(k + 1) {
                start = *next;
            }
        }
    }
    parts.join(",")
}

/// The team's config as `dir` already has it (init leaves an existing `esc.yaml` alone), else
/// the one init writes (UTC, Monday to Friday).
pub fn existing_config(dir: &Path) -> Config {
    std::fs::read_to_string(dir.join(crate::rules::config::FILE))
        .ok()
        .and_then(|text| Config::parse(&text, crate::rules::config::FILE).ok())
        .unwrap_or_default()
}

/// The scaffold: each file's path and its template.
const FILES: [(&str, &str); 9] = [
    ("esc.yaml", include_str!("../scaffold/esc.yaml")),
    (
        "templates/README.md",
        include_str!("../scaffold/templates-README.md"),
    ),
    (
        ".github/workflows/escalations.yml",
        include_str!("../scaffold/github-workflow.yml"),
    ),
    (
        ".github/workflows/escalations-due.yml",
        include_str!("../scaffold/github-due.yml"),
    ),
    (
        "azure-pipelines.yml",
        include_str!("../scaffold/azure-pipelines.yml"),
    ),
    (
        "azure-pipelines-due.yml",
        include_str!("../scaffold/azure-pipelines-due.yml"),
    ),
    (
        ".pre-commit-config.yaml",
        include_str!("../scaffold/pre-commit-config.yaml"),
    ),
    (
        "schemas/escalation.schema.json",
        crate::rules::schema::EMBEDDED,
    ),
    // For editors: esc.yaml's first line points yaml-language-server at it.
    ("schemas/esc.schema.json", crate::rules::config::SCHEMA),
];

/// The files `esc init` writes, filled in with `source`, `branch` (already checked) and the
/// scheduled job's `schedule`.
pub fn scaffold(source: &Source, branch: &str, schedule: &Schedule) -> Vec<(&'static str, String)> {
    let action = source
        .github_action()
        .unwrap_or_else(|| format!("OWNER/esc@{}", source.git_ref));
    FILES
        .iter()
        .map(|(rel, text)| {
            let filled = text
                .replace("@ESC_GIT@", &source.url)
                .replace("@ESC_REF_KIND@", source.kind)
                .replace("@ESC_REF@", &source.git_ref)
                .replace("@ESC_ACTION@", &action)
                .replace("@BRANCH@", branch)
                .replace("@DUE_CRON@", &schedule.cron)
                .replace("@DUE_LOCAL@", &schedule.local);
            (*rel, filled)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_at_the_ref_and_keep_their_user() {
        let s = Source::parse("https://github.com/acme/esc@v1.2.0").expect("ok");
        assert_eq!(
            (s.url.as_str(), s.git_ref.as_str(), s.kind),
            ("https://github.com/acme/esc", "v1.2.0", "tag")
        );
        let s = Source::parse("ssh://git@github.com/acme/esc@main").expect("ok");
        assert_eq!(
            (s.url.as_str(), s.git_ref.as_str(), s.kind),
            ("ssh://git@github.com/acme/esc", "main", "branch")
        );
        let s = Source::parse("ssh://git@host.example/acme/esc.git@0123abcd").expect("ok");
        assert_eq!(
            (s.url.as_str(), s.kind),
            ("ssh://git@host.example/acme/esc.git", "rev")
        );
        let s = Source::parse("https://host.example/acme/esc").expect("ok");
        assert_eq!(s.git_ref, format!("v{}", env!("CARGO_PKG_VERSION")));
        let s = Source::parse("https://host.example/acme/esc@release/2026").expect("ok");
        assert_eq!((s.git_ref.as_str(), s.kind), ("release/2026", "branch"));
    }

    #[test]
    fn what_would_need_quoting_or_is_no_url_is_refused() {
        for bad in [
            "https://github.com/acme/esc;rm -rf ~",
            "https://github.com/acme/$(id)",
            "https://github.com/acme/esc'",
            "https://github.com/acme/esc\"",
            "https://github.com/acme/esc #x",
            "https://github.com/acme/e`sc`",
            "https://github.com/acme/esc@",
            "https://github.com/acme/esc@-x",
            "https://github.com/acme/esc@a..b",
            "https://github.com/",
            "github.com/acme/esc",
            "git@github.com:acme/esc",
            "-https://x/y",
            "",
        ] {
            assert!(Source::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn the_scaffold_has_no_placeholder_left() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
        let schedule = Schedule::for_team(&Config::default(), on);
        let files = scaffold(&Source::default_for_this_build(), "trunk", &schedule);
        for (rel, text) in files {
            let left = text.split('@').skip(1).any(|p| {
                let name: String = p
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                    .collect();
                name.len() > 2 && p[name.len()..].starts_with('@')
            });
            assert!(!left, "{rel} keeps a placeholder:\n{text}");
        }
    }

    fn schedule(yaml: &str, on: (i32, u32, u32)) -> Schedule {
        let config = Config::parse(yaml, "esc.yaml").expect("config");
        let on = NaiveDate::from_ymd_opt(on.0, on.1, on.2).expect("date");
        Schedule::for_team(&config, on)
    }

    #[test]
    fn the_schedule_is_seven_in_the_morning_of_working_days_in_utc() {
        let s = schedule("", (2026, 11, 26));
        assert_eq!(s.cron, "0 7 * * 1-5");
        assert_eq!(s.local, "07:00 UTC (UTC+00:00 on 2026-11-26)");
        // Berlin: an hour ahead in winter, two in summer.
        assert_eq!(
            schedule("timezone: Europe/Berlin\n", (2026, 1, 5)).cron,
            "0 6 * * 1-5"
        );
        let s = schedule("timezone: Europe/Berlin\n", (2026, 7, 6));
        assert_eq!(s.cron, "0 5 * * 1-5");
        assert_eq!(s.local, "07:00 Europe/Berlin (UTC+02:00 on 2026-07-06)");
        // Behind UTC, and half an hour off.
        assert_eq!(
            schedule("timezone: America/New_York\n", (2026, 1, 5)).cron,
            "0 12 * * 1-5"
        );
        assert_eq!(
            schedule("timezone: Asia/Kolkata\n", (2026, 1, 5)).cron,
            "30 1 * * 1-5"
        );
        // 07:00 in Auckland is the evening before in UTC: the days move back one.
        let s = schedule("timezone: Pacific/Auckland\n", (2026, 1, 5));
        assert_eq!(s.cron, "0 18 * * 0-4");
        assert_eq!(s.local, "07:00 Pacific/Auckland (UTC+13:00 on 2026-01-05)");
        // Other working days; Sunday to Thursday in Dubai (UTC+4).
        let s = schedule(
            "timezone: Asia/Dubai\nworking_days: [sun, mon, tue, wed, thu]\n",
            (2026, 1, 5),
        );
        assert_eq!(s.cron, "0 3 * * 0-4");
        assert_eq!(
            schedule("working_days: [mon, wed, fri]\n", (2026, 1, 5)).cron,
            "0 7 * * 1,3,5"
        );
        assert_eq!(
            schedule("working_days: [sat, sun, mon]\n", (2026, 1, 5)).cron,
            "0 7 * * 0-1,6"
        );
    }

    #[test]
    fn the_default_is_this_repository_at_this_version() {
        let s = Source::default_for_this_build();
        assert_eq!(s.url, "https://github.com/esc-project/esc");
        assert_eq!(
            s.github_action().as_deref(),
            Some(&*format!("esc-project/esc@v{}", env!("CARGO_PKG_VERSION")))
        );
    }
}
