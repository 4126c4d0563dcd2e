use std::collections::HashMap;

use super::CellResult;

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
