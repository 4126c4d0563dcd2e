use std::time::Duration;

use super::base_image::MAKEABLE_BASE_IMAGE;
use super::containers::Containers;
use super::{Engine, EngineError};

/// What a run learns about its engine once, at its start: the version recorded in every
/// result's machine, and the CPUs its containers may run on, within which the servers are
/// placed (`run::Placement`). Either may stay unknown; `warnings` says why.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EngineFacts {
    pub version: Option<String>,
    pub cpus: Option<Vec<usize>>,
    pub warnings: Vec<String>,
}

/// The pause before the version is asked for a second time: enough for a connection to be
/// made again, short beside a run.
const RETRY_AFTER: Duration = Duration::from_millis(500);

impl EngineFacts {
    /// Reads both. The version call is made once more after a transient failure (the engine
    /// unreachable for a moment, or failing on its side), so a hiccup at the start does not
    /// leave every result of the run without it. The CPUs are probed (`Containers::cpus`,
    /// tracked in `containers`) with the first of `base_images` the engine has, else with
    /// `MAKEABLE_BASE_IMAGE` (made when missing); with no base images (nothing to run), they
    /// are not probed.
    pub async fn read<E: Engine>(
        engine: &E,
        containers: &Containers,
        base_images: &[&str],
    ) -> EngineFacts {
        let mut facts = EngineFacts::default();
        let version = match engine.version().await {
            Err(e) if e.is_transient() => {
                tokio::time::sleep(RETRY_AFTER).await;
                engine.version().await
            }
            answered => answered,
        };
        match version {
            Ok(version) => facts.version = Some(version),
            Err(e) => facts.warnings.push(format!("the engine's version is not recorded: {e}")),
        }
        if base_images.is_empty() {
            return facts;
        }
        let probed = match probe_image(engine, base_images).await {
            Ok(image) => containers.cpus(engine, &image).await,
            Err(e) => Err(e),
        };
        match probed {
            Ok(cpus) => facts.cpus = Some(cpus),
            Err(e) => facts.warnings.push(format!(
                "cannot learn which CPUs the engine's containers get ({e}); the servers are \
                 placed as if they were the CPUs bench runs on, and a cell's `cpuset` goes to \
                 the engine unchecked"
            )),
        }
        facts
    }

    /// Each warning on stderr, prefixed with the command.
    pub fn warn(&self, command: &str) {
        for warning in &self.warnings {
            eprintln!("{command}: warning: {warning}");
        }
    }
}

/// The first of `base_images` the engine has, else the base image bench can make.
async fn probe_image<E: Engine>(engine: &E, base_images: &[&str]) -> Result<String, EngineError> {
    for image in base_images {
        if engine.image_id(image).await?.is_some() {
            return Ok(image.to_string());
        }
    }
    Ok(MAKEABLE_BASE_IMAGE.to_string())
}
