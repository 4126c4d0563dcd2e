//! A live view of a run's per-second windows and a way to end the run early: what a caller
//! needs to stop a warm-up once its throughput is steady (`run::Execution`).
//!
//! Each generator thread reports the requests of every window it closes (`windows.rs`); a
//! window is complete once every thread has reported it. `stop` is seen by the threads'
//! samplers within one sampling interval (100 ms); they then drop their connections, like
//! at the deadline, and the run's summary covers the time until then.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Shared between the caller and a load run (`load::run_watched`).
#[derive(Debug, Default)]
pub struct LoadWatch {
    state: Mutex<WatchState>,
    stop: AtomicBool,
}

#[derive(Debug, Default)]
struct WatchState {
    threads: usize,
    /// Per window: completed requests so far, and how many threads reported it.
    windows: Vec<(u64, usize)>,
}

impl LoadWatch {
    /// Completed requests of each whole window every thread has closed, in order.
    pub fn windows(&self) -> Vec<u64> {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let threads = state.threads.max(1);
        state.windows.iter().take_while(|(_, seen)| *seen >= threads).map(|(r, _)| *r).collect()
    }

    /// Ends the run early (within 100 ms); requests in flight are dropped, as at the deadline.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// A run of `threads` generator threads (or a fake generator's one) begins.
    pub fn begin(&self, threads: usize) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).threads = threads;
    }

    /// One thread closed window `index` with `requests` completed in it.
    pub fn report(&self, index: usize, requests: u64) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.windows.len() <= index {
            state.windows.resize(index + 1, (0, 0));
        }
        let window = &mut state.windows[index];
        window.0 += requests;
        window.1 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_is_complete_once_every_thread_reported_it() {
        let watch = LoadWatch::default();
        watch.begin(2);
        watch.report(0, 10);
        assert!(watch.windows().is_empty());
        watch.report(1, 7);
        watch.report(0, 5);
        assert_eq!(watch.windows(), [15]);
        watch.report(1, 3);
        assert_eq!(watch.windows(), [15, 10]);
        assert!(!watch.stopped());
        watch.stop();
        assert!(watch.stopped());
    }
}
