//! The closing review (playbook step 6): a resolved escalation of a severity that
//! `severity_policy.review` names (default critical and high) closes with `closing.review`
//! (root cause, lessons, follow-ups). Asked of the move into `closed`, so escalations closed
//! before a team adopted the policy stay as they are.

use crate::model::diag::Issue;
use crate::model::doc::At;
use crate::model::doc::Doc;
use crate::rules::config::Config;

/// The problem of moving `old` to `new` when `new` closes as resolved without the review
/// its severity asks for.
pub fn on_close(config: &Config, old: &Doc, new: &Doc, closed: &str) -> Option<Issue> {
    let closing = old.str("/step") != Some(closed) && new.str("/step") == Some(closed);
    if !closing || new.str("/closing/outcome") != Some("resolved") {
        return None;
    }
    let severity = new.str("/severity")?;
    if !config.severity_policy.review.iter().any(|s| s == severity)
        || new.data.at("/closing/review").is_some()
    {
        return None;
    }
    Some(Issue {
        pointer: "/closing/review".into(),
        rule: "closing-review".into(),
        message: format!(
            "a `{severity}` escalation closes as resolved with a closing review \
             (severity_policy.review in esc.yaml): add `closing.review` with `root_cause` \
             (product-defect, configuration, capacity, third-party, process, documentation or \
             other) and `lessons`, and any `follow_ups` (what, owner, due)"
        ),
        expected: Some("closing.review".into()),
        found: Some("no closing.review".into()),
    })
}
