//! Stage 5, engine: images and containers behind the `Engine` trait, so the stages around it
//! are tested without Docker. `DockerEngine` is the backend (Docker Engine API via bollard).
//!
//! What a backend implements (`impl Engine`, every future `Send`). Its inputs are
//! engine-neutral: `BuildRequest` (tag, base image, `image::BuildContext`: Dockerfile text
//! and files) and `ContainerSpec`; laying them out for its builder (Docker: a tar) is its
//! own business. "Server" below is whatever it runs a spec as (Docker: a container).
//! - `version()`: the backend's version string, recorded as provenance.
//! - `cpus(image, name)`: the CPUs its servers may run on: one short container `name` of the
//!   base image `image` (made first when missing, as a build would) started with no cpuset,
//!   reading its own `Cpus_allowed_list`. They differ from bench's own when the engine has
//!   CPUs of its own (Docker-in-Docker in a pod). `EngineFacts::read` asks both once a run
//!   (the version twice after a transient failure, `EngineError::is_transient`), the CPUs
//!   through `Containers::cpus`, so a Ctrl-C during the probe removes it, and with a base
//!   image the engine has (else `MAKEABLE_BASE_IMAGE`, made if missing).
//! - `image_id(tag)`: the id of the image built as `tag`, `None` when there is none.
//!   Callers tag images by the cell's image hash and check this first, so an unchanged cell
//!   is never rebuilt.
//! - `build(request) -> BuiltImage { id, seconds }`: makes sure the base exists (else
//!   `BaseImageMissing`, or `BaseImageScript` when making it failed), builds, writes the
//!   build output to `log_path` as it arrives (`BuildLog` when it cannot), and afterwards
//!   `image_id(tag)` finds the image. A failed build is `BuildFailed` with the builder's
//!   message and the last `TAIL_LINES` log lines; an unusable context is `BuildContext`.
//! - `start(spec) -> ContainerId`: starts the server of image `spec.image` with the spec's
//!   env, CPU (`nano_cpus`, `cpuset`) and memory limits (no swap) on the host's network,
//!   labelled as the spec says plus `bench=1`, and keeps it after it exits (the caller reads
//!   its logs and state, then removes it). A server created but not started is removed
//!   before the error returns.
//! - `wait_ready(id, port, timeout)`: bounded wait until a TCP connect to 127.0.0.1:port
//!   succeeds while the server runs: `ContainerExited` as soon as it stops, `NotReady` at the
//!   timeout, both with its log tail. Another process on the port would answer too: callers
//!   pick a free port.
//! - `logs(id)`: its stdout and stderr so far. `state(id)`: running, exit code, OOM kill,
//!   restarts. `stats_sample(id)`: one reading of its CPU time and its memory without page
//!   cache (`cpu_percent(before, after)` gives the CPU use between two readings).
//! - `read_file(id, path)`: one regular file inside it (`FileNotFound` when there is none).
//!   `put_file(id, path, bytes, mode)`: one file written into it (a profiler brought in
//!   from the host; the image stays as built). `exec(id, argv)`: a command run inside it to
//!   its end, its exit code and output (`ExecOutput`).
//! - `remove(id)`: stops and removes it; removing a missing one is `Ok`.
//!
//! Any other failure is judged by the backend's answer: `Rejected` when it refused the
//! request as made (HTTP 4xx: the same request fails again), `NotRunnable` when it refused
//! to start a container it made (4xx on start: the command cannot run), `Gone` when what a
//! call names is not there (404), `Daemon` when it failed on its
//! side (HTTP 5xx: may pass), `Conflict` for a name in use (409), `Unreachable` when it
//! cannot be reached at all (connection refused or reset), and `Api` when there is no status
//! to judge by (what was asked, what went wrong); `help()` says what to do, and
//! `is_transient()` whether asking again may succeed. A second backend (e.g.
//! local processes) is one new file here implementing `Engine` plus its `mod`/`pub use`
//! lines below; `cli/run.rs` and `cli/smoke.rs`, which connect `DockerEngine` today, pick it.
//!
//! Around the trait, for any backend:
//! - `Containers`: the registry of live containers. `start`/`remove` through it track ids;
//!   `scoped` runs a body with a container and removes it whatever the body returns;
//!   `until_interrupted(engine, containers, fut, signal)` runs the orchestration and, on
//!   Ctrl-C, drops it and removes every tracked container. A container whose removal failed
//!   stays tracked.
//! - Ownership: `Containers::start` names and labels every container with this process's
//!   `RunIdentity` (run id, host, pid, process start time), so two runs never collide on a
//!   name and a container's owner can be checked. `Owner::of(labels)` is the one rule for
//!   "may someone else remove it": only when its owner is provably gone (same host, process
//!   ended or its pid reused). `DockerEngine::sweep()` applies it (`bench run` at start,
//!   `bench sweep`, `scripts/setup.sh`); nothing removes a live run's containers.
//! - Signals: `ctrl_c()` resolves on SIGINT, SIGTERM or SIGHUP; SIGKILL cannot be caught,
//!   and the next run's sweep removes what the killed run left.
//! - `fake::FakeEngine` (feature `fakes`, on for the crate's tests): scripted outcomes per
//!   image, with a call record and the set of live containers; its CPUs (`with_cpus`) and
//!   momentary version failures (`with_version_failures`) are scripted too.
//!
//! `DockerEngine` besides: `connect()` honours `DOCKER_HOST` (unix://, tcp://, http://; TLS
//! and ssh:// are refused as `UnsupportedHost`) and negotiates the API version (older
//! daemons work; unreachable → `Unreachable` with help). `with_scope(s)` labels its containers
//! `bench.scope=s`, and `remove_all_labelled()` removes those (running or stopped; without a
//! scope it refuses), so concurrent tests never remove each other's. Its files follow what
//! a call acts on: `docker_engine` (the type, connection, base image, the `Engine` impl),
//! `docker_images`, `docker_containers`, `docker_exec` (files and commands inside a
//! container), `docker_cpus` (the probe), `sweep`.
//! `ensure_base_image(name)`: present, or made by `scripts/make-base-image.sh` when `name` is
//! `debian:bookworm-slim`; any other missing base is `BaseImageMissing`.
//!
//! How the run orchestrator uses it:
//! ```text
//! let engine = DockerEngine::connect().await?;          // Unreachable → tell the user
//! let containers = Containers::new();
//! let result = until_interrupted(&engine, &containers, run_cells(&engine, &containers), ctrl_c()).await;
//! //   inside run_cells, per cell:
//! //   if engine.image_id(&tag).await?.is_none() { engine.build(request).await? }
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
mod docker_containers;
mod docker_cpus;
mod docker_engine;
mod docker_exec;
mod docker_host;
mod docker_images;
mod docker_tar;
mod engine_error;
mod engine_facts;
mod exec_output;
#[cfg(feature = "fakes")]
pub mod fake;
mod log_tail;
mod process_list;
mod run_identity;
mod stats_sample;
mod sweep;

