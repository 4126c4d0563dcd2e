//! Servers with a short listen backlog: a server that serves one connection at a time and
//! blocks reading it (Python's wsgiref) must not stall the start, and a run stopped while
//! its connections still wait on a full backlog must return; in an open loop, a server slow
//! to accept is slow, not late set-up.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use bench::load::{self, LoadConfig, LoadError, LoadWatch};
use socket2::{Domain, Socket, Type};

/// Python's wsgiref server (the article's falcon, bottle and hug rows): it accepts one
/// connection, blocks reading its request, answers, closes; listen backlog 5.
fn wsgiref_server() -> (std::process::Child, SocketAddr) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let code = format!(
        "from wsgiref.simple_server import make_server, WSGIRequestHandler\n\
         class Quiet(WSGIRequestHandler):\n    def log_message(self, *a): pass\n\
         def app(env, start):\n    start('200 OK', [('Content-Type', 'text/plain')])\n    return [b'ok']\n\
         make_server('127.0.0.1', {port}, app, handler_class=Quiet).serve_forever()\n"
    );
    let child = std::process::Command::new("python3").args(["-c", &code]).spawn().expect("python3");
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let began = Instant::now();
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(began.elapsed() < Duration::from_secs(10), "wsgiref server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, addr)
}

#[test]
fn a_one_connection_at_a_time_server_does_not_stall_the_start() {
    let (mut server, addr) = wsgiref_server();
    let mut config = LoadConfig::new(format!("http://{addr}/"));
    config.connections = 20;
    config.threads = 1;
    // The window includes opening the connections (about 1 s here), as in wrk.
    config.duration = Duration::from_secs(2);
    config.timeout = Duration::from_secs(30);
    let began = Instant::now();
    let summary = load::run(&config).unwrap();
    let took = began.elapsed();
    let _ = server.kill();
    let _ = server.wait();
    assert!(summary.ok_requests > 0, "requests were served: {summary:?}");
    assert!(
        summary.setup_us <= 1_500_000,
        "setup gave up after about 1 s: {} us",
        summary.setup_us
    );
    assert!(took < Duration::from_secs(4), "returned in {took:?}, not after the 30 s timeout");
}

/// A listener that never accepts, its backlog filled by connections of the test's own: the
/// kernel drops every further SYN, so a connect to it hangs (to the generator's 1 s limit
/// for a first attempt). The listener and the connections that fill it.
fn full_backlog() -> (Socket, SocketAddr, Vec<TcpStream>) {
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    listener.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into()).unwrap();
    listener.listen(1).unwrap();
    let addr = listener.local_addr().unwrap().as_socket().unwrap();
    let mut fillers = Vec::new();
    // Until a connect hangs: the backlog is full then.
    while let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
        fillers.push(stream);
        assert!(
            fillers.len() < 64,
            "the listener's backlog of 1 took {} connections",
            fillers.len()
        );
    }
    (listener, addr, fillers)
}

#[test]
fn a_run_stopped_while_its_connections_wait_to_open_returns() {
    let (_listener, addr, _fillers) = full_backlog();
    let config = LoadConfig {
        connections: 20,
        threads: 1,
        duration: Duration::from_secs(600),
        timeout: Duration::from_secs(30),
        ..LoadConfig::new(format!("http://{addr}/"))
    };
    let watch = Arc::new(LoadWatch::default());
    let shared = watch.clone();
    let (done, outcome) = mpsc::channel();
    // The receiver is gone only if the test already failed.
    std::thread::spawn(move || {
        let _ = done.send(load::run_watched(&config, shared));
    });
    // A stop during the connects (each waits up to 1 s), as a warm-up's watch stops a run
    // that does not drain: its connections are dropped where they are.
    std::thread::sleep(Duration::from_millis(100));
    watch.stop();
    let outcome = outcome
        .recv_timeout(Duration::from_secs(60))
        .expect("the stopped run returned, long before its 600 s");
    // No connection could open: a setup error, whether the stop or the connect limit came
    // first.
    match outcome {
        Err(LoadError::Connect { .. }) => {}
        other => panic!("expected a connect error, got {other:?}"),
    }
}

/// A listener with a full backlog until `after`, then accepting every connection (its
/// backlog long) and answering each request with "ok": a server slow to accept at first. A connect begun meanwhile ends
/// no earlier than `after` (in practice at the client's SYN retransmission, 1 s on Linux).
fn accepting_after(after: Duration) -> SocketAddr {
    let (listener, addr, fillers) = full_backlog();
    std::thread::spawn(move || {
        std::thread::sleep(after);
        drop(fillers);
        // From then on a long backlog: only the connects begun before are slow.
        listener.listen(4096).unwrap();
        let listener: std::net::TcpListener = listener.into();
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });
    addr
}

fn answer(mut stream: TcpStream) {
    let (mut buf, mut pending) = ([0u8; 4096], Vec::new());
    while let Ok(n @ 1..) = stream.read(&mut buf) {
        pending.extend_from_slice(&buf[..n]);
        while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            pending.drain(..end + 4);
            if stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").is_err() {
                return;
            }
        }
    }
}

#[test]
fn an_open_loop_counts_a_slow_accept_as_the_servers_latency() {
    let accept = Duration::from_millis(600);
    let addr = accepting_after(accept);
    // One thread opens its connections 1 ms apart at most: those begun before the listener
    // accepts hang to the 1 s limit of a first connect and open again later; the others,
    // after it, open at once (without them no connection would open in time: no run).
    let config = LoadConfig {
        connections: 1000,
        threads: 1,
        rate: Some(1000),
        duration: Duration::from_secs(3),
        timeout: Duration::from_secs(5),
        ..LoadConfig::new(format!("http://{addr}/"))
    };
    let summary = load::run(&config).unwrap();
    assert!(summary.ok_requests > 0, "requests were served: {summary:?}");
    // Connection 0's first slot is the window's start, and it began to connect then: the
    // server held that request back until it could be sent on a connection, and the
    // corrected latency says so. (Slots moved to the connect's end would take that wait
    // off.) Half the accept delay: the run may start a little after the listener's clock.
    let corrected = summary.corrected_latency.expect("open loop");
    let held = accept.as_micros() as u64 / 2;
    assert!(corrected.max_us >= held, "corrected max {} us, under {held} us", corrected.max_us);
}
