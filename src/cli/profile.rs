use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::CliError;
use super::run::{docker_context, engine_error, engine_facts};
use super::session::Session;
use super::smoke;
use crate::engine::{Containers, DockerEngine, RunIdentity, ctrl_c, until_interrupted};
use crate::model::values::parse_duration;
use crate::profile::{ProfileSettings, ProfileStore, Profiled, Profiler, PySpy};
use crate::run::Display;
use crate::store::RunLock;

#[derive(clap::Args, Debug)]
pub struct Args {
    // The matrix, `--only`, `--results` and the build options, as `bench smoke` takes them.
    #[command(flatten)]
    pub cells: smoke::Args,
    /// Samples a second (see docs/profiling.md for the default).
    #[arg(long, value_name = "HZ", default_value_t = ProfileSettings::default().rate_hz)]
    pub rate: u32,
    /// The profiled window, in whole seconds (py-spy counts in seconds) [default: 20s].
    #[arg(long, value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// Python frames only: no unwinding of native frames (C extensions, Nuitka's code),
    /// which is most of py-spy's cost (docs/profiling.md).
    #[arg(long)]
    pub no_native: bool,
    /// The py-spy binary to copy into the containers (default: py-spy on the PATH).
    #[arg(long, value_name = "PATH", env = "BENCH_PY_SPY")]
    pub py_spy: Option<PathBuf>,
}

pub fn execute(args: Args) -> Result<ExitCode, CliError> {
    if args.rate == 0 {
        return Err(CliError::usage("--rate must be at least 1 Hz".to_string(), None));
    }
    let Session { expanded, options, store, mut host } = args.cells.session()?;
    // Profiles are written beside results: never while a `bench run` writes there (nor
    // another `bench profile`).
    let holder = format!("bench profile, {}", RunIdentity::current());
    let _lock = RunLock::acquire(&args.cells.results, &holder)
        .map_err(|e| CliError::other(e.to_string(), None))?;
    let py_spy = PySpy::find(args.py_spy.as_deref()).map_err(|e| CliError::other(e, None))?;
    let settings = ProfileSettings {
        rate_hz: args.rate,
        duration: args.duration.unwrap_or(ProfileSettings::default().duration),
        native: !args.no_native,
    };
    let runtime = Session::runtime()?;
    let failed = runtime.block_on(async {
        let engine = DockerEngine::connect().await.map_err(engine_error)?;
        let containers = Containers::new();
        let progress = Display::new();
        // The probe runs under the interrupt too, tracked like the profiled containers.
        let work = async {
            let cells = &expanded.selected;
            let engine_version =
                engine_facts(&engine, &containers, cells, &mut host, "bench profile").await;
            let ctx = docker_context(
                &engine,
                &containers,
                &progress,
                &store,
                &options,
                &host,
                engine_version,
            );
            let profiler = Profiler { ctx, py_spy: &py_spy, settings };
            let mut failed = 0;
            for (i, cell) in cells.iter().enumerate() {
                eprintln!("[{}/{}] {}", i + 1, cells.len(), cell.id);
                if let Some(why) = &cell.na {
                    eprintln!("    N/A in the matrix: {why}");
                    continue;
                }
                match profiler.profile(cell).await {
                    Ok(profiled) => print_profiled(&profiled, &ProfileStore::new(&store)),
                    Err(why) => {
                        failed += 1;
                        eprintln!("    FAILED: {why}");
                    }
                }
            }
            failed
        };
        until_interrupted(&engine, &containers, work, ctrl_c()).await.map_err(engine_error)
    })?;
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The record's line, where the most samples were, and the graph's path.
fn print_profiled(profiled: &Profiled, profiles: &ProfileStore) {
    let record = &profiled.record;
    eprintln!("    {}", record.summary());
    if let Some((collapsed, _)) = &profiled.stacks {
        let top: Vec<String> = collapsed
            .top_self(5)
            .iter()
            .map(|(function, share)| format!("{function} {:.1}%", share * 100.0))
            .collect();
        eprintln!("    most samples on top of the stack: {}", top.join(", "));
        eprintln!("    flame graph: {}", profiles.path(record, "svg").display());
    }
}
