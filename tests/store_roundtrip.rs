//! The results store: round trip, atomic writes, unreadable files, merging directories.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bench::store::{CellResult, Outcome, Store, StoreError};

fn fixture_results() -> Vec<CellResult> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results-mixed");
    let results = Store::open(&dir).unwrap().load().unwrap();
    assert!(results.skipped.is_empty(), "{:?}", results.skipped);
    results.results
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { stack.push(path) } else { out.push(path) }
        }
    }
    out.sort();
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for file in files_under(from) {
        let target = to.join(file.strip_prefix(from).unwrap());
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(&file, &target).unwrap();
    }
}

#[test]
fn write_then_load_gives_back_the_same_results() {
    let results = fixture_results();
    assert_eq!(results.len(), 14);
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path().join("results")).unwrap();
    for r in &results {
        let path = store.write(r).unwrap();
        let expected = tmp.path().join("results").join(&r.scenario).join(&r.name).join(format!(
            "{}-r{}.json",
            &r.hash[..12],
            r.repetition
        ));
        assert_eq!(path, expected);
    }
    let loaded = store.load_all().unwrap();
    assert_eq!(loaded, results);
}

#[test]
fn find_matches_full_hash_and_repetition() {
    let results = fixture_results();
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    let falcon: Vec<_> =
        results.iter().filter(|r| r.id == "falcon-gunicorn/hello").cloned().collect();
    for r in &falcon {
        store.write(r).unwrap();
    }
    let second = falcon.iter().find(|r| r.repetition == 2).unwrap();
    assert_eq!(store.find(&second.hash, 2).as_ref(), Some(second));
    assert_eq!(store.find(&second.hash, 7), None);
    // Same first 12 characters, other full hash: not the same cell.
    let mut other_hash = second.hash.clone();
    other_hash.push('0');
    assert_eq!(store.find(&other_hash, 2), None);
    assert_eq!(Store::open(tmp.path().join("missing")).unwrap().find(&second.hash, 2), None);
}

#[test]
fn the_index_answers_for_every_stored_result_from_one_read() {
    let results = fixture_results();
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path().join("results")).unwrap();
    assert!(store.index().unwrap().is_empty(), "no directory yet: nothing stored");
    for r in &results {
        store.write(r).unwrap();
    }
    let index = store.index().unwrap();
    // Written after the read: the index does not see it (it reads the directory once).
    fs::write(tmp.path().join("results/hello/garbage.json"), "not json").unwrap();
    assert_eq!(index.len(), results.len());
    for r in &results {
        assert_eq!(index.get(&r.hash, r.repetition), Some(r), "{} r{}", r.id, r.repetition);
        assert!(index.contains(&r.hash, r.repetition));
        assert!(!index.contains(&r.hash, r.repetition + 10));
    }
    let mut other_hash = results[0].hash.clone();
    other_hash.push('0');
    assert!(!index.contains(&other_hash, results[0].repetition));
    // An unreadable file is left out, not fatal.
    assert_eq!(store.index().unwrap().len(), results.len());
}

#[test]
fn writes_are_atomic_readers_never_see_a_partial_file() {
    let mut big = fixture_results().remove(0);
    // About 2 MB of log: written in many chunks, a non-atomic write would be seen half done.
    big.log_tail = (0..40_000).map(|i| format!("log line {i} with some padding text")).collect();
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let store = store.clone();
        let done = done.clone();
        std::thread::spawn(move || {
            let mut observations = 0u32;
            while !done.load(Ordering::SeqCst) {
                if let Ok(loaded) = store.load() {
                    assert!(
                        loaded.skipped.is_empty(),
                        "a reader saw a partial file: {:?}",
                        loaded.skipped
                    );
                    observations += loaded.results.len() as u32;
                }
            }
            observations
        })
    };
    for rep in 1..=30 {
        big.repetition = rep;
        store.write(&big).unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let observations = reader.join().expect("reader saw only whole files");
    assert!(observations > 0, "the reader never saw a result: the test proved nothing");
    // No temporary file is left behind.
    let files = files_under(tmp.path());
    assert_eq!(files.len(), 30, "{files:?}");
    assert!(files.iter().all(|p| p.extension().unwrap() == "json"));
}

#[test]
fn leftover_temporary_files_are_ignored() {
    let results = fixture_results();
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    let path = store.write(&results[0]).unwrap();
    // A crash between create and rename leaves a hidden temporary file behind.
    let temp =
        path.with_file_name(format!(".{}.tmp-1-0", path.file_name().unwrap().to_string_lossy()));
    fs::write(&temp, b"{\"schema_version\": 1, \"na").unwrap();
    let loaded = store.load().unwrap();
    assert_eq!(loaded.results, vec![results[0].clone()]);
    assert!(loaded.skipped.is_empty());
}

