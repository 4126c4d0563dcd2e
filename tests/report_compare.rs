//! `bench compare`: a ratio with its 95% interval per figure, and a verdict only when the
//! interval excludes 1, on fixtures whose cells are known equal or known different
//! (`tests/fixtures/results-repeated/generate.py`).

use std::path::{Path, PathBuf};
use std::process::Command;

use bench::report::{self, Comparison, Format, RowComparison};
use bench::statistics::{Figure, Verdict};
use bench::store::{CellResult, Store};

fn fixture(side: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results-repeated").join(side)
}

fn load(side: &str) -> Vec<CellResult> {
    Store::open(fixture(side)).unwrap().load_all().unwrap()
}

fn row<'a>(comparison: &'a Comparison, label: &str) -> &'a RowComparison {
    comparison.scenarios[0]
        .rows
        .iter()
        .find(|r| r.label == label)
        .unwrap_or_else(|| panic!("no row {label}"))
}

fn verdicts(row: &RowComparison) -> Vec<Option<Verdict>> {
    row.figures.iter().map(|f| f.verdict).collect()
}

#[test]
fn equal_cells_get_no_difference_and_a_real_change_a_verdict() {
    let c = Comparison::build(&load("old"), &load("new"));
    for equal in ["steady", "neighbour", "slow"] {
        let r = row(&c, equal);
        assert_eq!(verdicts(r), [Some(Verdict::NoDifference); 4], "{r:?}");
        let rps = &r.figures[0];
        assert!(rps.low.unwrap() < 1.0 && rps.high.unwrap() > 1.0, "{rps:?}");
    }
    // 1.3x the throughput, so a quarter less latency: faster on every figure.
    let boosted = row(&c, "boosted");
    assert_eq!(verdicts(boosted), [Some(Verdict::Faster); 4], "{boosted:?}");
    let rps = &boosted.figures[0];
    assert_eq!(rps.figure, Figure::RequestsPerSecond);
    assert!(rps.low.unwrap() > 1.0 && (rps.ratio.unwrap() - 1.3).abs() < 0.02, "{rps:?}");
    assert_eq!(c.improvements, 4);
    assert_eq!(c.regressions, 0);
    // The other way round the same cell is slower.
    let back = Comparison::build(&load("new"), &load("old"));
    assert_eq!(verdicts(row(&back, "boosted")), [Some(Verdict::Slower); 4]);
    assert_eq!(back.regressions, 4);
}

#[test]
fn one_execution_on_a_side_gives_a_ratio_but_no_verdict_and_says_why() {
    let c = Comparison::build(&load("old"), &load("new"));
    let once = row(&c, "once");
    assert_eq!(verdicts(once), [None; 4]);
    assert!(once.figures[0].ratio.is_some() && once.figures[0].low.is_none(), "{once:?}");
    assert_eq!(once.figures[0].verdict_label, "no verdict");
    let note = once.note.as_deref().unwrap();
    assert!(note.starts_with("no verdict can be given") && note.contains("old has 1"), "{note}");
    assert_eq!(c.undecided, 1);
    // No completed request: nothing to compare, and the note says so.
    let silent = row(&c, "silent");
    assert!(silent.figures.is_empty());
    assert!(silent.note.as_deref().unwrap().contains("no request completed"), "{silent:?}");
}

#[test]
fn markdown_json_and_csv_carry_ratio_interval_and_verdict() {
    let c = Comparison::build(&load("old"), &load("new"));
    let md =
        String::from_utf8(report::render_comparison(&c, Format::Markdown, None).unwrap()).unwrap();
    assert!(
        md.contains("Server | Figure | Old (N) | New (N) | New/Old (95% CI) | Verdict | Note |"),
        "{md}"
    );
    let boosted = md.lines().find(|l| l.starts_with("boosted |")).unwrap();
    assert!(boosted.contains("| 4,000 (5) | 5,200 (5) | 1.30 (") && boosted.contains("| faster |"));
    assert!(md.contains("docs/statistics.md"), "{md}");

    let json: serde_json::Value =
        serde_json::from_slice(&report::render_comparison(&c, Format::Json, None).unwrap())
            .unwrap();
    let figures = &json["scenarios"][0]["rows"][1]["figures"][0];
    assert_eq!(figures["figure"], "requests_per_second");
    assert_eq!(figures["verdict"], "faster");
    assert!(figures["low"].as_f64().unwrap() > 1.0, "{figures}");

    let csv = String::from_utf8(report::render_comparison(&c, Format::Csv, None).unwrap()).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "scenario,label,id,figure,old_median,old_executions,new_median,new_executions,ratio,ratio_low,ratio_high,verdict,note"
    );
    let records: Vec<&str> = lines.collect();
    // Four figures for each of five compared cells, one line for the cell with nothing.
    assert_eq!(records.len(), 21, "{csv}");
    assert!(records.iter().any(|l| {
        l.starts_with("hello,boosted,boosted/hello,requests_per_second,4000.0,5,5200.0,5,")
            && l.contains(",faster,")
    }));
    assert!(report::render_comparison(&c, Format::Html, None).is_err());
}

#[test]
fn compare_command_prints_the_table_and_can_fail_on_regressions() {
    let bench = env!("CARGO_BIN_EXE_bench");
    let run = |args: &[&str], old: &str, new: &str| {
        Command::new(bench).args(args).arg(fixture(old)).arg(fixture(new)).output().unwrap()
    };
    let out = run(&["compare", "--fail-on-regression"], "old", "new");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8(out.stdout).unwrap().contains("| faster |"));
    let out = run(&["compare", "--fail-on-regression"], "new", "old");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("4 figure(s) judged slower"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["compare", "--format", "html"], "old", "new");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no HTML output"));
    let out = run(&["compare", "--format", "json"], "old", "new");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["improvements"], 4);
}
