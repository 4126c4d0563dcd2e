use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

/// Where the caller waits until every connection has made its first attempt to open (the
/// connections do not wait: each sends as soon as it is open, as wrk's do), then decides
/// whether the run goes on or is aborted (no connection at all, a thread that failed).
#[derive(Default)]
pub struct Gate {
    /// Connections whose first attempt is over (opened or not).
    arrived: Mutex<u64>,
    changed: Condvar,
    aborted: AtomicBool,
}

impl Gate {
    /// `connections` have made their first attempt (a thread that failed before opening
    /// any arrives with all of its own, a run that ended before a connection tried arrives
    /// with it untried).
    pub fn arrive(&self, connections: u64) {
        let mut arrived = self.arrived.lock().unwrap_or_else(|poison| poison.into_inner());
        *arrived += connections;
        self.changed.notify_all();
    }

    /// The caller: blocks until `connections` have arrived or `until` has passed, whichever
    /// is first; whether they all arrived. The bound is what keeps a caller from waiting on a
    /// connection that will never arrive (a thread that died in between): the threads make
    /// every connection arrive, but the caller does not rely on it past the run's end.
    pub fn wait_for(&self, connections: u64, until: Instant) -> bool {
        let mut arrived = self.arrived.lock().unwrap_or_else(|poison| poison.into_inner());
        while *arrived < connections {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            arrived = match self.changed.wait_timeout(arrived, left) {
                Ok((arrived, _)) => arrived,
                Err(poison) => poison.into_inner().0,
            };
        }
        true
    }

    /// Connections whose first attempt is over so far.
    pub fn arrived(&self) -> u64 {
        *self.arrived.lock().unwrap_or_else(|poison| poison.into_inner())
    }

    /// The caller: the run is abandoned; the threads end within one sampling interval.
    pub fn abort(&self) {
        self.aborted.store(true, Ordering::Relaxed);
    }

    pub fn aborted(&self) -> bool {
        self.aborted.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;

    #[test]
    fn waiting_ends_when_every_connection_has_arrived() {
        let gate = Arc::new(Gate::default());
        let arriving = gate.clone();
        let threads: Vec<_> = (0..3)
            .map(|_| {
                let gate = arriving.clone();
                std::thread::spawn(move || gate.arrive(2))
            })
            .collect();
        // A bound far beyond the arrivals: reaching it would be the failure.
        assert!(gate.wait_for(6, Instant::now() + Duration::from_secs(600)));
        threads.into_iter().for_each(|t| t.join().unwrap());
    }

    #[test]
    fn waiting_for_a_connection_that_never_arrives_ends_at_the_bound() {
        let gate = Gate::default();
        gate.arrive(1);
        let until = Instant::now() + Duration::from_millis(50);
        assert!(!gate.wait_for(2, until), "one of two arrived");
        assert!(Instant::now() >= until, "returned before its bound");
        // A bound already past: the answer without waiting.
        assert!(!gate.wait_for(2, until));
        assert!(gate.wait_for(1, until), "enough arrived: true even past the bound");
    }
}
