//! Stage 7, run: orchestrates the measurement of cells (`bench run`) and their quick check
//! (`bench smoke`).
//!
//! Input: a `RunPlan` (the selected `matrix::Cell`s, what the store holds of them already, the
//! order's seed and an optional `statistics::Precision` target), `RunOptions` (with the run's
//! cell-independent `Knobs`; each cell brings its own `matrix::RunKnobs`), and the side effects behind traits, gathered in a `RunContext`:
//! `engine::Engine` (images, containers), `Http` (one verification request, load runs, a
//! watched load for the warm-up), `Clock`, `Progress`; plus `Calibrate` for `Runner`. Output:
//! one `store::CellResult` per execution, written to the `store::Store` the moment it is
//! known, and a `RunSummary`; for smoke, a `SmokeRow` per row.
//!
//! Executions: a cell is measured as N independent executions (the matrix's `repeat`,
//! `--executions`), each in a fresh container; the result's `repetition` is its execution
//! number. `RunPlan` orders all executions of the run with one seeded `statistics::Schedule`
//! (rounds of random permutations, no cell twice in a row unless it is the only one left);
//! the seed is printed and recorded in each result's `schedule` with its round, position and
//! target, so `--seed` replays an order. Stored executions are skipped (resume); an interrupted
//! execution is not stored. With a precision target, round 1 gives each cell at least the
//! target's minimum, then each further round one more execution to every cell whose req/s
//! interval is wider than the target (only cells whose executions were all `ok`), up to the
//! maximum: a cell's executions and whether it met the target follow from its stored results.
//! With `statistics::Remeasure` (`RunPlan::with_remeasure`, `bench run --remeasure N`), an
//! `ok` execution whose `host-quiet` check failed (`host_disturbed`: other processes or the
//! hypervisor's steal took CPU while measuring) earns its cell one more execution in a later
//! round of the same schedule, at most N a cell and a share of the run's planned executions in
//! all, granted first come first served in the order the executions finished (stored ones
//! included, so a resumed run plans the same). Every execution is stored; which ones a
//! figure uses is `statistics::Exclusion`'s rule, applied by the report.
//!
//! Per execution (`Runner`): the image (`ImageCache`: tagged by the cell's image hash, found,
//! or built once from its engine-neutral `image::BuildContext`, however its cells interleave;
//! a failed build fails every cell of that image with the log tail) → the machine-speed
//! calibration (`Calibrate`; the real one, `PinnedCalibration`, runs a fixed integer workload
//! for 150 ms on a host thread pinned to the server's CPUs before its container starts) → a
//! fresh container (`Server`) with the cell's CPU, cpuset and memory limits on a free loopback
//! port → `Execution`: ready (bounded) and verify one response (`Probe`: status, content
//! type, framing, body rule; a wrong answer makes the cell `invalid` and skips its load) →
//! primer → warm-up, watched window by window and stopped once `statistics::WarmupRule` finds
//! its throughput steady, the configured warm-up being the bound (`steady_warmup`; stored
//! with its windows and end) → settle → measure with the built-in generator while sampling
//! the container's CPU and memory (`Samples`) → checks → remove the container, always. CPU
//! placement (`Placement`): the server gets a dedicated core of the engine's (probed once a
//! run, `HostFacts::engine_cpus`), the generator's threads bench's other CPUs; a cell's
//! `cpuset` outside the engine's CPUs fails it. N/A cells are recorded without running. A
//! crash, OOM kill, unready server or failed build is a recorded failure; the run goes on.
//!
//! Machine speed: each result stores its raw calibration figure; whether an execution strays
//! (`statistics::SpeedRule`) needs the whole run, so the report judges it over the stored
//! results; `Runner` also applies it over its own invocation's executions for the summary.
//!
//! `Smoke` builds each row's image the same way, starts it once and makes the same `Probe`
//! for each scenario; nothing is measured or stored. `WarmServer::with` is the seam for a
//! stage that loads a cell outside its measured window (`profile`): the same image, server,
//! readiness, verification, primer, warm-up and settle as `Execution`, then the caller's
//! body with the container and the cell's `LoadConfig`, the container removed after.
//!
//! Before anything is built, `machine_guard` finds the tables a run would add executions to
//! that were begun on another machine (`bench run` refuses them unless `--allow-mixed`: a
//! table is ranked on one machine).
//!
//! Files: `runner` (plan → stored results), `run_plan` (the executions' order and rounds),
//! `smoke`/`smoke_row`, `execution` (one measurement's phases), `steady_warmup`, `calibrate`,
//! `probe` (ready + verify), `server` (the container's spec, placement, port and lifetime),
//! `image_cache`, `samples` (usage), `provenance` (the result skeleton and what is recorded
//! about the image and generator), `knobs`, `run_options`, `run_context`, `checks`, `verify`,
//! `plan` (jobs, shards), `shard_plan` (the split of comparison groups over shards), `placement`, `host`, `http`, `progress` (with `eta`, the time left
//! estimated from this results directory's phase timings), `phase_clock`, `failure`.

mod calibrate;
mod checks;
mod eta;
mod execution;
mod failure;
mod host;
mod http;
mod image_cache;
mod knobs;
mod machine_guard;
mod phase_clock;
mod placement;
mod plan;
mod probe;
mod progress;
mod provenance;
mod quiet_gate;
mod run_context;
mod run_options;
mod run_plan;
mod runner;
mod samples;
mod server;
mod shard_plan;
mod smoke;
mod smoke_row;
mod steady_warmup;
mod verify;
mod warm_server;
mod worker_watch;

pub use calibrate::{Calibrate, PinnedCalibration};
pub use checks::{CheckInput, HOST_QUIET, honesty_checks, host_disturbed};
pub use eta::{ASSUMED_OVERHEAD, Eta};
pub use host::{Clock, HostFacts, SystemClock, rfc3339};
pub use http::{Http, RealHttp};
pub use image_cache::image_tag;
pub use knobs::Knobs;
pub use machine_guard::{BegunElsewhere, begun_elsewhere};
pub use placement::Placement;
pub use plan::{Job, Shard};
pub use progress::{Display, Progress, Quiet};
pub use provenance::machine as host_machine;
pub use quiet_gate::QuietGate;
pub use run_context::RunContext;
pub use run_options::RunOptions;
pub use run_plan::{Planned, RunPlan, planned_executions};
pub use runner::{RunSummary, Runner};
pub use samples::OtherCpu;
pub use shard_plan::{PlannedGroup, PlannedShard, ShardPlan};
pub use smoke::Smoke;
pub use smoke_row::{SmokeCheck, SmokeRow};
pub use verify::{Probed, verify};
pub use warm_server::WarmServer;
