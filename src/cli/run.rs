use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::CliError;
use super::build_options::BuildOptions;
use super::other_machine::refuse_other_machine;
use super::resumed::Resumed;
use super::session::{MatrixArgs, Session, base_images};
use crate::engine::{
    Containers, DockerEngine, EngineError, EngineFacts, RunIdentity, ctrl_c, until_interrupted,
};
use crate::load::HttpClient;
use crate::matrix::Cell;
use crate::model::values::parse_duration;
use crate::model::{SettingValue, Settings, setting};
use crate::run::{
    Display, HostFacts, PinnedCalibration, Progress, QuietGate, RealHttp, RunContext, RunOptions,
    RunPlan, RunSummary, Runner, Shard, SystemClock,
};
use crate::statistics::{Precision, Remeasure};
use crate::store::{ResultIndex, Resume, RunLock, Store};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub matrix: MatrixArgs,
    #[command(flatten)]
    pub measure: MeasureArgs,
    /// The seed of the run's random order: the same seed replays the same order (each
    /// result records the seed it ran with). Random when not given.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Keep adding rounds of executions to the cells whose requests/s interval (95%) is
    /// wider than ±this (e.g. 5%), each cell getting at least 3, up to --max-executions.
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent)]
    pub precision: Option<f64>,
    /// With --precision: no cell gets more executions than this.
    #[arg(long, value_name = "N", default_value_t = Precision::default().max_executions, requires = "precision")]
    pub max_executions: usize,
    /// Before each execution, wait up to this long for the host to be quiet (at most 0.1
    /// cores busy, the hypervisor's steal included), then start anyway; what was seen is
    /// stored with the execution. For shared virtual machines, whose neighbours come and go
    /// (e.g. 60s); off by default.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub quiet_wait: Option<Duration>,
    /// Re-measure executions the host disturbed (their host-quiet check failed: other
    /// processes or the hypervisor's steal took CPU while measuring): each earns its cell one
    /// more execution in a later round, at most N a cell and at most 25% of the run's planned
    /// executions in all. A publication passes 3 (scripts/reproduce-article.sh does); off by
    /// default, like --quiet-wait, and `--remeasure 0` is off too. At most 20.
    #[arg(long, value_name = "N", value_parser = remeasure_range())]
    pub remeasure: Option<usize>,
    /// Results directory.
    #[arg(long, default_value = "results")]
    pub results: PathBuf,
    /// Measure again cells whose results are stored already.
    #[arg(long)]
    pub force: bool,
    /// Add executions to a table begun on another machine (a resumed run on a different
    /// CPU model or CPU count). Refused by default: `bench report` ranks a table only on one
    /// machine, and needs --allow-mixed too to rank it anyway, with a caveat.
    #[arg(long)]
    pub allow_mixed: bool,
    /// Measure again stored failures of every kind; by default only those whose cause can
    /// pass (engine, conflict, signal, generator) are, and invalid responses and failed
    /// builds are kept.
    #[arg(long)]
    pub retry_failed: bool,
    /// The load generator's HTTP/1.1 client: bench's own (lean) or hyper's, to cross-check
    /// a figure (see `bench load --help`).
    #[arg(long, value_enum, default_value_t = HttpClient::default())]
    pub client: HttpClient,
    /// Run the K-th of N deterministic parts of the matrix: whole comparison groups, as
    /// `bench plan --shards N` prints them (pass it the same --duration, --warmup and
    /// --executions).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub build: BuildOptions,
}

/// The options that change what each cell's measurement takes, shared by `bench run` and
/// `bench plan` (whose split depends on them).
#[derive(clap::Args, Debug)]
pub struct MeasureArgs {
    /// Measure each cell this long (overrides the matrix).
    #[arg(long, value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// Warm each cell up this long before measuring (overrides the matrix).
    #[arg(long, value_parser = parse_duration)]
    pub warmup: Option<Duration>,
    /// Measure each cell as N executions, each in a fresh container, interleaved with every
    /// other cell's in a random order (overrides the matrix's `repeat`; `--repeat` is the
    /// same option under its former name).
    #[arg(long, value_name = "N", alias = "repeat")]
    pub executions: Option<u32>,
}

