//! Steps, their order and the moves between them: data, loaded from the embedded default or
//! the repository's `esc.yaml`. Pure functions: no I/O, no git.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The embedded default: the playbook's six steps, then `closed`.
pub const DEFAULT: &str = include_str!("process.yaml");

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Process {
    pub steps: Vec<Step>,
    pub closed: String,
    #[serde(default)]
    pub back: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub reopen: Vec<String>,
    pub outcomes: BTreeMap<String, Vec<String>>,
}

impl Default for Process {
    fn default() -> Self {
        // The embedded default is tested to parse (see tests below).
        serde_saphyr::from_str(DEFAULT).unwrap_or_else(|_| Process {
            steps: Vec::new(),
            closed: "closed".into(),
            back: BTreeMap::new(),
            reopen: Vec::new(),
            outcomes: BTreeMap::new(),
        })
    }
}

impl Process {
    /// Every step id including the closed state, in order.
    pub fn step_ids(&self) -> impl Iterator<Item = &str> {
        self.steps
            .iter()
            .map(|s| s.id.as_str())
            .chain(std::iter::once(self.closed.as_str()))
    }

    /// Position of a step in the order (closed last).
    pub fn index(&self, step: &str) -> Option<usize> {
        self.step_ids().position(|s| s == step)
    }

    /// Internal consistency: every step named in a move exists. Returns the problems.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.steps.is_empty() {
            out.push("the process has no steps".to_string());
        }
        let known = |s: &str| self.index(s).is_some();
        for (from, tos) in &self.back {
            for to in std::iter::once(from).chain(tos) {
                if !known(to) {
                    out.push(format!("`back` names unknown step `{to}`"));
                }
            }
            for to in tos {
                if self.index(to) >= self.index(from) {
                    out.push(format!("`back` from `{from}` to `{to}` is not a move back"));
                }
            }
        }
        for s in &self.reopen {
            if !known(s) || s == &self.closed {
                out.push(format!("`reopen` names `{s}`, which is not an open step"));
            }
        }
        for (outcome, froms) in &self.outcomes {
            for f in froms {
                if f != "*" && !known(f) {
                    out.push(format!(
                        "outcome `{outcome}` closes from unknown step `{f}`"
                    ));
                }
            }
        }
        out
    }

    /// Steps in one list and not the other, as messages (schema vs process agreement).
    pub fn disagreements(&self, schema_steps: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for s in self.step_ids() {
            if !schema_steps.iter().any(|x| x == s) {
                out.push(format!(
                    "step `{s}` is in the process but not in the schema's `step` enum"
                ));
            }
        }
        for s in schema_steps {
            if self.index(s).is_none() {
                out.push(format!(
                    "step `{s}` is in the schema's `step` enum but not in the process"
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_parses_and_is_consistent() {
        let p: Process = serde_saphyr::from_str(DEFAULT).expect("embedded process parses");
        assert_eq!(p.steps.len(), 6);
        assert!(p.problems().is_empty(), "{:?}", p.problems());
        assert_eq!(p.index("closed"), Some(6));
    }

    #[test]
    fn disagreement_is_reported_both_ways() {
        let p = Process::default();
        let mut steps: Vec<String> = p.step_ids().map(String::from).collect();
        steps.retain(|s| s != "management");
        steps.push("triage".into());
        let d = p.disagreements(&steps);
        assert_eq!(d.len(), 2, "{d:?}");
    }
}
