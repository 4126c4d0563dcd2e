use std::sync::{Condvar, Mutex};
use std::time::Instant;

/// Where generator threads wait, connections open, until the caller decides: start
/// measuring at one common instant, or give up.
#[derive(Default)]
pub struct Gate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    /// Threads done with setup (successfully or not).
    ready: usize,
    decision: Option<Decision>,
}

#[derive(Clone, Copy, Debug)]
pub enum Decision {
    Start(Instant),
    Abort,
}

impl Gate {
    /// A generator thread: setup is done; blocks until the decision.
    pub fn arrive_and_wait(&self) -> Decision {
        let mut state = self.state.lock().unwrap_or_else(|poison| poison.into_inner());
        state.ready += 1;
        self.changed.notify_all();
        loop {
            if let Some(decision) = state.decision {
                return decision;
            }
            state = self.changed.wait(state).unwrap_or_else(|poison| poison.into_inner());
        }
    }

    /// The caller: blocks until `threads` threads have arrived.
    pub fn wait_for(&self, threads: usize) {
        let mut state = self.state.lock().unwrap_or_else(|poison| poison.into_inner());
        while state.ready < threads {
            state = self.changed.wait(state).unwrap_or_else(|poison| poison.into_inner());
        }
    }

    pub fn decide(&self, decision: Decision) {
        let mut state = self.state.lock().unwrap_or_else(|poison| poison.into_inner());
        state.decision = Some(decision);
        self.changed.notify_all();
    }
}
