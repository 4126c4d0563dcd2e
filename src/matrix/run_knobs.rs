use serde::{Deserialize, Serialize};

/// How the run stage handles a cell around its measurement: the primer, how long the server
/// may take to get ready, and how often the container is sampled. Set by the matrix settings
/// `primer-duration`, `primer-connections`, `readiness-timeout` and `sample-interval`.
///
/// These say how bench waits and watches, not what is measured: like `repeat`, they stay out
/// of the cell hash, so changing one does not orphan stored results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunKnobs {
    /// Light load before the warmup, to wake lazy servers (zero: no primer).
    pub primer_ms: u64,
    /// Connections of the primer (never more than the cell's own).
    pub primer_connections: u32,
    /// How long a started server may take to accept connections.
    pub readiness_timeout_ms: u64,
    /// Interval of the container CPU/memory samples while measuring.
    pub sample_interval_ms: u64,
}

impl Default for RunKnobs {
    /// The settings' defaults: what results stored before the settings existed were run with.
    fn default() -> RunKnobs {
        RunKnobs {
            primer_ms: 2_000,
            primer_connections: 2,
            readiness_timeout_ms: 120_000,
            sample_interval_ms: 1_000,
        }
    }
}
