//! What a valid escalation is in this repository: its config, the process (steps and moves),
//! the gathering schema, and the checks of one file and of one move.

/// Checks of one escalation file and of one move between two versions of it.
pub mod check;
/// Repository configuration (`esc.yaml`).
pub mod config;
/// What an id looks like here: the repository's prefix, and a schema that accepts it.
pub mod ids;
/// Steps, their order and the moves between them.
pub mod process;
/// The closing review a resolved escalation of a listed severity closes with.
pub mod review;
/// Who may own an escalation: the executive rule and the owner's role in `esc.yaml`.
pub mod roles;
/// The gathering schema: embedded default, repository override, versions.
pub mod schema;
/// Targets per severity, what each severity means, and the reading of a cadence.
pub mod targets;
