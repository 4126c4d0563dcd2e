use std::collections::HashMap;

use super::{CellResult, FailureKind};

/// What a resumed run does with one stored result (`Resume::of`; `bench run` drops the
/// results it measures again from the index with `ResultIndex::retain`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resume {
    /// Ok, N/A, or a failure kept: skip.
    Keep,
    /// A failure whose cause can pass (or any failure, when retrying failures): measure again.
    Retry(FailureKind),
    /// A deterministic failure, kept: skip (`--retry-failed` measures it again).
    KeepFailed(FailureKind),
}

impl Resume {
    /// What a resumed run does with a stored result: failures of a transient kind are
    /// measured again, deterministic ones only if `retry_failed`. Results stored before the
    /// kind was recorded are classified by their reason.
    pub fn of(result: &CellResult, retry_failed: bool) -> Resume {
        let kind = result
            .failure_kind
            .or_else(|| FailureKind::classify(result.outcome, result.reason.as_deref()));
        match kind {
            None => Resume::Keep,
            Some(kind) if retry_failed || kind.is_transient() => Resume::Retry(kind),
            Some(kind) => Resume::KeepFailed(kind),
        }
    }
}

/// The stored results of a directory by (cell hash, repetition), read once: answers "is this
/// cell measured already?" for every job of a resumed run without walking the directory
/// again (`Store::index`).
#[derive(Debug, Default)]
pub struct ResultIndex {
    by_key: HashMap<(String, u32), CellResult>,
}

impl ResultIndex {
    /// The index of `results`; of two results with the same key the first is kept.
    pub fn new(results: Vec<CellResult>) -> ResultIndex {
        let mut by_key = HashMap::with_capacity(results.len());
        for result in results {
            by_key.entry((result.hash.clone(), result.repetition)).or_insert(result);
        }
        ResultIndex { by_key }
    }

    /// The stored result of the cell with this hash and repetition.
    pub fn get(&self, hash: &str, repetition: u32) -> Option<&CellResult> {
        self.by_key.get(&(hash.to_string(), repetition))
    }

    /// Drops the results `keep` turns down, e.g. the failures a resumed run measures again.
    pub fn retain(&mut self, mut keep: impl FnMut(&CellResult) -> bool) {
        self.by_key.retain(|_, result| keep(result));
    }

    /// Every stored result, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &CellResult> {
        self.by_key.values()
    }

    pub fn contains(&self, hash: &str, repetition: u32) -> bool {
        self.get(hash, repetition).is_some()
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}
