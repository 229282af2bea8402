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
    /// Notice kinds and the step each may be drafted from.
    #[serde(default)]
    pub notices: BTreeMap<String, Notice>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// The first step at which the notice fits.
    pub from: String,
    /// Whether it still fits once closed.
    #[serde(default)]
    pub closed: bool,
}

impl Default for Process {
    /// The playbook's process, parsed once: commands ask for it per file, and parsing the
    /// YAML each time was a fifth of the weekly report's time.
    fn default() -> Self {
        static PARSED: std::sync::OnceLock<Process> = std::sync::OnceLock::new();
        PARSED
            .get_or_init(|| {
                // The embedded default is tested to parse (see tests below).
                serde_saphyr::from_str(DEFAULT).unwrap_or_else(|_| Process {
                    steps: Vec::new(),
                    closed: "closed".into(),
                    back: BTreeMap::new(),
                    reopen: Vec::new(),
                    outcomes: BTreeMap::new(),
                    notices: BTreeMap::new(),
                })
            })
            .clone()
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
        for (kind, n) in &self.notices {
            if !known(&n.from) {
                out.push(format!(
                    "notice `{kind}` starts at unknown step `{}`",
                    n.from
                ));
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

/// A move from one step to another, as the process allows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Move {
    /// Forward, possibly past several steps (each is entered by this change).
    Forward { from: String, to: String },
    /// Back to an earlier step; needs a reason.
    Back { from: String, to: String },
    /// From closed to an open step; needs a reason.
    Reopen { to: String },
    /// To the closed state with an outcome.
    Close { from: String, outcome: String },
}

impl Move {
    pub fn to<'a>(&'a self, process: &'a Process) -> &'a str {
        match self {
            Move::Forward { to, .. } | Move::Back { to, .. } | Move::Reopen { to } => to,
            Move::Close { .. } => &process.closed,
        }
    }

    /// Whether the rules ask for a reason (written to the front matter).
    pub fn needs_reason(&self) -> bool {
        matches!(self, Move::Back { .. } | Move::Reopen { .. })
            || matches!(self, Move::Close { outcome, .. } if outcome != "resolved")
    }
}

impl Process {
    fn suggest(&self, step: &str) -> String {
        let ids: Vec<&str> = self.step_ids().collect();
        let hint = crate::model::diag::did_you_mean(step, ids.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        format!("{hint}steps: {}", ids.join(", "))
    }

    /// Decides the move from `from` to `to` (default: the next step), or says why the
    /// process does not allow it.
    pub fn plan(
        &self,
        from: &str,
        to: Option<&str>,
        outcome: Option<&str>,
        reason: Option<&str>,
    ) -> Result<Move, Refusal> {
        let list = |v: &[String]| v.join(", ");
        let outcomes = || self.outcomes.keys().cloned().collect::<Vec<_>>().join(", ");
        let Some(from_i) = self.index(from) else {
            return Err(Refusal::UnknownFrom {
                from: from.into(),
                hint: self.suggest(from),
            });
        };
        let closed = self.closed.as_str();
        let to = match to {
            Some(t) => t,
            None if from == closed => {
                return Err(Refusal::ClosedNeedsTarget {
                    reopen: list(&self.reopen),
                });
            }
            None => self.step_ids().nth(from_i + 1).unwrap_or(closed),
        };
        let Some(to_i) = self.index(to) else {
            return Err(Refusal::UnknownStep {
                to: to.into(),
                hint: self.suggest(to),
            });
        };
        let has_reason = reason.is_some_and(|r| !r.trim().is_empty());
        if to == from {
            return Err(Refusal::AlreadyAt { to: to.into() });
        }
        let mv = if from == closed {
            if !self.reopen.iter().any(|s| s == to) {
                return Err(Refusal::ReopenNotTo {
                    to: to.into(),
                    reopen: list(&self.reopen),
                });
            }
            Move::Reopen { to: to.into() }
        } else if to == closed {
            let last = self.steps.last().map(|s| s.id.as_str());
            let outcome = match outcome {
                Some(o) => o,
                None if Some(from) == last && self.outcomes.contains_key("resolved") => "resolved",
                None => {
                    return Err(Refusal::NeedsOutcome {
                        outcomes: outcomes().replace(", ", "|"),
                    });
                }
            };
            let Some(froms) = self.outcomes.get(outcome) else {
                return Err(Refusal::UnknownOutcome {
                    outcome: outcome.into(),
                    outcomes: outcomes(),
                });
            };
            if !froms.iter().any(|f| f == "*" || f == from) {
                return Err(Refusal::OutcomeNotFrom {
                    outcome: outcome.into(),
                    froms: list(froms),
                    from: from.into(),
                });
            }
            Move::Close {
                from: from.into(),
                outcome: outcome.into(),
            }
        } else if to_i > from_i {
            Move::Forward {
                from: from.into(),
                to: to.into(),
            }
        } else {
            let allowed = self.back.get(from).map(Vec::as_slice).unwrap_or_default();
            if !allowed.iter().any(|s| s == to) {
                return Err(Refusal::BackNotAllowed {
                    from: from.into(),
                    to: to.into(),
                    allowed: if allowed.is_empty() {
                        String::new()
                    } else {
                        format!(" (allowed: {})", list(allowed))
                    },
                });
            }
            Move::Back {
                from: from.into(),
                to: to.into(),
            }
        };
        if mv.needs_reason() && !has_reason {
            return Err(Refusal::NeedsReason {
                from: from.into(),
                to: to.into(),
            });
        }
        Ok(mv)
    }
}

/// Why the process refuses a move. The text is for a person running `esc advance`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the escalation is at unknown step `{from}`; {hint}")]
    UnknownFrom { from: String, hint: String },
    #[error("it is closed; to reopen it: --to STEP --reason TEXT (STEP one of {reopen})")]
    ClosedNeedsTarget { reopen: String },
    #[error("unknown step `{to}`; {hint}")]
    UnknownStep { to: String, hint: String },
    #[error("it is already at step `{to}`")]
    AlreadyAt { to: String },
    #[error("a closed escalation can be reopened to {reopen} only, not to `{to}`")]
    ReopenNotTo { to: String, reopen: String },
    #[error("closing needs an outcome: --outcome {outcomes}")]
    NeedsOutcome { outcomes: String },
    #[error("unknown outcome `{outcome}`; outcomes: {outcomes}")]
    UnknownOutcome { outcome: String, outcomes: String },
    #[error("outcome `{outcome}` can close only from {froms}, and this escalation is at `{from}`")]
    OutcomeNotFrom {
        outcome: String,
        froms: String,
        from: String,
    },
    #[error("the process does not allow moving back from `{from}` to `{to}`{allowed}")]
    BackNotAllowed {
        from: String,
        to: String,
        allowed: String,
    },
    #[error(
        "moving from `{from}` to `{to}` needs a reason: --reason TEXT (it is written to the escalation)"
    )]
    NeedsReason { from: String, to: String },
}

impl Refusal {
    /// A step or outcome that does not exist: a bad argument, not a problem in the data.
    pub fn is_unknown_name(&self) -> bool {
        matches!(
            self,
            Refusal::UnknownStep { .. } | Refusal::UnknownOutcome { .. }
        )
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
    fn moves_follow_the_process() {
        let p = Process::default();
        let ok = |from: &str, to: Option<&str>, outcome: Option<&str>, reason: Option<&str>| {
            p.plan(from, to, outcome, reason)
        };
        type Case<'a> = (
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
            Result<Move, &'a str>,
        );
        let cases: [Case; 9] = [
            (
                "raised",
                None,
                None,
                None,
                Ok(Move::Forward {
                    from: "raised".into(),
                    to: "gathering".into(),
                }),
            ),
            (
                "raised",
                Some("management"),
                None,
                None,
                Ok(Move::Forward {
                    from: "raised".into(),
                    to: "management".into(),
                }),
            ),
            (
                "validation",
                Some("gathering"),
                None,
                None,
                Err("NeedsReason"),
            ),
            (
                "validation",
                Some("gathering"),
                None,
                Some("disputed"),
                Ok(Move::Back {
                    from: "validation".into(),
                    to: "gathering".into(),
                }),
            ),
            (
                "validation",
                Some("raised"),
                None,
                Some("x"),
                Err("BackNotAllowed"),
            ),
            (
                "resolution",
                None,
                None,
                None,
                Ok(Move::Close {
                    from: "resolution".into(),
                    outcome: "resolved".into(),
                }),
            ),
            (
                "gathering",
                Some("closed"),
                Some("resolved"),
                None,
                Err("OutcomeNotFrom"),
            ),
            (
                "gathering",
                Some("closed"),
                Some("withdrawn"),
                Some("customer withdrew"),
                Ok(Move::Close {
                    from: "gathering".into(),
                    outcome: "withdrawn".into(),
                }),
            ),
            (
                "closed",
                Some("management"),
                None,
                Some("fix did not hold"),
                Ok(Move::Reopen {
                    to: "management".into(),
                }),
            ),
        ];
        for (from, to, outcome, reason, want) in cases {
            let got = ok(from, to, outcome, reason);
            match (&got, &want) {
                (Ok(m), Ok(w)) => assert_eq!(m, w, "{from} -> {to:?}"),
                (Err(e), Err(w)) => assert!(
                    format!("{e:?}").starts_with(w),
                    "{from} -> {to:?}: {e:?}, want {w}"
                ),
                _ => panic!("{from} -> {to:?} {outcome:?} {reason:?}: {got:?}, want {want:?}"),
            }
        }
        assert!(matches!(
            ok("closed", None, None, None),
            Err(Refusal::ClosedNeedsTarget { .. })
        ));
        let unknown = ok("gathering", Some("gathring"), None, None).unwrap_err();
        assert!(unknown.is_unknown_name());
        assert!(unknown.to_string().contains("did you mean `gathering`"));
        assert!(matches!(
            ok("gathering", Some("gathering"), None, None),
            Err(Refusal::AlreadyAt { .. })
        ));
        assert!(
            ok("resolution", Some("closed"), Some("nope"), None)
                .unwrap_err()
                .is_unknown_name()
        );
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
