//! `bench run` under injected faults, in real Docker: SIGTERM, SIGKILL, two runs into one
//! results directory, two runs measuring the same cell at once, and a stored transient
//! failure. Each asserts that no container is left behind, that no result is lost or
//! corrupted, what is stored and why, and what the next run does. Skipped without a Docker
//! engine (see `common::docker::available`). The engine is shared: these tests only ever look
//! at (and remove) containers labelled with the pid of a `bench` they started.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::docker::{available, containers_of, remove_containers_of, servers_of};

/// These tests measure: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

const MATRIX: &str = "tests/fixtures/e2e/matrix.kdl";

fn bench(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bench"));
    c.args(args).current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1");
    c
}

/// `bench run` of the fixture matrix's `bjoern` row (hello and io) into `results`.
fn run(results: &Path, extra: &[&str]) -> Command {
    let mut args = vec!["run", MATRIX, "--only", "bjoern", "--results", results.to_str().unwrap()];
    args.extend_from_slice(extra);
    bench(&args)
}

fn spawn(mut command: Command) -> Child {
    command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("start bench")
}

fn finish(child: Child) -> (Output, String) {
    let out = child.wait_with_output().expect("wait for bench");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stderr)
}

/// Every result file under `dir`, parsed (a corrupt one fails the test), by id.
fn results(dir: &Path) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() && name != "logs" {
                stack.push(path);
            } else if name.ends_with(".json") && !name.starts_with('.') {
                let bytes = std::fs::read(&path).unwrap();
                let value: serde_json::Value = serde_json::from_slice(&bytes)
                    .unwrap_or_else(|e| panic!("{} is corrupt: {e}", path.display()));
                out.push(value);
            }
        }
    }
    out.sort_by_key(|r| r["id"].as_str().unwrap_or_default().to_string());
    out
}

fn outcomes(dir: &Path) -> Vec<(String, String)> {
    results(dir)
        .iter()
        .map(|r| {
            (r["id"].as_str().unwrap().to_string(), r["outcome"].as_str().unwrap().to_string())
        })
        .collect()
}

/// Polls `ready` every 100 ms for at most 5 minutes (image builds included).
fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < Duration::from_secs(300), "{what}: not within 5 minutes");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn ok_both() -> Vec<(String, String)> {
    vec![("bjoern/hello".into(), "ok".into()), ("bjoern/io".into(), "ok".into())]
}

fn signal(child: &Child, signal: i32) {
    // SAFETY: kill(2) on a child this test started and has not reaped.
    assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
}

/// Removes, on drop, whatever the bench processes `pids` left (only theirs), so a failed
/// assertion does not leak containers into the shared engine.
struct Leftovers(Vec<u32>);

impl Drop for Leftovers {
    fn drop(&mut self) {
        self.0.iter().for_each(|pid| remove_containers_of(*pid));
    }
}

fn temp_results() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    (dir, results)
}

/// A `bench run` of 30 s cells, returned once its first server container exists; the guard
/// removes what it leaves if the test fails.
fn measuring(res: &Path) -> (Child, Leftovers) {
    let child = spawn(run(res, &["--duration", "30s"]));
    let pid = child.id();
    wait_for("a server container", || !servers_of(pid).is_empty());
    (child, Leftovers(vec![pid]))
}

#[test]
fn sigterm_or_sighup_removes_the_container_keeps_results_and_the_next_run_resumes() {
    if !available() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (_dir, res) = temp_results();
    for sig in [libc::SIGHUP, libc::SIGTERM] {
        let (child, _leftovers) = measuring(&res);
        let pid = child.id();
        signal(&child, sig);
        let (out, stderr) = finish(child);
        assert_eq!(out.status.code(), Some(130), "signal {sig}: {stderr}");
        assert!(stderr.contains("bench run: interrupted; removed 1 container(s)"), "{stderr}");
        assert_eq!(containers_of(pid), Vec::<String>::new(), "no container left ({sig})");
        assert_eq!(outcomes(&res), vec![], "the interrupted cell is not stored");
    }

    let (out, stderr) = finish(spawn(run(&res, &["--duration", "2s"])));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("2 ok, 0 invalid, 0 failed"), "{stderr}");
    assert_eq!(outcomes(&res), ok_both());
}

#[test]
fn after_sigkill_the_next_run_sweeps_the_leftover_and_says_so() {
    if !available() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (_dir, res) = temp_results();
    let (mut child, _leftovers) = measuring(&res);
    let pid = child.id();
    child.kill().unwrap();
    child.wait().unwrap();
    let left = containers_of(pid);
    assert_eq!(left.len(), 1, "SIGKILL cannot be caught: the container stays {left:?}");

    let (out, stderr) = finish(spawn(run(&res, &["--duration", "2s"])));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let said = format!("removed 1 container(s) left by runs that are gone: {}", left[0]);
    assert!(stderr.contains(&said), "{stderr}");
    assert_eq!(containers_of(pid), Vec::<String>::new(), "the sweep removed the leftover");
    assert_eq!(outcomes(&res), ok_both(), "the killed run stored nothing partial");
}

