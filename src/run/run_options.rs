use std::path::{Path, PathBuf};

use super::knobs::Knobs;
use crate::image::BuildSettings;
use crate::load::HttpClient;

/// How a run behaves, beyond the cells' own settings.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Project root: `apps/` and `dockerfiles/` live here.
    pub root: PathBuf,
    /// The matrix file, as recorded in provenance.
    pub matrix_file: String,
    /// How this host builds images (CA bundle, pip index).
    pub build: BuildSettings,
    /// Where build logs go.
    pub logs_dir: PathBuf,
    /// The load generator's HTTP/1.1 client (recorded in each result's generator line).
    pub client: HttpClient,
    /// Primer, readiness, sampling and verification settings.
    pub knobs: Knobs,
}

impl RunOptions {
    /// The defaults, with build logs under `results/logs`.
    pub fn new(root: PathBuf, matrix_file: String, results: &Path) -> RunOptions {
        RunOptions {
            root,
            matrix_file,
            build: BuildSettings::default(),
            logs_dir: results.join("logs"),
            client: HttpClient::default(),
            knobs: Knobs::default(),
        }
    }
}
