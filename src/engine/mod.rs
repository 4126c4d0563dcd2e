//! Stage 5, engine: images and containers behind the `Engine` trait, so the stages around it
//! are tested without Docker. `DockerEngine` is the backend (Docker Engine API via bollard).
//!
//! What a backend implements (`impl Engine`; every future is `Send`). It receives only
//! engine-neutral descriptions (`BuildRequest`: tag, base image, `image::BuildContext`;
//! `ContainerSpec`); laying them out for its builder (Docker: a tar) is its own business.
//! - `version() -> String`: the backend's version, recorded as provenance.
//! - `image_id(tag) -> Option<String>`: the id of the image built under `tag`, `None` when
//!   there is none. Callers tag images by the cell's image hash and check this first, so an
//!   unchanged cell is never rebuilt.
//! - `build(BuildRequest) -> BuiltImage { id, seconds }`: makes sure `base_image` exists,
//!   then builds, writing the build output to `log_path` as it arrives; afterwards
//!   `image_id(tag)` finds the image. Errors: `BaseImageMissing` / `BaseImageScript` (no
//!   base), `BuildFailed` (the builder's message and the last `TAIL_LINES` log lines),
//!   `BuildLog` (the log cannot be written), `BuildContext` (the context cannot be laid out).
//! - `start(&ContainerSpec) -> ContainerId`: creates and starts the server with the spec's
//!   env, CPU (`nano_cpus`, `cpuset`) and memory limits (no swap), on the host's network, with
//!   the spec's labels plus `bench=1`; it is not removed when it exits (the caller reads its
//!   logs and state, then removes it). A server created but not started is removed before
//!   the error returns.
//! - `wait_ready(id, port, timeout)`: bounded wait until a TCP connect to 127.0.0.1:port
//!   succeeds while the server runs. `ContainerExited` (with the log tail) as soon as it
//!   stops, `NotReady` (with the log tail) at the timeout. Another process on the same port
//!   would also answer: callers pick a free port.
//! - `logs(id) -> String`: its stdout and stderr so far.
//! - `state(id) -> ContainerState`: running, exit code, OOM-killed, restarts.
//! - `stats_sample(id) -> StatsSample`: one reading of its CPU time and memory without page
//!   cache (`cpu_percent(before, after)` gives the CPU use between two readings).
//! - `read_file(id, path) -> Vec<u8>`: one regular file inside it (e.g.
//!   `/bench/versions.txt`); `FileNotFound` when there is none.
//! - `remove(id)`: stops and removes it; removing a missing one is `Ok`.
//! - `remove_all_labelled() -> usize`: removes every `bench=1` server of this backend (in its
//!   scope, if it has one), running or stopped: the last resort after a killed run.
//!
//! Any other failure is `Api` (what was asked, what the backend said), or `Unreachable` when
//! the backend cannot be reached at all; `help()` says what to do. A second backend (e.g.
//! local processes) is one new file here implementing `Engine`, plus `mod`/`pub use` below;
//! the commands that connect one (`cli/run.rs`, `cli/smoke.rs`) choose it.
//!
//! Around the trait, generic over any backend:
//! - `Containers`: the registry of live containers. `start`/`remove` through it track ids;
//!   `scoped` runs a body with a container and removes it whatever the body returns;
//!   `until_interrupted(engine, containers, fut, signal)` runs the orchestration and, on
//!   Ctrl-C, drops it and removes every tracked container. A container whose removal failed
//!   stays tracked.
//! - `fake::FakeEngine` (feature `fakes`, on for the crate's tests): scripted outcomes per
//!   image, with a call record and the set of live containers.
//!
//! `DockerEngine`: `connect()` negotiates the API version (older daemons work; unreachable →
//! `Unreachable` with help). `with_scope(s)` adds the label `bench.scope=s` to its
//! containers and limits `remove_all_labelled` to them, so concurrent runs and tests never
//! remove each other's. `ensure_base_image(name)`: present, or made by
//! `scripts/make-base-image.sh` when `name` is `debian:bookworm-slim`; any other missing base
//! is `BaseImageMissing`.
//!
//! How the run orchestrator uses it:
//! ```text
//! let engine = DockerEngine::connect().await?;          // Unreachable → tell the user
//! let containers = Containers::new();
//! let result = until_interrupted(&engine, &containers, run_cells(&engine, &containers), ctrl_c()).await;
//! //   inside run_cells, per cell:
//! //   if engine.image_id(&hash).await?.is_none() { engine.build(request).await? }
//! //   containers.scoped(&engine, &spec, |id| async { wait_ready, stats, load, logs, state, read_file }).await
//! ```
//!
//! Docker facts on this host (daemon 20.10, API 1.41, cgroup v1, classic builder): bollard
//! 0.21 speaks API 1.53 by default, hence the negotiation in `connect`. The classic builder
//! adds the build labels as one more `LABEL` step (a 5-step Dockerfile logs `Step 1/6`).
//! `apt-get` (http Debian mirror) works in builds on the default bridge network, no proxy
//! needed. The locally imported `debian:bookworm-slim` has no `CMD`: images built on it must
//! set one, or create fails with "No command specified".

