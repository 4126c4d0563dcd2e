//! `bench run` end to end, in real Docker: stored results, checks, provenance, resume,
//! failure isolation (a bad command, an OOM), and Ctrl-C. Skipped without a Docker engine
//! (see `common::docker::available`).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// These tests measure: run them one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bench(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bench"));
    c.args(args).current_dir(root()).env("NO_COLOR", "1");
    c
}

fn results(dir: &Path) -> Vec<serde_json::Value> {
    let mut out: Vec<serde_json::Value> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "logs") {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap());
            }
        }
    }
    out.sort_by_key(|r| r["id"].as_str().unwrap().to_string());
    out
}

/// The bench containers of the cells of `results` still there. The engine is shared: other
/// runs' containers (other cells, other settings) are not this test's business.
fn leftover(results: &[serde_json::Value]) -> Vec<String> {
    let hashes: Vec<&str> = results.iter().map(|r| &r["hash"].as_str().unwrap()[..12]).collect();
    let all = all_bench_containers();
    all.lines().filter(|name| hashes.iter().any(|h| name.contains(h))).map(String::from).collect()
}

fn all_bench_containers() -> String {
    let out = Command::new("docker")
        .args(["ps", "-a", "--filter", "label=bench=1", "--format", "{{.Names}}"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The containers left by the `bench` process `pid` (its `bench.pid` label): the engine is
/// shared, and another user's run is none of this test's business.
fn bench_containers(pid: u32) -> String {
    common::docker::containers_of(pid).join("\n")
}

#[test]
fn run_stores_checks_resumes_and_isolates_failures() {
    if !common::docker::available() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let res = dir.path().join("results");
    let res_s = res.to_str().unwrap();
    let (out, pid) = common::docker::output_and_pid(&mut bench(&[
        "run",
        "tests/fixtures/e2e/matrix.kdl",
        "--results",
        res_s,
    ]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "failures make the exit status 1\n{stderr}");
    assert!(stderr.contains("4 ok, 0 invalid, 4 failed, 0 N/A"), "{stderr}");

    let r = results(&res);
    let ids: Vec<&str> = r.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "bjoern-pypy/hello",
            "bjoern-pypy/io",
            "bjoern/hello",
            "bjoern/io",
            "flask-broken/hello",
            "flask-broken/io",
            "flask-gunicorn-oom/hello",
            "flask-gunicorn-oom/io",
        ]
    );
    for ok in r.iter().filter(|r| r["name"].as_str().unwrap().starts_with("bjoern")) {
        let id = ok["id"].as_str().unwrap();
        assert_eq!(ok["outcome"], "ok", "{id}: {}", ok["reason"]);
        let load = &ok["load"];
        assert!(
            load["ok_requests"].as_u64().unwrap() >= 5,
            "{id} measured requests: {}",
            load["ok_requests"]
        );
        assert_eq!(load["duration_us"].as_u64().unwrap() / 100_000, 20, "{id} measured 2 s");
        let connections = if ok["scenario"] == "io" { 5 } else { 20 };
        assert_eq!(ok["load_settings"]["connections"], connections);
        let names: Vec<&str> =
            ok["checks"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        for expected in ["generator-saturated", "littles-law", "error-rate", "server-stable"] {
            assert!(names.contains(&expected), "{id} has check {expected}: {names:?}");
        }
        let usage = &ok["usage"];
        assert!(usage["samples"].as_u64().unwrap() >= 1, "{id} usage sampled");
        assert!(usage["memory_bytes_max"].as_u64().unwrap() > 1_000_000, "{id} memory sampled");
        let p = &ok["provenance"];
        assert!(
            p["packages"]["bjoern"] == "3.2.2",
            "{id} records installed versions: {}",
            p["packages"]
        );
        let python = p["python_version"].as_str().unwrap();
        let expected_impl = if ok["runtime"] == "pypy" { "PyPy" } else { "CPython" };
        assert!(python.starts_with(expected_impl), "{id}: {python}");
        assert!(p["image_id"].as_str().unwrap().starts_with("sha256:"), "{id} image id");
        assert!(p["docker_version"].as_str().is_some_and(|v| !v.is_empty()), "{id} docker version");
        assert!(p["kernel"].as_str().is_some(), "{id} kernel");
        assert!(p["generator"].as_str().unwrap().starts_with("bench load"), "{id} generator");
        assert!(p["started_at"].as_str().unwrap() <= p["finished_at"].as_str().unwrap());
        let phases = &p["phases_ms"];
        let measure = phases["measure"].as_u64().unwrap();
        assert!((2000..4000).contains(&measure), "{id} measured about 2 s: {phases}");
        let overhead: u64 = ["start", "ready", "verify", "teardown"]
            .iter()
            .map(|k| phases[k].as_u64().unwrap())
            .sum();
        assert!(overhead > 0, "{id}: {phases}");
    }
    for bad in r.iter().filter(|r| r["name"] == "flask-broken") {
        assert_eq!(bad["outcome"], "failed");
        let reason = bad["reason"].as_str().unwrap();
        assert!(reason.contains("never became ready"), "{reason}");
        let tail = bad["log_tail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(tail.contains("no-such-server"), "the log tail says why: {tail}");
        assert!(bad["load"].is_null(), "nothing measured");
    }
    for oom in r.iter().filter(|r| r["name"] == "flask-gunicorn-oom") {
        assert_eq!(oom["outcome"], "failed", "{}", oom["id"]);
        assert_eq!(oom["resources"]["memory_bytes"], 10 << 20);
    }
    assert_eq!(bench_containers(pid), "", "no container is left");

    // Resume: a second run measures nothing and leaves the results as they are.
    let before: Vec<String> = r.iter().map(|r| r.to_string()).collect();
    let again =
        bench(&["run", "tests/fixtures/e2e/matrix.kdl", "--results", res_s]).output().unwrap();
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("0 measurement(s) to do, 8 already stored"), "{stderr}");
    assert_eq!(again.status.code(), Some(0), "{stderr}");
    let after: Vec<String> = results(&res).iter().map(|r| r.to_string()).collect();
    assert_eq!(before, after);

    // The report reads them: measured rows with numbers, failed ones N/A with the reason.
    let report = bench(&["report", "--results", res_s]).output().unwrap();
    let md = String::from_utf8_lossy(&report.stdout);
    assert!(report.status.success(), "{}", String::from_utf8_lossy(&report.stderr));
    // Footnote markers (`[^N]`) follow a row name when a check failed or a cell is N/A.
    let row = |name: &str| {
        md.lines()
            .filter(move |l| {
                l.starts_with(&format!("{name} |")) || l.starts_with(&format!("{name}[^"))
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(row("bjoern-pypy").len(), 2, "{md}");
    assert!(row("bjoern-pypy").iter().all(|l| !l.contains("N/A")), "{md}");
    assert!(
        row("flask-broken").iter().all(|l| l.contains("| N/A | N/A | N/A | N/A | N/A |")),
        "{md}"
    );
}

#[test]
fn ctrl_c_removes_containers_and_keeps_finished_results() {
    if !common::docker::available() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let res = dir.path().join("results");
    let child = bench(&[
        "run",
        "tests/fixtures/e2e/matrix.kdl",
        "--only",
        "bjoern*",
        "--duration",
        "4s",
        "--results",
        res.to_str().unwrap(),
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // Wait for the first stored result, then interrupt the next measurement.
    let start = Instant::now();
    while results(&res).is_empty() {
        assert!(start.elapsed() < Duration::from_secs(300), "no result within 5 minutes");
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_secs(3));
    let finished_before = results(&res);
    let child_pid = child.id();
    unsafe {
        libc::kill(child_pid as i32, libc::SIGINT);
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(bench_containers(child_pid), "", "no container is left after Ctrl-C");
    let after = results(&res);
    assert!(
        after.len() >= finished_before.len() && after.len() < 4,
        "finished results kept, the interrupted one not written: {}",
        after.len()
    );
    for r in &after {
        assert_eq!(r["outcome"], "ok");
    }
}

#[test]
fn executions_run_interleaved_with_a_seed_a_calibration_and_a_watched_warmup() {
    if !common::docker::available() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let res = dir.path().join("results");
    let out = bench(&[
        "run",
        "tests/fixtures/e2e/matrix.kdl",
        "--only",
        "bjoern",
        "--only",
        "bjoern-pypy",
        "--only",
        "hello",
        "--duration",
        "1s",
        "--warmup",
        "6s",
        "--executions",
        "3",
        "--seed",
        "42",
        "--results",
        res.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("order seed 42"), "the seed is printed first: {stderr}");
    assert!(stderr.contains("machine speed varied"), "{stderr}");
    let mut r = results(&res);
    assert_eq!(r.len(), 6, "3 executions of 2 cells");
    r.sort_by_key(|r| r["schedule"]["position"].as_u64().unwrap());
    for (pair, position) in r.windows(2).zip(1..) {
        let (a, b) = (&pair[0], &pair[1]);
        assert_ne!(
            a["id"],
            b["id"],
            "no cell twice in a row (positions {position}, {})",
            position + 1
        );
        let (a_end, b_start) = (&a["provenance"]["finished_at"], &b["provenance"]["started_at"]);
        assert!(
            a_end.as_str() <= b_start.as_str(),
            "stored start times follow the order: {a_end} then {b_start}"
        );
    }
    for e in &r {
        let id = e["id"].as_str().unwrap();
        assert_eq!(e["outcome"], "ok", "{id}: {}", e["reason"]);
        assert_eq!(e["schedule"]["seed"], 42);
        let calibration = &e["calibration"];
        assert!(calibration["mops_per_second"].as_f64().unwrap() > 0.0, "{id}: {calibration}");
        assert_eq!(calibration["cpus"].as_array().unwrap().len(), 1, "{id}: the server's core");
        let warmup = &e["warmup"];
        let windows = warmup["windows"].as_array().unwrap().len();
        let duration_ms = warmup["duration_ms"].as_u64().unwrap();
        match warmup["end"]["reason"].as_str().unwrap() {
            // Ended early: at least three whole windows seen, before the configured 6 s.
            "steady" => assert!(
                warmup["end"]["windows"].as_u64().unwrap() >= 3 && duration_ms < 6000,
                "{id}: {warmup}"
            ),
            "bound" => assert_eq!(windows, 6, "{id}: {warmup}"),
            other => panic!("{id}: warm-up ended by {other}"),
        }
    }
    assert_eq!(leftover(&r), Vec::<String>::new(), "no container is left");

    // Every report format renders the executions' intervals.
    let render = |format: &str| {
        let out = bench(&["report", "--results", res.to_str().unwrap(), "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let markdown = render("markdown");
    assert!(markdown.contains("| Req/Sec 95% CI |"), "{markdown}");
    // Table rows (a row name with its footnote, then the columns): N = 3 and an interval.
    let rows: Vec<&str> =
        markdown.lines().filter(|l| l.contains("[^") && l.contains(" | ")).collect();
    assert_eq!(rows.len(), 2, "{markdown}");
    for row in &rows {
        assert!(row.contains("| 3 |") && !row.contains("none (1 execution)"), "{row}");
    }
    let csv = render("csv");
    let header = csv.lines().next().unwrap();
    assert!(header.contains("cell.estimates.requests_per_second.low"), "{header}");
    let json: serde_json::Value = serde_json::from_str(&render("json")).unwrap();
    assert!(json.to_string().contains("\"low\""), "{json}");
    let html = render("html");
    assert!(html.contains("95%"), "the HTML shows the intervals");
}
