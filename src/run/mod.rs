//! Stage 7, run: orchestrates the measurement of cells.
//!
//! Input: the expanded cells (`matrix::Cell`), options, and the side effects behind traits:
//! `engine::Engine` (images, containers), `Http` (one verification request, load runs),
//! `Clock`, `Progress`. Output: one `store::CellResult` per cell and repetition, written to
//! the `store::Store` the moment it is known, and a `RunSummary`.
//!
//! Per job, sequentially: the image (tagged by the cell's image hash: found, or built once;
//! a failed build fails every cell of that image with the log tail) → a fresh container with
//! the cell's CPU, cpuset and memory limits on a free loopback port → ready (bounded) →
//! verify one response (status, content type, framing, body rule; a wrong answer makes the
//! cell `invalid` and skips its load) → primer (2 s at 2 connections) → warmup → measure
//! with the built-in generator while sampling the container's CPU and memory → checks →
//! remove the container, always. CPU placement: the server gets a dedicated core (the last
//! one), the generator's threads the others. N/A cells are recorded without running.
//! A crash, OOM kill, unready server or failed build is a recorded failure; the run goes on.

mod checks;
mod host;
mod http;
mod placement;
mod plan;
mod progress;
mod runner;
mod verify;

pub use checks::{honesty_checks, CheckInput};
pub use host::{rfc3339, Clock, HostFacts, SystemClock};
pub use http::{Http, RealHttp};
pub use placement::{parse_cpuset, Placement};
pub use plan::{jobs, Job, Shard};
pub use progress::{Display, Progress, Quiet};
pub use runner::{image_tag, RunOptions, RunSummary, Runner, SmokeCheck, SmokeRow};
pub use verify::{verify, Probed};
