//! `FakeEngine`: an in-memory `Engine` for orchestration tests. Each image tag gets a
//! scripted `FakeOutcome`; every call is recorded; live containers are tracked so a test can
//! assert that none is left. No timing: `NeverReady` fails at once with the given timeout.
//! Compiled only with the `fakes` feature, which the crate's own tests turn on.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use super::{
    BuildRequest, BuiltImage, ContainerId, ContainerSpec, ContainerState, Engine, EngineError,
    ExecOutput, StatsSample,
};

/// What happens to an image (by tag) and its containers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FakeOutcome {
    /// Builds, starts, becomes ready, keeps running.
    #[default]
    Works,
    /// The build fails with this daemon message and log tail.
    BuildFails { message: String, log_tail: Vec<String> },
    /// The container cannot be started.
    StartFails { message: String },
    /// The engine answers the create with this HTTP status: 4xx refuses the request, 5xx
    /// fails on the engine's side.
    CreateAnswered { status: u16, message: String },
    /// The engine answers the start of the created container with this HTTP status: 4xx is
    /// its command failing to run, 5xx fails on the engine's side.
    StartAnswered { status: u16, message: String },
    /// The container exits (bad command) before accepting connections.
    ExitsBeforeReady { exit_code: i64, log_tail: Vec<String> },
    /// The container runs but never accepts connections.
    NeverReady,
    /// Becomes ready, then is killed out of memory: `state` shows it after `wait_ready`.
    OomKilled,
    /// Becomes ready, then the engine stops answering about it: `state` is `Unreachable`.
    EngineGone,
    /// Runs a master and a worker that is replaced by a new one (a new pid) between any two
    /// process listings, as when a crashing worker is respawned.
    WorkerRespawns,
}

/// One call made to the fake, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FakeCall {
    Version,
    Cpus(String),
    ImageId(String),
    Build(String),
    Start(String),
    WaitReady(ContainerId, u16),
    Logs(ContainerId),
    Processes(ContainerId),
    State(ContainerId),
    StatsSample(ContainerId),
    ReadFile(ContainerId, String),
    PutFile(ContainerId, String),
    Exec(ContainerId, Vec<String>),
    Remove(ContainerId),
}

#[derive(Debug)]
struct FakeContainer {
    name: String,
    image: String,
    state: ContainerState,
    samples: u64,
}

#[derive(Debug, Default)]
struct Inner {
    outcomes: HashMap<String, FakeOutcome>,
    images: BTreeMap<String, String>,
    logs: HashMap<String, String>,
    files: HashMap<(String, String), Vec<u8>>,
    live: BTreeMap<ContainerId, FakeContainer>,
    calls: Vec<FakeCall>,
    counter: u64,
    /// What `cpus` answers (`None`: CPUs 0 and 1, as the fake's stats count 2).
    cpus: Option<Vec<usize>>,
    /// `version` calls still to fail as a momentarily unreachable engine.
    version_failures: u32,
}

/// The fake engine. Containers of an image get its logs and files (`with_logs`, `with_file`).
#[derive(Debug, Default)]
pub struct FakeEngine {
    inner: Mutex<Inner>,
}

impl FakeEngine {
    pub fn new() -> Self {
        Self::default()
    }

    /// Scripts what happens to the image `tag` (default `Works`).
    pub fn with_outcome(self, tag: &str, outcome: FakeOutcome) -> Self {
        self.lock().outcomes.insert(tag.to_string(), outcome);
        self
    }

    /// An image that exists before any build (a base image, or a cell built earlier). The fake
    /// makes no base image: a build on a base not given here fails with `BaseImageMissing`.
    pub fn with_image(self, tag: &str) -> Self {
        self.lock().images.insert(tag.to_string(), format!("sha256:fake-{tag}"));
        self
    }

    pub fn with_logs(self, image: &str, logs: &str) -> Self {
        self.lock().logs.insert(image.to_string(), logs.to_string());
        self
    }

    /// The CPUs the engine's containers get (`cpus`); empty: the probe finds none and fails.
    pub fn with_cpus(self, cpus: &[usize]) -> Self {
        self.lock().cpus = Some(cpus.to_vec());
        self
    }

    /// The next `n` `version` calls fail as an engine unreachable for a moment.
    pub fn with_version_failures(self, n: u32) -> Self {
        self.lock().version_failures = n;
        self
    }

    pub fn with_file(self, image: &str, path: &str, content: &[u8]) -> Self {
        self.lock().files.insert((image.to_string(), path.to_string()), content.to_vec());
        self
    }

    /// Every call so far, in order.
    pub fn calls(&self) -> Vec<FakeCall> {
        self.lock().calls.clone()
    }

