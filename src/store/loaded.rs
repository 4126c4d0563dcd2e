use std::path::PathBuf;

use super::CellResult;

/// What `Store::load` found: every readable result, and every file it had to skip.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Results in a stable order: scenario, row, sweep, repetition, then file path.
    pub results: Vec<CellResult>,
    /// Files that look like results but could not be read; they are left untouched.
    pub skipped: Vec<SkippedFile>,
    /// Warnings about results that were read (a `schema_version` this bench does not know).
    pub warnings: Vec<String>,
}

impl Loaded {
    /// Prints every skipped file and warning on stderr, as `warning:` lines.
    pub fn warn(&self) {
        for skipped in &self.skipped {
            eprintln!("warning: {skipped}");
        }
        for warning in &self.warnings {
            eprintln!("warning: {warning}");
        }
    }
}

/// A result file that could not be read or parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedFile {
    pub path: PathBuf,
    /// Why, for a person (`expected value at line 1 column 1`).
    pub reason: String,
}

impl std::fmt::Display for SkippedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "skipped unreadable result file {}: {} (left in place; fix or move it away)",
            self.path.display(),
            self.reason
        )
    }
}
