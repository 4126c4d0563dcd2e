use std::time::Duration;

use crate::statistics::WarmupRule;

/// The run's rules that hold for every cell. What may differ by cell (the primer, the
/// readiness timeout, the sample interval) comes from the matrix as `matrix::RunKnobs`.
#[derive(Clone, Debug, PartialEq)]
pub struct Knobs {
    /// Shortest wait for the answer to the verification request (the cell's timeout if longer).
    pub probe_timeout_min: Duration,
    /// When a warm-up's throughput counts as steady, ending it before its configured length.
    pub warmup_rule: WarmupRule,
}

impl Default for Knobs {
    fn default() -> Knobs {
        Knobs { probe_timeout_min: Duration::from_secs(1), warmup_rule: WarmupRule::default() }
    }
}