impl MeasureArgs {
    /// The options as a settings layer on top of everything in the matrix.
    pub fn overrides(&self) -> Settings {
        let mut s = Settings::default();
        if let Some(d) = self.duration {
            s.set(&setting::DURATION, vec![SettingValue::Millis(d.as_millis() as u64)]);
        }
        if let Some(d) = self.warmup {
            s.set(&setting::WARMUP, vec![SettingValue::Millis(d.as_millis() as u64)]);
        }
        if let Some(n) = self.executions {
            s.set(&setting::REPEAT, vec![SettingValue::Count(n.max(1) as u64)]);
        }
        s
    }
}

pub fn execute(args: Args) -> Result<ExitCode, CliError> {
    let shard = args
        .shard
        .as_deref()
        .map(Shard::parse)
        .transpose()
        .map_err(|e| CliError::usage(e, None))?;
    let Session { expanded, mut options, store, mut host } =
        Session::prepare(&args.matrix, &args.results, &args.build, &args.measure.overrides())?;
    options.client = args.client;
    let selected = match shard {
        Some(s) => s.select(expanded.selected),
        None => expanded.selected,
    };
    let me = RunIdentity::current();
    let _lock = RunLock::acquire(&args.results, &me.to_string())
        .map_err(|e| CliError::other(e.to_string(), None))?;
    let mut stored = match args.force {
        true => ResultIndex::default(),
        false => store.index().map_err(|e| CliError::other(e.to_string(), None))?,
    };
    let resume = Resumed::default();
    stored.retain(|result| resume.keeps(Resume::of(result, args.retry_failed)));
    resume.print();
    let precision = args.precision.map(|target| Precision {
        target,
        max_executions: args.max_executions.max(Precision::default().min_executions),
        ..Precision::default()
    });
    let seed = args.seed.unwrap_or_else(|| u64::from(rand::random::<u32>()));
    eprintln!("bench run: order seed {seed} (`--seed {seed}` replays this order)");
    let remeasure = args
        .remeasure
        .map_or(Remeasure::OFF, |per_cell| Remeasure { per_cell, ..Remeasure::default() });
    let mut plan =
        RunPlan::with_remeasure(&expanded.all, &selected, &stored, seed, precision, remeasure);
    let more_rounds = precision.is_some() || remeasure.per_cell > 0;
    let to_measure = to_measure(&selected, |hash, n| stored.contains(hash, n), more_rounds);
    refuse_other_machine(
        &expanded.all,
        &to_measure,
        &stored,
        &host,
        args.allow_mixed,
        &args.results,
    )?;
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
        let calibration = PinnedCalibration {
            gate: QuietGate::new(args.quiet_wait.unwrap_or_default()),
            ..PinnedCalibration::default()
        };
        // The probe runs under the interrupt too, tracked like every container of the run.
        let work = async {
            let engine_version =
                engine_facts(&engine, &containers, &to_measure, &mut host, "bench run").await;
            let ctx = docker_context(&engine, &containers, &progress, &store, &options, &host, engine_version);
            Runner::new(ctx, &calibration).run(&mut plan).await
        };
        let outcome = until_interrupted(&engine, &containers, work, ctrl_c()).await;
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
                print_speed(&summary);
                print_disturbed(&summary, remeasure);
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

/// The selected cells that may need a container in this run: those with a planned execution
/// not `stored` (by cell hash and execution) yet, or every one when `more_rounds` (precision,
/// re-measuring) may add executions to stored ones.
fn to_measure(
    selected: &[Cell],
    stored: impl Fn(&str, u32) -> bool,
    more_rounds: bool,
) -> Vec<Cell> {
    let missing = |cell: &Cell| (1..=cell.load.repeat).any(|n| !stored(&cell.hash, n));
    selected.iter().filter(|cell| more_rounds || missing(cell)).cloned().collect()
}

/// Asks the engine for its version and CPUs (a probe container of a base image of the cells
/// that are not N/A, tracked in `containers`; no probe without such a cell: nothing will
/// run), puts the CPUs in `host` for the placement, warns as `command` when it could not, and
/// returns the version for the results' provenance.
pub async fn engine_facts(
    engine: &DockerEngine,
    containers: &Containers,
    cells: &[Cell],
    host: &mut HostFacts,
    command: &str,
) -> Option<String> {
    let measured: Vec<Cell> = cells.iter().filter(|c| c.na.is_none()).cloned().collect();
    let facts = EngineFacts::read(engine, containers, &base_images(&measured)).await;
    facts.warn(command);
    host.engine_cpus = facts.cpus;
    facts.version
}

/// The context of a command that runs cells in Docker (`bench run`, `bench profile`, `bench
/// smoke`): real HTTP and clock, and the engine's version for the provenance of what is
/// stored.
pub fn docker_context<'a>(
    engine: &'a DockerEngine,
    containers: &'a Containers,
    progress: &'a dyn Progress,
    store: &'a Store,
    options: &'a RunOptions,
    host: &'a HostFacts,
    engine_version: Option<String>,
) -> RunContext<'a, DockerEngine, RealHttp, SystemClock> {
    RunContext {
        engine,
        http: &RealHttp,
        clock: &SystemClock,
        containers,
        store,
        progress,
        options,
        host,
        engine_version,
    }
}