use std::future::Future;
use std::time::Duration;

pub use base_image::{BASE_IMAGE_SCRIPT, BaseImage, MAKEABLE_BASE_IMAGE, run_base_image_script};
pub use build_request::{BuildRequest, BuiltImage};
pub use container_spec::{BENCH_LABEL, ContainerId, ContainerSpec};
pub use container_state::ContainerState;
pub use containers::{Containers, ctrl_c, until_interrupted};
pub use docker_cpus::parse_cpu_list;
pub use docker_engine::{DockerEngine, SCOPE_LABEL};
pub use engine_error::EngineError;
pub use engine_facts::EngineFacts;
pub use exec_output::ExecOutput;
pub use log_tail::{LogTail, TAIL_LINES, last_lines};
pub use run_identity::{
    HOST_LABEL, Owner, PID_LABEL, PID_START_LABEL, RUN_LABEL, RunIdentity, process_start,
};
pub use stats_sample::{StatsSample, cpu_percent};
pub use sweep::Sweep;

/// A container engine: images, containers, their logs, state and files.
pub trait Engine: Send + Sync {
    /// The backend's version, for provenance.
    fn version(&self) -> impl Future<Output = Result<String, EngineError>> + Send;

    /// The CPUs a container of the base image `image` gets when given no cpuset, as the
    /// kernel tells a process inside it; the container is named `name` (`Containers::cpus`
    /// tracks it by that name) and removed before this returns.
    fn cpus(
        &self,
        image: &str,
        name: &str,
    ) -> impl Future<Output = Result<Vec<usize>, EngineError>> + Send;

    /// The id of the image tagged `tag`, or `None` if there is none.
    fn image_id(
        &self,
        tag: &str,
    ) -> impl Future<Output = Result<Option<String>, EngineError>> + Send;

    /// Builds `request.context` on `request.base_image` as `request.tag`, logging to
    /// `request.log_path`.
    fn build(
        &self,
        request: BuildRequest,
    ) -> impl Future<Output = Result<BuiltImage, EngineError>> + Send;

    /// Creates and starts a container.
    fn start(
        &self,
        spec: &ContainerSpec,
    ) -> impl Future<Output = Result<ContainerId, EngineError>> + Send;

    /// Waits, at most `timeout`, until the container accepts TCP connections on `port`.
    fn wait_ready(
        &self,
        id: &ContainerId,
        port: u16,
        timeout: Duration,
    ) -> impl Future<Output = Result<(), EngineError>> + Send;

    /// Everything the container wrote on stdout and stderr so far.
    fn logs(&self, id: &ContainerId) -> impl Future<Output = Result<String, EngineError>> + Send;

    /// The ids of the processes running in the container now (as the host numbers them).
    fn processes(
        &self,
        id: &ContainerId,
    ) -> impl Future<Output = Result<Vec<u32>, EngineError>> + Send;

    /// Whether the container runs, how it ended, and whether it was killed out of memory.
    fn state(
        &self,
        id: &ContainerId,
    ) -> impl Future<Output = Result<ContainerState, EngineError>> + Send;

    /// One reading of the container's CPU and memory counters.
    fn stats_sample(
        &self,
        id: &ContainerId,
    ) -> impl Future<Output = Result<StatsSample, EngineError>> + Send;

    /// The content of the regular file `path` in the container.
    fn read_file(
        &self,
        id: &ContainerId,
        path: &str,
    ) -> impl Future<Output = Result<Vec<u8>, EngineError>> + Send;

    /// Writes `content` as the file `path` (absolute, its directory existing) with `mode`
    /// into the container.
    fn put_file(
        &self,
        id: &ContainerId,
        path: &str,
        content: Vec<u8>,
        mode: u32,
    ) -> impl Future<Output = Result<(), EngineError>> + Send;

    /// Runs `argv` inside the running container and waits for its end.
    fn exec(
        &self,
        id: &ContainerId,
        argv: &[String],
    ) -> impl Future<Output = Result<ExecOutput, EngineError>> + Send;

    /// Removes the container, stopping it if needed. A missing container is not an error.
    fn remove(&self, id: &ContainerId) -> impl Future<Output = Result<(), EngineError>> + Send;
}
