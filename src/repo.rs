//! The only user of git2: discover, init (and, later, read history and commit).

use crate::error::{Error, Result};
use std::path::Path;

/// Makes `dir` a git repository unless it is already inside one. Returns whether it did.
pub fn init(dir: &Path) -> Result<bool> {
    if git2::Repository::discover(dir).is_ok() {
        return Ok(false);
    }
    git2::Repository::init(dir).map_err(|e| Error::Git(e.message().to_string()))?;
    Ok(true)
}
