//! A results directory on a full filesystem (a small tmpfs, so root only; skipped, saying
//! so, where it cannot be mounted): too small at the start, the run refuses before any cell;
//! filled while a cell is measured, the run stops with an actionable message that still
//! gives the figure it could not store, leaves no half-written file and no container.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::docker::{available, containers_of, remove_containers_of, servers_of};

/// These tests measure: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// A tmpfs of `mib` MiB, unmounted on drop.
struct Tmpfs {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Tmpfs {
    fn mount(mib: u32) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fs");
        std::fs::create_dir(&path).unwrap();
        let size = format!("size={mib}m");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &size, "tmpfs", path.to_str().unwrap()])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(Tmpfs { _dir: dir, path })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

fn bench_run(results: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bench"));
    c.args(["run", "tests/fixtures/e2e/matrix.kdl", "--only", "bjoern", "--only", "hello"])
        .args(["--results", results.to_str().unwrap()])
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// Every file under `dir`, as paths relative to it.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_results_filesystem_without_room_is_refused_before_any_cell() {
    if !available() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some(fs) = Tmpfs::mount(8) else { return };
    let child = bench_run(&fs.path.join("results"), &[]).spawn().unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    remove_containers_of(pid);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("free"), "says how much room there is: {stderr}");
    assert!(!stderr.contains("bjoern/hello"), "no cell started: {stderr}");
    let stored: Vec<String> =
        files(&fs.path).into_iter().filter(|f| f.ends_with(".json")).collect();
    assert_eq!(stored, Vec::<String>::new());
}

#[test]
fn a_results_filesystem_filled_while_measuring_stops_the_run_keeping_the_figure() {
    if !available() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Room for the start-up check (64 MiB free), then filled by this test.
    let Some(fs) = Tmpfs::mount(80) else { return };
    let results = fs.path.join("results");
    let mut child = bench_run(&results, &["--duration", "10s"]).spawn().unwrap();
    let pid = child.id();
    let start = Instant::now();
    let mut filled = false;
    while child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(600), "bench did not end in 10 minutes");
        std::thread::sleep(Duration::from_millis(500));
        if !filled && !servers_of(pid).is_empty() {
            let mut filler = std::fs::File::create(fs.path.join("filler")).unwrap();
            let block = vec![0u8; 1 << 20];
            while filler.write_all(&block).is_ok() {}
            filled = true;
        }
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let leftovers = containers_of(pid);
    remove_containers_of(pid);
    assert!(filled, "the run ended before its server started: {stderr}");
    assert_eq!(leftovers, Vec::<String>::new(), "no container left");
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("cannot store the result of bjoern/hello"), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(stderr.contains("disk space"), "says what to do: {stderr}");
    assert!(stderr.contains("req/s") && stderr.contains("not stored"), "the figure: {stderr}");
    let left = files(&results);
    assert!(left.iter().all(|f| !f.ends_with(".json") && !f.contains(".tmp-")), "{left:?}");
}