pub fn engine_error(e: EngineError) -> CliError {
    let help = e.help();
    CliError::other(e.to_string(), help)
}

/// `5%` or `5`: a relative half-width of 0.05.
fn parse_percent(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_end_matches('%').trim();
    match number.parse::<f64>() {
        Ok(percent) if percent > 0.0 && percent < 100.0 => Ok(percent / 100.0),
        _ => Err(format!("expected a percentage between 0 and 100, like 5%, not `{text}`")),
    }
}

/// The machine-speed index of this run's executions, and the ones that strayed.
fn print_speed(summary: &RunSummary) {
    let Some(speed) = &summary.speed else { return };
    eprintln!(
        "bench run: machine speed varied {:.2}x over {} execution(s) (calibrated on the server's CPUs, or the generator's where bench cannot run on the server's); {} flagged",
        speed.spread,
        speed.index.len(),
        summary.speed_flagged.len()
    );
    for (id, execution, index) in &summary.speed_flagged {
        eprintln!(
            "    {id} execution {execution}: machine speed index {index:.2}, away from the run's median"
        );
    }
}

/// How many of this run's executions the host disturbed, and how many re-measured them.
fn print_disturbed(summary: &RunSummary, remeasure: Remeasure) {
    if summary.disturbed == 0 && summary.remeasured == 0 {
        return;
    }
    let replaced = match remeasure.per_cell {
        0 => "not re-measured (--remeasure N re-measures them)".to_string(),
        n => {
            format!("{} execution(s) made to replace them (at most {n} a cell)", summary.remeasured)
        }
    };
    eprintln!(
        "bench run: the host disturbed {} execution(s) (host-quiet failed); {replaced}",
        summary.disturbed
    );
}

/// `--remeasure`'s values: 0 to `Remeasure::MAX_PER_CELL`.
fn remeasure_range() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::new().range(0..=Remeasure::MAX_PER_CELL as u64)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::to_measure;
    use crate::config::Sources;
    use crate::matrix::{Cell, FixedInputs, expand};

    fn cells() -> Vec<Cell> {
        let text = r#"
            runtime cpython label="" { python "python3"; }
            server s { command "s {app}"; interface wsgi; }
            framework a { interface wsgi "a:app"; }
            framework b { interface wsgi "b:app"; }
            scenario hello { path "/hello"; }
            matrix { axes { framework a b; server s; } }
        "#;
        let model = crate::model::analyze(&Sources::from_text("m.kdl", text).unwrap()).unwrap();
        let mut cells = expand(&model, &FixedInputs("x".into()));
        cells.iter_mut().for_each(|c| c.load.repeat = 2);
        cells
    }

    #[test]
    fn only_cells_with_an_execution_left_need_the_engine_unless_more_rounds_may_come() {
        let cells = cells();
        let ids = |cells: Vec<Cell>| cells.into_iter().map(|c| c.id).collect::<Vec<_>>();
        let first = cells[0].hash.clone();
        // The first cell has both executions stored, the second only its first.
        let stored = |hash: &str, n: u32| hash == first || n == 1;
        assert_eq!(ids(to_measure(&cells, stored, false)), [cells[1].id.clone()]);
        assert!(to_measure(&cells, |_, _| true, false).is_empty(), "nothing to do: no probe");
        assert_eq!(to_measure(&cells, |_, _| true, true).len(), 2, "precision may add rounds");
    }

    #[derive(Parser)]
    struct Run {
        #[command(flatten)]
        args: super::Args,
    }

    #[test]
    fn remeasure_takes_0_to_its_bound_and_refuses_more() {
        let parse =
            |n: &str| Run::try_parse_from(["run", "--remeasure", n]).map(|r| r.args.remeasure);
        assert_eq!(parse("0").unwrap(), Some(0));
        assert_eq!(parse("20").unwrap(), Some(20));
        for refused in ["21", "4294967296", "-1"] {
            assert!(parse(refused).is_err(), "--remeasure {refused}");
        }
    }
}
