//! One generator OS thread: optional CPU pinning, a current-thread tokio runtime, its share
//! of the connections (one task each) and a 100 ms throughput sampler.

use std::io;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;
use tokio::task::LocalSet;

use super::LoadError;
use super::config::HttpClient;
use super::connection;
use super::context::ThreadContext;
use super::gate::Gate;
use super::os;
use super::schedule::Schedule;
use super::stats::ThreadStats;
use super::target::Target;
use super::watch::LoadWatch;
use super::windows::{WINDOW, Windows};

/// How often a thread samples its own throughput (wrk's "Req/Sec").
const SAMPLE_EVERY: Duration = Duration::from_millis(100);

/// This thread's share of the run.
pub struct WorkerPlan {
    /// Global index of this thread's first connection.
    pub first_connection: u64,
    pub connections: u32,
    pub cpu: Option<usize>,
    pub target: Target,
    pub duration: Duration,
    pub timeout: Duration,
    /// Total rate and total connections (open loop).
    pub rate: Option<(u64, u64)>,
    pub progress: Option<Arc<AtomicU64>>,
    pub client: HttpClient,
    pub drain: bool,
    pub watch: Arc<LoadWatch>,
}

/// What all threads and the caller share during setup.
#[derive(Default)]
pub struct Setup {
    pub gate: Gate,
    /// Connections opened before measurement, over all threads.
    pub established: AtomicU64,
    /// Why a connection could not be opened (the first such error, out of files aside).
    pub connect_error: Mutex<Option<io::Error>>,
    /// Connections not opened because the process (or the system) had no file left for them:
    /// left out of the run, not retried (they would fail every 10 ms until the deadline).
    pub out_of_files: AtomicU64,
    /// Setup failures that stop the run.
    pub failures: Mutex<Vec<LoadError>>,
}

/// The thread body: `None` when the run was aborted during setup. The measured window
/// opened at `start`, before the connections.
pub fn work(plan: WorkerPlan, setup: Arc<Setup>, start: Instant) -> Option<ThreadStats> {
    let runtime = match prepare(&plan) {
        Ok(runtime) => runtime,
        Err(err) => {
            setup.failures.lock().unwrap_or_else(|p| p.into_inner()).push(err);
            setup.gate.arrive(u64::from(plan.connections));
            return None;
        }
    };
    let deadline = start + plan.duration;
    let ctx = Rc::new(ThreadContext::new(
        plan.target,
        ThreadStats::new(plan.rate.is_some(), Windows::new(plan.duration, plan.timeout)),
        deadline,
        plan.timeout,
        plan.rate.map(|(rate, connections)| Schedule { start, rate, connections }),
        plan.progress,
        plan.client,
        plan.drain,
    ));
    let cpu_before = os::thread_cpu_time();
    LocalSet::new().block_on(&runtime, async {
        let sampler = tokio::task::spawn_local(sample_rate(
            ctx.clone(),
            start,
            plan.watch.clone(),
            setup.clone(),
        ));
        let mut tasks = Vec::with_capacity(plan.connections as usize);
        for i in 0..plan.connections {
            // A stopped or abandoned run, or one past its deadline, opens no more
            // connections: those left arrive untried, so that the caller's wait ends within
            // its bound (the deadline plus one connect).
            if plan.watch.stopped() || setup.gate.aborted() || Instant::now() >= deadline {
                setup.gate.arrive(u64::from(plan.connections - i));
                break;
            }
            let index = plan.first_connection + u64::from(i);
            let tried = Rc::new(Notify::new());
            let attempt = FirstAttempt { setup: setup.clone(), tried: tried.clone() };
            tasks.push(tokio::task::spawn_local(open_and_drive(ctx.clone(), index, attempt)));
            // The next one opens once this one has tried (and, open, sent its first request),
            // or after `STAGGER` at most.
            let _ = tokio::time::timeout(STAGGER, tried.notified()).await;
        }
        // The sampler ends at the deadline, or earlier when the watch says stop: then the
        // connections are dropped where they are, as at the deadline, unless the run drains:
        // they then send no more and await what they have in flight.
        let mut ended = vec![sampler.await];
        if setup.gate.aborted() {
            tasks.iter().for_each(|task| task.abort());
        } else if plan.watch.stopped() {
            if plan.drain {
                ctx.stop();
            } else {
                tasks.iter().for_each(|task| task.abort());
            }
        }
        for task in tasks {
            ended.push(task.await);
        }
        let drain = Instant::now().saturating_duration_since(ctx.end());
        if plan.drain {
            ctx.stats.borrow_mut().drain_us = drain.as_micros() as u64;
        }
        for result in ended {
            if let Err(err) = result
                && err.is_panic()
            {
                std::panic::resume_unwind(err.into_panic());
            }
        }
    });
    if setup.gate.aborted() {
        return None;
    }
    let cpu = os::thread_cpu_time().saturating_sub(cpu_before);
    ctx.flush_progress();
    let mut stats =
        ctx.stats.replace(ThreadStats::new(false, Windows::new(plan.duration, plan.timeout)));
    stats.close_window();
    stats.cpu_us = cpu.as_micros() as u64;
    Some(stats)
}

