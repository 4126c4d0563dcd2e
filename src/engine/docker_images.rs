//! The Docker side of `Engine::image_id` and `Engine::build`: an image looked up by tag, and
//! a build streamed into its log file.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use bollard::errors::Error as BollardError;
use bollard::query_parameters::BuildImageOptionsBuilder;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use super::build_request::{BuildRequest, BuiltImage};
use super::docker_engine::{DockerEngine, status_of};
use super::docker_tar::{DOCKERFILE_IN_CONTEXT, context_tar};
use super::engine_error::EngineError;
use super::log_tail::{LogTail, TAIL_LINES};

impl DockerEngine {
    /// The id of the image tagged `tag`, `None` when there is none.
    pub(super) async fn inspect_image_id(&self, tag: &str) -> Result<Option<String>, EngineError> {
        match self.docker.inspect_image(tag).await {
            Ok(image) => Ok(Some(image.id.unwrap_or_default())),
            Err(e) if status_of(&e) == Some(404) => Ok(None),
            Err(e) => Err(EngineError::api(format!("inspect image {tag}"), e)),
        }
    }

    /// Builds `request` on its base image (made first if it can be), its output written to
    /// the log as it arrives.
    pub(super) async fn build_image(
        &self,
        request: BuildRequest,
    ) -> Result<BuiltImage, EngineError> {
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
                    log_chunk(&mut file, &path, &mut tail, &text).await?;
                    continue;
                }
                Err(BollardError::DockerStreamError { error }) => error,
                Err(e) => match EngineError::api(format!("build image {}", request.tag), e) {
                    EngineError::Api { detail, .. }
                    | EngineError::Conflict { detail, .. }
                    | EngineError::Rejected { detail, .. }
                    | EngineError::Gone { detail, .. }
                    | EngineError::Daemon { detail, .. } => detail,
                    unreachable => return Err(unreachable),
                },
            };
            log_chunk(&mut file, &path, &mut tail, &format!("ERROR: {failure}\n")).await?;
            return Err(EngineError::BuildFailed {
                tag: request.tag,
                message: failure.trim().to_string(),
                log_path: path,
                log_tail: tail.lines(),
            });
        }
        let id = self.inspect_image_id(&request.tag).await?.ok_or_else(|| EngineError::Api {
            action: format!("build image {}", request.tag),
            detail: "the build ended without error but no image has the tag".to_string(),
        })?;
        Ok(BuiltImage { id, seconds: started.elapsed().as_secs_f64() })
    }
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
