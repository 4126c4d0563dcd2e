use std::cell::RefCell;

use crate::store::{FailureKind, Resume};

/// What resuming decided about stored failures, for the line `bench run` prints before it
/// starts: which failures it measures again and which it keeps.
#[derive(Debug, Default)]
pub struct Resumed {
    retried: RefCell<Vec<FailureKind>>,
    kept: RefCell<Vec<FailureKind>>,
}

impl Resumed {
    /// Whether the job is skipped (the stored result is kept), noting failures on the way.
    pub fn keeps(&self, resume: Resume) -> bool {
        match resume {
            Resume::Keep => true,
            Resume::Retry(kind) => {
                self.retried.borrow_mut().push(kind);
                false
            }
            Resume::KeepFailed(kind) => {
                self.kept.borrow_mut().push(kind);
                true
            }
        }
    }

    /// The line, when a stored failure was seen.
    pub fn message(&self) -> Option<String> {
        let (retried, kept) = (self.retried.borrow(), self.kept.borrow());
        let mut parts = Vec::new();
        if !retried.is_empty() {
            parts.push(format!(
                "retrying {} stored failure(s) ({})",
                retried.len(),
                kinds(&retried)
            ));
        }
        if !kept.is_empty() {
            parts.push(format!(
                "keeping {} deterministic failure(s) ({}; --retry-failed measures them again)",
                kept.len(),
                kinds(&kept)
            ));
        }
        (!parts.is_empty()).then(|| format!("bench run: {}", parts.join("; ")))
    }

    pub fn print(&self) {
        if let Some(line) = self.message() {
            eprintln!("{line}");
        }
    }
}

/// `1 conflict, 2 engine`: how many of each kind, by kind name (the stored results are read
/// in no particular order).
fn kinds(list: &[FailureKind]) -> String {
    let mut counts: Vec<(FailureKind, usize)> = Vec::new();
    for kind in list {
        match counts.iter_mut().find(|(k, _)| k == kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((*kind, 1)),
        }
    }
    let name =
        |k: FailureKind| serde_json::to_value(k).ok().and_then(|v| v.as_str().map(String::from));
    let mut named: Vec<(String, usize)> =
        counts.iter().map(|(k, n)| (name(*k).unwrap_or_default(), *n)).collect();
    named.sort();
    named.iter().map(|(k, n)| format!("{n} {k}")).collect::<Vec<_>>().join(", ")
}
