//! A run resumed on another machine: a table whose stored executions came from a different
//! CPU model is refused before anything is built or measured (a table is ranked on one
//! machine), with the table, the machine and what to do; `--allow-mixed` lets it go on.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

const MATRIX: &str = "tests/fixtures/e2e/matrix.kdl";

/// The cell `bjoern/hello` of the e2e matrix, as `bench expand --format json` gives it.
fn cell() -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["expand", MATRIX, "--only", "bjoern", "--only", "hello", "--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cells: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cell = cells.as_array().unwrap().iter().find(|c| c["id"] == "bjoern/hello").unwrap();
    cell.clone()
}

/// Stores execution 1 of `cell` as measured on a machine with `cpu`, from a stored result
/// of the fixtures with the cell's identity put in.
fn store_execution(results: &Path, cell: &Value, cpu: &str) {
    let fixture = "tests/fixtures/results-mixed/hello/falcon-gunicorn/66002fbbabeb-r1.json";
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture));
    let mut result: Value = serde_json::from_str(&text.unwrap()).unwrap();
    for field in ["id", "name", "hash", "scenario"] {
        result[field] = cell[field].clone();
    }
    result["repetition"] = json!(1);
    result["outcome"] = json!("ok");
    let provenance = result["provenance"].as_object_mut().unwrap();
    provenance.insert("host_cpu".into(), json!(cpu));
    provenance.insert("online_cpus".into(), json!(2));
    provenance.insert("fingerprint".into(), json!("000000000000"));
    let hash = cell["hash"].as_str().unwrap();
    let dir = results.join("hello").join(cell["name"].as_str().unwrap());
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}-r1.json", &hash[..12]));
    std::fs::write(file, serde_json::to_vec_pretty(&result).unwrap()).unwrap();
}

fn bench_run(results: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["run", MATRIX, "--only", "bjoern", "--only", "hello", "--executions", "2"])
        .args(["--results", results.to_str().unwrap()])
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_table_begun_on_another_machine_is_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    let cell = cell();
    store_execution(&results, &cell, "Made-up CPU 9000");
    let out = bench_run(&results, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error: table `hello` has 1 execution(s) from Made-up CPU 9000, 2 cores (fingerprint "
        ),
        "{stderr}"
    );
    assert!(stderr.contains("this machine is "), "{stderr}");
    assert!(stderr.contains("help: finish the table on that machine"), "{stderr}");
    assert!(stderr.contains("--allow-mixed"), "{stderr}");
    // Refused before the engine was asked for anything.
    assert!(!stderr.contains("Docker"), "{stderr}");
}

#[test]
fn allow_mixed_warns_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    store_execution(&results, &cell(), "Made-up CPU 9000");
    let out = bench_run(&results, &["--allow-mixed"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: table `hello` has 1 execution(s) from Made-up CPU 9000"),
        "{stderr}"
    );
    assert!(stderr.contains("going on (--allow-mixed)"), "{stderr}");
    // It went on as far as the engine, which this test points nowhere.
    assert!(stderr.contains("Docker") || stderr.contains("docker"), "{stderr}");
}
