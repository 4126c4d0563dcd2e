//! The Docker side of `Engine::put_file` and `Engine::exec`: a file copied in as a one-entry
//! tar, a command run to its end with its output collected.

use bollard::exec::{CreateExecOptions, StartExecResults};
use bollard::query_parameters::UploadToContainerOptionsBuilder;
use futures_util::StreamExt;

use super::container_spec::ContainerId;
use super::docker_engine::DockerEngine;
use super::docker_tar::one_file_tar;
use super::engine_error::EngineError;
use super::exec_output::ExecOutput;

impl DockerEngine {
    /// Writes `content` as the file `path` (absolute) with `mode` into the container.
    pub(super) async fn upload(
        &self,
        id: &ContainerId,
        path: &str,
        content: Vec<u8>,
        mode: u32,
    ) -> Result<(), EngineError> {
        let (dir, name) =
            path.rsplit_once('/').filter(|(_, n)| !n.is_empty()).ok_or_else(|| {
                EngineError::Api {
                    action: format!("copy a file into container {id}"),
                    detail: format!("{path} is not an absolute file path"),
                }
            })?;
        let dir = if dir.is_empty() { "/" } else { dir };
        let tar = one_file_tar(name, mode, &content).map_err(|e| EngineError::Api {
            action: format!("pack {path} for container {id}"),
            detail: e.to_string(),
        })?;
        let options = UploadToContainerOptionsBuilder::new().path(dir).build();
        self.docker
            .upload_to_container(id.as_str(), Some(options), bollard::body_full(tar.into()))
            .await
            .map_err(|e| EngineError::api(format!("copy {path} into container {id}"), e))
    }

    /// Runs `argv` in the container as its default user and waits for its end.
    pub(super) async fn exec_to_end(
        &self,
        id: &ContainerId,
        argv: &[String],
    ) -> Result<ExecOutput, EngineError> {
        let action = || format!("run {:?} in container {id}", argv.first().map(String::as_str));
        let config = CreateExecOptions {
            cmd: Some(argv.to_vec()),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            ..Default::default()
        };
        let created = self
            .docker
            .create_exec(id.as_str(), config)
            .await
            .map_err(|e| EngineError::api(action(), e))?;
        let started = self
            .docker
            .start_exec(&created.id, None)
            .await
            .map_err(|e| EngineError::api(action(), e))?;
        let mut output = String::new();
        if let StartExecResults::Attached { output: mut stream, .. } = started {
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|e| EngineError::api(action(), e))?;
                output.push_str(&String::from_utf8_lossy(&chunk.into_bytes()));
            }
        }
        let inspected = self
            .docker
            .inspect_exec(&created.id)
            .await
            .map_err(|e| EngineError::api(action(), e))?;
        Ok(ExecOutput { exit_code: inspected.exit_code, output })
    }
}
