//! A server that serves one connection at a time and blocks reading it, with a short listen
//! backlog (Python's wsgiref): opening every connection before measuring must not stall the run.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bench::load::{self, LoadConfig};

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
