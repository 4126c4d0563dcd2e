//! The Docker side of `Engine::cpus`: the CPUs the engine's containers may run on, as the
//! kernel tells a process inside one. Run once at the start of a run: the engine may have
//! other CPUs than bench (Docker-in-Docker in a pod, with CPUs of its own).

use std::time::{Duration, Instant};

use bollard::models::{ContainerCreateBody, HostConfig};

use super::container_spec::{ContainerId, ContainerSpec};
use super::docker_engine::DockerEngine;
use super::engine_error::EngineError;
use super::run_identity::RunIdentity;

/// How long the probe may take to print a file and exit (a busy engine starts slowly).
const PROBE_TIMEOUT: Duration = Duration::from_secs(60);
const PROBE_POLL: Duration = Duration::from_millis(50);

impl DockerEngine {
    /// Starts a container `name` of the base image `image` (made first when missing, as the
    /// first build would make it: `ensure_base_image`) with no cpuset, reads its
    /// `Cpus_allowed_list` and removes it. It carries this run's identity, so a sweep
    /// removes it if the run dies meanwhile.
    pub(super) async fn probe_cpus(
        &self,
        image: &str,
        name: &str,
    ) -> Result<Vec<usize>, EngineError> {
        self.ensure_base_image(image).await?;
        let me = RunIdentity::current();
        let spec = ContainerSpec {
            image: image.to_string(),
            name: name.to_string(),
            env: Vec::new(),
            nano_cpus: 0,
            cpuset: None,
            memory_bytes: 0,
            labels: me.labels(),
            cap_add: Vec::new(),
        };
        let body = ContainerCreateBody {
            image: Some(spec.image.clone()),
            cmd: Some(vec!["cat".to_string(), "/proc/self/status".to_string()]),
            labels: Some(self.labels_for(&spec)),
            host_config: Some(HostConfig {
                network_mode: Some("none".to_string()),
                auto_remove: Some(false),
                ..Default::default()
            }),
            ..Default::default()
        };
        let id = self.create_and_start_body(&spec.name, body).await?;
        let output = self.output_at_exit(&id).await;
        let removed = self.remove_container(&id).await;
        let status = output?;
        removed?;
        cpus_allowed(&status).ok_or_else(|| EngineError::Api {
            action: format!("read the CPUs of a container of {image}"),
            detail: format!(
                "its /proc/self/status has no Cpus_allowed_list: {}",
                status.lines().next().unwrap_or("(no output)")
            ),
        })
    }

    /// The container's output once it has exited.
    async fn output_at_exit(&self, id: &ContainerId) -> Result<String, EngineError> {
        let started = Instant::now();
        while self.container_state(id).await?.running {
            if started.elapsed() >= PROBE_TIMEOUT {
                return Err(EngineError::Api {
                    action: format!("read the CPUs of container {id}"),
                    detail: format!(
                        "it did not exit within {}",
                        humantime::format_duration(PROBE_TIMEOUT)
                    ),
                });
            }
            tokio::time::sleep(PROBE_POLL).await;
        }
        self.read_logs(id).await
    }
}

/// `Cpus_allowed_list:\t0-3,6` in `/proc/<pid>/status` → CPU numbers.
pub(super) fn cpus_allowed(status: &str) -> Option<Vec<usize>> {
    let line = status.lines().find_map(|l| l.strip_prefix("Cpus_allowed_list:"))?;
    parse_cpu_list(line).filter(|cpus| !cpus.is_empty())
}

/// A CPU list as the kernel and Docker write it (`0-3,6`, a cpuset), with any CPU number a
/// kernel can have → the CPUs it names; `None` when it does not parse. The matrix's own
/// cpusets are validated by the same parser (`model::checks::cpuset`), so a set read here
/// and one the matrix wrote mean the same CPUs.
pub fn parse_cpu_list(text: &str) -> Option<Vec<usize>> {
    crate::model::checks::cpuset(text.trim(), u64::from(u16::MAX)).ok()
}

#[cfg(test)]
mod tests {
    use super::{cpus_allowed, parse_cpu_list};

    #[test]
    fn the_allowed_list_is_read_from_a_status_file() {
        let status =
            "Name:\tcat\nCpus_allowed:\t3c\nCpus_allowed_list:\t2-5\nMems_allowed_list:\t0\n";
        assert_eq!(cpus_allowed(status), Some(vec![2, 3, 4, 5]));
        assert_eq!(cpus_allowed("Cpus_allowed_list:\t0,3\n"), Some(vec![0, 3]));
        assert_eq!(cpus_allowed("Name:\tcat\n"), None);
        assert_eq!(cpus_allowed("Cpus_allowed_list:\tgarbage\n"), None);
        assert_eq!(parse_cpu_list(" 0,2-3\n"), Some(vec![0, 2, 3]));
        assert_eq!(parse_cpu_list("3-1"), None);
    }
}
