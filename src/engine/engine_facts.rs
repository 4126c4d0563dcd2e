use std::time::Duration;

use super::Engine;

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
    /// leave every result of the run without it. `probe_image` is an image the engine has
    /// (the base image), run once with no cpuset to read the CPUs it is given.
    pub async fn read<E: Engine>(engine: &E, probe_image: &str) -> EngineFacts {
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
        match engine.cpus(probe_image).await {
            Ok(cpus) => facts.cpus = Some(cpus),
            Err(e) => facts.warnings.push(format!(
                "cannot learn which CPUs the engine's containers get ({e}); the servers are \
                 placed as if they were the CPUs bench runs on"
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
