//! Results with several executions per cell (`tests/fixtures/results-repeated/old`, made by
//! its `generate.py`): every format shows medians with 95% intervals, N and rank ranges; a
//! cell with no completed request shows N/A latencies; resent requests and generator
//! warnings are disclosed; `-o` writes atomically.

use std::path::{Path, PathBuf};
use std::process::Command;

use bench::report::{self, Format, ReportModel, RowReport};
use bench::store::{CellResult, Store};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results-repeated/old")
}

fn results() -> Vec<CellResult> {
    Store::open(dir()).unwrap().load_all().unwrap()
}

fn render(format: Format) -> String {
    String::from_utf8(report::render(&results(), format, None).unwrap()).unwrap()
}

fn rows() -> Vec<RowReport> {
    ReportModel::build(&results()).scenarios.remove(0).rows
}

fn find<'a>(rows: &'a [RowReport], name: &str) -> &'a RowReport {
    rows.iter().find(|r| r.name == name).unwrap()
}

#[test]
fn intervals_contain_every_execution_and_ranks_tie_where_they_overlap() {
    let rows = rows();
    for row in rows.iter().filter(|r| r.statistics.executions == 5) {
        let rps = &row.statistics.estimates.as_ref().unwrap().requests_per_second;
        let values = &row.statistics.figures.requests_per_second;
        assert_eq!(values.len(), 5);
        // The generator's factors span 0.97..1.03: a 95% interval for the median of five
        // such executions is narrower than their range but holds the median.
        assert!(rps.low.unwrap() < rps.point && rps.point < rps.high.unwrap(), "{rps:?}");
    }
    let label = |name: &str| find(&rows, name).statistics.rank_label.clone();
    // steady and neighbour overlap each other (and `once` overlaps everyone): a tie.
    assert_eq!(label("steady"), label("neighbour"));
    assert!(label("steady").starts_with("1–"), "{}", label("steady"));
    // slow is surely below steady, neighbour and boosted.
    assert!(label("slow").starts_with("4"), "{}", label("slow"));
    assert_eq!(label("once"), "1–5");
    // No completed request: measured, but ranked after every row with a figure.
    assert_eq!(label("silent"), "6");
}

#[test]
fn markdown_adds_interval_columns_after_the_articles_six() {
    let md = render(Format::Markdown);
    assert!(md.contains(
        "Server | Avg ms | Stdev ms | Max ms | Req/Sec | Total Requests | Req/Sec 95% CI | Avg ms 95% CI | p50 ms (95% CI) | p99 ms (95% CI) | N | Rank | Failed checks |"
    ), "{md}");
    let steady = md.lines().find(|l| l.starts_with("steady")).unwrap();
    let cells: Vec<&str> = steady.split(" | ").collect();
    assert_eq!(cells[4], "6,000");
    assert!(cells[6].contains('–') && cells[10] == "5", "{steady}");
    let once = md.lines().find(|l| l.starts_with("once")).unwrap();
    assert!(once.contains("| none (1 execution) |"), "{once}");
    // No completed request: N/A latencies, not 0.00.
    let silent = md.lines().find(|l| l.starts_with("silent")).unwrap();
    assert!(silent.contains("| N/A | N/A | N/A | 0 | 0 |"), "{silent}");
    assert!(md.contains("no request completed: latency N/A"), "{md}");
    assert!(md.contains("36 requests resent after the server closed"), "{md}");
    assert!(md.contains("listen backlog may be short"), "{md}");
    assert!(md.contains("Measured executions per cell | min 1, median 5, max 5 |"), "{md}");
    assert!(md.contains("Requests resent after a silent close | 36 in 1 cells"), "{md}");
    assert!(!md.contains("-0 s"), "{md}");
}

#[test]
fn html_draws_error_bars_per_second_lines_and_folds_passed_checks() {
    let html = render(Format::Html);
    assert_eq!(html.matches("<g class=\"whisker\">").count(), 4, "one per row with an interval");
    assert_eq!(html.matches("<svg class=\"spark\"").count(), 6, "every measured row has windows");
    assert!(html.contains("<details class=\"passed\"><summary>✓ 1 passed</summary>"));
    assert!(html.contains("<th>N</th>") && html.contains("<th>Rank</th>"));
    // The interval sits under its figure; a single execution says it has none.
    assert!(
        html.contains(
            ">6,000<span class=\"ci\" title=\"95% interval of the median\">5,835–6,191</span>"
        ),
        "{html}"
    );
    assert!(html.contains(
        ">4,850<span class=\"ci\" title=\"95% interval of the median\">none (1 execution)</span>"
    ));
    assert!(html.contains("4,850 (1 execution, no interval)"), "the bar says it has no error bar");
    assert!(html.contains("title=\"no request completed\">N/A</td>"));
}

#[test]
fn csv_and_json_carry_bounds_n_and_rank() {
    let csv = render(Format::Csv);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    for column in [
        "cell.executions",
        "cell.rank",
        "cell.estimates.requests_per_second.low",
        "cell.estimates.requests_per_second.high",
        "cell.estimates.latency_p99.point",
    ] {
        assert!(header.contains(&column), "{column} missing");
    }
    let json: serde_json::Value = serde_json::from_str(&render(Format::Json)).unwrap();
    let steady = &json["scenarios"][0]["medians"][0];
    assert_eq!(steady["name"], "steady");
    assert_eq!(steady["statistics"]["executions"], 5);
    assert!(steady["statistics"]["estimates"]["requests_per_second"]["low"].as_f64().is_some());
    assert_eq!(steady["statistics"]["rank"]["best"], 1);
}

#[test]
fn output_file_is_replaced_whole_and_no_temporary_is_left() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.html");
    std::fs::write(&out, "old report").unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["report", "--format", "html", "-o"])
        .arg(&out)
        .arg("--results")
        .arg(dir())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(std::fs::read_to_string(&out).unwrap().ends_with("</html>\n"));
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["report.html"]);
    // A directory that does not exist: an error, nothing written.
    let missing = tmp.path().join("missing/report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["report", "-o"])
        .arg(&missing)
        .arg("--results")
        .arg(dir())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
}

#[test]
fn a_warm_up_that_differs_by_runtime_names_the_runtime() {
    let mut results = results();
    for r in results.iter_mut().filter(|r| r.name == "slow") {
        r.runtime = "pypy".into();
        r.load_settings.warmup_ms = 15_000;
    }
    let md = String::from_utf8(report::render(&results, Format::Markdown, None).unwrap()).unwrap();
    assert!(md.contains("after a warm-up of 5 s, 15 s for pypy,"), "{md}");
    assert!(md.contains("Warm-up per test | 5 s, 15 s for pypy |"), "{md}");
}
