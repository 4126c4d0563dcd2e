//! Executions: the interleaved order and its seed, resuming an interrupted run, precision
//! rounds, the machine-speed index and the warm-up that ends once throughput is steady.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use bench::engine::Containers;
use bench::engine::fake::{FakeCall, FakeEngine};
use bench::matrix::Cell;
use bench::run::{Progress, RunContext, RunSummary, Runner};
use bench::statistics::{Precision, WarmupEnd};
use bench::store::{CellResult, Outcome, Store};
use tokio::sync::Notify;

use super::fakes::{FakeCalibration, FakeHttp, Setup, cells, context, plan, runner, setup};

/// The cells that are measured (not N/A), each planned for `executions`.
fn measured(executions: u32) -> Vec<Cell> {
    let mut cells: Vec<Cell> = cells().into_iter().filter(|c| c.na.is_none()).collect();
    cells.iter_mut().for_each(|c| c.load.repeat = executions);
    cells
}

/// The stored executions in the order they ran: (cell id, execution number).
fn order(results: &[CellResult]) -> Vec<(String, u32)> {
    let mut results: Vec<&CellResult> = results.iter().collect();
    results.sort_by_key(|r| r.schedule.as_ref().expect("scheduled").position);
    results.iter().map(|r| (r.id.clone(), r.repetition)).collect()
}

fn back_to_back(order: &[(String, u32)]) -> Vec<&(String, u32)> {
    order.windows(2).filter(|pair| pair[0].0 == pair[1].0).map(|pair| &pair[1]).collect()
}

/// Runs `cells` in a fresh results directory; the results and the run's summary.
async fn run_fresh(
    cells: &[Cell],
    seed: u64,
    precision: Option<Precision>,
    http: &FakeHttp,
    s: &Setup,
) -> (Vec<CellResult>, RunSummary, FakeEngine) {
    let engine = FakeEngine::new().with_image("debian:bookworm-slim");
    let store = Store::open(s.dir.path().join(format!("results-{seed}"))).unwrap();
    let containers = Containers::new();
    let mut plan = plan(cells, &store, seed, precision);
    let summary = runner(&engine, http, &containers, &store, s).run(&mut plan).await.unwrap();
    (store.load_all().unwrap(), summary, engine)
}

#[tokio::test]
async fn executions_interleave_a_seed_replays_the_order_and_images_are_built_once() {
    let cells = measured(3);
    let mut s = setup();
    // The fifth execution ran on a slow machine moment.
    s.calibration = FakeCalibration {
        figures: vec![100.0, 101.0, 99.0, 100.0, 60.0, 100.0, 102.0, 98.0],
        ..Default::default()
    };
    let (results, summary, engine) = run_fresh(&cells, 11, None, &FakeHttp::default(), &s).await;
    let first = order(&results);
    assert_eq!(first.len(), 21);
    assert!(back_to_back(&first).is_empty(), "{first:?}");
    for cell in &cells {
        let numbers: Vec<u32> =
            first.iter().filter(|(id, _)| *id == cell.id).map(|(_, n)| *n).collect();
        assert_eq!(numbers, [1, 2, 3], "{}: executions in order", cell.id);
    }
    assert!(results.iter().all(|r| r.schedule.as_ref().is_some_and(|s| s.seed == 11)));
    let builds = engine.calls().iter().filter(|c| matches!(c, FakeCall::Build(_))).count();
    assert_eq!(builds, 4, "one build per image (row), however its cells interleave");
    assert_eq!(summary.speed_flagged, [(first[4].0.clone(), first[4].1, 0.6)]);

    s.calibration = FakeCalibration::default();
    let (again, _, _) = run_fresh(&cells, 11, None, &FakeHttp::default(), &setup()).await;
    assert_eq!(order(&again), first, "the same seed replays the same order");
    let (other, _, _) = run_fresh(&cells, 12, None, &FakeHttp::default(), &s).await;
    assert_ne!(order(&other), first, "another seed, another order");
}

/// Signals after `after` results, like a Ctrl-C between executions.
struct InterruptAfter {
    after: usize,
    finished: AtomicUsize,
    interrupt: Notify,
}

impl Progress for InterruptAfter {
    fn started(&self, _: usize, _: usize) {}
    fn cell(&self, _: usize, _: &str, _: u32, _: u32) {}
    fn phase(&self, _: &str) {}
    fn live_rps(&self, _: f64) {}
    fn finished(&self, _: &CellResult) {
        if self.finished.fetch_add(1, Ordering::SeqCst) + 1 == self.after {
            self.interrupt.notify_one();
        }
    }
    fn done(&self) {}
}

#[tokio::test]
async fn a_resumed_run_continues_without_redoing_stored_executions() {
    let cells = measured(3);
    let s = setup();
    let http = FakeHttp::default();
    let store = Store::open(s.dir.path().join("results")).unwrap();
    let (engine, containers) =
        (FakeEngine::new().with_image("debian:bookworm-slim"), Containers::new());
    let progress =
        InterruptAfter { after: 5, finished: AtomicUsize::new(0), interrupt: Notify::new() };
    let ctx =
        RunContext { progress: &progress, ..context(&engine, &http, &containers, &store, &s) };
    let mut interrupted = Runner::new(ctx, &s.calibration);
    let mut first = plan(&cells, &store, 3, None);
    tokio::select! {
        _ = interrupted.run(&mut first) => panic!("the run was to be interrupted"),
        _ = progress.interrupt.notified() => {}
    }
    let stored = store.load_all().unwrap();
    assert_eq!(stored.len(), 5, "the execution under way when interrupted is not stored");

    let engine = FakeEngine::new().with_image("debian:bookworm-slim");
    let mut rest = plan(&cells, &store, 3, None);
    assert_eq!(rest.skipped(), 5);
    runner(&engine, &http, &containers, &store, &s).run(&mut rest).await.unwrap();
    let starts = engine.calls().iter().filter(|c| matches!(c, FakeCall::Start(_))).count();
    assert_eq!(starts, 16, "only the executions not stored");
    let all = store.load_all().unwrap();
    let mut keys: Vec<(String, u32)> = all.iter().map(|r| (r.id.clone(), r.repetition)).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 21, "every execution once");
    for before in &stored {
        assert!(all.contains(before), "{} #{} kept as it was", before.id, before.repetition);
    }
}

