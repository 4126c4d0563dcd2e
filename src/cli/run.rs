use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::CliError;
use super::build_options::BuildOptions;
use super::resumed::Resumed;
use super::session::{MatrixArgs, Session};
use crate::engine::{
    Containers, DockerEngine, Engine, EngineError, RunIdentity, ctrl_c, until_interrupted,
};
use crate::load::HttpClient;
use crate::model::{SettingValue, Settings, setting};
use crate::run::{Display, RealHttp, RunContext, Runner, Shard, SystemClock, jobs};
use crate::store::RunLock;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub matrix: MatrixArgs,
    /// Measure each cell this long (overrides the matrix).
    #[arg(long, value_parser = humantime::parse_duration)]
    pub duration: Option<Duration>,
    /// Warm each cell up this long before measuring (overrides the matrix).
    #[arg(long, value_parser = humantime::parse_duration)]
    pub warmup: Option<Duration>,
    /// Measure each cell N times (overrides the matrix); reports use the median.
    #[arg(long, value_name = "N")]
    pub repeat: Option<u32>,
    /// Results directory.
    #[arg(long, default_value = "results")]
    pub results: PathBuf,
    /// Measure again cells whose results are stored already.
    #[arg(long)]
    pub force: bool,
    /// Measure again stored failures of every kind; by default only those whose cause can
    /// pass (engine, conflict, signal, generator) are, and invalid responses and failed
    /// builds are kept.
    #[arg(long)]
    pub retry_failed: bool,
    /// The load generator's HTTP/1.1 client: bench's own (lean) or hyper's, to cross-check
    /// a figure (see `bench load --help`).
    #[arg(long, value_enum, default_value_t = HttpClient::default())]
    pub client: HttpClient,
    /// Run the K-th of N deterministic parts of the matrix (rows dealt round robin).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub build: BuildOptions,
}

/// CLI overrides, as a settings layer on top of everything in the matrix.
fn overrides(args: &Args) -> Settings {
    let mut s = Settings::default();
    if let Some(d) = args.duration {
        s.set(&setting::DURATION, vec![SettingValue::Millis(d.as_millis() as u64)]);
    }
    if let Some(d) = args.warmup {
        s.set(&setting::WARMUP, vec![SettingValue::Millis(d.as_millis() as u64)]);
    }
    if let Some(n) = args.repeat {
        s.set(&setting::REPEAT, vec![SettingValue::Count(n.max(1) as u64)]);
    }
    s
}

pub fn execute(args: Args) -> Result<ExitCode, CliError> {
    let shard = args
        .shard
        .as_deref()
        .map(Shard::parse)
        .transpose()
        .map_err(|e| CliError::usage(e, None))?;
    let Session { expanded, mut options, store, host } =
        Session::prepare(&args.matrix, &args.results, &args.build, &overrides(&args))?;
    options.client = args.client;
    let selected = match shard {
        Some(s) => s.select(expanded.selected),
        None => expanded.selected,
    };
    let me = RunIdentity::current();
    let _lock = RunLock::acquire(&args.results, &me.to_string())
        .map_err(|e| CliError::other(e.to_string(), None))?;
    let stored = store.index().map_err(|e| CliError::other(e.to_string(), None))?;
    let resume = Resumed::default();
    let (jobs, skipped) = jobs(&expanded.all, &selected, |hash, rep| {
        !args.force && resume.keeps(stored.resume(hash, rep, args.retry_failed))
    });
    resume.print();
    let runtime = Session::runtime()?;
    runtime.block_on(async {
        let engine = DockerEngine::connect().await.map_err(engine_error)?;
        match engine.sweep().await {
            Ok(sweep) => {
                if let Some(message) = sweep.message() {
                    eprintln!("bench run: {message}");
                }
            }
            Err(e) => eprintln!("warning: could not look for containers left by earlier runs: {e}"),
        }
        let containers = Containers::new();
        let progress = Display::new();
        let mut runner = Runner::new(RunContext {
            engine: &engine,
            http: &RealHttp,
            clock: &SystemClock,
            containers: &containers,
            store: &store,
            progress: &progress,
            options: &options,
            host: &host,
            engine_version: engine.version().await.ok(),
        });
        let outcome = until_interrupted(&engine, &containers, runner.run(&jobs, skipped), ctrl_c()).await;
        report_leftovers(&engine, &containers).await;
        match outcome {
            Ok(Ok(summary)) => {
                if let Some((why, not_started)) = &summary.engine_lost {
                    eprintln!(
                        "bench run: stopped: the Docker engine stopped answering ({why}); {not_started} measurement(s) not started; run again once it is back to resume"
                    );
                }
                eprintln!(
                    "bench run: {} ok, {} invalid, {} failed, {} N/A; building {:.0} s, measuring {:.0} s; results in {}",
                    summary.ok,
                    summary.invalid,
                    summary.failed,
                    summary.na,
                    summary.build_seconds,
                    summary.measure_seconds,
                    args.results.display()
                );
                let failed = summary.failed + summary.invalid > 0 || summary.engine_lost.is_some();
                Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
            }
            Ok(Err(store_error)) => Err(CliError::other(store_error, Some("check the results directory's disk space and permissions".into()))),
            Err(EngineError::Interrupted { removed, failed }) => {
                eprintln!(
                    "bench run: interrupted; removed {removed} container(s){}; finished results are kept in {}, and the next `bench run` resumes",
                    if failed.is_empty() { String::new() } else { format!(", could not remove {}", failed.join(", ")) },
                    args.results.display()
                );
                Ok(ExitCode::from(130))
            }
            Err(e) => Err(engine_error(e)),
        }
    })
}

/// Removes what the run could not remove on the way (e.g. while the engine was away) and
/// names what is still left, with the command to remove it.
async fn report_leftovers(engine: &DockerEngine, containers: &Containers) {
    let (_, failed) = containers.remove_all(engine).await;
    if !failed.is_empty() {
        let ids: Vec<String> = containers.live().iter().map(|id| id.to_string()).collect();
        eprintln!(
            "bench run: could not remove container(s) {}; remove them with `docker rm -f {}`",
            failed.join(", "),
            ids.join(" ")
        );
    }
}

pub fn engine_error(e: EngineError) -> CliError {
    let help = e.help();
    CliError::other(e.to_string(), help)
}
