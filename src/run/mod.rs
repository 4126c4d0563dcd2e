//! Stage 7, run: orchestrates the measurement of cells (`bench run`) and their quick check
//! (`bench smoke`).
//!
//! Input: the expanded cells (`matrix::Cell`) as `Job`s, `RunOptions` (with the run's fixed
//! `Knobs`), and the side effects behind traits, gathered in a `RunContext`:
//! `engine::Engine` (images, containers), `Http` (one verification request, load runs),
//! `Clock`, `Progress`. Output: one `store::CellResult` per cell and repetition, written to
//! the `store::Store` the moment it is known, and a `RunSummary`; for smoke, a `SmokeRow`
//! per row.
//!
//! Per job, sequentially (`Runner`): the image (`ImageCache`: tagged by the cell's image
//! hash, found, or built once from its engine-neutral `image::BuildContext`; a failed build
//! fails every cell of that image with the log tail) → a fresh container (`Server`) with the
//! cell's CPU, cpuset and memory limits on a free loopback port → `Execution`: ready
//! (bounded) and verify one response (`Probe`: status, content type, framing, body rule; a
//! wrong answer makes the cell `invalid` and skips its load) → primer → warmup → settle →
//! measure with the built-in generator while sampling the container's CPU and memory
//! (`Samples`) → checks → remove the container, always. CPU placement: the server gets a
//! dedicated core (the last one), the generator's threads the others. N/A cells are recorded
//! without running. A crash, OOM kill, unready server or failed build is a recorded
//! failure; the run goes on.
//!
//! `Smoke` builds each row's image the same way, starts it once and makes the same `Probe`
//! for each scenario; nothing is measured or stored.
//!
//! Files: `runner` (jobs → stored results), `smoke`/`smoke_row`, `execution` (one
//! measurement's phases), `probe` (ready + verify), `server` (the container's spec, placement,
//! port and lifetime), `image_cache`, `samples` (usage), `provenance` (the result skeleton
//! and what is recorded about the image and generator), `knobs`, `run_options`,
//! `run_context`, `checks`, `verify`, `plan` (jobs, shards), `placement`, `host`, `http`,
//! `progress`, `phase_clock`, `failure`.

mod calibrate;
mod checks;
mod execution;
mod failure;
mod host;
mod http;
mod image_cache;
mod knobs;
mod phase_clock;
mod placement;
mod plan;
mod probe;
mod progress;
mod provenance;
mod run_context;
mod run_options;
mod run_plan;
mod runner;
mod samples;
mod server;
mod smoke;
mod smoke_row;
mod steady_warmup;
mod verify;

pub use calibrate::{Calibrate, PinnedCalibration};
pub use checks::{CheckInput, honesty_checks};
pub use host::{Clock, HostFacts, SystemClock, rfc3339};
pub use http::{Http, RealHttp};
pub use image_cache::image_tag;
pub use knobs::Knobs;
pub use placement::{Placement, parse_cpuset};
pub use plan::{Job, Shard};
pub use progress::{Display, Progress, Quiet};
pub use run_context::RunContext;
pub use run_options::RunOptions;
pub use run_plan::{Planned, RunPlan};
pub use runner::{RunSummary, Runner};
pub use smoke::Smoke;
pub use smoke_row::{SmokeCheck, SmokeRow};
pub use verify::{Probed, verify};
