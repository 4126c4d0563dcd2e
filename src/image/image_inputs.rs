use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{ImageError, Templates};
use crate::matrix::{Inputs, files_digest};

/// The shared directories under `apps/` that every image holds.
pub(crate) const SHARED_APP_DIRS: &[&str] = &["common", "servers"];

/// The one rule for which files of a project root shape an image: `image_inputs` lists them,
/// `build_context` packs the `apps/` part of that list, and the matrix stage hashes it
/// through this type's `Inputs` implementation (one digest per app directory, cached).
pub struct ImageInputs {
    root: PathBuf,
    cache: Mutex<HashMap<String, String>>,
}

impl ImageInputs {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ImageInputs { root: root.into(), cache: Mutex::new(HashMap::new()) }
    }
}

impl Inputs for ImageInputs {
    /// The digest of `image_inputs`; for an app directory that cannot be listed (missing,
    /// unreadable) the digest of the error, so that expanding still works and the build
    /// reports the problem.
    fn digest(&self, app_dir: &str) -> String {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let digest = cache.entry(app_dir.to_string()).or_insert_with(|| {
            // Templates, then the shared app directories, then the app's own.
            let apps = Path::new("apps");
            let dirs: Vec<PathBuf> = std::iter::once(PathBuf::from("dockerfiles"))
                .chain(SHARED_APP_DIRS.iter().chain([&app_dir]).map(|dir| apps.join(dir)))
                .collect();
            match image_inputs(&self.root, app_dir) {
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

/// Every file an image of the app directory `app_dir` depends on, as (path relative to the
/// project root, bytes), sorted by path:
/// - the Dockerfile templates as `dockerfiles/<name>.j2` (the embedded copy where the root has
///   none, so the list always reflects what `render_dockerfile` uses);
/// - `apps/common/**`, `apps/servers/**` and `apps/<app_dir>/**` as `app_files` lists them.
///
/// Not included: the cell's `ImageSpec`, hashed beside this list by the matrix stage (it holds
/// the rest of what shapes an image: base image, packages, apt options, set-up commands,
/// launch), and the build settings (CA bundle, pip index), which are properties of the host,
/// not of the image.
pub fn image_inputs(root: &Path, app_dir: &str) -> Result<Vec<(PathBuf, Vec<u8>)>, ImageError> {
    let templates = Templates::load(root)?;
    let mut files: Vec<(PathBuf, Vec<u8>)> = templates
        .sources()
        .iter()
        .map(|(name, text)| (Path::new("dockerfiles").join(name), text.clone().into_bytes()))
        .collect();
    files.extend(app_files(root, app_dir)?);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// The files of `apps/common`, `apps/servers` and `apps/<app_dir>` that go into the image, as
/// (path relative to the root, bytes), sorted by path. Hidden files (`.*`) and Python caches
/// (`__pycache__`, `*.pyc`) stay out: they are local state, not part of the app.
pub(crate) fn app_files(root: &Path, app_dir: &str) -> Result<Vec<(PathBuf, Vec<u8>)>, ImageError> {
    let apps = root.join("apps");
    let app_path = apps.join(app_dir);
    if app_dir.is_empty() || !app_path.is_dir() {
        return Err(ImageError::AppDirMissing {
            app_dir: app_dir.to_string(),
            root: root.to_path_buf(),
        });
    }
    let mut files = Vec::new();
    let mut dirs: Vec<&str> = SHARED_APP_DIRS.to_vec();
    if !dirs.contains(&app_dir) {
        dirs.push(app_dir);
    }
    for dir in dirs {
        let path = apps.join(dir);
        if !path.is_dir() {
            return Err(ImageError::AppDirMissing {
                app_dir: dir.to_string(),
                root: root.to_path_buf(),
            });
        }
        walk(root, &path, &mut files)?;
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<(), ImageError> {
    let read_err = |source| ImageError::Read { path: dir.to_path_buf(), source };
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).map_err(read_err)?.collect::<Result<_, _>>().map_err(read_err)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "__pycache__" || name.ends_with(".pyc") {
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
