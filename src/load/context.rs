use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::config::HttpClient;
use super::schedule::Schedule;
use super::stats::ThreadStats;
use super::target::Target;

/// What the connections of one generator thread share (single-threaded, behind an `Rc`).
pub struct ThreadContext {
    pub target: Target,
    pub stats: RefCell<ThreadStats>,
    /// No request is sent at or after this instant.
    pub deadline: Instant,
    pub timeout: Duration,
    /// Open loop only.
    pub schedule: Option<Schedule>,
    pub progress: Option<Arc<AtomicU64>>,
    /// Completed requests already added to `progress`.
    pub progress_flushed: Cell<u64>,
    /// The server was seen closing a kept-alive connection without notice (a request was
    /// resent): connections then look for a close before sending the next request.
    pub silent_closes: Cell<bool>,
    /// Which HTTP/1.1 client the connections use.
    pub client: HttpClient,
}

impl ThreadContext {
    /// Adds the requests completed since the last call to the caller's progress counter
    /// (called every 100 ms and at the end, not per request: no shared atomic per request).
    pub fn flush_progress(&self) {
        if let Some(progress) = &self.progress {
            let requests = self.stats.borrow().requests;
            progress.fetch_add(requests - self.progress_flushed.get(), Ordering::Relaxed);
            self.progress_flushed.set(requests);
        }
    }
}
