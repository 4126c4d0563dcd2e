use std::path::Path;

use super::dockerfile::check_name;
use super::image_inputs::app_files;
use super::{BuildSettings, ImageError, Templates, render_dockerfile};
use crate::matrix::{Cell, Launch};

/// Path of the CA bundle inside the build context (and in the image).
pub const CA_BUNDLE_IN_CONTEXT: &str = "bench/ca.pem";

/// What an image is built from, independent of the engine that builds it: the rendered
/// Dockerfile and the files its `COPY` steps read. An engine lays them out as its builder
/// needs (Docker: one tar with the Dockerfile at its root).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildContext {
    /// The rendered Dockerfile.
    pub dockerfile: String,
    /// (path relative to the context root with `/` separators, content), sorted by path;
    /// files only: directories are implied by the paths.
    pub files: Vec<(String, Vec<u8>)>,
}

impl BuildContext {
    /// A context of a Dockerfile and files given in any order.
    pub fn new(dockerfile: impl Into<String>, mut files: Vec<(String, Vec<u8>)>) -> BuildContext {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        BuildContext { dockerfile: dockerfile.into(), files }
    }
}

/// The build context of `cell`'s image: the Dockerfile rendered with the templates of `root`
/// (see `Templates::load`), the files `app_files` lists for the cell's app directory and
/// launch script (`apps/common/**`, `apps/<app_dir>/**`, `apps/servers/<script>`), and
/// `bench/ca.pem` (a copy of `settings.ca_bundle`) when set. The same inputs give the same
/// context.
///
/// Fails when the app directory or the launch script is missing, the CA bundle cannot be
/// read, or the Dockerfile cannot be rendered.
pub fn build_context(
    cell: &Cell,
    settings: &BuildSettings,
    root: &Path,
) -> Result<BuildContext, ImageError> {
    let templates = Templates::load(root)?;
    let dockerfile = render_dockerfile(cell, settings, &templates)?;
    check_name(cell, "app directory", &cell.image.app_dir)?;
    let script = match &cell.image.launch {
        Launch::Script { script, .. } => Some(script.as_str()),
        Launch::Command { .. } => None,
    };
    let mut files: Vec<(String, Vec<u8>)> = app_files(root, &cell.image.app_dir, script)?
        .into_iter()
        .map(|(path, bytes)| (path.to_string_lossy().replace('\\', "/"), bytes))
        .collect();
    if let Some(ca) = &settings.ca_bundle {
        let bytes = std::fs::read(ca)
            .map_err(|source| ImageError::CaBundle { path: ca.clone(), source })?;
        files.push((CA_BUNDLE_IN_CONTEXT.to_string(), bytes));
    }
    Ok(BuildContext::new(dockerfile, files))
}
