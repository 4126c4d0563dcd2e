use std::path::{Path, PathBuf};

use super::{ImageError, Templates};

/// The shared directories under `apps/` that every image holds.
pub(crate) const SHARED_APP_DIRS: &[&str] = &["common", "servers"];

/// Every file an image of the app directory `app_dir` depends on, as (path relative to the
/// project root, bytes), sorted by path:
/// - the Dockerfile templates as `dockerfiles/<name>.j2` (the embedded copy where the root has
///   none, so the list always reflects what `render_dockerfile` uses);
/// - `apps/common/**`, `apps/servers/**` and `apps/<app_dir>/**`.
///
/// Python caches (`__pycache__`, `*.pyc`) and hidden files are left out, as `build_context`
/// leaves them out. Not included: the cell's `ImageSpec` (hash it separately) and the build
/// settings (CA bundle, pip index), which are properties of the host, not of the image.
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

/// The files of `apps/common`, `apps/servers` and `apps/<app_dir>` as (path relative to the
/// root, bytes), sorted by path.
pub(crate) fn app_files(root: &Path, app_dir: &str) -> Result<Vec<(PathBuf, Vec<u8>)>, ImageError> {
    let apps = root.join("apps");
    let app_path = apps.join(app_dir);
    if app_dir.is_empty() || !app_path.is_dir() {
        return Err(ImageError::AppDirMissing { app_dir: app_dir.to_string(), root: root.to_path_buf() });
    }
    let mut files = Vec::new();
    let mut dirs: Vec<&str> = SHARED_APP_DIRS.to_vec();
    if !dirs.contains(&app_dir) {
        dirs.push(app_dir);
    }
    for dir in dirs {
        let path = apps.join(dir);
        if !path.is_dir() {
            return Err(ImageError::AppDirMissing { app_dir: dir.to_string(), root: root.to_path_buf() });
        }
        walk(root, &path, &mut files)?;
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<(), ImageError> {
    let read_err = |source| ImageError::Read { path: dir.to_path_buf(), source };
    let mut entries: Vec<_> = std::fs::read_dir(dir).map_err(read_err)?.collect::<Result<_, _>>().map_err(read_err)?;
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
            let bytes = std::fs::read(&path).map_err(|source| ImageError::Read { path: path.clone(), source })?;
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            out.push((relative, bytes));
        }
    }
    Ok(())
}