mod base_image;
mod build_request;
mod container_spec;
mod container_state;
mod containers;
mod docker_engine;
mod docker_tar;
mod engine_error;
#[cfg(feature = "fakes")]
pub mod fake;
mod log_tail;
mod stats_sample;

use std::future::Future;
use std::time::Duration;

pub use base_image::{BASE_IMAGE_SCRIPT, BaseImage, MAKEABLE_BASE_IMAGE, run_base_image_script};
pub use build_request::{BuildRequest, BuiltImage};
pub use container_spec::{BENCH_LABEL, ContainerId, ContainerSpec};
pub use container_state::ContainerState;
pub use containers::{Containers, ctrl_c, until_interrupted};
pub use docker_engine::{DockerEngine, SCOPE_LABEL};
pub use engine_error::EngineError;
pub use log_tail::{LogTail, TAIL_LINES, last_lines};
pub use stats_sample::{StatsSample, cpu_percent};

/// A container engine: images, containers, their logs, state and files.
pub trait Engine: Send + Sync {
    /// The backend's version, for provenance.
    fn version(&self) -> impl Future<Output = Result<String, EngineError>> + Send;

    /// The id of the image tagged `tag`, or `None` if there is none.
    fn image_id(&self, tag: &str) -> impl Future<Output = Result<Option<String>, EngineError>> + Send;

    /// Builds `request.context` on `request.base_image` as `request.tag`, logging to
    /// `request.log_path`.
    fn build(&self, request: BuildRequest) -> impl Future<Output = Result<BuiltImage, EngineError>> + Send;

    /// Creates and starts a container.
    fn start(&self, spec: &ContainerSpec) -> impl Future<Output = Result<ContainerId, EngineError>> + Send;

    /// Waits, at most `timeout`, until the container accepts TCP connections on `port`.
    fn wait_ready(
        &self,
        id: &ContainerId,
        port: u16,
        timeout: Duration,
    ) -> impl Future<Output = Result<(), EngineError>> + Send;

    /// Everything the container wrote on stdout and stderr so far.
    fn logs(&self, id: &ContainerId) -> impl Future<Output = Result<String, EngineError>> + Send;

    /// Whether the container runs, how it ended, and whether it was killed out of memory.
    fn state(&self, id: &ContainerId) -> impl Future<Output = Result<ContainerState, EngineError>> + Send;

    /// One reading of the container's CPU and memory counters.
    fn stats_sample(&self, id: &ContainerId) -> impl Future<Output = Result<StatsSample, EngineError>> + Send;

    /// The content of the regular file `path` in the container.
    fn read_file(&self, id: &ContainerId, path: &str) -> impl Future<Output = Result<Vec<u8>, EngineError>> + Send;

    /// Removes the container, stopping it if needed. A missing container is not an error.
    fn remove(&self, id: &ContainerId) -> impl Future<Output = Result<(), EngineError>> + Send;

    /// Removes every container labelled `bench=1` (in the backend's scope); gives how many.
    fn remove_all_labelled(&self) -> impl Future<Output = Result<usize, EngineError>> + Send;
}
