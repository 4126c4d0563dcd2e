use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

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
}

impl ThreadContext {
    /// Counts one completed request on the caller's progress counter.
    pub fn tick_progress(&self) {
        if let Some(progress) = &self.progress {
            progress.fetch_add(1, Ordering::Relaxed);
        }
    }
}
