//! Whether the tests that need a Docker engine can run here.

use std::io::Write;
use std::sync::OnceLock;

/// `true` when the Docker engine answers. Otherwise the calling test returns at once: this
/// prints one line saying what was tried and how to start the engine, or, where `CI` or
/// `BENCH_REQUIRE_DOCKER=1` is set, fails the test, so that CI runs these tests for real.
#[track_caller]
pub fn available() -> bool {
    static PROBE: OnceLock<Result<(), String>> = OnceLock::new();
    let probe = PROBE.get_or_init(|| {
        // Its own thread and runtime: the caller may run inside one already (`tokio::test`).
        let connect = || -> Result<(), String> {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            let runtime = runtime.map_err(|e| format!("no async runtime: {e}"))?;
            runtime
                .block_on(bench::engine::DockerEngine::connect())
                .map(drop)
                .map_err(|e| e.to_string())
        };
        std::thread::spawn(connect)
            .join()
            .unwrap_or_else(|_| Err("the connection attempt panicked".into()))
    });
    let Err(why) = probe else { return true };
    let test = std::thread::current().name().unwrap_or("a Docker test").to_string();
    let host = std::env::var("DOCKER_HOST").unwrap_or_else(|_| "the default socket".into());
    let line = format!("{test}: tried {host}: {why}; start the engine with scripts/setup.sh");
    if required() {
        panic!("{line} (a missing engine fails here: CI or BENCH_REQUIRE_DOCKER is set)");
    }
    // Past the harness's capture of `eprintln!`, which hides what passing tests print.
    let _ = std::io::stderr().lock().write_all(format!("skipped {line}\n").as_bytes());
    false
}

/// Set (to anything but empty, `0` or `false`) in CI, or by hand to insist on Docker.
fn required() -> bool {
    let set =
        |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    set("CI") || set("BENCH_REQUIRE_DOCKER")
}

/// Runs `command` (a `bench` invocation) to its end, capturing its output, and gives the
/// process id its containers are labelled with (`containers_of`).
pub fn output_and_pid(command: &mut std::process::Command) -> (std::process::Output, u32) {
    use std::process::Stdio;
    let child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start bench");
    let pid = child.id();
    (child.wait_with_output().expect("wait for bench"), pid)
}

/// The names of the containers (running or not) owned by the bench process `pid`: its
/// `bench.pid` label, so a test sees only what its own runs started, never another user's.
pub fn containers_of(pid: u32) -> Vec<String> {
    names(&[format!("label=bench.pid={pid}")])
}

/// The names of the server containers of the bench process `pid` (those `bench run` starts
/// for a cell, labelled `bench.cell`), not the short probe it runs first to learn the
/// engine's CPUs: what a test waits for before it interrupts a measurement.
pub fn servers_of(pid: u32) -> Vec<String> {
    names(&[format!("label=bench.pid={pid}"), "label=bench.cell".to_string()])
}

/// `docker ps -a` names with these filters (all must hold).
fn names(filters: &[String]) -> Vec<String> {
    let mut command = std::process::Command::new("docker");
    command.args(["ps", "-a", "--format", "{{.Names}}"]);
    for filter in filters {
        command.arg("--filter").arg(filter);
    }
    let out = command.output().expect("run docker ps");
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

/// Removes the containers owned by the bench process `pid` (a test's own leftovers, after it
/// has asserted on them), and nothing else.
pub fn remove_containers_of(pid: u32) {
    let names = containers_of(pid);
    if !names.is_empty() {
        let _ = std::process::Command::new("docker").args(["rm", "-f"]).args(&names).output();
    }
}