    /// The containers started and not removed.
    pub fn live(&self) -> Vec<ContainerId> {
        self.lock().live.keys().cloned().collect()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records the call and gives the state to work on.
    fn call(&self, call: FakeCall) -> MutexGuard<'_, Inner> {
        let mut inner = self.lock();
        inner.calls.push(call);
        inner
    }
}

impl Inner {
    fn outcome(&self, tag: &str) -> FakeOutcome {
        self.outcomes.get(tag).cloned().unwrap_or_default()
    }

    /// The live container `id`, found by id or by name as Docker does.
    fn container(
        &mut self,
        id: &ContainerId,
    ) -> Result<(&ContainerId, &mut FakeContainer), EngineError> {
        self.live.iter_mut().find(|(key, c)| *key == id || c.name == id.0).ok_or_else(|| {
            EngineError::Api {
                action: format!("inspect container {id}"),
                detail: "No such container".to_string(),
            }
        })
    }
}

impl Engine for FakeEngine {
    async fn version(&self) -> Result<String, EngineError> {
        let mut inner = self.call(FakeCall::Version);
        if inner.version_failures > 0 {
            inner.version_failures -= 1;
            return Err(EngineError::Unreachable { detail: "read the server version (io)".into() });
        }
        Ok("fake-1.0".to_string())
    }

    async fn cpus(&self, image: &str, _name: &str) -> Result<Vec<usize>, EngineError> {
        let inner = self.call(FakeCall::Cpus(image.to_string()));
        match inner.cpus.clone().unwrap_or_else(|| vec![0, 1]) {
            cpus if cpus.is_empty() => Err(EngineError::Api {
                action: format!("read the CPUs of a container of {image}"),
                detail: "its /proc/self/status has no Cpus_allowed_list".to_string(),
            }),
            cpus => Ok(cpus),
        }
    }

    async fn image_id(&self, tag: &str) -> Result<Option<String>, EngineError> {
        Ok(self.call(FakeCall::ImageId(tag.to_string())).images.get(tag).cloned())
    }

    async fn build(&self, request: BuildRequest) -> Result<BuiltImage, EngineError> {
        let mut inner = self.call(FakeCall::Build(request.tag.clone()));
        if !inner.images.contains_key(&request.base_image) {
            return Err(EngineError::BaseImageMissing { name: request.base_image });
        }
        let io = |source| EngineError::BuildLog { path: request.log_path.clone(), source };
        if let Some(dir) = request.log_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        match inner.outcome(&request.tag) {
            FakeOutcome::BuildFails { message, log_tail } => {
                std::fs::write(&request.log_path, log_tail.join("\n")).map_err(io)?;
                Err(EngineError::BuildFailed {
                    tag: request.tag,
                    message,
                    log_path: request.log_path,
                    log_tail,
                })
            }
            _ => {
                std::fs::write(&request.log_path, format!("fake build of {}\n", request.tag))
                    .map_err(io)?;
                let id = format!("sha256:fake-{}", request.tag);
                inner.images.insert(request.tag, id.clone());
                Ok(BuiltImage { id, seconds: 0.0 })
            }
        }
    }

    async fn start(&self, spec: &ContainerSpec) -> Result<ContainerId, EngineError> {
        let mut inner = self.call(FakeCall::Start(spec.name.clone()));
        let fail = |detail: String| EngineError::Api {
            action: format!("create container {}", spec.name),
            detail,
        };
        if !inner.images.contains_key(&spec.image) {
            return Err(fail(format!("No such image: {}", spec.image)));
        }
        if inner.live.values().any(|c| c.name == spec.name) {
            return Err(EngineError::Conflict {
                action: format!("create container {}", spec.name),
                detail: format!(
                    "Conflict. The container name \"/{}\" is already in use (HTTP 409)",
                    spec.name
                ),
            });
        }
        match inner.outcome(&spec.image) {
            FakeOutcome::StartFails { message } => return Err(fail(message)),
            FakeOutcome::CreateAnswered { status, message } => {
                return Err(answered(format!("create container {}", spec.name), status, message));
            }
            FakeOutcome::StartAnswered { status, message } => {
                let action = format!("start container {}", spec.name);
                return Err(answered(action, status, message).at_start());
            }
            _ => {}
        }
        inner.counter += 1;
        let id = ContainerId(format!("fake{}-{}", inner.counter, spec.name));
        let state = ContainerState { running: true, ..Default::default() };
        let container =
            FakeContainer { name: spec.name.clone(), image: spec.image.clone(), state, samples: 0 };
        inner.live.insert(id.clone(), container);
        Ok(id)
    }

