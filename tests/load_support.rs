//! Servers the `load_*` tests run against, on 127.0.0.1 with an ephemeral port.
//! Included by the test files with `#[path = "load_support.rs"] mod support;`, and by the
//! request loop's own tests (`src/load/connection.rs`).
#![allow(dead_code)]

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;

/// A server running on its own runtime; stops when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    /// Requests whose head the server parsed.
    pub requests: Arc<AtomicU64>,
    /// Connections accepted.
    pub connections: Arc<AtomicU64>,
    _runtime: Runtime,
}

impl TestServer {
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    /// The request count once it reaches `expected` (waiting up to 1 s), or as it is then.
    /// A request dropped in flight at the deadline may still be in the server's socket
    /// buffer when the run returns; the server counts it a moment later.
    pub fn requests_reaching(&self, expected: u64) -> u64 {
        reaching(&self.requests, expected)
    }

    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::SeqCst)
    }

    /// The accepted connections once they reach `expected` (waiting up to 1 s), or as they
    /// are then: the server may accept the last ones after the run has returned.
    pub fn connections_reaching(&self, expected: u64) -> u64 {
        reaching(&self.connections, expected)
    }
}

fn reaching(counter: &AtomicU64, expected: u64) -> u64 {
    let until = std::time::Instant::now() + Duration::from_secs(1);
    while counter.load(Ordering::SeqCst) < expected && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(5));
    }
    counter.load(Ordering::SeqCst)
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("test server runtime")
}

/// A hyper HTTP/1.1 server answering every request with `status` and "Hello World"; the
/// answer to request number `n` (from 1) waits `delay(n)`.
pub fn http_server(
    status: u16,
    delay: impl Fn(u64) -> Duration + Send + Sync + 'static,
) -> TestServer {
    let runtime = runtime();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let requests = Arc::new(AtomicU64::new(0));
    let connections = Arc::new(AtomicU64::new(0));
    let delay = Arc::new(delay);
    let (req_count, conn_count) = (requests.clone(), connections.clone());
    runtime.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            conn_count.fetch_add(1, Ordering::SeqCst);
            let (req_count, delay) = (req_count.clone(), delay.clone());
            tokio::spawn(async move {
                let service = service_fn(move |_request| {
                    let n = req_count.fetch_add(1, Ordering::SeqCst) + 1;
                    let wait = delay(n);
                    async move {
                        if !wait.is_zero() {
                            tokio::time::sleep(wait).await;
                        }
                        let mut response =
                            Response::new(Full::new(Bytes::from_static(b"Hello World")));
                        *response.status_mut() = StatusCode::from_u16(status).expect("status");
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    TestServer { addr, requests, connections, _runtime: runtime }
}

/// A TCP server handing each accepted connection to `handler`; at most `accept_limit`
/// connections are accepted, then the listener is closed (later connects are refused).
pub fn raw_server<F, Fut>(accept_limit: Option<u64>, handler: F) -> TestServer
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let runtime = runtime();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let connections = Arc::new(AtomicU64::new(0));
    let conn_count = connections.clone();
    runtime.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let accepted = conn_count.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::spawn(handler(stream));
            if accept_limit.is_some_and(|limit| accepted >= limit) {
                break;
            }
        }
        drop(listener);
    });
    TestServer { addr, requests: Arc::new(AtomicU64::new(0)), connections, _runtime: runtime }
}

/// Reads one request head (up to the blank line); false at EOF or error.
pub async fn read_head(stream: &mut TcpStream) -> bool {
    let mut seen = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
        if seen.windows(4).any(|w| w == b"\r\n\r\n") {
            return true;
        }
    }
}
