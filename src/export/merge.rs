use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::ExportError;
use crate::store::{CellResult, SkippedFile, Store};

/// Merges results directories (one a shard) into one: every result is copied to the
/// output, a result already there identically is left as it is, and two different results
/// for one cell and execution stop the merge before anything is written, since keeping
/// either would hide a measurement.
#[derive(Debug)]
pub struct Merge {
    pub sources: Vec<PathBuf>,
    pub output: PathBuf,
}

/// What a merge did.
#[derive(Debug, Default, PartialEq)]
pub struct Merged {
    /// Results written to the output.
    pub copied: usize,
    /// Results the output held already, identical.
    pub present: usize,
    /// Results per source directory, in the order given.
    pub per_source: Vec<(PathBuf, usize)>,
    /// Files that look like results but could not be read; left where they are.
    pub skipped: Vec<SkippedFile>,
}

impl Merge {
    pub fn run(&self) -> Result<Merged, ExportError> {
        let output = Store::open(&self.output)?;
        let mut merged = Merged::default();
        // Where each (hash, execution) comes from: the output first, then each source.
        let mut seen: HashMap<(String, u32), (CellResult, PathBuf)> = HashMap::new();
        let mut to_write: Vec<CellResult> = Vec::new();
        if self.output.is_dir() {
            let existing = output.load()?;
            merged.skipped.extend(existing.skipped);
            for result in existing.results {
                seen.insert(key(&result), (result, self.output.clone()));
            }
        }
        for source in &self.sources {
            let loaded = Store::open(source)?.load()?;
            merged.skipped.extend(loaded.skipped);
            merged.per_source.push((source.clone(), loaded.results.len()));
            for result in loaded.results {
                match seen.get(&key(&result)) {
                    Some((kept, _)) if *kept == result => merged.present += 1,
                    Some((kept, from)) => {
                        return Err(conflict(kept, from, source));
                    }
                    None => {
                        seen.insert(key(&result), (result.clone(), source.clone()));
                        to_write.push(result);
                    }
                }
            }
        }
        for result in &to_write {
            output.write(result)?;
        }
        merged.copied = to_write.len();
        Ok(merged)
    }
}

fn key(result: &CellResult) -> (String, u32) {
    (result.hash.clone(), result.repetition)
}

fn conflict(kept: &CellResult, from: &Path, source: &Path) -> ExportError {
    ExportError::Conflict {
        id: kept.id.clone(),
        repetition: kept.repetition,
        first: from.to_path_buf(),
        second: source.to_path_buf(),
    }
}
