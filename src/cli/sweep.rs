use std::process::ExitCode;

use super::CliError;
use super::run::engine_error;
use super::session::Session;
use crate::engine::DockerEngine;

/// `bench sweep`: the sweep `bench run` does at start, alone (`scripts/setup.sh` calls it).
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn execute(_args: Args) -> Result<ExitCode, CliError> {
    Session::runtime()?.block_on(async {
        let engine = DockerEngine::connect().await.map_err(engine_error)?;
        let sweep = engine.sweep().await.map_err(engine_error)?;
        match sweep.message() {
            Some(message) => eprintln!("bench sweep: {message}"),
            None => eprintln!("bench sweep: no container left by a run that is gone"),
        }
        if sweep.live > 0 || !sweep.unknown.is_empty() {
            eprintln!(
                "bench sweep: kept {} container(s) of live runs and {} whose owner cannot be \
                 proven gone (another host, or started by an older bench){}",
                sweep.live,
                sweep.unknown.len(),
                if sweep.unknown.is_empty() {
                    String::new()
                } else {
                    format!(": {}", sweep.unknown.join(", "))
                }
            );
        }
        Ok(if sweep.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
    })
}