/// Pins the thread and builds its runtime.
fn prepare(plan: &WorkerPlan) -> Result<tokio::runtime::Runtime, LoadError> {
    if let Some(cpu) = plan.cpu {
        os::pin_current_thread(cpu).map_err(|source| LoadError::Pin { cpu, source })?;
    }
    // Sockets and timers only: no signal or child-process driver polled on every park.
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(LoadError::Thread)
}

/// How long a connection may take to open before measuring begins. A server that accepts one
/// connection at a time and then blocks reading it (wsgiref) with a short listen backlog
/// would otherwise hold every connection behind one that sends nothing until all are open.
pub const SETUP_CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

/// Longest wait between opening one connection and the next (see `open_and_drive`).
const STAGGER: Duration = Duration::from_millis(1);

/// Opens connection `index` (within `SETUP_CONNECT_TIMEOUT`, or the request timeout if
/// shorter), says how that went to the caller (`attempt`), and drives it: a connection that
/// could not open is retried while measuring, unless it failed for want of a file (then it
/// is left out).
///
/// A thread opens its connections one after another: the attempt's `tried` is notified once
/// the connect is over, and an open connection then sends its first request in the same
/// turn, before the next connection opens (a connect that hangs holds the next one `STAGGER`
/// at most). A server that accepts one connection per turn of its event loop and reads every
/// readable connection of a turn before answering any (bjoern) then meets the requests as
/// wrk's (written as their connections open) reach it, not as one batch: opened all at once,
/// an io cell's connections were all accepted before any request arrived, and bjoern read
/// every request (its blocking app's whole queue) before its first answer
/// (docs/statistics.md).
async fn open_and_drive(ctx: Rc<ThreadContext>, index: u64, attempt: FirstAttempt) {
    let limit = ctx.timeout.min(SETUP_CONNECT_TIMEOUT);
    let setup = attempt.setup.clone();
    // The open loop's slots move by the generator's own wait only: up to the connect's start,
    // not its end, which a server slow to accept would otherwise take off its latency.
    let began = Instant::now();
    let stream = match connection::connect(ctx.target.addr, limit).await {
        Ok(stream) => {
            setup.established.fetch_add(1, Ordering::Relaxed);
            Some(stream)
        }
        Err(err) if os::is_out_of_files(&err) => {
            setup.out_of_files.fetch_add(1, Ordering::Relaxed);
            drop(attempt);
            return;
        }
        Err(err) => {
            let mut first = setup.connect_error.lock().unwrap_or_else(|p| p.into_inner());
            first.get_or_insert(err);
            None
        }
    };
    drop(attempt);
    connection::drive(ctx, index, stream, began).await;
}

/// A connection's first attempt to open, as the caller (the gate) and the thread's opening
/// loop (`tried`) wait for it. It is over when it is dropped: when the connect ends, or when
/// its task is dropped before that (a stopped or aborted run drops its tasks where they are,
/// even unstarted ones), so that no one waits for a connection that will never try.
struct FirstAttempt {
    setup: Arc<Setup>,
    tried: Rc<Notify>,
}

impl Drop for FirstAttempt {
    fn drop(&mut self) {
        self.setup.gate.arrive(1);
        self.tried.notify_one();
    }
}

/// Records this thread's completed requests per second every `SAMPLE_EVERY` until the deadline
/// (or until the watch says stop), and closes the time series' window at every second,
/// reporting it to the watch.
async fn sample_rate(
    ctx: Rc<ThreadContext>,
    start: Instant,
    watch: Arc<LoadWatch>,
    setup: Arc<Setup>,
) {
    let mut last = (start, 0u64);
    let mut tick = start + SAMPLE_EVERY;
    let mut window_start_requests = 0u64;
    while tick <= ctx.deadline && !watch.stopped() && !setup.gate.aborted() {
        tokio::time::sleep_until(tick.into()).await;
        let now = Instant::now();
        let mut stats = ctx.stats.borrow_mut();
        let requests = stats.requests;
        stats.record_rate_sample(requests - last.1, now - last.0);
        if stats.window_closes_at(tick - start) {
            stats.close_window();
            let index = ((tick - start).as_nanos() / WINDOW.as_nanos()) as usize - 1;
            watch.report(index, requests - window_start_requests);
            window_start_requests = requests;
        }
        last = (now, requests);
        drop(stats);
        ctx.flush_progress();
        tick += SAMPLE_EVERY;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_connection_opens_past_the_deadline() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let plan = WorkerPlan {
            first_connection: 0,
            connections: 20,
            cpu: None,
            target: Target::parse(&url, &[]).unwrap(),
            duration: Duration::ZERO,
            timeout: Duration::from_secs(1),
            rate: None,
            progress: None,
            client: HttpClient::Lean,
            drain: false,
            watch: Arc::new(LoadWatch::default()),
        };
        let setup = Arc::new(Setup::default());
        // A run whose deadline has passed before its thread opens anything; the listener
        // would let every connect succeed (its backlog holds them, accepted or not).
        assert!(work(plan, setup.clone(), Instant::now()).is_some());
        assert_eq!(setup.established.load(Ordering::Relaxed), 0, "connections opened late");
        assert!(setup.gate.wait_for(20, Instant::now()), "every connection arrived, untried");
    }
}
