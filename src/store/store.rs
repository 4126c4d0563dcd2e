use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{CellResult, Loaded, ResultIndex, SkippedFile, StoreError};

/// The layout version of the results this bench writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// How the JSON record of a cell's profile ends (`profile::ProfileStore`); not a result.
pub const PROFILE_JSON: &str = ".profile.json";

/// A results directory: one JSON document per cell, scenario and repetition at
/// `DIR/<scenario>/<name>/<hash12>-r<repetition>.json`.
///
/// Writes are atomic (temporary file in the same directory, fsync, rename, fsync of the
/// directory): a reader sees either no file or a whole one. Nothing is ever deleted: a
/// result written over an existing, different one keeps the old file as
/// `<file>.superseded-<n>`. Directories from several machines merge by copying them
/// into one another: file names never clash unless they hold the same cell and
/// repetition.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Store {
    /// A store rooted at `dir`. Nothing is created until the first `write`; an existing
    /// path that is not a directory is an error.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Store, StoreError> {
        let dir = dir.into();
        if dir.exists() && !dir.is_dir() {
            return Err(StoreError::NotADirectory { dir });
        }
        Ok(Store { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where `result` is (or would be) stored.
    pub fn path_of(&self, result: &CellResult) -> PathBuf {
        self.cell_dir(&result.scenario, &result.name)
            .join(file_name(&result.hash, result.repetition))
    }

    /// The directory of a cell's results.
    pub fn cell_dir(&self, scenario: &str, name: &str) -> PathBuf {
        self.dir.join(component(scenario)).join(component(name))
    }

    /// A file of the cell's profile beside its results, keyed by its hash:
    /// `<hash12>.profile.<kind>` (`json`: the record, see `PROFILE_JSON`; `collapsed`: the
    /// stacks; `svg`: the flame graph), written by `bench profile`, linked by the report.
    pub fn profile_file(&self, scenario: &str, name: &str, hash: &str, kind: &str) -> PathBuf {
        let short: String = component(hash).chars().take(12).collect();
        self.cell_dir(scenario, name).join(format!("{short}.profile.{}", component(kind)))
    }

    /// Store one result atomically and durably; returns its path.
    pub fn write(&self, result: &CellResult) -> Result<PathBuf, StoreError> {
        let path = self.path_of(result);
        let parent = path.parent().expect("a result path has a parent");
        fs::create_dir_all(parent).map_err(|e| StoreError::io("create directory", parent, e))?;
        let mut bytes = serde_json::to_vec_pretty(result)
            .map_err(|source| StoreError::Encode { id: result.id.clone(), source })?;
        bytes.push(b'\n');

        let temp = parent.join(format!(
            ".{}.tmp-{}-{}",
            file_name(&result.hash, result.repetition),
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let written = write_synced(&temp, &bytes);
        if let Err(err) = written {
            let _ = fs::remove_file(&temp);
            return Err(err);
        }
        if let Err(err) = self.keep_previous(&path, &bytes) {
            let _ = fs::remove_file(&temp);
            return Err(err);
        }
        fs::rename(&temp, &path).map_err(|e| {
            let _ = fs::remove_file(&temp);
            StoreError::io("rename into place", &path, e)
        })?;
        sync_dir(parent)?;
        Ok(path)
    }

    /// Keeps the full server log of `result`'s cell beside it, as
    /// `<hash12>-r<repetition>.server.log` (a failed or invalid cell carries only the tail in
    /// its result); returns its path.
    pub fn write_log(&self, result: &CellResult, log: &str) -> Result<PathBuf, StoreError> {
        let path = self.path_of(result).with_extension("server.log");
        let parent = path.parent().expect("a result path has a parent");
        fs::create_dir_all(parent).map_err(|e| StoreError::io("create directory", parent, e))?;
        write_synced(&path, log.as_bytes())?;
        Ok(path)
    }

    /// An existing file at `path` with other content is renamed aside, never overwritten.
    fn keep_previous(&self, path: &Path, new_bytes: &[u8]) -> Result<(), StoreError> {
        match fs::read(path) {
            Ok(old) if old == new_bytes => Ok(()),
            Ok(_) => {
                let aside = (1..)
                    .map(|n| path.with_extension(format!("json.superseded-{n}")))
                    .find(|p| !p.exists())
                    .expect("an unused name exists");
                fs::rename(path, &aside)
                    .map_err(|e| StoreError::io("keep the previous result", path, e))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io("read the previous result", path, e)),
        }
    }

    /// Every readable result under the directory (any depth), in a stable order; files that
    /// cannot be read are listed in `skipped` and left in place, and JSON documents that are
    /// not results (a report saved inside the directory) are left out.
    pub fn load(&self) -> Result<Loaded, StoreError> {
        if !self.dir.exists() {
            return Err(StoreError::Missing { dir: self.dir.clone() });
        }
        let mut files = Vec::new();
        collect_json_files(&self.dir, &mut files)?;
        files.sort();
        let mut loaded = Loaded::default();
        // Copies of one result (merged directories) are kept once; only results of the same
        // cell and repetition can be equal, so only those are compared.
        let mut same_key: HashMap<(String, u32), Vec<usize>> = HashMap::new();
        for path in files {
            match read_result(&path) {
                Ok(None) => {}
                Ok(Some(result)) => {
                    if result.schema_version != SCHEMA_VERSION {
                        loaded.warnings.push(format!(
                            "{} has schema_version {} (this bench reads {SCHEMA_VERSION}): \
                             fields it does not know are ignored; a newer bench reads it fully",
                            path.display(),
                            result.schema_version
                        ));
                    }
                    let key = (result.hash.clone(), result.repetition);
                    let seen = same_key.entry(key).or_default();
                    if !seen.iter().any(|&i| loaded.results[i] == result) {
                        seen.push(loaded.results.len());
                        loaded.results.push(result);
                    }
                }
                Err(reason) => loaded.skipped.push(SkippedFile { path, reason }),
            }
        }
        loaded.results.sort_by(|a, b| {
            (a.scenario_index, &a.scenario, a.row_index, &a.name, &a.sweep, a.repetition, &a.hash)
                .cmp(&(
                    b.scenario_index,
                    &b.scenario,
                    b.row_index,
                    &b.name,
                    &b.sweep,
                    b.repetition,
                    &b.hash,
                ))
        });
        Ok(loaded)
    }

    /// Every readable result; each unreadable file is reported on stderr as a warning
    /// (use `load` to handle them yourself).
    pub fn load_all(&self) -> Result<Vec<CellResult>, StoreError> {
        let loaded = self.load()?;
        loaded.warn();
        Ok(loaded.results)
    }

    /// Every readable result by (hash, repetition), read in one walk of the directory
    /// (empty when it does not exist yet): `bench run` asks it which cells to skip when
    /// resuming. Unreadable files are left out, so their cells are measured again.
    pub fn index(&self) -> Result<ResultIndex, StoreError> {
        match self.load() {
            Ok(loaded) => {
                loaded.warn();
                Ok(ResultIndex::new(loaded.results))
            }
            Err(StoreError::Missing { .. }) => Ok(ResultIndex::default()),
            Err(e) => Err(e),
        }
    }

    /// The stored result of the cell with this hash and repetition, if a readable one
    /// exists. Reads the whole directory: to ask about many cells, use `index` once.
    pub fn find(&self, hash: &str, repetition: u32) -> Option<CellResult> {
        self.index().ok()?.get(hash, repetition).cloned()
    }
}

/// `<hash12>-r<repetition>.json`.
fn file_name(hash: &str, repetition: u32) -> String {
    let short: String = component(hash).chars().take(12).collect();
    format!("{short}-r{repetition}.json")
}

/// A path component that cannot escape the directory or clash with temporary files.
fn component(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=' | ',') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() || cleaned.starts_with('.') { format!("_{cleaned}") } else { cleaned }
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut file = File::create(path).map_err(|e| StoreError::io("create", path, e))?;
    file.write_all(bytes).map_err(|e| StoreError::io("write", path, e))?;
    file.sync_all().map_err(|e| StoreError::io("flush to disk", path, e))
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| StoreError::io("flush directory", dir, e))
}

/// Candidate result files: `*.json` not starting with `.` (temporary files do) and not a
/// cell's profile (`*.profile.json`, kept beside its results by `bench profile`). Other JSON
/// saved in the directory is told apart by content, in `read_result`.
fn collect_json_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), StoreError> {
    let entries = fs::read_dir(dir).map_err(|e| StoreError::io("list", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io("list", dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(|e| StoreError::io("inspect", &path, e))?;
        if kind.is_dir() {
            collect_json_files(&path, out)?;
        } else if name.ends_with(".json") && !name.ends_with(PROFILE_JSON) {
            out.push(path);
        }
    }
    Ok(())
}

/// The result `path` holds; `None` for a JSON document that is not one (a `bench report
/// --format json` or `bench expand --format json` output saved in the directory, anything
/// without a top-level `schema_version`), which is left out quietly; an error for a file
/// that should be a result and cannot be read (truncated, damaged, not JSON).
fn read_result(path: &Path) -> Result<Option<CellResult>, String> {
    let bytes = fs::read(path).map_err(|e| e.to_string())?;
    match serde_json::from_slice(&bytes) {
        Ok(result) => Ok(Some(result)),
        Err(e) if e.classify() == serde_json::error::Category::Data && !versioned(&bytes) => {
            Ok(None)
        }
        Err(e) => Err(format!("not a bench result: {e}")),
    }
}

/// Whether a well-formed JSON document is an object with a `schema_version`, as every
/// stored result has had since the first.
fn versioned(bytes: &[u8]) -> bool {
    // Keys only (serde would also read a struct from an array, so no struct here).
    serde_json::from_slice::<HashMap<String, serde::de::IgnoredAny>>(bytes)
        .is_ok_and(|fields| fields.contains_key("schema_version"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_schema_version_is_read_with_a_warning() {
        let fixture = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/results-mixed/io/falcon-gunicorn/a00ec0c693c2-r1.json"
        );
        let mut value: serde_json::Value =
            serde_json::from_slice(&fs::read(fixture).unwrap()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("known.json"), value.to_string()).unwrap();
        value["schema_version"] = (SCHEMA_VERSION + 1).into();
        fs::write(dir.path().join("newer.json"), value.to_string()).unwrap();
        let loaded = Store::open(dir.path()).unwrap().load().unwrap();
        assert_eq!(loaded.results.len(), 2);
        assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
        assert!(loaded.warnings[0].contains("newer.json has schema_version 2"));
    }
}
