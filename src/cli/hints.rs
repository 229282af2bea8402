//! Completion hints: the values esc has built in for a flag (steps, severities, sources, notice
//! kinds...), offered by the shell completion scripts but never enforced by clap.
//!
//! A repository may extend these sets (its own schema, or a `process:` in esc.yaml), so clap
//! accepts any text here and the command checks it against the repository, with its own
//! message and exit code. Formats and shells are fixed by esc itself: they are `ValueEnum`s.

use crate::rules::process::Process;
use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use serde_json::Value;
use std::ffi::OsStr;
use std::sync::OnceLock;

/// A set of values esc knows for an argument, from the built-in schema, process or templates.
#[derive(Debug, Clone, Copy)]
pub enum Hint {
    Step,
    Severity,
    Type,
    OwnerRole,
    Source,
    MeetingKind,
    Outcome,
    Notice,
    Template,
}

fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(crate::rules::schema::EMBEDDED).unwrap_or_default())
}

fn process() -> &'static Process {
    static PROCESS: OnceLock<Process> = OnceLock::new();
    PROCESS.get_or_init(Process::default)
}

fn enum_at(pointer: &str) -> Vec<&'static str> {
    schema()
        .pointer(pointer)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

impl Hint {
    /// The built-in values, in the order the schema or process gives them.
    pub fn values(self) -> Vec<&'static str> {
        match self {
            Hint::Step => process().step_ids().collect(),
            Hint::Severity => enum_at("/properties/severity/enum"),
            Hint::Type => enum_at("/properties/gathering/properties/types/items/enum"),
            Hint::OwnerRole => enum_at("/properties/owner_role/enum"),
            Hint::Source => enum_at("/properties/raised/properties/source/enum"),
            Hint::MeetingKind => enum_at("/properties/meetings/items/properties/kind/enum"),
            Hint::Outcome => process().outcomes.keys().map(String::as_str).collect(),
            Hint::Notice => process().notices.keys().map(String::as_str).collect(),
            Hint::Template => crate::out::render::EMBEDDED
                .iter()
                .map(|(name, _)| *name)
                .collect(),
        }
    }
}

impl TypedValueParser for Hint {
    type Value = String;

    /// Any text (as `String` would take it): the command checks it against the repository.
    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    /// What the completion scripts offer.
    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.values().into_iter().map(PossibleValue::new)))
    }
}

#[cfg(test)]
mod tests {
    use super::Hint;

    #[test]
    fn every_hint_has_values() {
        for h in [
            Hint::Step,
            Hint::Severity,
            Hint::Type,
            Hint::OwnerRole,
            Hint::Source,
            Hint::MeetingKind,
            Hint::Outcome,
            Hint::Notice,
            Hint::Template,
        ] {
            assert!(h.values().len() >= 2, "{h:?}: {:?}", h.values());
        }
        assert!(Hint::Severity.values().contains(&"critical"));
        assert!(Hint::Notice.values().contains(&"stakeholders"));
        assert_eq!(Hint::Step.values().last(), Some(&"closed"));
    }
}
