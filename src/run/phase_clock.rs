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
        PhaseClock { last: Instant::now(), phases: BTreeMap::new() }
    }

    /// Ends the phase `phase` now, the next one starting; gives its milliseconds.
    pub fn lap(&mut self, phase: &str) -> u64 {
        let now = Instant::now();
        let ms = now.duration_since(self.last).as_millis() as u64;
        self.phases.insert(phase.to_string(), ms);
        self.last = now;
        ms
    }
}
