use std::cell::{Cell, RefCell};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Notify;
use tokio::time::sleep_until;

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
    /// Requests in flight at the end are awaited to their own timeout (`LoadConfig::drain`).
    pub drain: bool,
    /// When the run was told to stop before its deadline (`stop`).
    stopped_at: Cell<Option<Instant>>,
    stopping: Notify,
}

impl ThreadContext {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        target: Target,
        stats: ThreadStats,
        deadline: Instant,
        timeout: Duration,
        schedule: Option<Schedule>,
        progress: Option<Arc<AtomicU64>>,
        client: HttpClient,
        drain: bool,
    ) -> Self {
        ThreadContext {
            target,
            stats: RefCell::new(stats),
            deadline,
            timeout,
            schedule,
            progress,
            progress_flushed: Cell::new(0),
            silent_closes: Cell::new(false),
            client,
            drain,
            stopped_at: Cell::new(None),
            stopping: Notify::new(),
        }
    }

    /// Adds the requests completed since the last call to the caller's progress counter
    /// (called every 100 ms and at the end, not per request: no shared atomic per request).
    pub fn flush_progress(&self) {
        if let Some(progress) = &self.progress {
            let requests = self.stats.borrow().requests;
            progress.fetch_add(requests - self.progress_flushed.get(), Ordering::Relaxed);
            self.progress_flushed.set(requests);
        }
    }

    /// Ends the run now, before its deadline: no request is sent any more, and every wait
    /// for the next one (connect, back-off, schedule, idle connection) ends.
    pub fn stop(&self) {
        if self.stopped_at.get().is_none() {
            self.stopped_at.set(Some(Instant::now()));
        }
        self.stopping.notify_waiters();
    }

    /// When sending ended: the deadline, or the stop if it came first.
    pub fn end(&self) -> Instant {
        self.stopped_at.get().map_or(self.deadline, |stopped| stopped.min(self.deadline))
    }

    /// Whether no request may be sent any more.
    pub fn ended(&self) -> bool {
        self.stopped_at.get().is_some() || Instant::now() >= self.deadline
    }

    /// Runs `work` until it completes or the run ends (deadline or stop): `None` then.
    pub async fn until_end<T>(&self, work: impl Future<Output = T>) -> Option<T> {
        // Created before the flag is read: a stop in between still wakes it.
        let stopping = self.stopping.notified();
        if self.ended() {
            return None;
        }
        tokio::select! {
            output = work => Some(output),
            () = sleep_until(self.deadline.into()) => None,
            () = stopping => None,
        }
    }
}
