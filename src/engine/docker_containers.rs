//! The Docker side of a container's life: created and started with the spec's limits,
//! waited for, inspected, sampled, read from and removed.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bollard::errors::Error as BollardError;
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, DownloadFromContainerOptionsBuilder, LogsOptionsBuilder,
    RemoveContainerOptionsBuilder, StatsOptionsBuilder, TopOptions,
};
use futures_util::StreamExt;

use super::container_spec::{ContainerId, ContainerSpec};
use super::container_state::ContainerState;
use super::docker_engine::{DockerEngine, status_of};
use super::docker_tar::single_file;
use super::engine_error::EngineError;
use super::log_tail::{TAIL_LINES, last_lines};
use super::process_list::pids;
use super::stats_sample::StatsSample;

/// How often `wait_ready` polls the port and the container state.
const READY_POLL: Duration = Duration::from_millis(100);
/// How long one readiness TCP connect may take.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);

impl DockerEngine {
    /// Creates and starts the container of `spec` on the host's network; one created but not
    /// started is removed before the error returns.
    pub(super) async fn create_and_start(
        &self,
        spec: &ContainerSpec,
    ) -> Result<ContainerId, EngineError> {
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
        self.create_and_start_body(&spec.name, body).await
    }

    /// Creates the container `name` from `body` and starts it.
    pub(super) async fn create_and_start_body(
        &self,
        name: &str,
        body: ContainerCreateBody,
    ) -> Result<ContainerId, EngineError> {
        let image = body.image.clone().unwrap_or_default();
        let options = CreateContainerOptionsBuilder::new().name(name).build();
        let created = self.docker.create_container(Some(options), body).await.map_err(|e| {
            EngineError::api(format!("create container {name} from image {image}"), e)
        })?;
        let id = ContainerId(created.id);
        if let Err(e) = self.docker.start_container(id.as_str(), None).await {
            // Best effort: the start error matters more than a failed cleanup, which
            // `remove_all_labelled` catches later.
            let _ = self.remove_container(&id).await;
            return Err(EngineError::api(format!("start container {name}"), e).at_start());
        }
        Ok(id)
    }

    /// Polls until a TCP connect to 127.0.0.1:`port` succeeds while the container runs.
    pub(super) async fn wait_until_ready(
        &self,
        id: &ContainerId,
        port: u16,
        timeout: Duration,
    ) -> Result<(), EngineError> {
        let started = Instant::now();
        loop {
            let state = self.container_state(id).await?;
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
                if self.container_state(id).await?.running {
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

    /// Everything the container wrote on stdout and stderr so far.
    pub(super) async fn read_logs(&self, id: &ContainerId) -> Result<String, EngineError> {
        let options = LogsOptionsBuilder::new().stdout(true).stderr(true).build();
        collect_logs(self.docker.logs(id.as_str(), Some(options)))
            .await
            .map_err(|e| EngineError::api(format!("read the logs of container {id}"), e))
    }

    pub(super) async fn container_processes(
        &self,
        id: &ContainerId,
    ) -> Result<Vec<u32>, EngineError> {
        let top = self.docker.top_processes(id.as_str(), None::<TopOptions>).await;
        let top = top.map_err(|e| EngineError::api(format!("list the processes of {id}"), e))?;
        Ok(pids(top.titles, top.processes))
    }

    pub(super) async fn container_state(
        &self,
        id: &ContainerId,
    ) -> Result<ContainerState, EngineError> {
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

    pub(super) async fn container_stats(
        &self,
        id: &ContainerId,
    ) -> Result<StatsSample, EngineError> {
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

    /// The regular file `path` copied out of the container.
    pub(super) async fn download_file(
        &self,
        id: &ContainerId,
        path: &str,
    ) -> Result<Vec<u8>, EngineError> {
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

    /// Stops and removes the container; one already gone, or being removed by another
    /// caller (e.g. the Ctrl-C cleanup), is not an error.
    pub(super) async fn remove_container(&self, id: &ContainerId) -> Result<(), EngineError> {
        let options = RemoveContainerOptionsBuilder::new().force(true).v(true).build();
        match self.docker.remove_container(id.as_str(), Some(options)).await {
            Ok(()) => Ok(()),
            Err(e) if status_of(&e) == Some(404) || is_removal_in_progress(&e) => Ok(()),
            Err(e) => Err(EngineError::api(format!("remove container {id}"), e)),
        }
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
