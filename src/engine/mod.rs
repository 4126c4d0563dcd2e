//! Stage 5, engine: containers through the Docker Engine API (bollard), behind the
//! `Engine` trait so the stages around it are tested without Docker.
//!
//! Contract:
//! - `Engine` (generic use, `E: Engine`; every future is `Send`):
//!   - `version() -> String`: the Docker server version, for provenance.
//!   - `image_id(tag) -> Option<String>`: `None` when no image has that tag. Callers tag
//!     images by the cell's image hash and check this first, so an unchanged cell is never
//!     rebuilt.
//!   - `ensure_base_image(name) -> BaseImage`: present, or made by `scripts/make-base-image.sh`
//!     when `name` is `debian:bookworm-slim`; any other missing base is `BaseImageMissing`.
//!   - `build(BuildRequest) -> BuiltImage { id, seconds }`: builds the in-memory tar context,
//!     writing the build output to `log_path` line by line as it arrives; a failure is
//!     `BuildFailed` with the daemon's message and the last `TAIL_LINES` log lines.
//!   - `start(&ContainerSpec) -> ContainerId`: host networking, memory limit without swap,
//!     NanoCpus, cpuset, labels + `bench=1`, auto-remove off (the caller reads logs and state,
//!     then removes). A container created but not started is removed before the error returns.
//!   - `wait_ready(id, port, timeout)`: bounded wait until a TCP connect to 127.0.0.1:port
//!     succeeds while the container runs. `ContainerExited` (with the log tail) as soon as the
//!     container stops, `NotReady` at the timeout. With host networking another process on
//!     the same port would also answer: callers pick a free port.
//!   - `logs(id) -> String` (stdout and stderr), `state(id) -> ContainerState`,
//!     `stats_sample(id) -> StatsSample` (one-shot; `cpu_percent(before, after)` gives the
//!     CPU use between two samples), `read_file(id, path) -> Vec<u8>` (one regular file, e.g.
//!     `/bench/versions.txt`), `remove(id)` (forced; removing a missing container is Ok),
//!     `remove_all_labelled() -> usize` (every `bench=1` container: the last resort).
//! - `DockerEngine`: the bollard implementation (`DockerEngine::connect()`: API version
//!   negotiated, so older daemons work; unreachable daemon → `EngineError::Unreachable` with help).
//!   `with_scope(s)` adds the label `bench.scope=s` to its containers and limits
//!   `remove_all_labelled` to them, so concurrent runs and tests never remove each other's.
//! - `Containers`: the registry of live containers. `start`/`remove` through it track ids;
//!   `scoped` runs a body with a container and removes it whatever the body returns;
//!   `until_interrupted(engine, fut, signal)` runs the orchestration and, on Ctrl-C, drops it and
//!   removes every tracked container. A container whose removal failed stays tracked.
//! - `fake::FakeEngine`: scripted outcomes per image for orchestration tests, with a call
//!   record and the set of live containers.
//! - Errors: `EngineError`, `Display` = what failed where, `help()` = what to do.
//!
//! How the run orchestrator uses it:
//! ```text
//! let engine = DockerEngine::connect().await?;          // Unreachable → tell the user
//! engine.remove_all_labelled().await?;                  // leftovers of a killed run
//! engine.ensure_base_image("debian:bookworm-slim").await?;
//! let containers = Containers::new();
//! let result = until_interrupted(&engine, &containers, run_cells(&engine, &containers), ctrl_c()).await;
//! //   inside run_cells, per cell:
//! //   if engine.image_id(&hash).await?.is_none() { engine.build(request).await? }
//! //   containers.scoped(&engine, &spec, |id| async { wait_ready, stats, load, logs, state, read_file }).await
//! engine.remove_all_labelled().await?;                  // last resort on exit
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
mod engine_error;
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
    /// The engine (server) version, for provenance.
    fn version(&self) -> impl Future<Output = Result<String, EngineError>> + Send;

    /// The id of the image tagged `tag`, or `None` if there is none.
    fn image_id(&self, tag: &str) -> impl Future<Output = Result<Option<String>, EngineError>> + Send;

    /// Makes sure the base image `name` exists (see the module contract).
    fn ensure_base_image(&self, name: &str) -> impl Future<Output = Result<BaseImage, EngineError>> + Send;

    /// Builds an image from an in-memory context, logging to `request.log_path`.
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

    fn state(&self, id: &ContainerId) -> impl Future<Output = Result<ContainerState, EngineError>> + Send;

    /// One reading of the container's CPU and memory counters.
    fn stats_sample(&self, id: &ContainerId) -> impl Future<Output = Result<StatsSample, EngineError>> + Send;

    /// The content of the regular file `path` in the container.
    fn read_file(&self, id: &ContainerId, path: &str) -> impl Future<Output = Result<Vec<u8>, EngineError>> + Send;

    /// Removes the container, stopping it if needed. A missing container is not an error.
    fn remove(&self, id: &ContainerId) -> impl Future<Output = Result<(), EngineError>> + Send;

    /// Removes every container labelled `bench=1`; gives how many were removed.
    fn remove_all_labelled(&self) -> impl Future<Output = Result<usize, EngineError>> + Send;
}
