//! Executions the host disturbed (their host-quiet check failed): a cell with its planned
//! number of quiet executions leaves the disturbed ones out of its figures, a cell without
//! keeps them and its host-quiet caveat; every format says how many were left out and why,
//! and the methodology counts them. Every execution stays in the exports.

use std::path::Path;

use bench::report::{self, Format, ReportModel, RowReport};
use bench::run::HOST_QUIET;
use bench::store::{CellResult, Check, Store};

fn fixture() -> Vec<CellResult> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results-repeated/old");
    Store::open(dir).unwrap().load_all().unwrap()
}

/// The repeated fixture, each cell planned for 3 and every measurement read by the host-quiet
/// check: steady's executions 2 and 4 (its two fastest) and neighbour's 1 to 3 disturbed.
fn results() -> Vec<CellResult> {
    let mut results = fixture();
    for r in &mut results {
        let disturbed = match r.name.as_str() {
            "steady" => [2, 4].contains(&r.repetition),
            "neighbour" => r.repetition <= 3,
            _ => false,
        };
        r.load_settings.repeat = 3;
        if r.load.is_some() {
            let detail = "scripted".to_string();
            r.checks.push(Check { name: HOST_QUIET.into(), passed: !disturbed, detail });
        }
        if r.load.is_some() {
            r.provenance.machine.online_cpus = Some(2);
            let steal = if disturbed { 0.4 } else { 0.0 };
            r.usage.get_or_insert_with(Default::default).steal_cores = Some(steal);
        }
    }
    results
}

fn rows() -> Vec<RowReport> {
    ReportModel::build(&results()).scenarios.remove(0).rows
}

fn find<'a>(rows: &'a [RowReport], name: &str) -> &'a RowReport {
    rows.iter().find(|r| r.name == name).unwrap()
}

fn render(results: &[CellResult], format: Format) -> String {
    String::from_utf8(report::render(results, format, None).unwrap()).unwrap()
}

const WHY: &str = "the host took CPU from their measured window (host-quiet failed: other \
                   processes or the hypervisor's steal)";

#[test]
fn enough_quiet_executions_leave_the_disturbed_ones_out_of_the_figures() {
    let rows = rows();
    let steady = find(&rows, "steady");
    let s = &steady.statistics;
    assert_eq!((s.executions, s.stored, s.planned), (3, 5, 3));
    assert_eq!((s.used.as_slice(), s.left_out.as_slice()), (&[1, 3, 5][..], &[2, 4][..]));
    assert!(s.disturbed_used.is_empty());
    let mut rps = s.figures.requests_per_second.clone();
    rps.sort_by(f64::total_cmp);
    assert_eq!(rps, [5820.0, 5940.0, 6000.0], "the two fastest were disturbed: left out");
    assert_eq!((steady.ok_rps, steady.shown_repetition), (Some(5940.0), 3));
    assert_eq!(steady.ok_repetitions, 5, "every measured execution is still counted");
    let caveat = format!(
        "2 of 5 executions left out of the figures, executions 2 (steal 0.40 cores), 4 (steal 0.40 cores): {WHY}; 3 quiet ones remain (planned: 3)"
    );
    assert_eq!(s.caveat.as_deref(), Some(caveat.as_str()));
    assert!(steady.note.as_deref().unwrap().contains(&caveat), "{:?}", steady.note);
    assert!(steady.failed_summary.is_empty(), "{}", steady.failed_summary);
}

#[test]
fn too_few_quiet_executions_keep_every_one_and_the_row_its_host_quiet_caveat() {
    let rows = rows();
    let neighbour = find(&rows, "neighbour");
    let s = &neighbour.statistics;
    assert_eq!((s.executions, s.stored), (5, 5));
    assert!(s.left_out.is_empty());
    assert_eq!(s.disturbed_used, [1, 2, 3]);
    assert_eq!(neighbour.shown_repetition, 5, "the median execution, itself quiet");
    assert_eq!(neighbour.failed_summary, "host-quiet (Req/Sec)");
    assert_eq!(neighbour.suspect, ["rps"]);
    assert_eq!(
        s.caveat.as_deref().unwrap(),
        format!(
            "3 of 5 executions used are disturbed, executions 1 (steal 0.40 cores), 2 (steal 0.40 cores), 3 (steal 0.40 cores): {WHY}; kept, as only 2 were quiet (planned: 3): treat the figures with care"
        )
    );
    // A quiet cell says nothing.
    assert_eq!(find(&rows, "slow").statistics.caveat, None);
}

#[test]
fn the_table_shows_the_figure_of_the_quiet_executions_with_the_caveat_in_its_note() {
    let results = results();
    let md = render(&results, Format::Markdown);
    let steady = md.lines().find(|l| l.starts_with("steady")).unwrap();
    let cells: Vec<&str> = steady.split(" | ").collect();
    assert_eq!((cells[4], cells[10]), ("5,940", "3"), "{steady}");
    assert!(md.contains("executions left out of the figures, executions 2 (steal"), "{md}");
    let stored: u32 = rows().iter().map(|r| r.statistics.stored).sum();
    let line = format!(
        "Executions on a busy host (host-quiet failed) | 5 of {stored} measured executions (other processes or the hypervisor's steal took CPU while measuring); 2 left out of the figures of 1 cell(s), which kept their planned number of quiet executions; 3 kept in the figures of 1 cell(s) with too few quiet executions (their rows say so) |"
    );
    assert!(md.contains(&line), "{md}");
    // Each window's work index: 1 − 0.4 stolen cores over 2 CPUs where disturbed.
    let index = format!(
        "Work index while measuring (CPU the hypervisor delivered) | median 100%, lowest 80% over {stored} executions"
    );
    assert!(md.contains(&index), "{md}");
    let html = render(&results, Format::Html);
    assert!(html.contains("executions left out of the figures, executions 2 (steal"));
    // Results without the reading (stored before the check) claim nothing either way.
    let plain = render(&fixture(), Format::Markdown);
    assert!(!plain.contains("Executions on a busy host") && !plain.contains("Work index"));
}

#[test]
fn json_and_csv_carry_the_executions_used_and_stored() {
    let results = results();
    let json: serde_json::Value = serde_json::from_str(&render(&results, Format::Json)).unwrap();
    let medians = json["scenarios"][0]["medians"].as_array().unwrap();
    let steady = &medians.iter().find(|m| m["name"] == "steady").unwrap()["statistics"];
    assert_eq!((steady["executions"].as_u64(), steady["stored"].as_u64()), (Some(3), Some(5)));
    assert_eq!(steady["left_out"], serde_json::json!([2, 4]));
    let csv = render(&results, Format::Csv);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    for column in ["used", "cell.executions", "cell.stored", "cell.left_out"] {
        assert!(header.contains(&column), "{column} missing: {header:?}");
    }
    // Every stored execution is exported; the left-out ones say so.
    let model = ReportModel::build(&results);
    let exported = &model.export.results;
    assert_eq!(exported.len(), results.len());
    let used: Vec<(u32, bool)> = exported
        .iter()
        .filter(|e| e.result.name == "steady")
        .map(|e| (e.result.repetition, e.used))
        .collect();
    assert_eq!(used, [(1, true), (2, false), (3, true), (4, false), (5, true)]);
    let cell = exported.iter().find(|e| e.result.name == "steady").unwrap().cell.as_ref();
    assert_eq!(cell.map(|c| (c.executions, c.stored)), Some((3, 5)));
}