    async fn wait_ready(
        &self,
        id: &ContainerId,
        port: u16,
        timeout: Duration,
    ) -> Result<(), EngineError> {
        let mut inner = self.call(FakeCall::WaitReady(id.clone(), port));
        let image = inner.container(id)?.1.image.clone();
        let outcome = inner.outcome(&image);
        let (key, container) = inner.container(id)?;
        let container_name = key.to_string();
        match outcome {
            FakeOutcome::ExitsBeforeReady { exit_code, log_tail } => {
                container.state = ContainerState {
                    running: false,
                    exit_code: Some(exit_code),
                    ..Default::default()
                };
                Err(EngineError::ContainerExited {
                    container: container_name,
                    exit_code,
                    oom_killed: false,
                    log_tail,
                })
            }
            FakeOutcome::NeverReady => Err(EngineError::NotReady {
                container: container_name,
                port,
                waited: timeout,
                log_tail: Vec::new(),
            }),
            FakeOutcome::OomKilled => {
                container.state = ContainerState {
                    running: false,
                    exit_code: Some(137),
                    oom_killed: true,
                    restart_count: 0,
                };
                Ok(())
            }
            _ => Ok(()),
        }
    }

    async fn logs(&self, id: &ContainerId) -> Result<String, EngineError> {
        let mut inner = self.call(FakeCall::Logs(id.clone()));
        let image = inner.container(id)?.1.image.clone();
        Ok(inner.logs.get(&image).cloned().unwrap_or_default())
    }

    /// The master is pid 1, its worker pid 100 (`WorkerRespawns`: a new pid each listing).
    async fn processes(&self, id: &ContainerId) -> Result<Vec<u32>, EngineError> {
        let mut inner = self.call(FakeCall::Processes(id.clone()));
        let image = inner.container(id)?.1.image.clone();
        let respawns = inner.outcome(&image) == FakeOutcome::WorkerRespawns;
        let listings =
            inner.calls.iter().filter(|c| **c == FakeCall::Processes(id.clone())).count();
        Ok(vec![1, if respawns { 100 + listings as u32 } else { 100 }])
    }

    async fn state(&self, id: &ContainerId) -> Result<ContainerState, EngineError> {
        let mut inner = self.call(FakeCall::State(id.clone()));
        let image = inner.container(id)?.1.image.clone();
        if inner.outcome(&image) == FakeOutcome::EngineGone {
            return Err(EngineError::Unreachable {
                detail: format!("inspect container {id} (io)"),
            });
        }
        Ok(inner.container(id)?.1.state.clone())
    }

    /// Each sample adds 0.5 s of container CPU and 1 s on each of 2 host CPUs: 50 % of a core.
    async fn stats_sample(&self, id: &ContainerId) -> Result<StatsSample, EngineError> {
        let mut inner = self.call(FakeCall::StatsSample(id.clone()));
        let container = inner.container(id)?.1;
        container.samples += 1;
        let n = container.samples;
        Ok(StatsSample {
            cpu_total_ns: n * 500_000_000,
            system_cpu_ns: n * 2_000_000_000,
            online_cpus: 2,
            memory_bytes: 50 << 20,
        })
    }

    async fn read_file(&self, id: &ContainerId, path: &str) -> Result<Vec<u8>, EngineError> {
        let mut inner = self.call(FakeCall::ReadFile(id.clone(), path.to_string()));
        let image = inner.container(id)?.1.image.clone();
        inner.files.get(&(image, path.to_string())).cloned().ok_or_else(|| {
            EngineError::FileNotFound { container: id.to_string(), path: path.to_string() }
        })
    }

    /// The file becomes readable in every container of the same image (`with_file`).
    async fn put_file(
        &self,
        id: &ContainerId,
        path: &str,
        content: Vec<u8>,
        _mode: u32,
    ) -> Result<(), EngineError> {
        let mut inner = self.call(FakeCall::PutFile(id.clone(), path.to_string()));
        let image = inner.container(id)?.1.image.clone();
        inner.files.insert((image, path.to_string()), content);
        Ok(())
    }

    /// Succeeds with no output: what a command would write, a test scripts with `with_file`.
    async fn exec(&self, id: &ContainerId, argv: &[String]) -> Result<ExecOutput, EngineError> {
        let mut inner = self.call(FakeCall::Exec(id.clone(), argv.to_vec()));
        inner.container(id)?;
        Ok(ExecOutput { exit_code: Some(0), output: String::new() })
    }

    async fn remove(&self, id: &ContainerId) -> Result<(), EngineError> {
        let mut inner = self.call(FakeCall::Remove(id.clone()));
        let key = inner.container(id).map(|(key, _)| key.clone());
        if let Ok(key) = key {
            inner.live.remove(&key);
        }
        Ok(())
    }
}

/// The error of a Docker call the engine answered with `status` and `message`.
fn answered(action: String, status: u16, message: String) -> EngineError {
    let answer = bollard::errors::Error::DockerResponseServerError { status_code: status, message };
    EngineError::api(action, answer)
}