#[test]
fn a_second_run_into_the_same_directory_refuses_naming_the_first() {
    if !available() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (_dir, res) = temp_results();
    let first = spawn(run(&res, &["--duration", "2s"]));
    let first_pid = first.id();
    wait_for("the first run's lock", || {
        std::fs::read_to_string(res.join(".bench-run.lock")).is_ok_and(|s| !s.is_empty())
    });
    let (out, stderr) = finish(spawn(run(&res, &["--duration", "2s"])));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is in use by another bench run"), "{stderr}");
    assert!(stderr.contains(&format!("pid {first_pid} on ")), "names the holder: {stderr}");

    let (out, stderr) = finish(first);
    assert_eq!(out.status.code(), Some(0), "the first run goes on undisturbed: {stderr}");
    assert_eq!(outcomes(&res), ok_both());
    assert_eq!(containers_of(first_pid), Vec::<String>::new());
}

#[test]
fn two_runs_in_different_directories_measure_the_same_cell_at_once() {
    if !available() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let ((_a, res_a), (_b, res_b)) = (temp_results(), temp_results());
    let hello = ["--only", "hello", "--duration", "2s"];
    let a = spawn(run(&res_a, &hello));
    let b = spawn(run(&res_b, &hello));
    let pids = (a.id(), b.id());
    let ((out_a, err_a), (out_b, err_b)) = (finish(a), finish(b));
    assert_eq!(out_a.status.code(), Some(0), "{err_a}");
    assert_eq!(out_b.status.code(), Some(0), "{err_b}");
    let ok = vec![("bjoern/hello".to_string(), "ok".to_string())];
    assert_eq!((outcomes(&res_a), outcomes(&res_b)), (ok.clone(), ok));
    assert_eq!(containers_of(pids.0), Vec::<String>::new());
    assert_eq!(containers_of(pids.1), Vec::<String>::new());
}

#[test]
fn a_stored_transient_failure_is_measured_again_and_a_deterministic_one_kept() {
    if !available() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (_dir, res) = temp_results();
    let (out, stderr) = finish(spawn(run(&res, &["--duration", "2s"])));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Turn the stored results into the failures of an older bench (no `failure_kind`): a
    // name conflict (transient) for hello, an invalid answer (deterministic) for io.
    let conflict = "the server container did not start: docker: create container x failed: \
                    Conflict. The container name \"/x\" is already in use (HTTP 409)";
    for (scenario, outcome, reason) in
        [("hello", "failed", conflict), ("io", "invalid", "GET /io: status 500 (expected 200)")]
    {
        let dir = res.join(scenario).join("bjoern");
        let file = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path();
        let mut value: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        value["outcome"] = outcome.into();
        value["reason"] = reason.into();
        value.as_object_mut().unwrap().remove("failure_kind");
        std::fs::write(&file, serde_json::to_vec_pretty(&value).unwrap()).unwrap();
    }

    let child = spawn(run(&res, &["--duration", "2s"]));
    let pid = child.id();
    let (out, stderr) = finish(child);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("retrying 1 stored failure(s) (1 conflict)"), "{stderr}");
    assert!(stderr.contains("keeping 1 deterministic failure(s) (1 invalid;"), "{stderr}");
    assert!(stderr.contains("1 ok, 0 invalid, 0 failed"), "{stderr}");
    let stored = outcomes(&res);
    assert_eq!(
        stored,
        [("bjoern/hello".into(), "ok".into()), ("bjoern/io".into(), "invalid".into())].to_vec()
            as Vec<(String, String)>,
    );
    let superseded = std::fs::read_dir(res.join("hello/bjoern"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".superseded-"))
        .count();
    assert_eq!(superseded, 1, "the failure measured again is kept aside, not lost");
    assert_eq!(containers_of(pid), Vec::<String>::new());

    let (out, stderr) = finish(spawn(run(&res, &["--duration", "2s", "--retry-failed"])));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("retrying 1 stored failure(s) (1 invalid)"), "{stderr}");
    assert_eq!(outcomes(&res), ok_both());
    let kinds: Vec<serde_json::Value> =
        results(&res).iter().map(|r| r["failure_kind"].clone()).collect();
    assert_eq!(kinds, [serde_json::Value::Null, serde_json::Value::Null], "ok has no kind");
}

#[test]
fn a_failed_cell_keeps_its_full_server_log_and_its_kind() {
    if !available() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (_dir, res) = temp_results();
    let results_dir = res.to_str().unwrap();
    let args = ["run", MATRIX, "--only", "flask-broken", "--only", "hello"];
    let child = spawn(bench(&[&args[..], &["--results", results_dir]].concat()));
    let pid = child.id();
    let (out, stderr) = finish(child);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let stored = results(&res);
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(
        (&stored[0]["outcome"], &stored[0]["failure_kind"]),
        (&"failed".into(), &"server".into())
    );
    let dir = res.join("hello/flask-broken");
    let log = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(".server.log"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .unwrap_or_else(|| panic!("no server log in {}", dir.display()));
    assert!(log.contains("no-such-server"), "the whole log, with the failing command: {log}");
    assert_eq!(containers_of(pid), Vec::<String>::new());

    let (out, stderr) = finish(spawn(bench(&[&args[..], &["--results", results_dir]].concat())));
    assert_eq!(out.status.code(), Some(0), "nothing to do: {stderr}");
    assert!(stderr.contains("keeping 1 deterministic failure(s) (1 server;"), "{stderr}");
}
