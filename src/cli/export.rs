use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::CliError;
use super::expanded::Expanded;
use super::session::MatrixArgs;
use crate::export::{
    DockerAccess, ExportError, GithubActions, HOSTED_LIMIT_MINUTES, Kubernetes, ShardBudgets,
    ShardedRun,
};
use crate::model::Settings;

#[derive(clap::Subcommand, Debug)]
pub enum Target {
    /// A GitHub Actions workflow: one job a shard, then a job that merges and reports.
    GithubActions(GithubArgs),
    /// Kubernetes manifests: a results claim, an Indexed Job of shards, a report Job.
    Kubernetes(KubernetesArgs),
}

#[derive(clap::Args, Debug)]
pub struct GithubArgs {
    #[command(flatten)]
    matrix: MatrixArgs,
    /// Measure on N machines (N jobs; `bench run --shard K/N` in each).
    #[arg(long, value_name = "N")]
    shards: u32,
    /// Run on self-hosted runners with this label (repeatable); hosted ubuntu-latest when
    /// none is given.
    #[arg(long = "runner-label", value_name = "LABEL")]
    runner_labels: Vec<String>,
    /// Commit the report and results under this directory of the repository
    /// (e.g. docs/results/latest) instead of only uploading them.
    #[arg(long, value_name = "DIR")]
    commit_results: Option<String>,
    /// Write the workflow to FILE (e.g. .github/workflows/bench.yml) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct KubernetesArgs {
    #[command(flatten)]
    matrix: MatrixArgs,
    /// Measure on N nodes (an Indexed Job of N pods, one a node).
    #[arg(long, value_name = "N")]
    shards: u32,
    /// An image with bench on its PATH and this project as its working directory.
    #[arg(long, value_name = "IMAGE", default_value = "bench:latest")]
    image: String,
    /// How pods reach Docker: a privileged Docker-in-Docker sidecar (dind), or the node's
    /// engine socket (socket: root on the node; see docs/scale-out.md).
    #[arg(long, value_enum, default_value = "dind")]
    docker: Docker,
    /// The PersistentVolumeClaim (ReadWriteMany) the shards write their results to.
    #[arg(long, value_name = "NAME", default_value = "bench-results")]
    claim: String,
    /// Whole CPUs of the Docker engine, which runs the servers under test.
    #[arg(long, value_name = "N", default_value_t = 2)]
    engine_cpus: u32,
    /// Whole CPUs of the bench container, which generates the load.
    #[arg(long, value_name = "N", default_value_t = 2)]
    generator_cpus: u32,
    /// Write the manifests into DIR (created) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Docker {
    Dind,
    Socket,
}

pub fn execute(target: Target) -> Result<ExitCode, CliError> {
    match target {
        Target::GithubActions(args) => {
            let workflow = GithubActions {
                run: sharded_run(&args.matrix, args.shards)?,
                runner_labels: args.runner_labels,
                commit_results: args.commit_results,
            };
            if workflow.limit_minutes() < workflow.run.plan.limit_minutes() {
                eprintln!(
                    "bench export: warning: a shard may need {} min, more than the {} min hosted \
                     runners allow; use more shards or self-hosted runners (--runner-label)",
                    workflow.run.plan.limit_minutes(),
                    HOSTED_LIMIT_MINUTES
                );
            }
            let text = workflow.render();
            match &args.output {
                Some(file) => write(file, &text)?,
                None => print!("{text}"),
            }
        }
        Target::Kubernetes(args) => {
            let manifests = Kubernetes {
                run: sharded_run(&args.matrix, args.shards)?,
                image: args.image,
                docker: match args.docker {
                    Docker::Dind => DockerAccess::Dind,
                    Docker::Socket => DockerAccess::Socket,
                },
                claim: args.claim,
                engine_cpus: args.engine_cpus,
                generator_cpus: args.generator_cpus,
            };
            let files = manifests.files().map_err(usage)?;
            match &args.output {
                Some(dir) => {
                    for (name, text) in &files {
                        write(&dir.join(name), text)?;
                    }
                }
                None => print!(
                    "{}",
                    files.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("---\n")
                ),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The selection as `shards` shards, its plan printed on stderr so the person exporting sees
/// each shard's share before pushing the files anywhere.
fn sharded_run(matrix: &MatrixArgs, shards: u32) -> Result<ShardedRun, CliError> {
    let expanded = Expanded::load(&matrix.file.path, &matrix.only, &Settings::default())?;
    let plan = ShardBudgets::new(&expanded.selected, shards).map_err(usage)?;
    for shard in &plan.shards {
        eprintln!(
            "bench export: shard {}/{}: {} cells, {} executions, {} images, at most {} min",
            shard.index,
            plan.count(),
            shard.cells,
            shard.executions,
            shard.images,
            shard.budget.as_secs().div_ceil(60)
        );
    }
    Ok(ShardedRun {
        matrix_file: matrix.file.path.display().to_string(),
        only: matrix.only.clone(),
        plan,
    })
}

/// The error with the hint that fits it: only an empty shard is helped by fewer shards.
fn usage(err: ExportError) -> CliError {
    let hint = matches!(err, ExportError::EmptyShard { .. })
        .then(|| "lower --shards, or select more comparison groups".to_string());
    CliError::usage(err.to_string(), hint)
}

fn write(path: &Path, text: &str) -> Result<(), CliError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| {
            CliError::other(format!("cannot create {}: {e}", parent.display()), None)
        })?;
    }
    std::fs::write(path, text)
        .map_err(|e| CliError::other(format!("cannot write {}: {e}", path.display()), None))?;
    eprintln!("bench export: wrote {}", path.display());
    Ok(())
}
