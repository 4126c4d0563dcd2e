//! A sharded run end to end in real Docker, as the exported workflows run it: the matrix as
//! two shards in two `bench run --shard K/2` processes into two results directories,
//! `bench merge`, then `bench report`; the merged directory holds the same cells, hashes
//! and executions as one process measuring the whole matrix. Skipped without a Docker
//! engine (see `common::docker::available`).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const MATRIX: &str = "tests/fixtures/shards/matrix.kdl";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bench(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bench"));
    c.args(args).current_dir(root()).env("NO_COLOR", "1");
    c
}

/// Runs `bench run` to its end, removes the containers it left, and says whether it passed.
fn run(results: &Path, shard: Option<&str>) {
    let mut args = vec!["run", MATRIX, "--results", results.to_str().unwrap()];
    if let Some(shard) = shard {
        args.extend(["--shard", shard]);
    }
    let (out, pid) = common::docker::output_and_pid(&mut bench(&args));
    common::docker::remove_containers_of(pid);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// (id, hash, execution, outcome) of every result under `dir`.
fn cells(dir: &Path) -> BTreeSet<(String, String, u64, String)> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "json") {
                let r: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                let text = |k: &str| r[k].as_str().unwrap().to_string();
                out.insert((
                    text("id"),
                    text("hash"),
                    r["repetition"].as_u64().unwrap(),
                    text("outcome"),
                ));
            }
        }
    }
    out
}

#[test]
fn two_shards_merged_hold_what_one_run_measures() {
    if !common::docker::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let shard = |k: u32| dir.path().join(format!("results-{k}"));
    run(&shard(1), Some("1/2"));
    run(&shard(2), Some("2/2"));
    let (first, second) = (cells(&shard(1)), cells(&shard(2)));
    assert!(!first.is_empty() && !second.is_empty(), "each shard measures: {first:?} {second:?}");
    assert!(first.is_disjoint(&second), "no cell is measured twice: {first:?} {second:?}");

    let merged = dir.path().join("merged");
    let out = bench(&["merge"])
        .args([&shard(1), &shard(2)])
        .args(["-o".as_ref(), merged.as_os_str()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("4 copied, 0 already there"), "{err}");

    let whole = dir.path().join("whole");
    run(&whole, None);
    let expected = cells(&whole);
    assert_eq!(expected.len(), 4, "2 rows x 2 scenarios: {expected:?}");
    assert!(expected.iter().all(|c| c.3 == "ok"), "{expected:?}");
    assert_eq!(cells(&merged), expected);

    let out = bench(&["report", "--results", merged.to_str().unwrap(), "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8_lossy(&out.stdout);
    for id in expected.iter().map(|c| &c.0) {
        let (name, scenario) = id.split_once('/').unwrap();
        assert!(csv.lines().any(|l| l.contains(name) && l.contains(scenario)), "{id}: {csv}");
    }
}
