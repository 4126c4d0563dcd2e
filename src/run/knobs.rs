use std::time::Duration;

use crate::statistics::WarmupRule;

/// The run's fixed settings: the same for every cell, and not (yet) set by the matrix. One
/// place, so that a later change can expose each as a matrix setting under its name here.
#[derive(Clone, Debug, PartialEq)]
pub struct Knobs {
    /// Low-concurrency load before the warmup, to wake lazy servers (zero: no primer).
    pub primer: Duration,
    /// Connections of the primer (never more than the cell's own).
    pub primer_connections: u32,
    /// How long a started server may take to accept connections.
    pub ready_timeout: Duration,
    /// Interval of the container CPU/memory samples while measuring.
    pub sample_every: Duration,
    /// Shortest wait for the answer to the verification request (the cell's timeout if longer).
    pub probe_timeout_min: Duration,
    /// When a warm-up's throughput counts as steady, ending it before its configured length.
    pub warmup_rule: WarmupRule,
}

impl Default for Knobs {
    fn default() -> Knobs {
        Knobs {
            primer: Duration::from_secs(2),
            primer_connections: 2,
            ready_timeout: Duration::from_secs(120),
            sample_every: Duration::from_secs(1),
            probe_timeout_min: Duration::from_secs(1),
            warmup_rule: WarmupRule::default(),
        }
    }
}
