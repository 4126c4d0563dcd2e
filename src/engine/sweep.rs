use std::collections::HashMap;

use bollard::models::ContainerSummary;
use bollard::query_parameters::ListContainersOptionsBuilder;

use super::Engine;
use super::container_spec::{BENCH_LABEL, ContainerId};
use super::docker_engine::{DockerEngine, SCOPE_LABEL};
use super::engine_error::EngineError;
use super::run_identity::{Owner, PID_LABEL, RUN_LABEL, RunIdentity};

/// What `DockerEngine::sweep` found among the `bench=1` containers: it removed the ones whose
/// owning run is provably gone (`Owner::Gone`) and left every other alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sweep {
    /// Removed: `name (left by run R, pid P)`.
    pub removed: Vec<String>,
    /// Owned by a gone run but not removable: `(name, why)`.
    pub failed: Vec<(String, String)>,
    /// Owned by runs that still run (on this host), kept.
    pub live: usize,
    /// Without owner labels or from another host: their owner cannot be proven gone, kept.
    pub unknown: Vec<String>,
}

impl Sweep {
    /// One line for the user when something was removed or could not be; `None` otherwise.
    pub fn message(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.removed.is_empty() {
            parts.push(format!(
                "removed {} container(s) left by runs that are gone: {}",
                self.removed.len(),
                self.removed.join(", ")
            ));
        }
        if !self.failed.is_empty() {
            let names: Vec<&str> = self.failed.iter().map(|(n, _)| n.as_str()).collect();
            let why: Vec<String> = self.failed.iter().map(|(n, e)| format!("{n}: {e}")).collect();
            parts.push(format!(
                "could not remove {} container(s) left by runs that are gone ({}); remove them with `docker rm -f {}`",
                names.len(),
                why.join("; "),
                names.join(" ")
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

impl DockerEngine {
    /// Removes every container of this engine's scope (`with_scope`), running or stopped:
    /// a test's own leftovers. Gives how many were removed. Without a scope it refuses: every
    /// `bench=1` container includes other users' live runs (`sweep` is the safe cleanup).
    pub async fn remove_all_labelled(&self) -> Result<usize, EngineError> {
        if self.scope.is_none() {
            return Err(EngineError::Api {
                action: "remove every bench container".to_string(),
                detail: "refused without a scope: other runs' containers would go too; \
                         use `sweep`, which removes only those of runs that are gone"
                    .to_string(),
            });
        }
        let (label, containers) = self.labelled().await?;
        let mut removed = 0;
        let mut failed = Vec::new();
        for id in containers.into_iter().filter_map(|c| c.id).map(ContainerId) {
            match self.remove(&id).await {
                Ok(()) => removed += 1,
                Err(e) => failed.push(format!("{id}: {e}")),
            }
        }
        if failed.is_empty() {
            Ok(removed)
        } else {
            Err(EngineError::Api {
                action: format!("remove containers labelled {label}"),
                detail: failed.join("; "),
            })
        }
    }

    /// Every container labelled `bench=1` (and `bench.scope=<scope>` with a scope), running
    /// or stopped, with the label filter it used.
    pub(super) async fn labelled(&self) -> Result<(String, Vec<ContainerSummary>), EngineError> {
        let mut labels = vec![format!("{}={}", BENCH_LABEL.0, BENCH_LABEL.1)];
        if let Some(scope) = &self.scope {
            labels.push(format!("{SCOPE_LABEL}={scope}"));
        }
        let label = labels.join(",");
        let filters = HashMap::from([("label", labels)]);
        let options = ListContainersOptionsBuilder::new().all(true).filters(&filters).build();
        let containers = self
            .docker
            .list_containers(Some(options))
            .await
            .map_err(|e| EngineError::api(format!("list containers labelled {label}"), e))?;
        Ok((label, containers))
    }

    /// Removes every `bench=1` container (of this engine's scope, with one) whose owning run
    /// is provably gone: a run on this host whose process ended, even by SIGKILL. Containers
    /// of live runs, of other hosts and without owner labels are never touched.
    pub async fn sweep(&self) -> Result<Sweep, EngineError> {
        let (_, listed) = self.labelled().await?;
        let me = RunIdentity::current();
        let mut sweep = Sweep::default();
        for container in listed {
            let Some(id) = container.id else { continue };
            let labels = container.labels.unwrap_or_default();
            let name = container
                .names
                .and_then(|n| n.first().map(|n| n.trim_start_matches('/').to_string()))
                .unwrap_or_else(|| id.clone());
            match Owner::of(&labels, me) {
                Owner::Me => {}
                Owner::Live => sweep.live += 1,
                Owner::Unknown => sweep.unknown.push(name),
                Owner::Gone => {
                    let owner = format!(
                        "{name} (left by run {}, pid {})",
                        labels.get(RUN_LABEL).map_or("?", String::as_str),
                        labels.get(PID_LABEL).map_or("?", String::as_str)
                    );
                    match self.remove(&ContainerId(id)).await {
                        Ok(()) => sweep.removed.push(owner),
                        Err(e) => sweep.failed.push((name, e.to_string())),
                    }
                }
            }
        }
        Ok(sweep)
    }
}
