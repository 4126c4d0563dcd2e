use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::errors::Error as BollardError;
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{
    BuildImageOptionsBuilder, CreateContainerOptionsBuilder, DownloadFromContainerOptionsBuilder,
    LogsOptionsBuilder, RemoveContainerOptionsBuilder, StatsOptionsBuilder, TopOptions,
};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use super::Engine;
use super::base_image::{BASE_IMAGE_SCRIPT, BaseImage, MAKEABLE_BASE_IMAGE, run_base_image_script};
use super::build_request::{BuildRequest, BuiltImage};
use super::container_spec::{ContainerId, ContainerSpec};
use super::container_state::ContainerState;
use super::docker_host::connect_from_env;
use super::docker_tar::{DOCKERFILE_IN_CONTEXT, context_tar, single_file};
use super::engine_error::EngineError;
use super::exec_output::ExecOutput;
use super::log_tail::{LogTail, TAIL_LINES, last_lines};
use super::process_list::pids;
use super::stats_sample::StatsSample;

/// How often `wait_ready` polls the port and the container state.
const READY_POLL: Duration = Duration::from_millis(100);
/// How long one readiness TCP connect may take.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);

/// The Docker engine on this host, through bollard.
#[derive(Debug, Clone)]
pub struct DockerEngine {
    pub(super) docker: Docker,
    base_image_script: PathBuf,
    /// Extra `bench.scope=<value>` label on started containers, also required by
    /// `remove_all_labelled`: lets concurrent runs (or tests) clean up only their own.
    pub(super) scope: Option<String>,
}

/// The label that scopes containers to one `DockerEngine` (see `DockerEngine::with_scope`).
pub const SCOPE_LABEL: &str = "bench.scope";

impl DockerEngine {
    /// Connects to the Docker engine (`DOCKER_HOST`, see `docker_host`, or the default
    /// socket) and negotiates the API version, so daemons older than bollard's default API
    /// work.
    pub async fn connect() -> Result<Self, EngineError> {
        let (docker, at) = connect_from_env()?;
        let docker = docker
            .negotiate_version()
            .await
            .map_err(|e| EngineError::Unreachable { detail: format!("{at}: {e}") })?;
        Ok(DockerEngine {
            docker,
            base_image_script: PathBuf::from(BASE_IMAGE_SCRIPT),
            scope: None,
        })
    }

    /// Uses another script to make `debian:bookworm-slim` (default `scripts/make-base-image.sh`,
    /// relative to the working directory).
    pub fn with_base_image_script(mut self, script: impl Into<PathBuf>) -> Self {
        self.base_image_script = script.into();
        self
    }

    /// Labels started containers `bench.scope=<scope>` too, and makes `remove_all_labelled`
    /// remove only the containers with that label.
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Makes sure the base image `name` exists: present, or made by the base image script
    /// when `name` is `debian:bookworm-slim`; any other missing base is `BaseImageMissing`.
    pub async fn ensure_base_image(&self, name: &str) -> Result<BaseImage, EngineError> {
        if let Some(id) = self.image_id(name).await? {
            return Ok(BaseImage::Present { id });
        }
        if name != MAKEABLE_BASE_IMAGE {
            return Err(EngineError::BaseImageMissing { name: name.to_string() });
        }
        run_base_image_script(&self.base_image_script, name).await?;
        match self.image_id(name).await? {
            Some(id) => Ok(BaseImage::Made { id }),
            None => Err(EngineError::BaseImageScript {
                name: name.to_string(),
                script: self.base_image_script.clone(),
                detail: "it succeeded but the image is still missing".to_string(),
                output_tail: Vec::new(),
            }),
        }
    }

    /// The last `TAIL_LINES` lines of the container's output, empty if it cannot be read.
    async fn log_tail(&self, id: &ContainerId) -> Vec<String> {
        let options = LogsOptionsBuilder::new()
            .stdout(true)
            .stderr(true)
            .tail(&TAIL_LINES.to_string())
            .build();
        match collect_logs(self.docker.logs(id.as_str(), Some(options))).await {
            Ok(text) => last_lines(&text, TAIL_LINES),
            Err(_) => Vec::new(),
        }
    }

