//! Faults of the server while it is measured. Workers that die, though their master respawns
//! them and the container runs on, fail the `server-stable` check with the count: through
//! the fakes (a worker replaced between two process listings), and in real Docker (a
//! gunicorn worker killed with SIGKILL from the host). A paused server container (`docker
//! pause`) leaves a flagged or failed cell, in bounded time, and no container behind.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bench::engine::Containers;
use bench::engine::fake::{FakeEngine, FakeOutcome};
use bench::matrix::Cell;
use bench::run::image_tag;
use bench::store::{CellResult, Outcome, Store};
use common::docker::{available, containers_of, remove_containers_of, servers_of};

/// The Docker tests measure: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

#[allow(dead_code)] // shared with run_fake, which uses all of it
#[path = "run_fake/fakes.rs"]
mod fakes;

use fakes::{FakeHttp, cells, plan, runner, setup};

/// `bjoern/hello` measured once over the fakes, its image scripted as `outcome`.
async fn hello_with(outcome: FakeOutcome) -> CellResult {
    let cells: Vec<Cell> = cells().into_iter().filter(|c| c.id == "bjoern/hello").collect();
    let s = setup();
    let engine = FakeEngine::new()
        .with_image("debian:bookworm-slim")
        .with_outcome(&image_tag(&cells[0]), outcome);
    let store = Store::open(s.dir.path().join("results")).unwrap();
    let containers = Containers::new();
    let mut plan = plan(&cells, &store, 7, None);
    runner(&engine, &FakeHttp::default(), &containers, &store, &s).run(&mut plan).await.unwrap();
    store.load_all().unwrap().remove(0)
}

#[tokio::test]
async fn a_worker_replaced_while_measuring_fails_server_stable_with_the_count() {
    let r = hello_with(FakeOutcome::WorkerRespawns).await;
    assert_eq!(r.outcome, Outcome::Ok, "the figure stays, flagged: {:?}", r.reason);
    assert_eq!(r.usage.as_ref().and_then(|u| u.worker_deaths), Some(1));
    let stable = r.checks.iter().find(|c| c.name == "server-stable").unwrap();
    assert!(!stable.passed);
    assert!(stable.detail.starts_with("0 restarts, 1 worker death;"), "{}", stable.detail);
}

#[tokio::test]
async fn steady_workers_pass_server_stable() {
    let r = hello_with(FakeOutcome::Works).await;
    assert_eq!(r.usage.as_ref().and_then(|u| u.worker_deaths), Some(0));
    assert!(r.checks.iter().any(|c| c.name == "server-stable" && c.passed), "{:?}", r.checks);
}

/// The host pids of the container's processes whose parent is in the container too: the
/// master's workers.
fn workers_of(container: &str) -> Vec<i32> {
    let text = docker(&["top", container, "-o", "pid,ppid"]);
    let rows: Vec<(i32, i32)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut cols = l.split_whitespace().map(|c| c.parse().ok());
            Some((cols.next()??, cols.next()??))
        })
        .collect();
    rows.iter().filter(|(_, ppid)| rows.iter().any(|(pid, _)| pid == ppid)).map(|r| r.0).collect()
}

fn docker(args: &[&str]) -> String {
    let out = Command::new("docker").args(args).output();
    out.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default()
}

/// Whether the server in `container` answered a whole `GET /hello` (a worker serves).
fn answers(container: &str) -> bool {
    let env = docker(&["inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", container]);
    let Some(port) = env.lines().find_map(|l| l.strip_prefix("PORT=")) else {
        return false;
    };
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap_or(0))) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut answer = String::new();
    stream.write_all(b"GET /hello HTTP/1.0\r\n\r\n").is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && answer.starts_with("HTTP/1.")
}

