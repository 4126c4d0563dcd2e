//! `bench profile` for real: py-spy copied into a fresh container of flask on gunicorn (a
//! CPython row) sampling its cpu cell under the cell's load. Skipped without a Docker engine
//! (see `common::docker::available`); py-spy is installed by scripts/setup.sh.

mod common;

use std::process::Command;

#[test]
fn a_cpython_cpu_cell_spends_its_samples_in_cpu_work() {
    if !common::docker::available() {
        return;
    }
    let results = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_bench"));
    command
        .args(["profile", "matrix.kdl", "--only", "flask-gunicorn", "--only", "cpu"])
        .args(["--rate", "50", "--duration", "4s", "--results"])
        .arg(results.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    let (out, pid) = common::docker::output_and_pid(&mut command);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "profile failed\n{stderr}");
    let dir = results.path().join("cpu/flask-gunicorn");
    let file = |suffix: &str| {
        let entry = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with(suffix));
        entry.unwrap_or_else(|| panic!("no *{suffix} in {}\n{stderr}", dir.display()))
    };
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file(".profile.json")).unwrap()).unwrap();
    let stacks = bench::profile::Collapsed::parse(
        &std::fs::read_to_string(file(".profile.collapsed")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["samples"], stacks.samples(), "{record}");
    assert_eq!(record["profiler"], "py-spy");
    // 50 Hz over 4 s of a busy worker: about 200, fewer on a loaded machine.
    assert!(stacks.samples() >= 50, "{record}");
    assert_eq!(record["rate_hz"], 50);
    assert!(record["profiled_rps"].as_f64().unwrap() > 0.0, "{record}");
    let share = stacks.share_in("cpu_work");
    assert!(share >= 0.5, "cpu_work holds {:.0}% of the samples\n{stderr}", share * 100.0);
    let svg = std::fs::read_to_string(file(".profile.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("cpu_work"), "the flame graph names cpu_work");
    let all = format!("all ({} samples", grouped(stacks.samples()));
    assert!(svg.contains(&all), "the root counts them all: {all}");
    assert!(stderr.contains("flame graph: "), "{stderr}");
    assert_eq!(common::docker::containers_of(pid), Vec::<String>::new(), "no container is left");
}

/// `1234` as inferno writes it: `1,234`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}
