use std::path::{Path, PathBuf};

use super::engine_error::EngineError;
use super::log_tail::{TAIL_LINES, last_lines};

/// The base image that `scripts/make-base-image.sh` can make locally (it pulls it when a
/// registry answers, and debootstraps it otherwise).
pub const MAKEABLE_BASE_IMAGE: &str = "debian:bookworm-slim";

/// The script that pulls, or debootstraps and imports, `MAKEABLE_BASE_IMAGE`, relative to the
/// repo root.
pub const BASE_IMAGE_SCRIPT: &str = "scripts/make-base-image.sh";

/// What `DockerEngine::ensure_base_image` found or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseImage {
    /// The image was already there, with this id.
    Present { id: String },
    /// The image was missing and the script made it.
    Made { id: String },
}

impl BaseImage {
    pub fn id(&self) -> &str {
        match self {
            BaseImage::Present { id } | BaseImage::Made { id } => id,
        }
    }
}

/// Runs `script name` to make the base image `name`; on failure the error holds the exit
/// status and the last lines of the script's output.
pub async fn run_base_image_script(script: &Path, name: &str) -> Result<(), EngineError> {
    let failure = |detail: String, output: &str| EngineError::BaseImageScript {
        name: name.to_string(),
        script: PathBuf::from(script),
        detail,
        output_tail: last_lines(output, TAIL_LINES),
    };
    if !script.is_file() {
        return Err(failure(
            "the script is not there (run bench from the repository root)".to_string(),
            "",
        ));
    }
    let output = tokio::process::Command::new(script)
        .arg(name)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| failure(format!("cannot run it: {e}"), ""))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(())
    } else {
        Err(failure(format!("it exited with {}", output.status), &text))
    }
}
