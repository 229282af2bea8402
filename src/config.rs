//! The repository's `esc.yaml`: time zone, severity policy, watch-list links, the process.
//! Every key is optional; unknown keys are errors (a typo must not silently do nothing).

use crate::error::{Error, Result};
use crate::process::Process;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const FILE: &str = "esc.yaml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// IANA time zone of the team ("Europe/Berlin"); decides what "today" and a week are.
    #[serde(default = "utc")]
    pub timezone: String,
    /// Working days, for durations and update cadences.
    #[serde(default = "weekdays")]
    pub working_days: Vec<String>,
    #[serde(default)]
    pub severity_policy: SeverityPolicy,
    /// Link for each critical watch list, by the list id used in `gathering.watch_list.list`.
    #[serde(default)]
    pub watch_lists: BTreeMap<String, String>,
    /// Replaces the embedded process when present.
    #[serde(default)]
    pub process: Option<Process>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityPolicy {
    /// Severities for which an architect-owned escalation must notify stakeholders (step 4).
    pub notify: Vec<String>,
}

impl Default for SeverityPolicy {
    fn default() -> Self {
        SeverityPolicy {
            notify: vec!["critical".into(), "high".into()],
        }
    }
}

fn utc() -> String {
    "UTC".into()
}

fn weekdays() -> Vec<String> {
    ["mon", "tue", "wed", "thu", "fri"]
        .map(String::from)
        .to_vec()
}

impl Default for Config {
    fn default() -> Self {
        Config {
            timezone: utc(),
            working_days: weekdays(),
            severity_policy: SeverityPolicy::default(),
            watch_lists: BTreeMap::new(),
            process: None,
        }
    }
}

impl Config {
    /// Reads `root/esc.yaml`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, FILE),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    pub fn parse(text: &str, origin: &str) -> Result<Config> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let config: Config =
            serde_saphyr::from_str_with_options(text, crate::document::yaml_options()).map_err(
                |e| {
                    let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                    Error::Config {
                        path: format!("{origin}:{line}:{col}").into(),
                        message: crate::document::yaml_message(&e),
                    }
                },
            )?;
        let bad = |message: String| Error::Config {
            path: origin.into(),
            message,
        };
        config.tz().map_err(bad)?;
        for d in &config.working_days {
            if !["mon", "tue", "wed", "thu", "fri", "sat", "sun"].contains(&d.as_str()) {
                return Err(bad(format!(
                    "working_days: expected mon, tue, wed, thu, fri, sat or sun; found `{d}`"
                )));
            }
        }
        if let Some(p) = &config.process
            && let Some(problem) = p.problems().into_iter().next()
        {
            return Err(bad(format!("process: {problem}")));
        }
        Ok(config)
    }

    pub fn tz(&self) -> std::result::Result<chrono_tz::Tz, String> {
        self.timezone.parse::<chrono_tz::Tz>().map_err(|_| {
            format!(
                "timezone: expected an IANA time zone such as `Europe/Berlin` or `UTC`; found `{}`",
                self.timezone
            )
        })
    }

    pub fn process(&self) -> Process {
        self.process.clone().unwrap_or_default()
    }

    /// Today's date in the team's time zone, unless `today` overrides it.
    pub fn today(&self, today: Option<chrono::NaiveDate>) -> chrono::NaiveDate {
        today.unwrap_or_else(|| {
            let tz = self.tz().unwrap_or(chrono_tz::UTC);
            chrono::Utc::now().with_timezone(&tz).date_naive()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_bad_zones_are_refused() {
        assert!(Config::parse("timezon: UTC\n", "esc.yaml").is_err());
        assert!(Config::parse("timezone: Mars/Olympus\n", "esc.yaml").is_err());
        let c = Config::parse("timezone: Europe/Berlin\n", "esc.yaml").expect("valid");
        assert_eq!(c.severity_policy.notify, ["critical", "high"]);
    }
}