    fn labels_for(&self, spec: &ContainerSpec) -> HashMap<String, String> {
        let mut labels: HashMap<String, String> = spec.all_labels().into_iter().collect();
        if let Some(scope) = &self.scope {
            labels.insert(SCOPE_LABEL.to_string(), scope.clone());
        }
        labels
    }

    /// Writes one chunk of build output to the log and the tail.
    async fn log_chunk(
        file: &mut tokio::fs::File,
        path: &Path,
        tail: &mut LogTail,
        text: &str,
    ) -> Result<(), EngineError> {
        tail.push(text);
        let io = |source| EngineError::BuildLog { path: path.to_path_buf(), source };
        file.write_all(text.as_bytes()).await.map_err(io)?;
        file.flush().await.map_err(io)
    }
}

impl Engine for DockerEngine {
    async fn version(&self) -> Result<String, EngineError> {
        let version = self
            .docker
            .version()
            .await
            .map_err(|e| EngineError::api("read the server version", e))?;
        Ok(version.version.unwrap_or_else(|| "unknown".to_string()))
    }

    async fn image_id(&self, tag: &str) -> Result<Option<String>, EngineError> {
        match self.docker.inspect_image(tag).await {
            Ok(image) => Ok(Some(image.id.unwrap_or_default())),
            Err(e) if status_of(&e) == Some(404) => Ok(None),
            Err(e) => Err(EngineError::api(format!("inspect image {tag}"), e)),
        }
    }

