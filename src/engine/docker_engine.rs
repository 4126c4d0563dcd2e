use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use bollard::Docker;
use bollard::errors::Error as BollardError;

use super::Engine;
use super::base_image::{BASE_IMAGE_SCRIPT, BaseImage, MAKEABLE_BASE_IMAGE, run_base_image_script};
use super::build_request::{BuildRequest, BuiltImage};
use super::container_spec::{ContainerId, ContainerSpec};
use super::container_state::ContainerState;
use super::docker_host::connect_from_env;
use super::engine_error::EngineError;
use super::exec_output::ExecOutput;
use super::stats_sample::StatsSample;

/// The Docker engine on this host, through bollard. Its `Engine` calls are laid out by what
/// they act on: images (`docker_images`), containers (`docker_containers`), files and
/// commands inside a container (`docker_exec`), the engine's CPUs (`docker_cpus`).
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
        if let Some(id) = self.inspect_image_id(name).await? {
            return Ok(BaseImage::Present { id });
        }
        if name != MAKEABLE_BASE_IMAGE {
            return Err(EngineError::BaseImageMissing { name: name.to_string() });
        }
        run_base_image_script(&self.base_image_script, name).await?;
        match self.inspect_image_id(name).await? {
            Some(id) => Ok(BaseImage::Made { id }),
            None => Err(EngineError::BaseImageScript {
                name: name.to_string(),
                script: self.base_image_script.clone(),
                detail: "it succeeded but the image is still missing".to_string(),
                output_tail: Vec::new(),
            }),
        }
    }

    /// The labels of a container started for `spec`: its own, `bench=1`, and the scope.
    pub(super) fn labels_for(&self, spec: &ContainerSpec) -> HashMap<String, String> {
        let mut labels: HashMap<String, String> = spec.all_labels().into_iter().collect();
        if let Some(scope) = &self.scope {
            labels.insert(SCOPE_LABEL.to_string(), scope.clone());
        }
        labels
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

    async fn cpus(&self, image: &str, name: &str) -> Result<Vec<usize>, EngineError> {
        self.probe_cpus(image, name).await
    }

    async fn image_id(&self, tag: &str) -> Result<Option<String>, EngineError> {
        self.inspect_image_id(tag).await
    }

    async fn build(&self, request: BuildRequest) -> Result<BuiltImage, EngineError> {
        self.build_image(request).await
    }

    async fn start(&self, spec: &ContainerSpec) -> Result<ContainerId, EngineError> {
        self.create_and_start(spec).await
    }

    async fn wait_ready(
        &self,
        id: &ContainerId,
        port: u16,
        timeout: Duration,
    ) -> Result<(), EngineError> {
        self.wait_until_ready(id, port, timeout).await
    }

    async fn logs(&self, id: &ContainerId) -> Result<String, EngineError> {
        self.read_logs(id).await
    }

    async fn processes(&self, id: &ContainerId) -> Result<Vec<u32>, EngineError> {
        self.container_processes(id).await
    }

    async fn state(&self, id: &ContainerId) -> Result<ContainerState, EngineError> {
        self.container_state(id).await
    }

    async fn stats_sample(&self, id: &ContainerId) -> Result<StatsSample, EngineError> {
        self.container_stats(id).await
    }

    async fn read_file(&self, id: &ContainerId, path: &str) -> Result<Vec<u8>, EngineError> {
        self.download_file(id, path).await
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
        self.remove_container(id).await
    }
}

/// The HTTP status of a failed API call, if the engine answered.
pub(super) fn status_of(error: &BollardError) -> Option<u16> {
    match error {
        BollardError::DockerResponseServerError { status_code, .. } => Some(*status_code),
        _ => None,
    }
}
