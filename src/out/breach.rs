//! Target breaches of one open escalation: not validated, no step-4 decision, or too long in
//! one step, against the severity's targets in `esc.yaml`. Computed from the file and its
//! timeline at the moment of asking, in working days in the team's time zone; never stored.
//! A target already met is no breach, whenever it was met.

use crate::model::dates;
use crate::model::doc::At;
use crate::out::context::{Inputs, day_of};
use crate::timeline::Timeline;
use chrono::NaiveDate;
use serde_json::{Value, json};

/// One target missed and still open.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach {
    /// `validation`, `decision` or `step`.
    pub kind: &'static str,
    /// The step it is about (the current one).
    pub step: String,
    /// The target, in working days.
    pub target: u32,
    /// Working days so far.
    pub days: i64,
    /// The last day within the target.
    pub deadline: NaiveDate,
    /// The severity whose target it is (empty: the default).
    pub severity: String,
    /// Roles to tell.
    pub roles: Vec<String>,
    /// The people in those roles (`Name <address>`).
    pub tell: Vec<String>,
}

impl Breach {
    /// One line for people: what, how long, against which target.
    pub fn message(&self, step_name: &str) -> String {
        let of = if self.severity.is_empty() {
            "the default target".to_string()
        } else {
            format!("the {} target", self.severity)
        };
        match self.kind {
            "validation" => format!(
                "not validated with the customer {} working days after raising ({of}: {})",
                self.days, self.target
            ),
            "decision" => format!(
                "no step-4 decision {} working days after raising ({of}: {})",
                self.days, self.target
            ),
            _ => format!(
                "{} working days in {step_name} ({of}: at most {})",
                self.days, self.target
            ),
        }
    }

    pub fn to_json(&self, process: &crate::rules::process::Process) -> Value {
        let name = process
            .steps
            .iter()
            .find(|s| s.id == self.step)
            .map_or_else(|| self.step.clone(), |s| s.name.clone());
        json!({
            "kind": self.kind,
            "step": self.step,
            "target": self.target,
            "days": self.days,
            "deadline": self.deadline.to_string(),
            "severity": self.severity,
            "roles": self.roles,
            "tell": self.tell,
            "message": self.message(&name),
        })
    }
}

fn date(v: Option<&Value>) -> Option<NaiveDate> {
    dates::parse(v?.as_str()?)
}

/// The breaches of an open escalation as of `inputs.today`.
pub fn breaches(inputs: &Inputs<'_>, data: &Value, timeline: Option<&Timeline>) -> Vec<Breach> {
    let s = |p: &str| data.at(p).and_then(Value::as_str).unwrap_or_default();
    let step = s("/step");
    if step == inputs.process.closed {
        return Vec::new();
    }
    let severity = s("/severity");
    let target = inputs.config.target(severity);
    let roles = inputs.config.breach_roles(&target, s("/segment"));
    let tell = inputs.config.people_in(&roles);
    let wd = inputs.config.working_day_numbers();
    let today = inputs.today;
    let mut out = Vec::new();
    let mut check = |kind: &'static str, start: Option<NaiveDate>, n: u32| {
        let Some(start) = start else { return };
        let days = if wd.is_empty() {
            dates::days_between(start, today)
        } else {
            dates::working_days_between(start, today, &wd)
        };
        if days > i64::from(n) {
            out.push(Breach {
                kind,
                step: step.to_string(),
                target: n,
                days,
                deadline: inputs.after(start, n).unwrap_or(start),
                severity: severity.to_string(),
                roles: roles.clone(),
                tell: tell.clone(),
            });
        }
    };
    let raised = date(data.at("/raised/date"));
    if data.at("/validation/date").is_none() {
        check("validation", raised, target.validation_days);
    }
    if data.at("/stakeholders/decision").is_none() {
        check("decision", raised, target.decision_days);
    }
    // In the current step since the commit that entered it (a reopen or a move back starts
    // the count again).
    let entered = timeline
        .and_then(|t| t.entered.last())
        .filter(|e| e.step == step)
        .and_then(|e| day_of(inputs.tz, e.time));
    check("step", entered, target.step_days);
    out
}
