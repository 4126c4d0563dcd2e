use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};

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
    /// any arrives with all of its own).
    pub fn arrive(&self, connections: u64) {
        let mut arrived = self.arrived.lock().unwrap_or_else(|poison| poison.into_inner());
        *arrived += connections;
        self.changed.notify_all();
    }

    /// The caller: blocks until `connections` have arrived.
    pub fn wait_for(&self, connections: u64) {
        let mut arrived = self.arrived.lock().unwrap_or_else(|poison| poison.into_inner());
        while *arrived < connections {
            arrived = self.changed.wait(arrived).unwrap_or_else(|poison| poison.into_inner());
        }
    }

    /// The caller: the run is abandoned; the threads end within one sampling interval.
    pub fn abort(&self) {
        self.aborted.store(true, Ordering::Relaxed);
    }

    pub fn aborted(&self) -> bool {
        self.aborted.load(Ordering::Relaxed)
    }
}
