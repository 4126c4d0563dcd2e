use std::path::PathBuf;

use super::collapsed::Collapsed;
use super::flame_graph::differential_flame_graph;
use super::profile_store::{ProfileStore, write_whole};
use crate::store::Store;

/// What `bench compare` finds of one cell's profiles in the two results directories.
#[derive(Debug, Clone, PartialEq)]
pub enum ProfilePair {
    /// Profiled on both sides: the differential flame graph, written at this path.
    Graph(PathBuf),
    /// Profiled on one side only (`old` or `new`): nothing to compare it with.
    OneSide(&'static str),
    /// Profiled on neither side (or N/A on both, e.g. PyPy).
    Neither,
}

/// Differential flame graphs of the cells `bench compare` finds profiled (`bench profile`)
/// in both results directories, written under `out` as
/// `<scenario>/<row>/<old hash12>-<new hash12>.profile-diff.svg` (the layout of a results
/// directory: `Store::cell_dir`).
pub struct ProfileDiff<'a> {
    pub old: &'a Store,
    pub new: &'a Store,
    pub out: &'a Store,
}

impl ProfileDiff<'_> {
    /// The profiles of the cell `id` (`scenario`, row `name`) of the configuration `old` and
    /// `new` report (`None`: the cell is not on that side); with both, its differential
    /// flame graph is written. `Err`: a stored profile cannot be read, or the graph written.
    pub fn cell(
        &self,
        scenario: &str,
        name: &str,
        id: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> Result<ProfilePair, String> {
        let stacks = |store: &Store, hash: Option<&str>| -> Result<Option<Collapsed>, String> {
            let Some(hash) = hash else { return Ok(None) };
            Ok(ProfileStore::new(store).read(scenario, name, hash)?.and_then(|(_, stacks)| stacks))
        };
        let (old_stacks, new_stacks) = match (stacks(self.old, old)?, stacks(self.new, new)?) {
            (Some(old), Some(new)) => (old, new),
            (Some(_), None) => return Ok(ProfilePair::OneSide("old")),
            (None, Some(_)) => return Ok(ProfilePair::OneSide("new")),
            (None, None) => return Ok(ProfilePair::Neither),
        };
        let svg = differential_flame_graph(&old_stacks, &new_stacks, &format!("{id}: old → new"))?;
        let (old, new) = (short(old.unwrap_or_default()), short(new.unwrap_or_default()));
        let path = self.out.cell_dir(scenario, name).join(format!("{old}-{new}.profile-diff.svg"));
        write_whole(&path, &svg)?;
        Ok(ProfilePair::Graph(path))
    }
}

fn short(hash: &str) -> String {
    hash.chars().take(12).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::ProfileRecord;

    fn profile(store: &Store, hash: &str, stacks: Option<&str>) {
        let record = ProfileRecord::example(hash, stacks.is_none().then_some("PyPy"));
        let stacks = stacks.map(|text| Collapsed::parse(text).unwrap());
        ProfileStore::new(store)
            .write(&record, stacks.as_ref().map(|s| (s, &b"<svg/>"[..])))
            .unwrap();
    }

    #[test]
    fn a_graph_for_a_cell_profiled_on_both_sides_and_a_plain_answer_otherwise() {
        let dirs = [(); 3].map(|()| tempfile::tempdir().unwrap());
        let [old, new, out] = dirs.each_ref().map(|d| Store::open(d.path()).unwrap());
        let (h1, h2) = ("1111111111111111", "2222222222222222");
        profile(&old, h1, Some("main;cpu_work (cpu.py:9) 3\nmain;select 1\n"));
        profile(&new, h2, Some("main;cpu_work (cpu.py:9) 1\nmain;select 3\n"));
        let diff = ProfileDiff { old: &old, new: &new, out: &out };
        let cell = |old: Option<&str>, new: Option<&str>| {
            diff.cell("cpu", "flask-gunicorn", "flask-gunicorn/cpu", old, new).unwrap()
        };
        let expected =
            dirs[2].path().join("cpu/flask-gunicorn/111111111111-222222222222.profile-diff.svg");
        assert_eq!(cell(Some(h1), Some(h2)), ProfilePair::Graph(expected.clone()));
        let svg = std::fs::read_to_string(&expected).unwrap();
        assert!(svg.contains("flask-gunicorn/cpu: old → new") && svg.contains("cpu_work"));
        // The new side's configuration was not profiled, or the cell is not there at all.
        assert_eq!(cell(Some(h1), Some(h1)), ProfilePair::OneSide("old"));
        assert_eq!(cell(None, Some(h2)), ProfilePair::OneSide("new"));
        // N/A on both sides (PyPy): no profile either side.
        let h3 = "3333333333333333";
        profile(&old, h3, None);
        profile(&new, h3, None);
        assert_eq!(cell(Some(h3), Some(h3)), ProfilePair::Neither);
    }
}
