use std::time::{Duration, Instant};

/// Open-loop schedule (wrk2's `-R`): the total rate is cut into global slots `g = k * C + i`
/// (connection `i` of `C`, its `k`-th request), slot `g` being due at `start + g / rate`.
/// Each connection thus sends every `C / rate` seconds, the connections interleaved evenly.
#[derive(Clone, Copy, Debug)]
pub struct Schedule {
    pub start: Instant,
    pub rate: u64,
    pub connections: u64,
}

impl Schedule {
    /// When connection `index` should send its `k`-th request.
    pub fn due(&self, index: u64, k: u64) -> Instant {
        let slot = u128::from(k) * u128::from(self.connections) + u128::from(index);
        let nanos = slot * 1_000_000_000 / u128::from(self.rate.max(1));
        self.start + Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_interleave_connections_at_the_total_rate() {
        let start = Instant::now();
        let schedule = Schedule { start, rate: 1000, connections: 4 };
        assert_eq!(schedule.due(0, 0), start);
        assert_eq!(schedule.due(1, 0) - start, Duration::from_millis(1));
        assert_eq!(schedule.due(3, 0) - start, Duration::from_millis(3));
        assert_eq!(schedule.due(0, 1) - start, Duration::from_millis(4));
        assert_eq!(schedule.due(2, 250) - start, Duration::from_millis(1002));
    }
}
