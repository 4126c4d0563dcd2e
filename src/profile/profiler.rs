use std::time::Duration;

use statrs::statistics::{Data, Median};

use super::collapsed::Collapsed;
use super::flame_graph::flame_graph;
use super::profile_record::ProfileRecord;
use super::profile_store::ProfileStore;
use super::py_spy::{OUTPUT_IN_CONTAINER, PySpy};
use crate::engine::Engine;
use crate::load::LoadConfig;
use crate::matrix::Cell;
use crate::run::{Clock, Http, RunContext, WarmServer, rfc3339};
use crate::store::Outcome;

/// The one capability a profiled server gets besides the engine's defaults: py-spy reads
/// the server's memory with `process_vm_readv` and stops it with `ptrace`.
pub const PROFILE_CAPABILITY: &str = "SYS_PTRACE";

/// How to profile: samples a second, the profiled window, and whether native frames
/// (C extensions, Nuitka's compiled code) are unwound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfileSettings {
    pub rate_hz: u32,
    pub duration: Duration,
    pub native: bool,
}

impl Default for ProfileSettings {
    /// 25 Hz for 20 s with native frames: see docs/profiling.md for why.
    fn default() -> Self {
        ProfileSettings { rate_hz: 25, duration: Duration::from_secs(20), native: true }
    }
}

/// A cell's profile: its record, and unless N/A its stacks and flame graph.
pub struct Profiled {
    pub record: ProfileRecord,
    pub stacks: Option<(Collapsed, Vec<u8>)>,
}

/// `bench profile`: per cell, a fresh, warmed container of its image (`run::WarmServer`)
/// with `SYS_PTRACE`, py-spy copied in and sampling every process of it while the cell's
/// own load runs for the profiled window; the stacks, the flame graph and the record are
/// stored beside the cell's results.
pub struct Profiler<'a, E: Engine, H: Http, C: Clock> {
    pub ctx: RunContext<'a, E, H, C>,
    pub py_spy: &'a PySpy,
    pub settings: ProfileSettings,
}

impl<E: Engine, H: Http, C: Clock> Profiler<'_, E, H, C> {
    /// Profiles `cell` and stores what it got; `Err` when it could not be profiled.
    pub async fn profile(&self, cell: &Cell) -> Result<Profiled, String> {
        let mut record = self.blank_record(cell);
        if let Some(why) = unsupported(cell) {
            record.na = Some(why);
            ProfileStore::new(self.ctx.store).write(&record, None)?;
            return Ok(Profiled { record, stacks: None });
        }
        let binary = self.py_spy.binary()?;
        let name = format!("bench-profile-{}-{}", cell.name, &cell.hash[..12]);
        let settings = self.settings;
        let ctx = &self.ctx;
        let (text, rps) = WarmServer::with(ctx, cell, &name, &[PROFILE_CAPABILITY], |server| {
            sample(ctx, server, binary, settings)
        })
        .await?;
        let collapsed = Collapsed::parse(&text)?;
        if collapsed.samples() == 0 {
            return Err("py-spy recorded no sample of a busy server".to_string());
        }
        record.samples = collapsed.samples();
        record.profiled_rps = Some(rps);
        record.overhead = ProfileRecord::overhead_of(record.profiled_rps, record.measured_rps);
        let subtitle = format!(
            "py-spy {} at {} Hz, {} samples in {:.0} s; {:.1} req/s while profiled",
            self.py_spy.version,
            record.rate_hz,
            record.samples,
            settings.duration.as_secs_f64(),
            rps
        );
        let svg = flame_graph(&collapsed, &cell.id, &subtitle)?;
        ProfileStore::new(ctx.store).write(&record, Some((&collapsed, &svg)))?;
        Ok(Profiled { record, stacks: Some((collapsed, svg)) })
    }

    fn blank_record(&self, cell: &Cell) -> ProfileRecord {
        ProfileRecord {
            id: cell.id.clone(),
            name: cell.name.clone(),
            scenario: cell.scenario.clone(),
            hash: cell.hash.clone(),
            runtime: cell.runtime.clone(),
            profiler: "py-spy".to_string(),
            version: self.py_spy.version.clone(),
            rate_hz: self.settings.rate_hz,
            options: PySpy::options(self.settings.native),
            samples: 0,
            duration_ms: self.settings.duration.as_secs().max(1) * 1000,
            profiled_rps: None,
            measured_rps: self.measured_rps(cell),
            overhead: None,
            na: None,
            profiled_at: rfc3339(self.ctx.clock.now()),
        }
    }

    /// The median req/s of the cell's stored `ok` executions (the same cell: same hash).
    fn measured_rps(&self, cell: &Cell) -> Option<f64> {
        let results = self.ctx.store.load_all().ok()?;
        let rps: Vec<f64> = results
            .iter()
            .filter(|r| r.hash == cell.hash && r.outcome == Outcome::Ok)
            .filter_map(|r| r.load.as_ref().map(|l| l.ok_rps))
            .collect();
        (!rps.is_empty()).then(|| Data::new(rps).median())
    }
}

/// Why py-spy cannot profile `cell`, if it cannot: it reads CPython's interpreter state, and
/// PyPy has another.
fn unsupported(cell: &Cell) -> Option<String> {
    cell.image.python.starts_with("pypy").then(|| {
        "py-spy reads CPython's interpreter state and does not support PyPy \
         (vmprof would; not integrated)"
            .to_string()
    })
}

/// Copies py-spy in, runs it for the window while the cell's load runs, and gives its
/// collapsed stacks and the req/s of the window.
async fn sample<E: Engine, H: Http, C: Clock>(
    ctx: &RunContext<'_, E, H, C>,
    server: WarmServer,
    binary: Vec<u8>,
    settings: ProfileSettings,
) -> Result<(String, f64), String> {
    let engine = ctx.engine;
    let id = &server.id;
    engine
        .put_file(id, super::py_spy::BINARY_IN_CONTAINER, binary, 0o755)
        .await
        .map_err(|e| format!("cannot copy py-spy into the container: {e}"))?;
    let window = Duration::from_secs(settings.duration.as_secs().max(1));
    let load = LoadConfig { duration: window, ..server.load };
    ctx.progress.phase("profiling");
    let argv = PySpy::record_argv(settings.rate_hz, window, settings.native);
    let (recorded, loaded) = tokio::join!(engine.exec(id, &argv), ctx.http.load(load));
    let recorded = recorded.map_err(|e| format!("cannot run py-spy: {e}"))?;
    if !recorded.succeeded() {
        return Err(format!(
            "py-spy failed (exit code {:?}): {}",
            recorded.exit_code,
            recorded.output.trim()
        ));
    }
    let summary = loaded.map_err(|e| format!("the load of the profiled window failed: {e}"))?;
    let text = engine
        .read_file(id, OUTPUT_IN_CONTAINER)
        .await
        .map_err(|e| format!("py-spy wrote no profile: {e}\n{}", recorded.output.trim()))?;
    Ok((String::from_utf8_lossy(&text).into_owned(), summary.ok_rps))
}
