use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

/// What to load and how: the input of [`crate::load::run`].
#[derive(Clone, Debug)]
pub struct LoadConfig {
    /// `http://HOST:PORT/path?query` (plain HTTP/1.1 only).
    pub url: String,
    /// Open TCP connections, spread evenly over the threads (at least one).
    pub connections: u32,
    /// Generator OS threads, each with its own current-thread runtime. More threads than
    /// connections are reduced to the number of connections (with a warning).
    pub threads: u32,
    /// Measured time, from all connections up to the deadline.
    pub duration: Duration,
    /// Open loop (wrk2's `-R`): total requests per second over all connections.
    /// `None`: closed loop (wrk), each connection sends its next request on the last answer.
    pub rate: Option<u64>,
    /// Deadline of one request (connect, send, whole response) and of one connect.
    pub timeout: Duration,
    /// Extra request headers (a `Host` here replaces the one taken from the URL).
    pub headers: Vec<(String, String)>,
    /// Pin generator thread `i` to CPU `cpus[i % cpus.len()]`.
    pub cpus: Option<Vec<usize>>,
    /// Live count of completed requests (for a progress bar), updated every 100 ms and at the end.
    pub progress: Option<Arc<AtomicU64>>,
    /// The HTTP/1.1 client the connections use.
    pub client: HttpClient,
    /// At the deadline (or an early stop), await the requests in flight, each until its own
    /// `timeout`, instead of dropping them: for unmeasured loads (primer, warm-up), so that a
    /// server that keeps serving requests whose client has gone (a single-threaded blocking
    /// one) has none queued when the measurement begins. A measured run drops them, like wrk.
    pub drain: bool,
}

/// The HTTP/1.1 client of the generator's connections. Both send the same request and
/// count the same way; they differ in CPU per request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HttpClient {
    /// bench's own exchange: the request written as prebuilt bytes, the response framed in a
    /// reused buffer (`httparse` for the head). About a third of hyper's CPU per request.
    #[default]
    Lean,
    /// `hyper::client::conn::http1`: the reference implementation to cross-check against.
    Hyper,
}

impl HttpClient {
    pub const ALL: [HttpClient; 2] = [HttpClient::Lean, HttpClient::Hyper];

    pub fn name(self) -> &'static str {
        match self {
            HttpClient::Lean => "lean",
            HttpClient::Hyper => "hyper",
        }
    }
}

impl LoadConfig {
    /// wrk's defaults: 2 threads, 10 connections, 10 s, 2 s timeout, closed loop.
    pub fn new(url: impl Into<String>) -> Self {
        LoadConfig {
            url: url.into(),
            connections: 10,
            threads: 2,
            duration: Duration::from_secs(10),
            rate: None,
            timeout: Duration::from_secs(2),
            headers: Vec::new(),
            cpus: None,
            progress: None,
            client: HttpClient::default(),
            drain: false,
        }
    }
}
