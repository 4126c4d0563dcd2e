//! `bench compare`: changes flagged only beyond the spread across repetitions, or beyond
//! the threshold when the spread is unknown.

use std::path::Path;
use std::process::Command;

use bench::report::{self, Comparison, RowComparison};
use bench::store::{CellResult, Store};

fn mixed() -> Vec<CellResult> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results-mixed");
    Store::open(dir).unwrap().load_all().unwrap()
}

/// Scale the throughput (and with it p99 the other way) of every result of `id`.
fn scale(results: &mut [CellResult], id: &str, rps_factor: f64, p99_factor: f64) {
    for r in results.iter_mut().filter(|r| r.id == id) {
        if let Some(load) = r.load.as_mut() {
            load.ok_rps *= rps_factor;
            load.latency.p99_us = (load.latency.p99_us as f64 * p99_factor) as u64;
        }
    }
}

fn row<'a>(comparison: &'a Comparison, scenario: &str, label: &str) -> &'a RowComparison {
    comparison
        .scenarios
        .iter()
        .find(|s| s.name == scenario)
        .and_then(|s| s.rows.iter().find(|r| r.label == label))
        .unwrap_or_else(|| panic!("no row {label} in {scenario}"))
}

#[test]
fn changes_within_the_spread_are_not_flagged_and_beyond_it_are() {
    let old = mixed();
    let mut new = old.clone();
    // falcon-gunicorn/hello: 3 repetitions, Req/Sec 6,500..6,702 (spread 202): +2% is noise.
    scale(&mut new, "falcon-gunicorn/hello", 1.02, 1.0);
    let c = Comparison::build(&old, &new, 10.0);
    let falcon = row(&c, "hello", "falcon-gunicorn").rps.as_ref().unwrap();
    assert!(!falcon.flagged, "{falcon:?}");
    assert!((falcon.spread.unwrap() - 202.0 * 1.02).abs() < 1e-6, "{falcon:?}");
    assert!(falcon.basis.contains("spread across repetitions"), "{}", falcon.basis);

    // +10% (655 req/s) is more than the spread: flagged, better.
    let mut new = old.clone();
    scale(&mut new, "falcon-gunicorn/hello", 1.10, 1.0);
    let c = Comparison::build(&old, &new, 10.0);
    let falcon = row(&c, "hello", "falcon-gunicorn").rps.as_ref().unwrap();
    assert!(falcon.flagged && falcon.direction == "better", "{falcon:?}");
    assert_eq!(falcon.percent_text, "+10.0%");
    assert_eq!(c.improvements, 1);
    assert_eq!(c.regressions, 0);
}

#[test]
fn with_one_repetition_the_threshold_decides_and_says_so() {
    let old = mixed();
    let mut new = old.clone();
    // flask-bjoern/hello has one repetition: -15% Req/Sec and +30% p99 are flagged, worse.
    scale(&mut new, "flask-bjoern/hello", 0.85, 1.3);
    // aiohttp io at 64 connections: -5% stays below the 10% threshold.
    scale(&mut new, "aiohttp/io[connections=64]", 0.95, 1.0);
    let c = Comparison::build(&old, &new, 10.0);
    let flask = row(&c, "hello", "flask-bjoern");
    let (rps, p99) = (flask.rps.as_ref().unwrap(), flask.p99.as_ref().unwrap());
    assert!(rps.flagged && rps.direction == "worse", "{rps:?}");
    assert!(p99.flagged && p99.direction == "worse", "{p99:?}");
    assert_eq!(rps.spread, None);
    assert_eq!(rps.basis, "spread unknown (one repetition each): threshold 10%");
    let aiohttp = row(&c, "io", "aiohttp (connections=64)").rps.as_ref().unwrap();
    assert!(!aiohttp.flagged, "{aiohttp:?}");
    assert_eq!(c.regressions, 2);
    // A tighter threshold flags it.
    let c = Comparison::build(&old, &new, 4.0);
    assert!(row(&c, "io", "aiohttp (connections=64)").rps.as_ref().unwrap().flagged);
}

#[test]
fn unmeasured_and_one_sided_rows_are_explained() {
    let old = mixed();
    let mut new: Vec<CellResult> = old.iter().filter(|r| r.name != "aiohttp").cloned().collect();
    let mut extra = new[0].clone();
    extra.name = "newcomer".into();
    extra.id = "newcomer/hello".into();
    extra.row_index = 9;
    new.push(extra);
    let c = Comparison::build(&old, &new, 10.0);
    assert_eq!(row(&c, "hello", "newcomer").note.as_deref(), Some("only in new"));
    assert_eq!(row(&c, "hello", "aiohttp").note.as_deref(), Some("only in old"));
    let tornado = row(&c, "hello", "flask-gunicorn-tornado");
    assert!(tornado.rps.is_none());
    assert!(
        tornado.note.as_deref().unwrap().starts_with("not measured in old: failed: server crashed"),
        "{tornado:?}"
    );
    let md = String::from_utf8(report::render_comparison(&c, None).unwrap()).unwrap();
    assert!(
        md.contains("Server | Old Req/Sec | New Req/Sec | Change | Old p99 ms | New p99 ms | Change | Flag | Basis |"),
        "{md}"
    );
    assert!(md.contains("&lt;script&gt;"), "reasons are escaped: {md}");
    assert!(!md.contains("<script>"), "{md}");
    assert!(md.contains("changes beyond 10% are flagged instead"), "{md}");
}

#[test]
fn compare_command_prints_the_table_and_can_fail_on_regressions() {
    let old = mixed();
    let mut new = old.clone();
    scale(&mut new, "flask-bjoern/hello", 0.5, 1.0);
    let tmp = tempfile::tempdir().unwrap();
    let (old_dir, new_dir) = (tmp.path().join("old"), tmp.path().join("new"));
    for (dir, results) in [(&old_dir, &old), (&new_dir, &new)] {
        let store = Store::open(dir).unwrap();
        results.iter().for_each(|r| {
            store.write(r).unwrap();
        });
    }
    let bench = env!("CARGO_BIN_EXE_bench");
    let out = Command::new(bench).arg("compare").arg(&old_dir).arg(&new_dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("flask-bjoern | 12,312 | 6,156 | -50.0% |"), "{text}");
    assert!(text.contains("Req/Sec worse"), "{text}");
    let out = Command::new(bench)
        .args(["compare", "--fail-on-regression"])
        .arg(&old_dir)
        .arg(&new_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 change(s) for the worse flagged"));
    let out = Command::new(bench)
        .args(["compare", "--threshold=-3"])
        .arg(&old_dir)
        .arg(&new_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--threshold -3 is not a percentage"));
}