    async fn build(&self, request: BuildRequest) -> Result<BuiltImage, EngineError> {
        // Not timed: making the base image is a one-off of the host, not part of this build.
        self.ensure_base_image(&request.base_image).await?;
        let started = Instant::now();
        let path = request.log_path.clone();
        let io = |source| EngineError::BuildLog { path: path.clone(), source };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir).await.map_err(io)?;
        }
        let mut file = tokio::fs::File::create(&path).await.map_err(io)?;
        let context_tar = context_tar(&request.context)
            .map_err(|source| EngineError::BuildContext { tag: request.tag.clone(), source })?;
        let mut tail = LogTail::new(TAIL_LINES);
        // No run identity here: labels are part of the image, so they would make the same
        // inputs build a different image per run, and containers inherit them. The build's
        // intermediate containers are the daemon's, removed by it (`forcerm`) even when this
        // process dies mid-build.
        let labels: HashMap<&str, &str> =
            request.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let options = BuildImageOptionsBuilder::new()
            .dockerfile(DOCKERFILE_IN_CONTEXT)
            .t(&request.tag)
            .rm(true)
            .forcerm(true)
            .labels(&labels)
            .build();
        let context = bollard::body_full(context_tar.into());
        let mut output = self.docker.build_image(options, None, Some(context));
        while let Some(item) = output.next().await {
            let failure = match item {
                Ok(info) => {
                    let text = info.stream.or(info.status.map(|s| s + "\n")).unwrap_or_default();
                    Self::log_chunk(&mut file, &path, &mut tail, &text).await?;
                    continue;
                }
                Err(BollardError::DockerStreamError { error }) => error,
                Err(e) => match EngineError::api(format!("build image {}", request.tag), e) {
                    EngineError::Api { detail, .. } | EngineError::Conflict { detail, .. } => {
                        detail
                    }
                    unreachable => return Err(unreachable),
                },
            };
            Self::log_chunk(&mut file, &path, &mut tail, &format!("ERROR: {failure}\n")).await?;
            return Err(EngineError::BuildFailed {
                tag: request.tag,
                message: failure.trim().to_string(),
                log_path: path,
                log_tail: tail.lines(),
            });
        }
        let id = self.image_id(&request.tag).await?.ok_or_else(|| EngineError::Api {
            action: format!("build image {}", request.tag),
            detail: "the build ended without error but no image has the tag".to_string(),
        })?;
        Ok(BuiltImage { id, seconds: started.elapsed().as_secs_f64() })
    }

    async fn start(&self, spec: &ContainerSpec) -> Result<ContainerId, EngineError> {
        let host_config = HostConfig {
            network_mode: Some("host".to_string()),
            memory: Some(spec.memory_bytes),
            memory_swap: Some(spec.memory_bytes),
            nano_cpus: Some(spec.nano_cpus),
            cpuset_cpus: spec.cpuset.clone(),
            auto_remove: Some(false),
            cap_add: (!spec.cap_add.is_empty()).then(|| spec.cap_add.clone()),
            ..Default::default()
        };
        let body = ContainerCreateBody {
            image: Some(spec.image.clone()),
            env: Some(spec.env.iter().map(|(k, v)| format!("{k}={v}")).collect()),
            labels: Some(self.labels_for(spec)),
            host_config: Some(host_config),
            ..Default::default()
        };
        let options = CreateContainerOptionsBuilder::new().name(&spec.name).build();
        let created = self.docker.create_container(Some(options), body).await.map_err(|e| {
            EngineError::api(format!("create container {} from image {}", spec.name, spec.image), e)
        })?;
        let id = ContainerId(created.id);
        if let Err(e) = self.docker.start_container(id.as_str(), None).await {
            // Best effort: the start error matters more than a failed cleanup, which
            // `remove_all_labelled` catches later.
            let _ = self.remove(&id).await;
            return Err(EngineError::api(format!("start container {}", spec.name), e));
        }
        Ok(id)
    }

    async fn wait_ready(
        &self,
        id: &ContainerId,
        port: u16,
        timeout: Duration,
    ) -> Result<(), EngineError> {
        let started = Instant::now();
        loop {
            let state = self.state(id).await?;
            if !state.running {
                return Err(EngineError::ContainerExited {
                    container: id.to_string(),
                    exit_code: state.exit_code.unwrap_or(-1),
                    oom_killed: state.oom_killed,
                    log_tail: self.log_tail(id).await,
                });
            }
            let connect = tokio::net::TcpStream::connect(("127.0.0.1", port));
            if let Ok(Ok(_stream)) = tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
                // Still running after the connect: the listener is (most likely) the container's.
                if self.state(id).await?.running {
                    return Ok(());
                }
                continue;
            }
            let waited = started.elapsed();
            if waited >= timeout {
                return Err(EngineError::NotReady {
                    container: id.to_string(),
                    port,
                    waited,
                    log_tail: self.log_tail(id).await,
                });
            }
            tokio::time::sleep(READY_POLL.min(timeout - waited)).await;
        }
    }

    async fn logs(&self, id: &ContainerId) -> Result<String, EngineError> {
        let options = LogsOptionsBuilder::new().stdout(true).stderr(true).build();
        collect_logs(self.docker.logs(id.as_str(), Some(options)))
            .await
            .map_err(|e| EngineError::api(format!("read the logs of container {id}"), e))
    }

    async fn processes(&self, id: &ContainerId) -> Result<Vec<u32>, EngineError> {
        let top = self.docker.top_processes(id.as_str(), None::<TopOptions>).await;
        let top = top.map_err(|e| EngineError::api(format!("list the processes of {id}"), e))?;
        Ok(pids(top.titles, top.processes))
    }

    async fn state(&self, id: &ContainerId) -> Result<ContainerState, EngineError> {
        let inspect = self
            .docker
            .inspect_container(id.as_str(), None)
            .await
            .map_err(|e| EngineError::api(format!("inspect container {id}"), e))?;
        let state = inspect.state.unwrap_or_default();
        let running = state.running.unwrap_or(false);
        Ok(ContainerState {
            running,
            exit_code: if running { None } else { Some(state.exit_code.unwrap_or(-1)) },
            oom_killed: state.oom_killed.unwrap_or(false),
            restart_count: inspect.restart_count.unwrap_or(0),
        })
    }

    async fn stats_sample(&self, id: &ContainerId) -> Result<StatsSample, EngineError> {
        let action = || format!("read the stats of container {id}");
        let options = StatsOptionsBuilder::new().stream(false).one_shot(true).build();
        let stats = self
            .docker
            .stats(id.as_str(), Some(options))
            .next()
            .await
            .ok_or_else(|| EngineError::Api {
                action: action(),
                detail: "the engine sent no sample".to_string(),
            })?
            .map_err(|e| EngineError::api(action(), e))?;
        let cpu = stats.cpu_stats.unwrap_or_default();
        let memory = stats.memory_stats.unwrap_or_default();
        Ok(StatsSample {
            cpu_total_ns: cpu.cpu_usage.and_then(|u| u.total_usage).unwrap_or(0),
            system_cpu_ns: cpu.system_cpu_usage.unwrap_or(0),
            online_cpus: cpu.online_cpus.unwrap_or(0),
            memory_bytes: memory_without_cache(memory.usage.unwrap_or(0), memory.stats.as_ref()),
        })
    }

    async fn read_file(&self, id: &ContainerId, path: &str) -> Result<Vec<u8>, EngineError> {
        let not_found =
            || EngineError::FileNotFound { container: id.to_string(), path: path.to_string() };
        let options = DownloadFromContainerOptionsBuilder::new().path(path).build();
        let mut archive = Vec::new();
        let mut chunks = self.docker.download_from_container(id.as_str(), Some(options));
        while let Some(chunk) = chunks.next().await {
            match chunk {
                Ok(bytes) => archive.extend_from_slice(&bytes),
                Err(e) if status_of(&e) == Some(404) => return Err(not_found()),
                Err(e) => {
                    return Err(EngineError::api(format!("copy {path} out of container {id}"), e));
                }
            }
        }
        single_file(&archive).ok_or_else(not_found)
    }

    async fn put_file(
        &self,
        id: &ContainerId,
        path: &str,
        content: Vec<u8>,
        mode: u32,
    ) -> Result<(), EngineError> {
        self.upload(id, path, content, mode).await
    }

    async fn exec(&self, id: &ContainerId, argv: &[String]) -> Result<ExecOutput, EngineError> {
        self.exec_to_end(id, argv).await
    }

    async fn remove(&self, id: &ContainerId) -> Result<(), EngineError> {
        let options = RemoveContainerOptionsBuilder::new().force(true).v(true).build();
        match self.docker.remove_container(id.as_str(), Some(options)).await {
            Ok(()) => Ok(()),
            // Already gone, or another caller is removing it (e.g. the Ctrl-C cleanup).
            Err(e) if status_of(&e) == Some(404) || is_removal_in_progress(&e) => Ok(()),
            Err(e) => Err(EngineError::api(format!("remove container {id}"), e)),
        }
    }
}