#[test]
fn unreadable_files_are_reported_and_kept() {
    let results = fixture_results();
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    store.write(&results[0]).unwrap();
    store.write(&results[1]).unwrap();
    let broken = tmp.path().join("hello/broken/0123456789ab-r1.json");
    fs::create_dir_all(broken.parent().unwrap()).unwrap();
    fs::write(&broken, b"{ truncated").unwrap();
    let loaded = store.load().unwrap();
    assert_eq!(loaded.results.len(), 2);
    assert_eq!(loaded.skipped.len(), 1);
    assert_eq!(loaded.skipped[0].path, broken);
    let message = loaded.skipped[0].to_string();
    assert!(
        message.contains("0123456789ab-r1.json") && message.contains("not a bench result"),
        "{message}"
    );
    assert!(broken.exists(), "an unreadable file must never be deleted");
    assert_eq!(store.load_all().unwrap().len(), 2);
}

#[test]
fn a_report_saved_inside_the_results_is_not_read_back_as_a_result() {
    let results = fixture_results();
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    for result in &results {
        store.write(result).unwrap();
    }
    let report = |format: &str, output: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_bench"))
            .args(["report", "--results", ".", "--format", format, "-o", output])
            .current_dir(tmp.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stderr).unwrap()
    };
    fs::create_dir_all(tmp.path().join("x")).unwrap();
    report("json", "x/report.json");
    // `bench expand --format json` saved beside them: a JSON array.
    fs::write(tmp.path().join("cells.json"), b"[{\"id\": \"flask/hello\"}]").unwrap();
    // A result that lost its fields stays a damaged result, reported.
    let damaged = tmp.path().join("hello/flask/0123456789ab-r1.json");
    fs::create_dir_all(damaged.parent().unwrap()).unwrap();
    fs::write(&damaged, b"{\"schema_version\": 1, \"name\": \"flask\"}").unwrap();
    let loaded = store.load().unwrap();
    assert_eq!(loaded.results.len(), results.len(), "the report's results are not read back");
    let skipped: Vec<&PathBuf> = loaded.skipped.iter().map(|s| &s.path).collect();
    assert_eq!(skipped, [&damaged]);
    fs::remove_file(&damaged).unwrap();
    let stderr = report("json", "x/report.json");
    assert!(!stderr.contains("warning"), "the saved report is not a result: {stderr}");
}

#[test]
fn writing_over_a_different_result_keeps_the_old_one() {
    let mut result = fixture_results().remove(0);
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    let path = store.write(&result).unwrap();
    // Writing the same result again changes nothing.
    store.write(&result).unwrap();
    assert_eq!(files_under(tmp.path()).len(), 1);
    let old = result.clone();
    result.outcome = Outcome::Failed;
    result.reason = Some("rerun crashed".into());
    store.write(&result).unwrap();
    let files = files_under(tmp.path());
    assert_eq!(files.len(), 2, "{files:?}");
    let aside = path.with_extension("json.superseded-1");
    let kept: CellResult = serde_json::from_slice(&fs::read(&aside).unwrap()).unwrap();
    assert_eq!(kept, old);
    assert_eq!(store.find(&result.hash, result.repetition), Some(result));
}

#[test]
fn two_directories_merge_by_copying() {
    let results = fixture_results();
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, merged) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("merged"));
    let store_a = Store::open(&a).unwrap();
    let store_b = Store::open(&b).unwrap();
    for (i, r) in results.iter().enumerate() {
        // Machine A measured the even results, machine B the odd ones, both measured the first.
        if i % 2 == 0 {
            store_a.write(r).unwrap();
        }
        if i % 2 == 1 || i == 0 {
            store_b.write(r).unwrap();
        }
    }
    copy_tree(&a, &merged);
    copy_tree(&b, &merged);
    assert_eq!(Store::open(&merged).unwrap().load_all().unwrap(), results);
}

#[test]
fn missing_or_wrong_directories_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let err = Store::open(tmp.path().join("nope")).unwrap().load().unwrap_err();
    assert!(matches!(err, StoreError::Missing { .. }));
    assert!(err.to_string().contains("bench run"), "{err}");
    let file = tmp.path().join("file");
    fs::write(&file, b"x").unwrap();
    assert!(matches!(Store::open(&file).unwrap_err(), StoreError::NotADirectory { .. }));
}

#[test]
fn hostile_names_stay_inside_the_directory() {
    let mut result = fixture_results().remove(0);
    result.name = "../../escape".into();
    result.scenario = "/etc".into();
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path().join("results")).unwrap();
    let path = store.write(&result).unwrap();
    assert!(path.starts_with(tmp.path().join("results")), "{}", path.display());
    assert!(!path.components().any(|c| c.as_os_str() == ".."));
    assert_eq!(store.load_all().unwrap(), vec![result]);
}
