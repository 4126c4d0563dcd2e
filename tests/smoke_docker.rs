//! `bench smoke` in real Docker on a representative subset of the article's rows: one per
//! runtime (CPython, PyPy, Nuitka) and per interface (wsgi, asgi, aiohttp, own). Skipped
//! without a Docker engine (see `common::docker::available`).

mod common;

use std::process::Command;

#[test]
fn representative_rows_build_start_and_answer_every_scenario() {
    if !common::docker::available() {
        return;
    }
    let rows = [
        "falcon-gunicorn",
        "falcon-uvicorn",
        "aiohttp-gunicorn",
        "flask",
        "bjoern-pypy",
        "falcon-bjoern-nuitka",
    ];
    let results = tempfile::tempdir().unwrap();
    let mut args = vec![
        "smoke".to_string(),
        "matrix.kdl".into(),
        "--results".into(),
        results.path().display().to_string(),
    ];
    for r in rows {
        args.push("--only".into());
        args.push(r.into());
    }
    let mut command = Command::new(env!("CARGO_BIN_EXE_bench"));
    command.args(&args).current_dir(env!("CARGO_MANIFEST_DIR"));
    let (out, pid) = common::docker::output_and_pid(&mut command);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "smoke failed\n{stdout}\n{stderr}");
    for r in rows {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("| {r} |")))
            .unwrap_or_else(|| panic!("no line for {r}\n{stdout}"));
        assert!(line.ends_with("| pass | pass | pass | pass | pass |"), "{line}");
    }
    assert!(stderr.contains("6 row(s), 6 passed, 0 failed"), "{stderr}");
    // Only this smoke run's containers: the engine is shared with other runs.
    assert_eq!(common::docker::containers_of(pid), Vec::<String>::new(), "no container is left");
}
