//! `bench profile` and `bench compare` around stored profiles, as a user runs them, without
//! Docker: the results directory's lock refuses a profile beside a run, and `bench compare`
//! draws a differential flame graph for a cell profiled on both sides and says plainly when
//! only one side has a profile.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use bench::profile::{Collapsed, ProfileRecord, ProfileStore};
use bench::store::{RunLock, Store};

fn bench(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bench")).args(args).current_dir(dir).output().unwrap()
}

#[test]
fn profile_refuses_a_results_directory_a_run_holds() {
    let results = tempfile::tempdir().unwrap();
    let run = RunLock::acquire(results.path(), "run 1a2b3c4d (pid 1 on elsewhere)").unwrap();
    let dir = results.path().to_str().unwrap();
    let args =
        ["profile", "matrix.kdl", "--only", "flask-gunicorn", "--only", "cpu", "--results", dir];
    let out = bench(&args, Path::new(env!("CARGO_MANIFEST_DIR")));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is in use by another bench run"), "{stderr}");
    assert!(stderr.contains("run 1a2b3c4d (pid 1 on elsewhere)"), "names the holder: {stderr}");
    assert!(!stderr.contains("[1/1]"), "no cell was started: {stderr}");
    drop(run);
}

/// The fixture results of one side, copied to `dir`; gives the hash of each row's results.
fn results(side: &str, dir: &Path) -> Vec<(String, String)> {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results-repeated").join(side);
    let store = Store::open(dir).unwrap();
    let mut hashes = Vec::new();
    for result in Store::open(fixture).unwrap().load_all().unwrap() {
        store.write(&result).unwrap();
        hashes.push((result.name.clone(), result.hash.clone()));
    }
    hashes
}

fn profile(dir: &Path, hashes: &[(String, String)], name: &str, stacks: &str) -> String {
    let hash = hashes.iter().find(|(n, _)| n == name).unwrap().1.clone();
    let collapsed = Collapsed::parse(stacks).unwrap();
    let record: ProfileRecord = serde_json::from_value(serde_json::json!({
        "id": format!("{name}/hello"), "name": name, "scenario": "hello", "hash": &hash,
        "runtime": "cpython", "profiler": "py-spy", "version": "0.4.3", "rate_hz": 25,
        "options": [], "samples": collapsed.samples(), "duration_ms": 20_000,
        "profiled_at": "2026-12-02T00:00:00Z",
    }))
    .unwrap();
    let store = Store::open(dir).unwrap();
    ProfileStore::new(&store).write(&record, Some((&collapsed, b"<svg/>"))).unwrap();
    hash[..12].to_string()
}

#[test]
fn compare_draws_a_differential_flame_graph_where_both_sides_have_a_profile() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    let (old_hashes, new_hashes) = (results("old", &old), results("new", &new));
    let old_hash =
        profile(&old, &old_hashes, "boosted", "main;cpu_work (cpu.py:9) 10\nmain;select 30\n");
    let new_hash =
        profile(&new, &new_hashes, "boosted", "main;cpu_work (cpu.py:9) 30\nmain;select 10\n");
    profile(&new, &new_hashes, "steady", "main;select 5\n");
    std::fs::create_dir(tmp.path().join("out")).unwrap();
    let out = bench(&["compare", "old", "new", "-o", "out/compare.md"], tmp.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let graph: PathBuf = ["out", "compare-flame-graphs", "hello", "boosted"]
        .iter()
        .collect::<PathBuf>()
        .join(format!("{old_hash}-{new_hash}.profile-diff.svg"));
    assert!(
        stderr.contains(&format!("boosted/hello: differential flame graph {}", graph.display())),
        "{stderr}"
    );
    let svg = std::fs::read_to_string(tmp.path().join(&graph)).unwrap();
    // The comparison links it, relative to itself.
    let md = std::fs::read_to_string(tmp.path().join("out/compare.md")).unwrap();
    let href = format!("compare-flame-graphs/hello/boosted/{old_hash}-{new_hash}.profile-diff.svg");
    assert!(md.contains(&format!("boosted ([flame graph: old → new]({href})) |")), "{md}");
    // cpu_work grew from a quarter to three quarters of the samples: red, +50 points.
    let grown = svg.find("<title>cpu_work (cpu.py) (30 samples, 75.00%; +50.00%)").unwrap();
    assert!(svg[grown..].split("fill=\"").nth(1).unwrap().starts_with("rgb(255,"), "{svg}");
    assert!(
        stderr.contains(
            "steady/hello: profiled in new (new) only, not in old (old): no differential flame graph"
        ),
        "{stderr}"
    );
    // Cells profiled on neither side are not mentioned.
    assert!(!stderr.contains("slow/hello"), "{stderr}");

    // --flame-graphs names the directory; to standard output, nothing else changes.
    let out = bench(&["compare", "old", "new", "--flame-graphs", "graphs"], tmp.path());
    assert!(out.status.success());
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("# bench compare"));
    let elsewhere = tmp.path().join("graphs/hello/boosted");
    assert!(elsewhere.join(format!("{old_hash}-{new_hash}.profile-diff.svg")).is_file());
    assert!(!tmp.path().join("compare-flame-graphs").exists());
    // Standard output and -o FILE with no directory link from the current directory.
    let svg = format!("hello/boosted/{old_hash}-{new_hash}.profile-diff.svg");
    assert!(md.contains(&format!("old → new](graphs/{svg})")), "{md}");
    let out = bench(&["compare", "old", "new", "-o", "diff.md"], tmp.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let md = std::fs::read_to_string(tmp.path().join("diff.md")).unwrap();
    assert!(md.contains(&format!("old → new](diff-flame-graphs/{svg})")), "{md}");
}
