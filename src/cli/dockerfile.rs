use std::path::PathBuf;
use std::process::ExitCode;

use super::build_options::BuildOptions;
use super::expand::{load_cells_with, project_root};
use super::CliError;
use crate::image::{render_dockerfile, Templates};
use crate::model::Settings;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The row (or cell id) whose Dockerfile to print, e.g. `falcon-bjoern-pypy`.
    pub cell: String,
    /// Matrix file.
    #[arg(long, default_value = "matrix.kdl")]
    pub file: PathBuf,
    #[command(flatten)]
    pub build: BuildOptions,
}

pub fn execute(args: Args) -> Result<ExitCode, CliError> {
    let expanded = load_cells_with(&args.file, &[], &Settings::default())?;
    let Some(cell) = expanded.all.iter().find(|c| c.name == args.cell || c.id == args.cell) else {
        let names: Vec<&str> = expanded.all.iter().map(|c| c.name.as_str()).collect();
        let help = match crate::model::node_reader::did_you_mean(&args.cell, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "run `bench expand --format names` to list the rows".to_string(),
        };
        return Err(CliError::usage(format!("no row or cell is named `{}`", args.cell), Some(help)));
    };
    let root = project_root(&args.file);
    let matrix_dir = args.file.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    let settings = args.build.settings(&expanded.build, &matrix_dir)?;
    let templates = Templates::load(&root).map_err(|e| CliError::other(e.to_string(), None))?;
    let text = render_dockerfile(cell, &settings, &templates).map_err(|e| CliError::other(e.to_string(), None))?;
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
