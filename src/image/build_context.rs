use std::path::Path;

use super::dockerfile::check_name;
use super::image_inputs::app_files;
use super::{BuildSettings, ImageError, Templates, render_dockerfile};
use crate::matrix::{Cell, Launch};

/// Path of the CA bundle inside the build context (and in the image).
pub const CA_BUNDLE_IN_CONTEXT: &str = "bench/ca.pem";

/// The build context of `cell`'s image as tar bytes: `Dockerfile` (rendered with the
/// templates of `root`, see `Templates::load`), `apps/common/**`, `apps/servers/**`,
/// `apps/<app_dir>/**`, and `bench/ca.pem` (a copy of `settings.ca_bundle`) when set.
/// Entries are sorted, with mtime 0, owner root and mode 0644 (0755 for directories), so the
/// same inputs give the same bytes.
///
/// Fails when the app directory or the launch script is missing, or the CA bundle cannot be
/// read.
pub fn build_context(cell: &Cell, settings: &BuildSettings, root: &Path) -> Result<Vec<u8>, ImageError> {
    let templates = Templates::load(root)?;
    let dockerfile = render_dockerfile(cell, settings, &templates)?;
    check_name(cell, "app directory", &cell.image.app_dir)?;
    let files = app_files(root, &cell.image.app_dir)?;
    if let Launch::Script { script, .. } = &cell.image.launch {
        let expected = Path::new("apps").join("servers").join(script);
        if !files.iter().any(|(path, _)| *path == expected) {
            return Err(ImageError::ScriptMissing { cell: cell.id.clone(), script: script.clone(), root: root.to_path_buf() });
        }
    }

    let mut builder = tar::Builder::new(Vec::new());
    builder.mode(tar::HeaderMode::Deterministic);
    append(&mut builder, "Dockerfile", dockerfile.as_bytes())?;
    let mut dirs_done: Vec<String> = Vec::new();
    for (path, bytes) in &files {
        let name = path.to_string_lossy().replace('\\', "/");
        // Directory entries first, so that the image gets 0755 directories.
        let mut prefix = String::new();
        for part in name.split('/').take(name.split('/').count() - 1) {
            prefix.push_str(part);
            prefix.push('/');
            if !dirs_done.contains(&prefix) {
                append_dir(&mut builder, &prefix)?;
                dirs_done.push(prefix.clone());
            }
        }
        append(&mut builder, &name, bytes)?;
    }
    if let Some(ca) = &settings.ca_bundle {
        let bytes = std::fs::read(ca).map_err(|source| ImageError::CaBundle { path: ca.clone(), source })?;
        append_dir(&mut builder, "bench/")?;
        append(&mut builder, CA_BUNDLE_IN_CONTEXT, &bytes)?;
    }
    builder.into_inner().map_err(ImageError::Pack)
}

fn append(builder: &mut tar::Builder<Vec<u8>>, name: &str, bytes: &[u8]) -> Result<(), ImageError> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_uid(0);
    header.set_gid(0);
    header.set_entry_type(tar::EntryType::Regular);
    builder.append_data(&mut header, name, bytes).map_err(ImageError::Pack)
}

fn append_dir(builder: &mut tar::Builder<Vec<u8>>, name: &str) -> Result<(), ImageError> {
    let mut header = tar::Header::new_gnu();
    header.set_size(0);
    header.set_mode(0o755);
    header.set_mtime(0);
    header.set_uid(0);
    header.set_gid(0);
    header.set_entry_type(tar::EntryType::Directory);
    builder.append_data(&mut header, name, std::io::empty()).map_err(ImageError::Pack)
}
