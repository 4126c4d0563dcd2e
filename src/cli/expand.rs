use std::process::ExitCode;

use super::CliError;

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn execute(_args: Args) -> Result<ExitCode, CliError> {
    Err(CliError::other("`bench expand` is not built yet", None))
}