/// `bench run` of `tests/fixtures/e2e/workers.kdl` (flask on gunicorn, no primer, a 12 s
/// measurement) into `results`; once its server answers (bench's probe passes at that same
/// moment) and 2 s more, `act` is called with the container's name every 200 ms until it
/// returns `false` or bench ends. Gives bench's exit status, stderr and the containers it
/// left (removed before returning). The image build may take minutes the first time.
fn while_measured(
    results: &Path,
    mut act: impl FnMut(&str) -> bool,
) -> (std::process::ExitStatus, String, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["run", "tests/fixtures/e2e/workers.kdl", "--results", results.to_str().unwrap()])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start bench");
    let pid = child.id();
    let start = Instant::now();
    let (mut serving, mut acting) = (false, true);
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(600) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
        let Some(container) = servers_of(pid).into_iter().next() else {
            continue;
        };
        if !serving {
            serving = answers(&container);
            std::thread::sleep(Duration::from_secs(2));
        } else if acting {
            acting = act(&container);
        }
    }
    let out = child.wait_with_output().unwrap();
    let leftovers = containers_of(pid);
    remove_containers_of(pid);
    (out.status, String::from_utf8_lossy(&out.stderr).into_owned(), leftovers)
}

#[test]
fn a_gunicorn_worker_killed_while_measured_fails_server_stable() {
    if !available() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    // A worker killed every 2 s until bench ends: some kills land in the measurement.
    let mut kills = 0;
    let (_, stderr, leftovers) = while_measured(&results, |container| {
        if let Some(&worker) = workers_of(container).first() {
            // SAFETY: kill(2) of a process of the container this test's bench started.
            kills += (unsafe { libc::kill(worker, libc::SIGKILL) } == 0) as u32;
            std::thread::sleep(Duration::from_secs(2));
        }
        true
    });
    assert_eq!(leftovers, Vec::<String>::new(), "no container left");
    assert!(kills >= 3, "killed {kills} workers: {stderr}");
    let stored = Store::open(results.clone()).unwrap().load_all().unwrap();
    assert_eq!(stored.len(), 1, "{stderr}");
    let usage = stored[0].usage.as_ref().unwrap_or_else(|| panic!("no usage: {:?}", stored[0]));
    let deaths = usage.worker_deaths.unwrap_or(0);
    assert!(deaths >= 1, "{usage:?}; {stderr}");
    let stable = stored[0].checks.iter().find(|c| c.name == "server-stable").unwrap();
    assert!(!stable.passed, "{stable:?}");
    assert!(stable.detail.contains(&format!(", {deaths} worker death")), "{}", stable.detail);
}

#[test]
fn a_server_paused_while_measured_is_flagged_in_bounded_time_and_removed() {
    if !available() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    let mut paused_at = None;
    let (status, stderr, leftovers) = while_measured(&results, |container| {
        let ok = Command::new("docker").args(["pause", container]).status();
        assert!(ok.is_ok_and(|s| s.success()), "docker pause {container}");
        paused_at = Some(Instant::now());
        false
    });
    let paused_at = paused_at.unwrap_or_else(|| panic!("never paused: {stderr}"));
    // The rest of the 12 s measurement, the 5 s request timeout, the checks and teardown.
    let after = paused_at.elapsed();
    assert!(after < Duration::from_secs(90), "bench ended {after:?} after the pause: {stderr}");
    assert_eq!(leftovers, Vec::<String>::new(), "the paused container is removed: {stderr}");
    let stored = Store::open(results.clone()).unwrap().load_all().unwrap();
    assert_eq!(stored.len(), 1, "{status:?} {stderr}");
    let r = &stored[0];
    let failed_checks: Vec<&str> =
        r.checks.iter().filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
    // Paused, the server answers nothing more: the requests in flight time out (error-rate)
    // and the connections wait, so the server is idle (server-busy) and fewer requests are in
    // flight than connections (littles-law). Which of them fails depends on how much of the
    // window was left when the pause came; a figure with none of them failed is a claim.
    let flagged = ["error-rate", "server-busy", "littles-law"];
    match r.outcome {
        Outcome::Ok => {
            assert!(failed_checks.iter().any(|c| flagged.contains(c)), "{:?}", r.checks)
        }
        Outcome::Failed => assert!(r.failure_kind.is_some(), "{r:?}"),
        other => panic!("{other:?}: {r:?}"),
    }
}
