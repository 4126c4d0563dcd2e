use std::collections::BTreeMap;
use std::time::Instant;

/// Wall time per phase of a measurement, each lap from the previous one, in milliseconds
/// (recorded as the result's `provenance.phases_ms`).
pub(super) struct PhaseClock {
    last: Instant,
    pub phases: BTreeMap<String, u64>,
}

impl PhaseClock {
    pub fn new() -> PhaseClock {
        PhaseClock {
            last: Instant::now(),
            phases: BTreeMap::new(),
        }
    }

    /// Ends the phase `phase` now; the next one starts.
    pub fn lap(&mut self, phase: &str) {
        let now = Instant::now();
        self.phases.insert(
            phase.to_string(),
            now.duration_since(self.last).as_millis() as u64,
        );
        self.last = now;
    }
}
