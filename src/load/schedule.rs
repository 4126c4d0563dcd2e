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

    /// Connection `index`'s own slots, once its first attempt to open began at `began`.
    ///
    /// The measured window opens before the connections do, and a thread opens them one
    /// after another: connection `i`'s first slot may be due before it could start to
    /// connect. Its slots then move later by that much, so that the wait for the generator's
    /// own set-up (the connects before it) is not taken for the server's latency; the
    /// connect itself is the server's (a server slow to accept holds it), and from there on
    /// every slot keeps its time whatever the server does, so a stall or a reconnect still
    /// counts from the time it held a request back. wrk2 does the same: each connection's
    /// schedule starts when that connection starts to connect.
    pub fn slots(&self, index: u64, began: Instant) -> Slots {
        let shift = began.saturating_duration_since(self.due(index, 0));
        Slots { schedule: *self, index, shift }
    }
}

/// One connection's place in a [`Schedule`]: its slots, moved by its late start to connect.
#[derive(Clone, Copy, Debug)]
pub struct Slots {
    schedule: Schedule,
    index: u64,
    shift: Duration,
}

impl Slots {
    /// When this connection should send its `k`-th request.
    pub fn due(&self, k: u64) -> Instant {
        self.schedule.due(self.index, k) + self.shift
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

    #[test]
    fn a_connection_open_in_time_keeps_its_slots() {
        let start = Instant::now();
        let schedule = Schedule { start, rate: 1000, connections: 4 };
        // Connection 3 is due at 3 ms and was open at 2 ms.
        let slots = schedule.slots(3, start + Duration::from_millis(2));
        for k in [0, 1, 250] {
            assert_eq!(slots.due(k), schedule.due(3, k));
        }
    }

    #[test]
    fn a_connection_open_late_starts_its_slots_when_open() {
        let start = Instant::now();
        let schedule = Schedule { start, rate: 1000, connections: 4 };
        // Connection 1 is due at 1 ms and its connect began at 30 ms: its first request is
        // due then, the next ones at its own interval (4 ms) after it.
        let slots = schedule.slots(1, start + Duration::from_millis(30));
        assert_eq!(slots.due(0) - start, Duration::from_millis(30));
        assert_eq!(slots.due(1) - start, Duration::from_millis(34));
        assert_eq!(slots.due(250) - start, Duration::from_millis(1030));
    }
}
