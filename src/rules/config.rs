//! The repository's `esc.yaml`: time zone, severity policy, watch-list links, the process.
//! Every key is optional; unknown keys are errors (a typo must not silently do nothing).

use crate::error::{Error, Result};
use crate::rules::process::Process;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const FILE: &str = "esc.yaml";

/// JSON Schema of `esc.yaml`, for editors (a `yaml-language-server` modeline) and other
/// validators; a test keeps it in step with [`Config`].
pub const SCHEMA: &str = include_str!("../../schemas/esc.schema.json");

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
    /// The playbook's roles, each with its people (`Name <address>`).
    #[serde(default)]
    pub people: BTreeMap<String, Vec<String>>,
    /// RACI per customer segment (`S1500`, or `"*"` for every segment): which roles are
    /// responsible, accountable, consulted (they get the weekly report) and informed (they get
    /// the notices).
    #[serde(default = "default_raci")]
    pub raci: BTreeMap<String, Raci>,
    /// The Microsoft sponsor per customer, when the escalation does not name one.
    #[serde(default)]
    pub sponsors: BTreeMap<String, String>,
    /// Whether notices are drafted for escalations owned by the FastTrack Manager Health (the
    /// playbook gives steps 4 and 6 to the architect).
    #[serde(default = "yes")]
    pub manager_health_notices: bool,
    /// Working days without an update after which an open escalation counts as stale.
    #[serde(default = "stale_days")]
    pub stale_after_days: u32,
    /// What each severity level means (drafts quote it); the keys are the levels.
    #[serde(default = "crate::rules::targets::default_severities")]
    pub severities: BTreeMap<String, String>,
    /// Targets per severity and `default` (see `rules::targets`); built-in values fill gaps.
    #[serde(default)]
    pub targets: BTreeMap<String, crate::rules::targets::Target>,
    /// The repository's id prefix (`EMEA`: ids `ESC-EMEA-2611-K7QD`), so that the ids of an
    /// organisation's repositories never collide; `esc new` writes it, `esc check` asks it.
    #[serde(default)]
    pub id_prefix: Option<String>,
    /// The first raising month (`2026-12`) whose ids carry the prefix: ids of earlier months
    /// may keep the form without it (ids never change).
    #[serde(default)]
    pub id_prefix_from: Option<String>,
    /// The repositories an organisation's report reads (`esc report` here): local clones,
    /// relative to this repository's root.
    #[serde(default)]
    pub repositories: Vec<String>,
}

/// The roles of the playbook, as used in `people:` and `raci:`.
pub const ROLES: [&str; 7] = [
    "fasttrack_manager_frp",
    "fasttrack_manager_health",
    "team_manager",
    "architect",
    "regional_leadership",
    "cxp_stakeholders",
    "intermediate_leadership",
];

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Raci {
    #[serde(default)]
    pub responsible: Vec<String>,
    #[serde(default)]
    pub accountable: Vec<String>,
    #[serde(default)]
    pub consulted: Vec<String>,
    #[serde(default)]
    pub informed: Vec<String>,
}

/// The playbook's RACI row: managers (FRP and Health) consulted, team manager and regional
/// leadership informed, the architect responsible and accountable.
fn default_raci() -> BTreeMap<String, Raci> {
    let roles = |r: &[&str]| r.iter().map(|s| s.to_string()).collect();
    BTreeMap::from([(
        "*".to_string(),
        Raci {
            responsible: roles(&["architect"]),
            accountable: roles(&["architect"]),
            consulted: roles(&["fasttrack_manager_frp", "fasttrack_manager_health"]),
            informed: roles(&["team_manager", "regional_leadership"]),
        },
    )])
}

fn yes() -> bool {
    true
}

