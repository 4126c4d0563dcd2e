//! The ETA on a synthetic run: the fake engine and HTTP run the executions, and each finished
//! one is given a fake duration (its row's build the first time, its row's overhead, its own
//! warm-up and duration) before the estimator sees it, so the time really left after each
//! execution is known exactly and the test does not depend on this machine's speed.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use bench::engine::Containers;
use bench::engine::fake::FakeEngine;
use bench::matrix::Cell;
use bench::run::{Eta, Planned, Progress, RunContext, Runner};
use bench::store::{CellResult, Outcome, Store};

use super::fakes::{FakeHttp, cells, context, plan, setup};

/// A row's fake image build (seconds) and container-side overhead per execution (ms).
fn row_costs(row: &str) -> (f64, u64) {
    match row {
        "bjoern" => (40.0, 300),
        "flask-bjoern" => (55.0, 600),
        "gunicorn" => (30.0, 1_500),
        _ => (70.0, 2_500),
    }
}

/// Feeds an `Eta` the executions with their fake durations; logs (fake ms, ETA after it).
#[derive(Default)]
struct FakeTime {
    eta: Mutex<Eta>,
    built: Mutex<HashSet<String>>,
    log: Mutex<Vec<(u64, Duration)>>,
}

impl FakeTime {
    /// `result` as if it had taken its row's fake time; with that time in milliseconds.
    fn timed(&self, result: &CellResult) -> (CellResult, u64) {
        let mut result = result.clone();
        if result.outcome == Outcome::Na {
            return (result, 0);
        }
        let (build, overhead) = row_costs(&result.name);
        let settings = &result.load_settings;
        result.provenance.phases_ms = BTreeMap::from([
            ("start".to_string(), overhead / 2),
            ("ready".to_string(), overhead - overhead / 2),
            ("warmup".to_string(), settings.warmup_ms),
            ("measure".to_string(), settings.duration_ms),
        ]);
        let first = self.built.lock().unwrap().insert(result.name.clone());
        result.provenance.build_seconds = first.then_some(build);
        let calibration = result.calibration.as_ref().map_or(0.0, |c| c.wall_ms) as u64;
        let ms = result.provenance.phases_ms.values().sum::<u64>()
            + calibration
            + if first { (build * 1000.0) as u64 } else { 0 };
        (result, ms)
    }
}

impl Progress for FakeTime {
    fn started(&self, _: usize, _: usize) {}
    fn schedule(&self, batch: &[Planned], history: &[CellResult]) {
        let mut eta = self.eta.lock().unwrap();
        eta.learn(history);
        eta.schedule(batch);
    }
    fn cell(&self, _: usize, _: &str, _: u32, _: u32) {}
    fn phase(&self, _: &str) {}
    fn live_rps(&self, _: f64) {}
    fn finished(&self, result: &CellResult) {
        let (timed, ms) = self.timed(result);
        let mut eta = self.eta.lock().unwrap();
        eta.finished(&timed);
        self.log.lock().unwrap().push((ms, eta.remaining()));
    }
    fn done(&self) {}
}

/// Until every row has run once, its build and overhead are other rows' means: within 25%.
/// From then on every remaining execution's row is known: the ETA is the time left.
#[tokio::test]
async fn the_eta_after_each_execution_is_close_to_the_fake_time_left() {
    let mut cells: Vec<Cell> = cells();
    cells.iter_mut().for_each(|c| {
        c.load.repeat = 3;
        c.load.warmup_ms = 2_000;
        if c.scenario == "io" {
            c.load.duration_ms = 3_000;
        }
    });
    let s = setup();
    let http = FakeHttp::default();
    let store = Store::open(s.dir.path().join("results")).unwrap();
    let (engine, containers) =
        (FakeEngine::new().with_image("debian:bookworm-slim"), Containers::new());
    let time = FakeTime::default();
    let ctx = RunContext { progress: &time, ..context(&engine, &http, &containers, &store, &s) };
    let mut plan = plan(&cells, &store, 5, None);
    Runner::new(ctx, &s.calibration).run(&mut plan).await.unwrap();

    let log = time.log.into_inner().unwrap();
    assert_eq!(log.len(), 22, "7 cells x 3 executions, and the N/A cell recorded once");
    let rows_seen_after = {
        let order: Vec<String> = store_order(&store);
        let rows: HashSet<&str> = order.iter().map(String::as_str).collect();
        (0..order.len())
            .find(|&i| order[..=i].iter().collect::<HashSet<_>>().len() == rows.len())
            .unwrap()
    };
    for (i, (_, eta)) in log.iter().enumerate() {
        let left: u64 = log[i + 1..].iter().map(|(ms, _)| ms).sum();
        let (eta, left) = (eta.as_millis() as f64, left as f64);
        let tolerance = if i >= rows_seen_after { 0.001 } else { 0.25 };
        assert!(
            (eta - left).abs() <= tolerance * left + 1.0,
            "after execution {}: ETA {eta} ms, fake time left {left} ms (tolerance {tolerance})",
            i + 1
        );
    }
}

/// Row names of the stored executions, in the order they ran.
fn store_order(store: &Store) -> Vec<String> {
    let mut results = store.load_all().unwrap();
    results.sort_by_key(|r| r.schedule.as_ref().map_or(0, |s| s.position));
    results.into_iter().map(|r| r.name).collect()
}
