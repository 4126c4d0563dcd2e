//! The Docker API going away in the middle of `bench run`, in real Docker: the run reaches the
//! engine through a socket proxy this test cuts while a cell is measured (the shared engine
//! itself is never stopped). Skipped without a Docker engine.

mod common;

use std::io::ErrorKind;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::docker::{available, containers_of, remove_containers_of, servers_of};

const ENGINE_SOCKET: &str = "/var/run/docker.sock";

/// A unix socket forwarding every connection to the engine's, until `cut`: then every
/// connection is shut down and the socket file removed, as when the daemon dies.
struct Proxy {
    path: PathBuf,
    cut: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<UnixStream>>>,
}

impl Proxy {
    fn start(path: &Path) -> Proxy {
        let listener = UnixListener::bind(path).unwrap();
        listener.set_nonblocking(true).unwrap();
        let cut = Arc::new(AtomicBool::new(false));
        let streams: Arc<Mutex<Vec<UnixStream>>> = Arc::default();
        let (stop, open) = (cut.clone(), streams.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => forward(client, &open),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(10))
                    }
                    Err(_) => break,
                }
            }
        });
        Proxy { path: path.to_path_buf(), cut, streams }
    }

    fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        let _ = std::fs::remove_file(&self.path);
        for stream in self.streams.lock().unwrap().iter() {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn forward(client: UnixStream, open: &Mutex<Vec<UnixStream>>) {
    client.set_nonblocking(false).unwrap();
    let Ok(engine) = UnixStream::connect(ENGINE_SOCKET) else { return };
    let mut open = open.lock().unwrap();
    for (mut from, mut to) in [
        (client.try_clone().unwrap(), engine.try_clone().unwrap()),
        (engine.try_clone().unwrap(), client.try_clone().unwrap()),
    ] {
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut from, &mut to);
            let _ = to.shutdown(std::net::Shutdown::Write);
        });
    }
    open.extend([client, engine]);
}

fn outcomes(dir: &Path) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for scenario in ["hello", "io"] {
        for entry in std::fs::read_dir(dir.join(scenario).join("bjoern")).into_iter().flatten() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "json") {
                out.push(serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap());
            }
        }
    }
    out
}

#[test]
fn losing_the_engine_stops_the_run_stores_no_partial_ok_and_names_the_leftover() {
    if !available() || !Path::new(ENGINE_SOCKET).exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (socket, res) = (dir.path().join("docker.sock"), dir.path().join("results"));
    let proxy = Proxy::start(&socket);
    let bench = |docker_host: &str| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_bench"));
        c.current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1");
        c.env("DOCKER_HOST", docker_host).env_remove("DOCKER_TLS_VERIFY");
        c.args(["run", "tests/fixtures/e2e/matrix.kdl", "--only", "bjoern", "--duration", "4s"]);
        c.args(["--results", res.to_str().unwrap()]);
        c.stdout(Stdio::null()).stderr(Stdio::piped());
        c
    };
    let child = bench(&format!("unix://{}", socket.display())).spawn().unwrap();
    let pid = child.id();
    let start = Instant::now();
    while servers_of(pid).is_empty() {
        assert!(start.elapsed() < Duration::from_secs(300), "no container within 5 minutes");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(1));
    proxy.cut();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let left = containers_of(pid);
    remove_containers_of(pid);

    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("the Docker engine stopped answering").count(), 1, "{stderr}");
    assert!(stderr.contains("1 measurement(s) not started"), "{stderr}");
    assert_eq!(left.len(), 1, "the measured container outlived the engine: {left:?}");
    assert!(stderr.contains("docker rm -f "), "the leftover is named with its command: {stderr}");
    let stored = outcomes(&res);
    assert_eq!(stored.len(), 1, "only the cell being measured is stored: {stored:?}");
    assert_eq!(stored[0]["outcome"], "failed", "never ok from a cut measurement");
    assert_eq!(stored[0]["failure_kind"], "engine");

    // The engine back (the real socket): the transient failure is measured again.
    let out = bench(&format!("unix://{ENGINE_SOCKET}")).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("retrying 1 stored failure(s) (1 engine)"), "{stderr}");
    let stored = outcomes(&res);
    let ok = stored.iter().filter(|r| r["outcome"] == "ok").count();
    assert_eq!(ok, 2, "{stored:?}");
}
