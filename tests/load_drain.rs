//! A draining load (`LoadConfig::drain`, the primer and the warm-up) against a real
//! single-threaded blocking server on loopback, which serves one request at a time and, like
//! bjoern, still serves a request whose client has gone: a draining run leaves nothing queued
//! in it, at its deadline or at an early stop; a run that does not drain (the measured one,
//! like wrk) leaves its requests in flight queued there.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use bench::load::{self, LoadConfig, LoadSummary, LoadWatch};

/// What each request costs the server, during which it serves nothing else.
const WORK: Duration = Duration::from_millis(20);

/// The server's count of requests read, and of responses written.
#[derive(Default)]
struct Counts {
    read: AtomicU64,
    answered: AtomicU64,
    quit: AtomicBool,
}

struct BlockingServer {
    addr: SocketAddr,
    counts: Arc<Counts>,
}

impl Drop for BlockingServer {
    fn drop(&mut self) {
        self.counts.quit.store(true, Ordering::Relaxed);
    }
}

impl BlockingServer {
    /// One thread: accepts what is waiting, then goes round its connections, and serves each
    /// whole request it finds (`WORK`, then "ok" whether or not the client is still there).
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let counts = Arc::new(Counts::default());
        let shared = counts.clone();
        std::thread::spawn(move || serve(&listener, &shared));
        BlockingServer { addr, counts }
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    fn read(&self) -> u64 {
        self.counts.read.load(Ordering::SeqCst)
    }

    fn answered(&self) -> u64 {
        self.counts.answered.load(Ordering::SeqCst)
    }
}

fn serve(listener: &TcpListener, counts: &Counts) {
    let mut connections: Vec<(TcpStream, Vec<u8>)> = Vec::new();
    while !counts.quit.load(Ordering::Relaxed) {
        while let Ok((stream, _)) = listener.accept() {
            stream.set_nonblocking(true).unwrap();
            connections.push((stream, Vec::new()));
        }
        let mut idle = true;
        connections.retain_mut(|(stream, pending)| {
            let mut buf = [0u8; 4096];
            match stream.read(&mut buf) {
                Ok(0) => return false,
                Ok(n) => pending.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(_) => return false,
            }
            let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") else {
                return true;
            };
            pending.drain(..end + 4);
            idle = false;
            counts.read.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(WORK);
            let response = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
            let written = stream.set_nonblocking(false).and_then(|()| stream.write_all(response));
            counts.answered.fetch_add(1, Ordering::SeqCst);
            written.and_then(|()| stream.set_nonblocking(true)).is_ok()
        });
        if idle {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

/// 8 connections for far more than the server serves at once: most are queued at the end.
fn config(server: &BlockingServer, duration: Duration, drain: bool) -> LoadConfig {
    LoadConfig {
        connections: 8,
        threads: 2,
        duration,
        timeout: Duration::from_secs(30),
        drain,
        ..LoadConfig::new(server.url())
    }
}

/// Nothing the run sent is left with the server: every request it read was answered to
/// the run, in the measured window or while draining.
fn assert_nothing_queued(server: &BlockingServer, summary: &LoadSummary) {
    assert!(summary.in_flight_at_deadline > 0, "nothing was in flight at the end: {summary:?}");
    assert_eq!(summary.drained, summary.in_flight_at_deadline, "{summary:?}");
    assert!(summary.drain_us > 0, "{summary:?}");
    assert_eq!(server.read(), summary.requests + summary.drained, "{summary:?}");
    assert_eq!(server.answered(), server.read(), "{summary:?}");
}

#[test]
fn a_draining_run_answers_its_requests_in_flight_at_the_deadline() {
    let server = BlockingServer::start();
    let summary = load::run(&config(&server, Duration::from_millis(300), true)).unwrap();
    assert_nothing_queued(&server, &summary);
    assert_eq!(summary.errors.total(), 0, "{summary:?}");
}

#[test]
fn a_draining_run_stopped_early_answers_its_requests_in_flight() {
    let server = BlockingServer::start();
    let config = config(&server, Duration::from_secs(600), true);
    let watch = Arc::new(LoadWatch::default());
    let shared = watch.clone();
    let run = std::thread::spawn(move || load::run_watched(&config, shared));
    while watch.windows().is_empty() {
        assert!(!run.is_finished(), "the run ended before its first window");
        std::thread::sleep(Duration::from_millis(20));
    }
    watch.stop();
    let summary = run.join().unwrap().unwrap();
    assert_nothing_queued(&server, &summary);
    assert!(summary.duration_us < 600_000_000, "{summary:?}");
}

#[test]
fn a_run_that_does_not_drain_leaves_its_requests_in_flight_with_the_server() {
    let server = BlockingServer::start();
    let summary = load::run(&config(&server, Duration::from_millis(300), false)).unwrap();
    assert!(summary.in_flight_at_deadline > 0, "{summary:?}");
    assert_eq!((summary.drained, summary.drain_us), (0, 0), "{summary:?}");
    // The server still serves the requests whose client has gone, after the run.
    let left = summary.requests + summary.in_flight_at_deadline;
    for _ in 0..3000 {
        if server.answered() >= left {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(server.read(), left, "{summary:?}");
}
