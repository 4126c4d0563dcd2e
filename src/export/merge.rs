use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::ExportError;
use super::sidecars::Sidecars;
use crate::store::{CellResult, SkippedFile, Store};

/// Merges results directories (one a shard) into one: every result is copied to the
/// output, a result already there identically is left as it is, and two different results
/// for one cell and execution stop the merge before anything is written, since keeping
/// either would hide a measurement. Everything else a directory holds (`Sidecars`: server
/// logs, profiles, superseded results, build logs) is copied to the same path, where the
/// output has none; a different file already there is kept and named.
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
    /// Other files (`Sidecars`) written to the output.
    pub files_copied: usize,
    /// Other files the output held already, identical.
    pub files_present: usize,
    /// Other files the output held with other bytes, kept: the path in the output, and the
    /// source whose copy was left out.
    pub files_differing: Vec<(PathBuf, PathBuf)>,
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
        let mut sidecars = Vec::new();
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
            sidecars.push(Sidecars::of(source, &self.output)?);
        }
        for result in &to_write {
            output.write(result)?;
        }
        merged.copied = to_write.len();
        for files in &sidecars {
            let done = files.copy_into(&self.output)?;
            merged.files_copied += done.copied;
            merged.files_present += done.present;
            let differing = done.differing.into_iter().map(|p| (p, files.root.clone()));
            merged.files_differing.extend(differing);
        }
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
