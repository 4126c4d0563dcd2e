use std::path::{Path, PathBuf};

use super::build_options::BuildOptions;
use super::expand::{load_cells_with, project_root, Expanded};
use super::CliError;
use crate::model::Settings;
use crate::run::{HostFacts, RunOptions};
use crate::store::Store;

/// The matrix file and the `--only` selection, shared by the commands that read a matrix.
#[derive(clap::Args, Debug)]
pub struct MatrixArgs {
    /// Matrix file.
    #[arg(default_value = "matrix.kdl")]
    pub file: PathBuf,
    /// Keep only cells whose row name, scenario or id matches (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub only: Vec<String>,
}

/// Everything `bench run` and `bench smoke` need before touching Docker.
pub struct Session {
    pub expanded: Expanded,
    pub options: RunOptions,
    pub store: Store,
    pub host: HostFacts,
}

impl Session {
    pub fn prepare(matrix: &MatrixArgs, results: &Path, build: &BuildOptions, on_top: &Settings) -> Result<Session, CliError> {
        let expanded = load_cells_with(&matrix.file, &matrix.only, on_top)?;
        let root = project_root(&matrix.file);
        let mut options = RunOptions::new(root.clone(), matrix.file.display().to_string(), results);
        let matrix_dir = matrix.file.parent().map(Path::to_path_buf).unwrap_or_default();
        options.build = build.settings(&expanded.build, &matrix_dir)?;
        let store = Store::open(results).map_err(|e| CliError::other(format!("results directory {}: {e}", results.display()), None))?;
        let host = HostFacts::read(&root);
        Ok(Session { expanded, options, store, host })
    }

    /// The async runtime the Docker engine and the orchestrator run on.
    pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
        tokio::runtime::Runtime::new().map_err(|e| CliError::other(format!("cannot start the async runtime: {e}"), None))
    }
}