/// The HTTP status of a failed API call, if the engine answered.
fn status_of(error: &BollardError) -> Option<u16> {
    match error {
        BollardError::DockerResponseServerError { status_code, .. } => Some(*status_code),
        _ => None,
    }
}

fn is_removal_in_progress(error: &BollardError) -> bool {
    matches!(error, BollardError::DockerResponseServerError { status_code: 409, message } if message.contains("already in progress"))
}

async fn collect_logs(
    stream: impl futures_util::Stream<Item = Result<bollard::container::LogOutput, BollardError>>,
) -> Result<String, BollardError> {
    let mut stream = std::pin::pin!(stream);
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(chunk?.as_ref());
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Memory usage without the inactive page cache, as `docker stats` computes it on cgroup v1
/// (`total_inactive_file`) and v2 (`inactive_file`).
fn memory_without_cache(usage: u64, stats: Option<&HashMap<String, u64>>) -> u64 {
    let inactive = stats
        .and_then(|s| s.get("total_inactive_file").or_else(|| s.get("inactive_file")))
        .copied();
    match inactive {
        Some(v) if v < usage => usage - v,
        _ => usage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_excludes_inactive_cache_on_both_cgroup_versions() {
        let v1 =
            HashMap::from([("total_inactive_file".to_string(), 30), ("cache".to_string(), 40)]);
        let v2 = HashMap::from([("inactive_file".to_string(), 25)]);
        assert_eq!(memory_without_cache(100, Some(&v1)), 70);
        assert_eq!(memory_without_cache(100, Some(&v2)), 75);
        assert_eq!(memory_without_cache(100, None), 100);
        assert_eq!(memory_without_cache(10, Some(&v2)), 10);
    }
}
