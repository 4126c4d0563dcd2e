//! Stage 6, load: the HTTP load generator (closed loop like wrk, open loop like wrk2).
//!
//! Contract:
//! - Input: [`LoadConfig`] (URL `http://HOST:PORT/path`, connections, threads, duration,
//!   optional open-loop rate, request timeout, extra headers, optional CPUs to pin the
//!   generator threads to, optional live progress counter, the HTTP/1.1 client: `lean` or `hyper`).
//! - Output: [`run`]`(&LoadConfig) -> Result<`[`LoadSummary`]`, `[`LoadError`]`>`. It blocks: it
//!   spawns its own OS threads and returns when they are done (call it from
//!   `tokio::task::spawn_blocking` inside an async caller). `LoadError` is only for setup
//!   failures (bad URL or header, bad settings, no connection could ever be made, a CPU that
//!   cannot be pinned, no file left for any connection); failed requests are counted in the summary by kind.
//! - [`run_watched`]`(&LoadConfig, Arc<`[`LoadWatch`]`>)`: the same, with each whole window's
//!   completed requests visible while the run goes on and an early stop (`watch.rs`): the
//!   run stage ends a warm-up with it once throughput is steady.
//! - [`render_text`] lays a summary out like wrk's report, plus bench's extra lines.
//!
//! Model:
//! - One OS thread per generator thread, each with a current-thread tokio runtime (pinned to
//!   `cpus[i % len]` when given), the connections spread evenly over the threads. Each
//!   connection is one task with TCP_NODELAY sending `GET` with an origin-form URI and a
//!   `Host` header, the request built once; response bodies are skipped, never kept.
//! - Two HTTP/1.1 clients behind one [`session::Session`] trait, one request loop for both
//!   (`connection.rs`): `lean` (default, `lean_session.rs`) writes the prebuilt request bytes
//!   and frames the response in a reused buffer (`response_reader.rs`: `httparse` for the
//!   head, RFC 9112 body framing); `hyper` (`hyper_session.rs`) uses
//!   `hyper::client::conn::http1` (never a pooled client; its connection future runs in a
//!   companion local task). Measured against nginx, pinned: hyper's client costs about three
//!   times the user CPU per request of `lean` and left the generator at 0.80-0.87x wrk's
//!   rate; `lean` reached 1.03-1.21x in three runs (`scripts/bench-load-vs-wrk.sh` prints
//!   both). The tests run every case under both clients. The binary's allocator is mimalloc; the live progress
//!   counter is updated every 100 ms, not per request.
//! - Each connection is a file: `run` first raises the soft open-files limit to the hard one.
//!   A connection that still finds no file left (EMFILE, ENFILE) is left out of the run, not
//!   retried; the summary counts it (`connections_not_opened`, with a warning saying why), and
//!   none opened at all is `LoadError::OutOfFiles`.
//! - The measured window (`duration`) opens when the connections are being opened; a thread
//!   opens its connections one after another (1 ms at most between two), and each sends its
//!   first request as soon as it is open, as wrk's do (a server that
//!   accepts one connection per turn of its event loop, like bjoern, then gets the requests
//!   one by one, not all at once). A connection not open within 1 s is retried later, so a
//!   server that serves one connection at a time cannot hold the others; none opens once the
//!   run was stopped or its deadline has passed. Once every
//!   connection has tried once or was left untried (`setup_us`, inside the window; the caller
//!   waits no longer than the deadline plus one connect), a run where none could open
//!   is aborted (`LoadError::Connect`, `OutOfFiles`); a wait that reaches that bound first
//!   (a thread stuck in its set-up) is `LoadError::SetupTimedOut` when none had opened, else
//!   a warning (`setup_wait.rs`). No request is sent at or after the
//!   deadline, and nothing is awaited past it (like wrk): a request not complete by the
//!   deadline is dropped with its connection and counted in `in_flight_at_deadline`, not in
//!   `requests` or the errors. So `run` returns within `duration` plus a little (connection
//!   teardown), whatever `timeout` is and whatever the server sends (a body that never ends
//!   included), and every request the server saw is either counted or in flight. Bytes read
//!   count in `bytes_read` whatever became of them.
//! - A draining run (`drain`: the primer and the warm-up of `bench run`) ends otherwise: at the
//!   deadline or an early stop, no request is sent any more, and each one in flight is awaited
//!   to its own `timeout` (so `run` returns within `duration` plus `timeout`); those answered
//!   are `drained` (not in `requests`), the time it took `drain_us`. A server that serves a
//!   request whose client has gone (bjoern: one process, one request at a time) is then left
//!   with nothing queued for the measurement that follows.
//! - Every request has a real deadline (`timeout`): past it, the request counts as a timeout
//!   and its connection is replaced; a request whose timeout falls after the run's deadline
//!   is in flight at the deadline instead. A response seen complete only after its limit (the
//!   thread ran late) is late too: a completed request's latency never exceeds `timeout`. Any error or server close reconnects (`reconnects`);
//!   a failed connect counts a `connect` error and is retried after 10 ms. A request that finds
//!   its kept-alive connection closed by the server (nothing read, the connection had served a
//!   response) is resent once on a new one (`resent`), not counted as an error.
//! - Closed loop (`rate: None`): each connection sends its next request when the previous
//!   response is complete. Open loop (`rate: Some(r)`): connection `i` of `C` sends its
//!   `k`-th request at `start + (k*C + i)/r`, or, when its first attempt to open began
//!   after its first slot, that much later (`schedule.rs`: the wait for the connects before
//!   it is the generator's own, not the server's latency; its own connect, later stalls and
//!   reconnects still count); latency
//!   is measured both from that intended time (`corrected_latency`, coordinated omission
//!   corrected) and from the actual send (`latency`). An achieved rate below 95% of the
//!   target adds a warning.
//! - Statistics (`stats.rs`, which never imports hyper or the clients): a per-thread HdrHistogram (1 µs to
//!   1 h, 3 significant figures) and counters, merged at the end: nothing is kept per
//!   request. `generator_cpu_us` is the generator threads' own CPU time while measuring.
//! - The time series (`windows.rs`): each thread's sampler closes a window every second of the
//!   measured period (its completed requests, errors and latencies since the last close, from
//!   the running totals: nothing per request), merged at the end into `LoadSummary::windows`;
//!   the only memory that grows with run length (a few KiB per window and thread).

