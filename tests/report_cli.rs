//! `bench report` as a user runs it: defaults, --only, -o, --template, and clear errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results-mixed")
}

fn bench(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bench")).args(args).current_dir(dir).output().unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn defaults_to_markdown_from_results_in_the_current_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let results = tmp.path().join("results");
    let store = bench::store::Store::open(&results).unwrap();
    for r in bench::store::Store::open(fixture()).unwrap().load_all().unwrap() {
        store.write(&r).unwrap();
    }
    // Works from any directory: templates are inside the binary.
    let md = stdout(&bench(&["report"], tmp.path()));
    assert!(md.starts_with("# Python web framework benchmark"), "{md}");
    assert!(md.contains("Server | Avg ms | Stdev ms | Max ms | Req/Sec | Total Requests |"));
}

#[test]
fn only_keeps_matching_rows_and_output_goes_to_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = fixture();
    let md = stdout(&bench(
        &["report", "--results", fixture.to_str().unwrap(), "--only", "aiohttp"],
        tmp.path(),
    ));
    assert!(md.contains("aiohttp (connections=16)"));
    assert!(!md.contains("falcon-gunicorn"), "{md}");
    // Globs match the cell id too: every row of one scenario.
    let md = stdout(&bench(
        &["report", "--results", fixture.to_str().unwrap(), "--only", "*/io*"],
        tmp.path(),
    ));
    assert!(!md.contains("## hello") && md.contains("## io"), "{md}");

    let out = bench(
        &["report", "--results", fixture.to_str().unwrap(), "--format", "html", "-o", "r.html"],
        tmp.path(),
    );
    assert_eq!(stdout(&out), "");
    let html = std::fs::read_to_string(tmp.path().join("r.html")).unwrap();
    assert!(html.starts_with("<!doctype html>"));
}

#[test]
fn template_file_replaces_the_shipped_one() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("t.csv"),
        "{% for s in scenarios %}{{ s.name }},{{ s.rows|length }}\n{% endfor %}",
    )
    .unwrap();
    let fixture = fixture();
    let csv = stdout(&bench(
        &[
            "report",
            "--results",
            fixture.to_str().unwrap(),
            "--format",
            "csv",
            "--template",
            "t.csv",
        ],
        tmp.path(),
    ));
    assert_eq!(csv, "hello,5\nio,6\n");
}

#[test]
fn errors_are_clear() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bench(&["report"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("results directory results does not exist") && err.contains("bench run"),
        "{err}"
    );

    let fixture = fixture();
    let out = bench(
        &["report", "--results", fixture.to_str().unwrap(), "--only", "nothing*"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("none of the 14 results"), "{:?}", out);

    let out =
        bench(&["report", "--results", fixture.to_str().unwrap(), "--only", "a[b"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a valid glob"));

    std::fs::write(tmp.path().join("bad.md"), "{{ scenarios[0].nope }}").unwrap();
    let out = bench(
        &["report", "--results", fixture.to_str().unwrap(), "--template", "bad.md"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("template report.md failed") && err.contains("docs/report.md"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn unreadable_result_files_are_warned_about_not_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    let results = tmp.path().join("results");
    let store = bench::store::Store::open(&results).unwrap();
    for r in bench::store::Store::open(fixture()).unwrap().load_all().unwrap() {
        store.write(&r).unwrap();
    }
    std::fs::write(results.join("hello/garbage.json"), "not json").unwrap();
    let out = bench(&["report"], tmp.path());
    let md = stdout(&out);
    assert!(md.contains("## hello"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: skipped unreadable result file") && err.contains("garbage.json"),
        "{err}"
    );
    assert!(results.join("hello/garbage.json").exists());
}

/// The cell ids of the stored results `bench report --format json` keeps with `only`.
fn reported_ids(only: &[&str]) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = fixture();
    let mut args = vec!["report", "--results", fixture.to_str().unwrap(), "--format", "json"];
    for o in only {
        args.extend(["--only", o]);
    }
    let json: serde_json::Value = serde_json::from_str(&stdout(&bench(&args, tmp.path()))).unwrap();
    let results = json["results"].as_array().unwrap();
    let mut ids: Vec<String> = results.iter().map(|r| r["id"].as_str().unwrap().into()).collect();
    ids.dedup();
    ids
}

#[test]
fn only_selects_results_by_the_same_rules_as_expand() {
    // A scenario alone, as `bench run --only io` takes it.
    let io = reported_ids(&["io"]);
    assert!(!io.is_empty() && io.iter().all(|id| id.contains("/io")), "{io:?}");
    // A row and a scenario: both must match.
    assert_eq!(reported_ids(&["falcon-gunicorn", "hello"]), ["falcon-gunicorn/hello"]);
    assert_eq!(
        reported_ids(&["aiohttp", "io"]),
        ["aiohttp/io[connections=16]", "aiohttp/io[connections=64]", "aiohttp/io[connections=256]"]
    );
    // Rows OR together, and a cell id names its cell.
    let rows = reported_ids(&["bjoern-pypy", "flask-bjoern"]);
    assert_eq!(rows, ["flask-bjoern/hello", "bjoern-pypy/hello"]);
    assert_eq!(reported_ids(&["aiohttp/hello"]), ["aiohttp/hello"]);

    let tmp = tempfile::tempdir().unwrap();
    let fixture = fixture();
    let dir = fixture.to_str().unwrap();
    let md = stdout(&bench(&["compare", dir, dir, "--only", "io"], tmp.path()));
    assert!(md.contains("## io") && !md.contains("## hello"), "{md}");
}
