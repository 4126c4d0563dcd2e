use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::CliError;
use super::build_options::BuildOptions;
use super::session::{MatrixArgs, Session};
use crate::engine::{Containers, DockerEngine, Engine, EngineError, ctrl_c, until_interrupted};
use crate::load::HttpClient;
use crate::model::{SettingValue, Settings, setting};
use crate::run::{Display, RealHttp, RunContext, Runner, Shard, SystemClock, jobs};

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
    let stored = store.index().map_err(|e| CliError::other(e.to_string(), None))?;
    let (jobs, skipped) =
        jobs(&expanded.all, &selected, |hash, rep| !args.force && stored.contains(hash, rep));
    let runtime = Session::runtime()?;
    runtime.block_on(async {
        let engine = DockerEngine::connect().await.map_err(engine_error)?;
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
        match outcome {
            Ok(Ok(summary)) => {
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
                Ok(if summary.failed + summary.invalid > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
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

pub fn engine_error(e: EngineError) -> CliError {
    let help = e.help();
    CliError::other(e.to_string(), help)
}