#[tokio::test]
async fn precision_rounds_add_executions_only_to_wide_cells() {
    let cells = measured(1);
    let s = setup();
    // hello answers at the same rate every time (a zero-width interval); io never twice at the
    // same rate, at least 10% apart (an interval of ±25% or more).
    let io: Vec<f64> = (0..16).map(|i| 700.0 * 1.1f64.powi((i * 7) % 16)).collect();
    let http = FakeHttp {
        rps_by_path: HashMap::from([("/hello".into(), vec![1000.0]), ("/io".into(), io)]),
        ..Default::default()
    };
    let precision = Precision { target: 0.05, min_executions: 3, max_executions: 5 };
    let (results, summary, _) = run_fresh(&cells, 5, Some(precision), &http, &s).await;
    assert_eq!(summary.rounds, 3, "round 1 and two precision rounds");
    let run_order = order(&results);
    assert!(back_to_back(&run_order).is_empty(), "{run_order:?}");
    for cell in &cells {
        let mine: Vec<&CellResult> = results.iter().filter(|r| r.id == cell.id).collect();
        let rounds: Vec<u32> = mine.iter().map(|r| r.schedule.as_ref().unwrap().round).collect();
        // What a report derives from the stored results alone: executions and target met.
        let target = mine[0].schedule.as_ref().unwrap().precision.unwrap();
        let rps: Vec<f64> = mine.iter().map(|r| r.load.as_ref().unwrap().ok_rps).collect();
        let status = target.decide(&[&rps]).unwrap()[0];
        if cell.scenario == "hello" {
            assert_eq!(rounds, [1, 1, 1], "{}", cell.id);
            assert!(status.target_met, "{}", cell.id);
        } else {
            assert_eq!(rounds, [1, 1, 1, 2, 3], "{}", cell.id);
            assert!(!status.target_met && !status.needs_more, "{}: {status:?}", cell.id);
        }
    }
}

/// Runs bjoern/hello with a warm-up of `seconds` over the series; its stored result.
async fn warmed(seconds: u64, series: Vec<u64>) -> (CellResult, bool) {
    let mut cells: Vec<Cell> = cells().into_iter().filter(|c| c.id == "bjoern/hello").collect();
    cells[0].load.warmup_ms = seconds * 1000;
    let http = FakeHttp { warmup: series, ..Default::default() };
    let (results, _, _) = run_fresh(&cells, 1, None, &http, &setup()).await;
    assert_eq!(results[0].outcome, Outcome::Ok, "{:?}", results[0].reason);
    (results[0].clone(), http.warmup_stopped.load(Ordering::Relaxed))
}

#[tokio::test]
async fn the_warmup_stops_once_steady_and_not_on_a_ramp() {
    let mut steady = vec![100, 500, 900, 1000, 1010, 995];
    steady.extend([1005, 998].repeat(22));
    let (result, stopped) = warmed(50, steady).await;
    let warmup = result.warmup.expect("the warm-up is recorded");
    assert_eq!(warmup.end, WarmupEnd::Steady { windows: 6 });
    assert!(stopped && warmup.windows.len() < 50, "stopped early: {}", warmup.windows.len());
    assert!(result.provenance.phases_ms.contains_key("warmup"));

    // 20% more every second: never steady, warmed for the whole configured time.
    let ramp: Vec<u64> = (0..10).map(|i| (100.0 * 1.2f64.powi(i)) as u64).collect();
    let (result, stopped) = warmed(10, ramp).await;
    let warmup = result.warmup.expect("the warm-up is recorded");
    assert_eq!(warmup.end, WarmupEnd::Bound { windows: 10 });
    assert!(!stopped && warmup.windows.len() == 10, "{}", warmup.windows.len());
}

#[tokio::test]
async fn a_measurement_that_completed_no_request_is_a_failure_with_its_figures_kept() {
    let cells: Vec<Cell> = measured(2).into_iter().filter(|c| c.id == "bjoern/hello").collect();
    let s = setup();
    let http = FakeHttp {
        rps_by_path: HashMap::from([("/hello".into(), vec![0.0])]),
        ..Default::default()
    };
    let (results, summary, _) = run_fresh(&cells, 7, None, &http, &s).await;
    assert_eq!(results.len(), 2, "{summary:?}");
    for r in &results {
        assert_eq!(r.outcome, Outcome::Failed, "{}", r.id);
        assert!(r.reason.as_deref().unwrap().contains("completed no request"), "{:?}", r.reason);
        assert_eq!(r.load.as_ref().unwrap().ok_requests, 0, "the measurement is kept");
    }
    assert_eq!((summary.ok, summary.failed), (0, 2));
}
