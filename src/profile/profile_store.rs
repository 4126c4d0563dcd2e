use std::fs;
use std::path::{Path, PathBuf};

use super::collapsed::Collapsed;
use super::profile_record::ProfileRecord;
use crate::store::Store;

/// A cell's profile in its results directory, beside its results (`Store::profile_file`):
/// the record, the collapsed stacks and the flame graph, each written whole or not at all.
pub struct ProfileStore<'a> {
    store: &'a Store,
}

impl<'a> ProfileStore<'a> {
    pub fn new(store: &'a Store) -> Self {
        ProfileStore { store }
    }

    /// Writes the record, and with a profile its stacks and SVG; gives the record's path.
    /// An N/A record replaces stacks and graph a former profile of the cell left.
    pub fn write(
        &self,
        record: &ProfileRecord,
        profile: Option<(&Collapsed, &[u8])>,
    ) -> Result<PathBuf, String> {
        let stacks = self.path(record, "collapsed");
        let svg = self.path(record, "svg");
        match profile {
            Some((collapsed, graph)) => {
                write_whole(&stacks, collapsed.to_text().as_bytes())?;
                write_whole(&svg, graph)?;
            }
            None => {
                for stale in [&stacks, &svg] {
                    let _ = fs::remove_file(stale);
                }
            }
        }
        let json = self.path(record, "json");
        let mut bytes = serde_json::to_vec_pretty(record).map_err(|e| e.to_string())?;
        bytes.push(b'\n');
        write_whole(&json, &bytes)?;
        Ok(json)
    }

    /// The stored record and stacks of a cell, if it was profiled.
    pub fn read(
        &self,
        scenario: &str,
        name: &str,
        hash: &str,
    ) -> Result<Option<(ProfileRecord, Option<Collapsed>)>, String> {
        let json = self.store.profile_file(scenario, name, hash, "json");
        let text = match fs::read_to_string(&json) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", json.display())),
        };
        let record: ProfileRecord = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a profile record: {e}", json.display()))?;
        let stacks = self.store.profile_file(scenario, name, hash, "collapsed");
        let collapsed = match fs::read_to_string(&stacks) {
            Ok(text) => {
                Some(Collapsed::parse(&text).map_err(|e| format!("{}: {e}", stacks.display()))?)
            }
            Err(_) => None,
        };
        Ok(Some((record, collapsed)))
    }

    pub fn path(&self, record: &ProfileRecord, kind: &str) -> PathBuf {
        self.store.profile_file(&record.scenario, &record.name, &record.hash, kind)
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place.
pub(super) fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let parent = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let temp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    fs::write(&temp, bytes).and_then(|()| fs::rename(&temp, path)).map_err(|e| {
        let _ = fs::remove_file(&temp);
        format!("cannot write {}: {e}", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(na: Option<&str>) -> ProfileRecord {
        ProfileRecord::example("0123456789abcdef0123", na)
    }

    #[test]
    fn a_profile_is_kept_beside_the_cells_results_read_back_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let profiles = ProfileStore::new(&store);
        let collapsed = Collapsed::parse("a;cpu_work (cpu.py:3) 7\n").unwrap();
        let json = profiles.write(&record(None), Some((&collapsed, b"<svg/>"))).unwrap();
        assert_eq!(json, dir.path().join("cpu/flask-gunicorn/0123456789ab.profile.json"));
        let svg = dir.path().join("cpu/flask-gunicorn/0123456789ab.profile.svg");
        assert_eq!(fs::read(svg).unwrap(), b"<svg/>");
        let (read, stacks) =
            profiles.read("cpu", "flask-gunicorn", "0123456789abcdef0123").unwrap().unwrap();
        assert_eq!(read, record(None));
        assert_eq!(stacks.unwrap(), collapsed);
        // Not a result: loading the results directory skips it.
        assert!(store.load().unwrap().results.is_empty());
        assert!(store.load().unwrap().skipped.is_empty());
        // Another cell was never profiled.
        assert!(profiles.read("cpu", "flask-gunicorn", "ffff").unwrap().is_none());
        // Profiled again as N/A: no stale stacks or graph stay.
        profiles.write(&record(Some("PyPy")), None).unwrap();
        let (read, stacks) =
            profiles.read("cpu", "flask-gunicorn", "0123456789abcdef0123").unwrap().unwrap();
        assert_eq!(read.na.as_deref(), Some("PyPy"));
        assert!(stacks.is_none());
        assert!(!profiles.path(&read, "svg").exists());
    }
}
