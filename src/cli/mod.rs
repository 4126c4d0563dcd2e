//! Command line: parses arguments with clap and hands each subcommand to its stage; clap
//! stays here (`report::Format`'s `ValueEnum` impl is in `report.rs`).
//! Contract: every command that reads a matrix takes it as the optional `FILE` argument and
//! loads it through `expanded::Expanded`; every `--only` is `matrix::Selection`. Every
//! failure comes back as a `CliError`: matrix errors rendered by miette (file, span, help),
//! others as `error:` and `help:` lines; exit code 2 for a bad matrix or bad arguments, 1 for
//! other failures, never a panic.

mod build_options;
mod dockerfile;
mod error;
mod expand;
mod expanded;
mod export;
mod load;
mod merge;
mod other_machine;
mod plan;
mod profile;
mod report;
mod resumed;
mod run;
mod session;
mod smoke;
mod sweep;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use error::CliError;

#[derive(Parser, Debug)]
#[command(
    name = "bench",
    version,
    about = "Benchmark Python web frameworks x servers x runtimes, reproducibly",
    // A later `--duration 5s` overrides an earlier one, so wrappers such as
    // scripts/quickstart.sh can pass their defaults first and the user's options after.
    args_override_self = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Show the cells a matrix file expands to.
    Expand(expand::Args),
    /// Print the rendered Dockerfile of a row.
    Dockerfile(dockerfile::Args),
    /// Build each selected row, request each scenario once, and check the answers.
    Smoke(smoke::Args),
    /// Drive HTTP load at a URL, like wrk (closed loop) or wrk2 (-R, open loop).
    Load(load::Args),
    /// Measure the matrix: build, start, verify, load, store, for every cell.
    Run(run::Args),
    /// Print how `--shard K/N` splits the matrix: comparison groups, cells, executions and
    /// estimated time per shard.
    Plan(plan::Args),
    /// Sample where each selected cell's server spends its CPU (py-spy) under the cell's
    /// load, in a window apart from the measurement; flame graphs beside the results.
    Profile(profile::Args),
    /// Remove the containers of bench runs that are gone (killed); never a live run's.
    Sweep(sweep::Args),
    /// Render stored results as markdown, HTML, CSV or JSON.
    Report(report::Args),
    /// Compare two results directories.
    Compare(report::CompareArgs),
    /// Write the files that run the matrix sharded on GitHub Actions or Kubernetes.
    #[command(subcommand)]
    Export(export::Target),
    /// Merge results directories (e.g. one a shard) into one.
    Merge(merge::Args),
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Expand(args) => expand::execute(args),
        Command::Dockerfile(args) => dockerfile::execute(args),
        Command::Smoke(args) => smoke::execute(args),
        Command::Load(args) => load::execute(args),
        Command::Run(args) => run::execute(args),
        Command::Plan(args) => plan::execute(args),
        Command::Profile(args) => profile::execute(args),
        Command::Sweep(args) => sweep::execute(args),
        Command::Report(args) => report::execute(args),
        Command::Compare(args) => report::compare(args),
        Command::Export(target) => export::execute(target),
        Command::Merge(args) => merge::execute(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => err.report(),
    }
}