mod config;
mod connection;
mod context;
mod counted_io;
mod error;
mod gate;
mod hyper_session;
mod lean_session;
mod os;
mod response_reader;
mod schedule;
mod session;
mod setup_wait;
mod stats;
mod summary;
mod target;
mod text;
mod watch;
mod windows;
mod worker;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

pub use config::{HttpClient, LoadConfig};
pub use error::LoadError;
pub use summary::{ErrorCounts, LatencySummary, LoadSummary, LoadWindow, ThreadRate};
pub use text::render_text;
pub use watch::LoadWatch;

use setup_wait::SetupWait;
use stats::{RunFacts, ThreadStats};
use target::Target;
use windows::Windows;
use worker::{SETUP_CONNECT_TIMEOUT, Setup, WorkerPlan};

/// Runs the load described by `config` and summarizes it. Blocking; see the module contract.
pub fn run(config: &LoadConfig) -> Result<LoadSummary, LoadError> {
    run_watched(config, Arc::new(LoadWatch::default()))
}

/// `run`, with its whole windows visible to `watch` while it runs and an early end when the
/// watch says stop (the summary then covers the time until the threads stopped).
pub fn run_watched(config: &LoadConfig, watch: Arc<LoadWatch>) -> Result<LoadSummary, LoadError> {
    validate(config)?;
    let target = Target::parse(&config.url, &config.headers)?;
    // Each connection is a file: a soft limit of 1024 would cap the run near 1,000.
    let files = os::raise_open_files_limit();
    let mut warnings = Vec::new();
    let threads = config.threads.min(config.connections);
    if threads < config.threads {
        warnings.push(format!(
            "{} threads for {} connections: ran {threads} threads (a thread needs a connection)",
            config.threads, config.connections
        ));
    }

    watch.begin(threads as usize);
    // As in wrk, the measured window opens when the connections are being opened.
    let start = Instant::now();
    let setup = Arc::new(Setup::default());
    let mut handles = Vec::with_capacity(threads as usize);
    let mut first_connection = 0u64;
    // Connections of the threads that could be started.
    let mut expected = 0u64;
    for i in 0..threads {
        // Even spread: the first `connections % threads` threads take one more.
        let connections =
            config.connections / threads + u32::from(i < config.connections % threads);
        let plan = WorkerPlan {
            first_connection,
            connections,
            cpu: config
                .cpus
                .as_ref()
                .filter(|cpus| !cpus.is_empty())
                .map(|cpus| cpus[i as usize % cpus.len()]),
            target: target.clone(),
            duration: config.duration,
            timeout: config.timeout,
            rate: config.rate.map(|rate| (rate, u64::from(config.connections))),
            progress: config.progress.clone(),
            client: config.client,
            drain: config.drain,
            watch: watch.clone(),
        };
        first_connection += u64::from(connections);
        let shared = setup.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("bench-load-{i}"))
            .spawn(move || worker::work(plan, shared, start));
        match spawned {
            Ok(handle) => {
                handles.push(handle);
                expected += u64::from(connections);
            }
            Err(err) => {
                setup
                    .failures
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(LoadError::Thread(err));
                break;
            }
        }
    }

    // Each connection arrives when its first attempt to open is over, or untried when the run
    // ends first (worker.rs). The wait is bounded all the same: past the run's deadline and
    // the longest a first connect begun before it may take, nothing is left to wait for.
    let waited = config.duration + config.timeout.min(SETUP_CONNECT_TIMEOUT);
    let all_tried = setup.gate.wait_for(expected, start + waited);
    let out_of_files = setup.out_of_files.load(Ordering::Relaxed);
    let wait = SetupWait { all_tried, expected, waited, files, addr: target.addr.to_string() };
    let (failure, late) = match wait.outcome(&setup, config.connections) {
        Ok(late) => (None, late),
        Err(failure) => (Some(failure), None),
    };
    let opened = Instant::now();
    if failure.is_some() {
        setup.gate.abort();
    }

    let joined: Vec<_> = handles.into_iter().map(|handle| handle.join()).collect();
    // A stopped run's window ends at the stop, not after its drain.
    let drain = joined.iter().flatten().flatten().map(|stats| stats.drain_us).max().unwrap_or(0);
    let duration = if watch.stopped() {
        start.elapsed().saturating_sub(Duration::from_micros(drain)).min(config.duration)
    } else {
        config.duration
    };
    let windows = Windows::new(duration, config.timeout);
    let mut merged = ThreadStats::new(config.rate.is_some(), windows);
    let mut panicked = false;
    for joined in joined {
        match joined {
            Ok(Some(stats)) => merged.merge(&stats),
            Ok(None) => {}
            Err(_) => panicked = true,
        }
    }
    if let Some(failure) = failure {
        return Err(failure);
    }
    if panicked {
        return Err(LoadError::ThreadPanicked);
    }
    let mut summary = merged.summarize(RunFacts {
        url: &config.url,
        connections: config.connections,
        threads,
        target_rps: config.rate,
        duration,
        timeout: config.timeout,
        http_client: config.client.name(),
        warnings,
    });
    summary.setup_us = opened.duration_since(start).as_micros() as u64;
    summary.connections_not_opened = out_of_files;
    summary.warnings.extend(late);
    if out_of_files > 0 {
        let open = u64::from(config.connections) - out_of_files;
        summary.warnings.push(format!(
            "only {open} of the {} connections could be opened: no file was left for the \
             others ({}); the figures are for {open} connections. Raise the limit (ulimit -n; \
             past the hard limit only as root) or use fewer connections",
            config.connections,
            os::describe_files_limit(files),
        ));
    }
    if summary.setup_us > 1_000_000 {
        summary.warnings.push(format!(
            "opening the {} connections took {:.1} s of the measured window (the server's listen backlog may be short)",
            config.connections,
            summary.setup_us as f64 / 1e6
        ));
    }
    Ok(summary)
}

fn validate(config: &LoadConfig) -> Result<(), LoadError> {
    let problem = if config.connections == 0 {
        Some("connections must be at least 1")
    } else if config.threads == 0 {
        Some("threads must be at least 1")
    } else if config.duration.is_zero() {
        Some("duration must be more than 0")
    } else if config.timeout.is_zero() {
        Some("timeout must be more than 0")
    } else if config.rate == Some(0) {
        Some("rate must be at least 1 request/s (or none, for a closed loop)")
    } else if config.cpus.as_ref().is_some_and(|cpus| cpus.is_empty()) {
        Some("the CPU list to pin to is empty")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(LoadError::BadConfig(problem.to_string())),
        None => Ok(()),
    }
}
