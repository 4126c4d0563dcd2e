// Responses whose body never ends or takes longer than the timeout to arrive, included once
// per HTTP/1.1 client (`CLIENT`) like `cases.rs`: the deadline and the request timeout hold
// however fast the body keeps coming.

use std::time::{Duration, Instant};

use bench::load::{self, LoadConfig, LoadSummary};
use tokio::io::AsyncWriteExt;

use crate::support::{TestServer, raw_server, read_head};

/// A body piece: 64 KiB.
const PIECE_BYTES: usize = 64 * 1024;

/// A server stops a body no client stopped after this long or this many bytes, so a client
/// that never stops reading fails the elapsed-time assertions instead of holding the test.
const SERVER_GIVES_UP_AFTER: Duration = Duration::from_secs(10);
const SERVER_BYTES_AT_MOST: u64 = 16 << 30;

/// A run of 1 s that ends at its deadline is over well within this, even on a busy machine;
/// a client held by the body runs until the server gives up.
const ENDS_WITHIN: Duration = Duration::from_secs(3);

/// Answers every request with `head`, then `piece` again and again (as fast as the client
/// reads, up to the limits above) until `body_bytes` of body are sent or the client closes.
fn body_server(head: &'static [u8], piece: Vec<u8>, body_bytes: u64) -> TestServer {
    let piece: &'static [u8] = piece.leak();
    raw_server(None, move |mut stream| async move {
        while read_head(&mut stream).await {
            let until = Instant::now() + SERVER_GIVES_UP_AFTER;
            if stream.write_all(head).await.is_err() {
                return;
            }
            let mut sent = 0;
            while sent < body_bytes.min(SERVER_BYTES_AT_MOST) {
                if Instant::now() >= until || stream.write_all(piece).await.is_err() {
                    return;
                }
                sent += PIECE_BYTES as u64;
            }
        }
    })
}

/// A chunked body that never ends: 64 KiB chunks.
fn endless_chunked_server() -> TestServer {
    let mut chunk = format!("{PIECE_BYTES:x}\r\n").into_bytes();
    chunk.resize(chunk.len() + PIECE_BYTES, b'x');
    chunk.extend_from_slice(b"\r\n");
    let head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    body_server(head, chunk, u64::MAX)
}

/// Connections of a run, all on one thread: while one reads, the others' socket buffers
/// fill, so every read finds data waiting (as against a fast server with many connections).
const CONNECTIONS: u64 = 50;

/// Runs `CONNECTIONS` on 1 thread for 1 s: the summary and how long the run took.
fn run_for_a_second(server: &TestServer, timeout: Duration) -> (LoadSummary, Duration) {
    let config = LoadConfig {
        connections: CONNECTIONS as u32,
        threads: 1,
        duration: Duration::from_secs(1),
        timeout,
        client: super::CLIENT,
        ..LoadConfig::new(server.url())
    };
    let started = Instant::now();
    let summary = load::run(&config).unwrap_or_else(|err| panic!("load run failed: {err}"));
    let elapsed = started.elapsed();
    assert!(elapsed < ENDS_WITHIN, "took {elapsed:?}: {summary:?}");
    assert!(summary.bytes_read > 0, "the body was read: {summary:?}");
    (summary, elapsed)
}

#[test]
fn an_endless_body_ends_at_the_deadline() {
    let server = endless_chunked_server();
    let (summary, _) = run_for_a_second(&server, Duration::from_secs(30));
    // The first request of each connection is still arriving at the deadline: dropped then.
    assert_eq!(summary.requests, 0, "{summary:?}");
    assert_eq!(summary.errors.total(), 0, "{summary:?}");
    assert!(summary.in_flight_at_deadline <= CONNECTIONS, "{summary:?}");
}

#[test]
fn an_endless_body_times_out() {
    let server = endless_chunked_server();
    let (summary, _) = run_for_a_second(&server, Duration::from_millis(300));
    // Each connection times out every 300 ms: 1 to 3 times before the deadline, however late
    // the thread runs; the request whose timeout is after the deadline is in flight.
    assert_eq!(summary.requests, 0, "{summary:?}");
    let timeouts = CONNECTIONS..=3 * CONNECTIONS;
    assert!(timeouts.contains(&summary.errors.timeout), "{summary:?}");
    assert_eq!(
        summary.errors.total(),
        summary.errors.timeout,
        "{summary:?}"
    );
    assert!(summary.in_flight_at_deadline <= CONNECTIONS, "{summary:?}");
}

#[test]
fn a_huge_body_never_counts_past_its_timeout() {
    const GIB: u64 = 1 << 30;
    let head = b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n";
    let server = body_server(head, vec![b'x'; PIECE_BYTES], GIB);
    let timeout = Duration::from_millis(100);
    let (summary, _) = run_for_a_second(&server, timeout);
    // Whether a whole GiB arrives within 100 ms depends on the machine; counting one that
    // took longer as a success never does.
    let timeout_us = timeout.as_micros() as u64;
    // The histogram's max is the top of its bucket: 0.1% above the value at most.
    assert!(
        summary.latency.max_us <= timeout_us + timeout_us / 1000,
        "{summary:?}"
    );
    assert!(
        summary.requests + summary.errors.timeout >= CONNECTIONS,
        "{summary:?}"
    );
    assert_eq!(
        summary.errors.total(),
        summary.errors.timeout,
        "{summary:?}"
    );
}