fn stale_days() -> u32 {
    10
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityPolicy {
    /// Severities for which an architect-owned escalation must notify stakeholders (step 4).
    #[serde(default = "critical_high")]
    pub notify: Vec<String>,
    /// Severities whose escalations close as resolved with a closing review (step 6).
    #[serde(default = "critical_high")]
    pub review: Vec<String>,
}

fn critical_high() -> Vec<String> {
    vec!["critical".into(), "high".into()]
}

impl Default for SeverityPolicy {
    fn default() -> Self {
        SeverityPolicy {
            notify: critical_high(),
            review: critical_high(),
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
            people: BTreeMap::new(),
            raci: default_raci(),
            sponsors: BTreeMap::new(),
            manager_health_notices: true,
            stale_after_days: stale_days(),
            severities: crate::rules::targets::default_severities(),
            targets: BTreeMap::new(),
            id_prefix: None,
            id_prefix_from: None,
            repositories: Vec::new(),
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
            serde_saphyr::from_str_with_options(text, crate::model::document::yaml_options())
                .map_err(|e| {
                    let (line, column) = e
                        .location()
                        .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
                    Error::Config {
                        path: origin.to_string(),
                        line,
                        column,
                        message: crate::model::document::yaml_message(&e),
                    }
                })?;
        // A problem found after parsing: point at the line of the key it is about.
        let bad = |message: String| {
            let key = message
                .split([':', ' ', '.'])
                .next()
                .unwrap_or_default()
                .to_string();
            let line = text
                .lines()
                .position(|l| !key.is_empty() && l.starts_with(&format!("{key}:")))
                .map_or(1, |i| i + 1);
            Error::Config {
                path: origin.to_string(),
                line,
                column: 1,
                message,
            }
        };
        config.validate().map_err(bad)?;
        Ok(config)
    }

    /// `root/esc.yaml` as far as it is valid, and its problem if it has one: each top-level
    /// key that is valid on its own is kept, and what the rest would have given comes from
    /// the built-in defaults. For `esc check`, which reports the problem along with every
    /// file's instead of stopping at it.
    pub fn load_lenient(root: &Path) -> Result<(Config, Option<Error>)> {
        match Config::load(root) {
            Ok(config) => Ok((config, None)),
            Err(e @ Error::Config { .. }) => {
                let text = std::fs::read_to_string(root.join(FILE)).unwrap_or_default();
                Ok((Config::salvage(&text), Some(e)))
            }
            Err(e) => Err(e),
        }
    }

    /// The keys of `text` that are valid alone, over the defaults (all defaults when the
    /// text is not a YAML mapping, or the kept keys do not go together).
    fn salvage(text: &str) -> Config {
        use serde_json::{Map, Value};
        let of = |map: Map<String, Value>| -> Option<Config> {
            let config: Config = serde_json::from_value(Value::Object(map)).ok()?;
            config.validate().ok()?;
            Some(config)
        };
        let Ok(Value::Object(map)) = serde_saphyr::from_str_with_options::<Value>(
            text,
            crate::model::document::yaml_options(),
        ) else {
            return Config::default();
        };
        let good: Map<String, Value> = map
            .into_iter()
            .filter(|(k, v)| of(Map::from_iter([(k.clone(), v.clone())])).is_some())
            .collect();
        of(good).unwrap_or_default()
    }

    /// The rules serde cannot check: a real time zone, weekday names, known roles, people
    /// with addresses, a sound process. The message starts with the key it is about.
    fn validate(&self) -> std::result::Result<(), String> {
        self.tz()?;
        for d in &self.working_days {
            if !["mon", "tue", "wed", "thu", "fri", "sat", "sun"].contains(&d.as_str()) {
                return Err(format!(
                    "working_days: expected mon, tue, wed, thu, fri, sat or sun; found `{d}`"
                ));
            }
        }
        let role_problem = |at: &str, role: &str| {
            let hint = crate::model::diag::did_you_mean(role, ROLES)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            format!(
                "{at}: unknown role `{role}`; roles: {}{hint}",
                ROLES.join(", ")
            )
        };
        for role in self.people.keys() {
            if !ROLES.contains(&role.as_str()) {
                return Err(role_problem("people", role));
            }
        }
        for (segment, r) in &self.raci {
            let segment_ok = segment == "*"
                || segment
                    .strip_prefix('S')
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if !segment_ok {
                return Err(format!(
                    "raci: expected a segment such as S1500 (as in `segment:`), or \"*\" for every segment; found `{segment}`"
                ));
            }
            for (kind, roles) in [
                ("responsible", &r.responsible),
                ("accountable", &r.accountable),
                ("consulted", &r.consulted),
                ("informed", &r.informed),
            ] {
                for role in roles {
                    if !ROLES.contains(&role.as_str()) {
                        return Err(role_problem(&format!("raci.{segment}.{kind}"), role));
                    }
                }
            }
        }
        for (key, sev) in self
            .severity_policy
            .notify
            .iter()
            .map(|s| ("notify", s))
            .chain(self.severity_policy.review.iter().map(|s| ("review", s)))
        {
            if !self.severities.contains_key(sev) {
                let known: Vec<&str> = self.severities.keys().map(String::as_str).collect();
                let hint = crate::model::diag::did_you_mean(sev, known.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(format!(
                    "severity_policy.{key}: unknown severity `{sev}`; severities: {}{hint}",
                    known.join(", ")
                ));
            }
        }
        for (list, link) in &self.watch_lists {
            if !(link.starts_with("https://") || link.starts_with("http://")) {
                return Err(format!(
                    "watch_lists.{list}: expected a link (https://...); found `{link}`"
                ));
            }
        }
        for (role, people) in &self.people {
            for p in people {
                if crate::model::person::address(p).is_none() {
                    return Err(format!(
                        "people.{role}: `{p}` has no e-mail address; write `Name <address>`"
                    ));
                }
            }
        }
        crate::rules::targets::validate(&self.targets, &self.severities, &ROLES)?;
        if let Some(p) = &self.id_prefix
            && !crate::model::id::is_prefix(p)
        {
            return Err(format!(
                "id_prefix: expected an upper-case letter, then up to 7 upper-case letters or digits (EMEA, UK2); found `{p}`"
            ));
        }
        if let Some(m) = &self.id_prefix_from {
            if self.id_prefix.is_none() {
                return Err("id_prefix_from: goes with id_prefix, which is not set".into());
            }
            if crate::model::dates::parse(&format!("{m}-01")).is_none() || m.len() != 7 {
                return Err(format!(
                    "id_prefix_from: expected a month as YYYY-MM (2026-12); found `{m}`"
                ));
            }
        }
        for (i, r) in self.repositories.iter().enumerate() {
            if r.trim().is_empty() {
                return Err(format!(
                    "repositories: entry {} is empty; expected the path of a repository's clone",
                    i + 1
                ));
            }
            if self.repositories[..i].contains(r) {
                return Err(format!("repositories: `{r}` is listed twice"));
            }
        }
        if let Some(p) = &self.process
            && let Some(problem) = p.problems().into_iter().next()
        {
            return Err(format!("process: {problem}"));
        }
        Ok(())
    }

    pub fn tz(&self) -> std::result::Result<chrono_tz::Tz, String> {
        self.timezone.parse::<chrono_tz::Tz>().map_err(|_| {
            format!(
                "timezone: expected an IANA time zone such as `Europe/Berlin` or `UTC`; found `{}`",
                self.timezone
            )
        })
    }

    /// The RACI row for a segment (its own, else `"*"`, else empty).
    pub fn raci_for(&self, segment: &str) -> Raci {
        self.raci
            .get(segment)
            .or_else(|| self.raci.get("*"))
            .cloned()
            .unwrap_or_default()
    }

    /// The people in these roles, deduplicated, in order.
    pub fn people_in(&self, roles: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in roles {
            for p in self.people.get(r).into_iter().flatten() {
                if !out.contains(p) {
                    out.push(p.clone());
                }
            }
        }
        out
    }

    /// The targets for a severity (empty: not set yet), every fallback applied.
    pub fn target(&self, severity: &str) -> crate::rules::targets::Resolved {
        crate::rules::targets::resolve(&self.targets, severity)
    }

    /// The roles told of a breach of `target` on an escalation of `segment`: the target's,
    /// else the RACI row's informed roles (the Team Manager, then Regional Leadership).
    pub fn breach_roles(
        &self,
        target: &crate::rules::targets::Resolved,
        segment: &str,
    ) -> Vec<String> {
        target
            .tell
            .clone()
            .unwrap_or_else(|| self.raci_for(segment).informed)
    }

    /// Working days as weekday numbers, Monday = 0.
    pub fn working_day_numbers(&self) -> Vec<u32> {
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        self.working_days
            .iter()
            .filter_map(|d| names.iter().position(|n| n == d).map(|i| i as u32))
            .collect()
    }

    pub fn process(&self) -> Process {
        self.process.clone().unwrap_or_default()
    }

    /// Today's date in the team's time zone, unless `today` overrides it.
    pub fn today(&self, today: Option<chrono::NaiveDate>) -> chrono::NaiveDate {
        today.unwrap_or_else(|| crate::model::dates::today_in(self.tz().unwrap_or(chrono_tz::UTC)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published schema of esc.yaml names the keys and roles esc reads, no more, no less.
    #[test]
    fn the_schema_matches_the_config() {
        let schema: serde_json::Value = serde_json::from_str(SCHEMA).expect("schema is JSON");
        let keys: Vec<&str> = schema["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .map(String::as_str)
            .collect();
        let err = match Config::parse("no_such_key: 1\n", FILE) {
            Err(Error::Config { message, .. }) => message,
            other => panic!("expected a config error, got {other:?}"),
        };
        let expected = err.split("expected one of ").nth(1).expect("field list");
        let fields: Vec<&str> = expected.split(", ").collect();
        assert_eq!(keys, fields);
        let roles: Vec<&str> = schema["properties"]["people"]["properties"]
            .as_object()
            .expect("people")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(roles, ROLES);
        let raci_roles = &schema["properties"]["raci"]["additionalProperties"]["properties"]["informed"]
            ["items"]["enum"];
        assert_eq!(raci_roles, &serde_json::json!(ROLES));
    }

    #[test]
    fn unknown_keys_and_bad_zones_are_refused() {
        assert!(Config::parse("timezon: UTC\n", "esc.yaml").is_err());
        assert!(Config::parse("timezone: Mars/Olympus\n", "esc.yaml").is_err());
        let c = Config::parse("timezone: Europe/Berlin\n", "esc.yaml").expect("valid");
        assert_eq!(c.severity_policy.notify, ["critical", "high"]);
    }

    #[test]
    fn salvage_keeps_the_valid_keys() {
        let c = Config::salvage("timezon: UTC\ntimezone: Europe/Berlin\nstale_after_days: x\n");
        assert_eq!(c.timezone, "Europe/Berlin");
        assert_eq!(c.stale_after_days, 10);
        assert_eq!(Config::salvage("[not a mapping").timezone, "UTC");
    }
}
