use std::process::ExitCode;

use super::CliError;
use super::build_options::BuildOptions;
use super::expanded::{Expanded, project_root};
use super::session::MatrixFile;
use crate::image::{Templates, render_dockerfile};
use crate::model::Settings;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The row (or cell id) whose Dockerfile to print, e.g. `falcon-bjoern-pypy`.
    pub cell: String,
    #[command(flatten)]
    pub matrix: MatrixFile,
    #[command(flatten)]
    pub build: BuildOptions,
}

pub fn execute(args: Args) -> Result<ExitCode, CliError> {
    let file = &args.matrix.path;
    let expanded = Expanded::load(file, &[], &Settings::default())?;
    let Some(cell) = expanded.all.iter().find(|c| c.name == args.cell || c.id == args.cell) else {
        let names: Vec<&str> = expanded.all.iter().map(|c| c.name.as_str()).collect();
        let help = match crate::model::node_reader::did_you_mean(&args.cell, names.iter().copied())
        {
            Some(s) => format!("did you mean `{s}`?"),
            None => "run `bench expand --format names` to list the rows".to_string(),
        };
        return Err(CliError::usage(
            format!("no row or cell is named `{}`", args.cell),
            Some(help),
        ));
    };
    let matrix_dir = file.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    let settings = args.build.settings(&expanded.build, &matrix_dir)?;
    let templates =
        Templates::load(&project_root(file)).map_err(|e| CliError::other(e.to_string(), None))?;
    let text = render_dockerfile(cell, &settings, &templates)
        .map_err(|e| CliError::other(e.to_string(), None))?;
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
