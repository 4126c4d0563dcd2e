use std::fs;
use std::path::{Path, PathBuf};

use crate::store::{PROFILE_JSON, StoreError};

/// The files a results directory holds besides its results, by their path inside it: what a
/// cell stored next to its result (the server log `*.server.log`, its profile
/// `<hash12>.profile.*`, a superseded result `*.json.superseded-N`) and the build logs under
/// `logs/`. Results merge by content (`Merge`); hidden files (temporary files, the run
/// lock) belong to the run that made them and are left out.
#[derive(Debug, Default, PartialEq)]
pub struct Sidecars {
    pub root: PathBuf,
    /// Paths relative to `root`, sorted.
    pub files: Vec<PathBuf>,
}

/// What copying the sidecars of one directory did.
#[derive(Debug, Default, PartialEq)]
pub struct SidecarsCopied {
    pub copied: usize,
    /// Already in the output with the same bytes.
    pub present: usize,
    /// In the output with other bytes (a profile made again on another machine): the
    /// output's copy is kept.
    pub differing: Vec<PathBuf>,
}

impl Sidecars {
    /// The sidecar files under `root`, at any depth, but for those under `output` (a merge's
    /// output inside a source: each merge again would otherwise copy the output into itself,
    /// one level deeper each time).
    pub fn of(root: &Path, output: &Path) -> Result<Sidecars, StoreError> {
        let mut files = Vec::new();
        let output = fs::canonicalize(output).ok();
        collect(root, Path::new(""), output.as_deref(), &mut files)?;
        files.sort();
        Ok(Sidecars { root: root.to_path_buf(), files })
    }

    /// Copies each file to the same path under `output` where the output has none.
    pub fn copy_into(&self, output: &Path) -> Result<SidecarsCopied, StoreError> {
        let mut done = SidecarsCopied::default();
        for relative in &self.files {
            let (from, to) = (self.root.join(relative), output.join(relative));
            let bytes = fs::read(&from).map_err(|e| StoreError::io("read", &from, e))?;
            match fs::read(&to) {
                Ok(there) if there == bytes => done.present += 1,
                Ok(_) => done.differing.push(relative.clone()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if let Some(dir) = to.parent() {
                        fs::create_dir_all(dir)
                            .map_err(|e| StoreError::io("create directory", dir, e))?;
                    }
                    fs::write(&to, &bytes).map_err(|e| StoreError::io("write", &to, e))?;
                    done.copied += 1;
                }
                Err(e) => return Err(StoreError::io("read", &to, e)),
            }
        }
        Ok(done)
    }
}

/// Whether a file name is a result, which `store::Store` reads (the same rule).
fn is_result(name: &str) -> bool {
    name.ends_with(".json") && !name.ends_with(PROFILE_JSON)
}

fn collect(
    root: &Path,
    relative: &Path,
    skip: Option<&Path>,
    out: &mut Vec<PathBuf>,
) -> Result<(), StoreError> {
    let dir = root.join(relative);
    for entry in fs::read_dir(&dir).map_err(|e| StoreError::io("list", &dir, e))? {
        let entry = entry.map_err(|e| StoreError::io("list", &dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = relative.join(&name);
        let kind = entry.file_type().map_err(|e| StoreError::io("inspect", entry.path(), e))?;
        if kind.is_dir() {
            if skip.is_some_and(|skip| fs::canonicalize(entry.path()).is_ok_and(|d| d == skip)) {
                continue;
            }
            collect(root, &path, skip, out)?;
        } else if kind.is_file() && !is_result(&name) {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_but_results_and_hidden_files_is_a_sidecar_and_copies_once() {
        let dir = tempfile::tempdir().unwrap();
        let (source, output) = (dir.path().join("a"), dir.path().join("out"));
        let cell = source.join("hello/flask");
        fs::create_dir_all(&cell).unwrap();
        fs::create_dir_all(source.join("logs")).unwrap();
        for (name, text) in [
            ("hello/flask/0123456789ab-r1.json", "{}"),
            ("hello/flask/0123456789ab-r1.server.log", "log"),
            ("hello/flask/0123456789ab.profile.json", "{}"),
            ("hello/flask/0123456789ab.profile.svg", "<svg/>"),
            ("hello/flask/0123456789ab-r1.json.superseded-1", "{}"),
            ("hello/flask/.0123456789ab-r1.json.tmp-1-2", "half"),
            (".bench-run.lock", "pid"),
            ("logs/bench-flask.build.log", "built"),
        ] {
            fs::write(source.join(name), text).unwrap();
        }
        let sidecars = Sidecars::of(&source, &output).unwrap();
        let names: Vec<String> =
            sidecars.files.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        assert_eq!(
            names,
            [
                "hello/flask/0123456789ab-r1.json.superseded-1",
                "hello/flask/0123456789ab-r1.server.log",
                "hello/flask/0123456789ab.profile.json",
                "hello/flask/0123456789ab.profile.svg",
                "logs/bench-flask.build.log",
            ]
        );
        let first = sidecars.copy_into(&output).unwrap();
        assert_eq!((first.copied, first.present), (5, 0));
        assert_eq!(fs::read_to_string(output.join("logs/bench-flask.build.log")).unwrap(), "built");
        fs::write(source.join("hello/flask/0123456789ab.profile.svg"), "<svg>again</svg>").unwrap();
        let again = sidecars.copy_into(&output).unwrap();
        assert_eq!((again.copied, again.present), (0, 4));
        assert_eq!(again.differing, [PathBuf::from("hello/flask/0123456789ab.profile.svg")]);
        let kept = fs::read_to_string(output.join("hello/flask/0123456789ab.profile.svg"));
        assert_eq!(kept.unwrap(), "<svg/>", "the output's copy is kept");
    }

    #[test]
    fn an_output_inside_the_source_is_not_a_sidecar_of_it() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("a");
        let output = source.join("out");
        fs::create_dir_all(source.join("logs")).unwrap();
        fs::create_dir_all(output.join("logs")).unwrap();
        fs::write(source.join("logs/bench-flask.build.log"), "built").unwrap();
        fs::write(output.join("logs/bench-flask.build.log"), "built").unwrap();
        // Named as a user may name it: through the source, relative parts and all.
        let named = source.join("logs/../out");
        for _ in 0..2 {
            let sidecars = Sidecars::of(&source, &named).unwrap();
            assert_eq!(sidecars.files, [PathBuf::from("logs/bench-flask.build.log")]);
            sidecars.copy_into(&output).unwrap();
        }
        assert!(!output.join("out").exists(), "the output was copied into itself");
    }
}
