//! Errors that stop a command from running, and the one place that maps them to exit codes.

use std::path::PathBuf;

/// An error that stops a command from running. Problems in the data itself are not errors:
/// they are diagnostics (`model::diag`) and exit with code 1.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Config {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("schema {path}: {message}")]
    Schema { path: PathBuf, message: String },
    #[error("no escalation repository here: {0} (run `esc init`, or pass -C DIR)")]
    NoRepository(PathBuf),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Template(String),
    #[error("git: {0}")]
    Git(String),
    /// The data has a problem that the command cannot get past (exit 1, not 2).
    #[error("{0}")]
    Data(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// 1 when the data is at fault, 2 when the command could not run.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Data(_) | Error::Template(_) => 1,
            _ => 2,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
