use std::process::ExitCode;

use super::CliError;

#[derive(clap::Args, Debug)]
pub struct Args {}

#[derive(clap::Args, Debug)]
pub struct CompareArgs {}

pub fn execute(_args: Args) -> Result<ExitCode, CliError> {
    Err(CliError::other("`bench report` is not built yet", None))
}

pub fn compare(_args: CompareArgs) -> Result<ExitCode, CliError> {
    Err(CliError::other("`bench compare` is not built yet", None))
}
