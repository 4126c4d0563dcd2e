use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{ImageError, Templates};
use crate::matrix::{Inputs, files_digest};

/// The directory under `apps/` that every image holds whole.
const COMMON_DIR: &str = "common";
/// The directory under `apps/` of the launch scripts; an image holds only its server's one.
const SERVERS_DIR: &str = "servers";

/// The one rule for which files of a project root shape an image: `image_inputs` lists them,
/// `build_context` packs the `apps/` part of that list, and the matrix stage hashes it
/// through this type's `Inputs` implementation (one digest per app directory and launch
/// script, cached).
pub struct ImageInputs {
    root: PathBuf,
    cache: Mutex<HashMap<(String, Option<String>), String>>,
}

impl ImageInputs {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ImageInputs { root: root.into(), cache: Mutex::new(HashMap::new()) }
    }
}

impl Inputs for ImageInputs {
    /// The digest of `image_inputs`; for inputs that cannot be listed (app directory or
    /// launch script missing, unreadable) the digest of the error, so that expanding still
    /// works and the build reports the problem.
    fn digest(&self, app_dir: &str, script: Option<&str>) -> String {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let key = (app_dir.to_string(), script.map(str::to_string));
        let digest = cache.entry(key).or_insert_with(|| {
            // Templates, then the shared app directory, the launch script's, the app's own:
            // the layout of earlier versions, so that `files_digest` groups files as before.
            let apps = Path::new("apps");
            let dirs: Vec<PathBuf> = std::iter::once(PathBuf::from("dockerfiles"))
                .chain([COMMON_DIR, SERVERS_DIR, app_dir].iter().map(|dir| apps.join(dir)))
                .collect();
            match image_inputs(&self.root, app_dir, script) {
                Ok(files) => files_digest(&dirs, &files),
                Err(e) => {
                    let error = (PathBuf::from("error"), e.to_string().into_bytes());
                    files_digest(&[PathBuf::from("error")], &[error])
                }
            }
        });
        digest.clone()
    }
}

/// Every file an image of the app directory `app_dir` with the launch script `script` (a file
/// name in `apps/servers/`, `None` for a server started by a command) depends on, as (path
/// relative to the project root, bytes), sorted by path:
/// - the Dockerfile templates as `dockerfiles/<name>.j2` (the embedded copy where the root has
///   none, so the list always reflects what `render_dockerfile` uses);
/// - `apps/common/**`, `apps/<app_dir>/**` and `apps/servers/<script>` as `app_files` lists
///   them.
///
/// Not included: the cell's `ImageSpec`, hashed beside this list by the matrix stage (it holds
/// the rest of what shapes an image: base image, packages, apt options, set-up commands,
/// launch), and the build settings (CA bundle, pip index), which are properties of the host,
/// not of the image.
pub fn image_inputs(
    root: &Path,
    app_dir: &str,
    script: Option<&str>,
) -> Result<Vec<(PathBuf, Vec<u8>)>, ImageError> {
    let templates = Templates::load(root)?;
    let mut files: Vec<(PathBuf, Vec<u8>)> = templates
        .sources()
        .iter()
        .map(|(name, text)| (Path::new("dockerfiles").join(name), text.clone().into_bytes()))
        .collect();
    files.extend(app_files(root, app_dir, script)?);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// The files of `apps/common`, `apps/<app_dir>` and the launch script `apps/servers/<script>`
/// that go into the image, as (path relative to the root, bytes), sorted by path. The other
/// launch scripts stay out: they import only `common`, never each other, so the image's
/// script needs nothing else from `apps/servers`. Hidden files (`.*`) and Python caches
/// (`__pycache__`, `*.pyc`) stay out too: they are local state, not part of the app.
///
/// Fails with `AppDirMissing` when `apps/common` or `apps/<app_dir>` is not a directory, and
/// with `ScriptMissing` when `script` is not a plain file name of a file in `apps/servers`.
pub(crate) fn app_files(
    root: &Path,
    app_dir: &str,
    script: Option<&str>,
) -> Result<Vec<(PathBuf, Vec<u8>)>, ImageError> {
    let apps = root.join("apps");
    let mut files = Vec::new();
    for dir in [app_dir, COMMON_DIR] {
        let path = apps.join(dir);
        if dir.is_empty() || !path.is_dir() {
            return Err(ImageError::AppDirMissing {
                app_dir: dir.to_string(),
                root: root.to_path_buf(),
            });
        }
        walk(root, &path, &mut files)?;
    }
    if let Some(script) = script {
        files.push(launch_script(root, script)?);
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    // An app directory named like a shared one (`common`, `servers`) lists its files twice.
    files.dedup_by(|a, b| a.0 == b.0);
    Ok(files)
}

/// `apps/servers/<script>` as (path relative to the root, bytes).
fn launch_script(root: &Path, script: &str) -> Result<(PathBuf, Vec<u8>), ImageError> {
    let missing = || ImageError::ScriptMissing { script: script.to_string(), root: root.into() };
    // One plain name: a path (`../x.py`) would reach outside `apps/servers`.
    let plain = Path::new(script).file_name().is_some_and(|name| name == script);
    let relative = Path::new("apps").join(SERVERS_DIR).join(script);
    let path = root.join(&relative);
    if !plain || is_local_state(script) || !path.is_file() {
        return Err(missing());
    }
    let bytes = std::fs::read(&path).map_err(|source| ImageError::Read { path, source })?;
    Ok((relative, bytes))
}

/// Hidden files and Python caches: local state, in neither the image nor the hash.
fn is_local_state(name: &str) -> bool {
    name.starts_with('.') || name == "__pycache__" || name.ends_with(".pyc")
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<(), ImageError> {
    let read_err = |source| ImageError::Read { path: dir.to_path_buf(), source };
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).map_err(read_err)?.collect::<Result<_, _>>().map_err(read_err)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_local_state(&name) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out)?;
        } else {
            let bytes = std::fs::read(&path)
                .map_err(|source| ImageError::Read { path: path.clone(), source })?;
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            out.push((relative, bytes));
        }
    }
    Ok(())
}
