use std::path::{Path, PathBuf};

use super::CliError;
use super::build_options::BuildOptions;
use super::expanded::{Expanded, ONLY_HELP, project_root};
use crate::matrix::Cell;
use crate::model::Settings;
use crate::run::{HostFacts, RunOptions};
use crate::store::Store;

/// The matrix file, taken the same way (an optional positional argument) by every command
/// that reads one.
#[derive(clap::Args, Debug)]
pub struct MatrixFile {
    /// Matrix file.
    #[arg(value_name = "FILE", default_value = "matrix.kdl")]
    pub path: PathBuf,
}

/// The matrix file and the `--only` selection, shared by the commands that expand a matrix.
#[derive(clap::Args, Debug)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub file: MatrixFile,
    /// Keep only matching cells (repeatable; see --help for how patterns combine).
    #[arg(long, value_name = "GLOB", long_help = ONLY_HELP)]
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
    pub fn prepare(
        matrix: &MatrixArgs,
        results: &Path,
        build: &BuildOptions,
        on_top: &Settings,
    ) -> Result<Session, CliError> {
        let file = &matrix.file.path;
        let expanded = Expanded::load(file, &matrix.only, on_top)?;
        let root = project_root(file);
        let mut options = RunOptions::new(root.clone(), file.display().to_string(), results);
        let matrix_dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        options.build = build.settings(&expanded.build, &matrix_dir)?;
        let store = Store::open(results).map_err(|e| {
            CliError::other(format!("results directory {}: {e}", results.display()), None)
        })?;
        let host = HostFacts::read(&root);
        Ok(Session { expanded, options, store, host })
    }

    /// The async runtime the Docker engine and the orchestrator run on.
    pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
        tokio::runtime::Runtime::new()
            .map_err(|e| CliError::other(format!("cannot start the async runtime: {e}"), None))
    }
}

/// The images the engine's CPUs may be probed with (`engine::EngineFacts::read` takes the
/// first one present): the cells' base images, which their builds need anyway, each once.
pub fn base_images(cells: &[Cell]) -> Vec<&str> {
    let mut images: Vec<&str> = Vec::new();
    for image in cells.iter().map(|cell| cell.image.base_image.as_str()) {
        if !images.contains(&image) {
            images.push(image);
        }
    }
    images
}
