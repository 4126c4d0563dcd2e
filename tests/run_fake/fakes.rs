//! The fakes and fixtures of the run tests: a matrix of four rows, an HTTP side that answers
//! every probe and makes up load summaries (scripted per scenario), and a calibration that
//! returns scripted figures.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bench::config::Sources;
use bench::engine::Containers;
use bench::engine::fake::FakeEngine;
use bench::load::{LatencySummary, LoadConfig, LoadSummary, LoadWatch, LoadWindow};
use bench::matrix::{Cell, FixedInputs, expand};
use bench::model::analyze;
use bench::run::{
    Calibrate, HostFacts, Http, Probed, Quiet, RunContext, RunOptions, RunPlan, Runner, SystemClock,
};
use bench::statistics::Precision;
use bench::store::{Calibration, Store};

pub const MATRIX: &str = r#"
runtime cpython label="" {
    python "python3"
}
server bjoern {
    packages "bjoern==3.2.2"
    script "bjoern_server.py"
    interface wsgi
}
server gunicorn {
    packages "gunicorn==23.0.0"
    command "gunicorn --bind 127.0.0.1:$PORT {app}"
    interface wsgi
}
framework plain label="" {
    interface wsgi "plain_app:app"
}
framework flask {
    interface wsgi "flask_app:app"
}
scenario hello {
    path "/hello"
}
scenario io {
    path "/io"
}
defaults {
    duration "1s"
    primer-duration "0s"
    sample-interval "100ms"
}
matrix {
    include plain bjoern
    include flask bjoern
    include plain gunicorn
    include flask gunicorn
    override row=flask-gunicorn scenario=io {
        na "not applicable here"
    }
}
"#;

pub fn cells() -> Vec<Cell> {
    let sources = Sources::from_text("matrix.kdl", MATRIX).unwrap();
    let model = analyze(&sources).unwrap_or_else(|e| panic!("{}", e.render()));
    expand(&model, &FixedInputs("fake".into()))
}

/// Answers every path correctly, except bodies scripted otherwise. A load's requests/s is
/// 1000, or the next of the values scripted for its path (round robin); a watched load (the
/// warm-up) reports the `warmup` series one window at a time and honours a stop.
#[derive(Default)]
pub struct FakeHttp {
    pub wrong_body_on: Option<String>,
    pub loads: Mutex<Vec<LoadConfig>>,
    pub rps_by_path: HashMap<String, Vec<f64>>,
    pub warmup: Vec<u64>,
    /// A watched load was told to stop before its series ran out.
    pub warmup_stopped: AtomicBool,
    /// Loads made so far, per scripted path.
    pub made: Mutex<HashMap<String, usize>>,
}

impl FakeHttp {
    fn rps(&self, url: &str) -> f64 {
        let Some((path, values)) = self.rps_by_path.iter().find(|(p, _)| url.ends_with(*p)) else {
            return 1000.0;
        };
        let mut made = self.made.lock().unwrap();
        let n = made.entry(path.clone()).or_default();
        *n += 1;
        values[(*n - 1) % values.len()]
    }
}

/// A summary of `requests` over `duration`, with the given windows.
fn summary(config: &LoadConfig, requests: u64, secs: f64, windows: Vec<LoadWindow>) -> LoadSummary {
    let rps = requests as f64 / secs;
    LoadSummary {
        url: config.url.clone(),
        connections: config.connections,
        threads: config.threads,
        duration_us: (secs * 1e6) as u64,
        requests,
        ok_requests: requests,
        rps,
        ok_rps: rps,
        http_client: config.client.name().to_string(),
        latency: LatencySummary {
            mean_us: if rps > 0.0 { config.connections as f64 / rps * 1e6 } else { 0.0 },
            ..Default::default()
        },
        windows,
        ..Default::default()
    }
}

impl Http for FakeHttp {
    async fn get(&self, url: &str, _timeout: Duration) -> Result<Probed, String> {
        let body = if self.wrong_body_on.as_deref().is_some_and(|p| url.contains(p)) {
            "Hello there"
        } else {
            "Hello World"
        };
        Ok(Probed {
            status: 200,
            content_type: Some("text/plain".into()),
            content_length: Some(body.len() as u64),
            chunked: false,
            body: body.as_bytes().to_vec(),
            server: None,
        })
    }

    async fn load(&self, config: LoadConfig) -> Result<LoadSummary, String> {
        self.loads.lock().unwrap().push(config.clone());
        // A real load takes time: a run can be interrupted while it goes on.
        tokio::task::yield_now().await;
        let secs = config.duration.as_secs_f64();
        Ok(summary(&config, (self.rps(&config.url) * secs) as u64, secs, Vec::new()))
    }

    async fn load_watched(
        &self,
        config: LoadConfig,
        watch: Arc<LoadWatch>,
    ) -> Result<LoadSummary, String> {
        self.loads.lock().unwrap().push(config.clone());
        watch.begin(1);
        let mut windows = Vec::new();
        for (i, &requests) in self.warmup.iter().enumerate() {
            if watch.stopped() {
                self.warmup_stopped.store(true, Ordering::Relaxed);
                break;
            }
            // Paced so that the watcher looks several times per series, whatever the load.
            tokio::time::sleep(Duration::from_millis(20)).await;
            watch.report(i, requests);
            let start_us = i as u64 * 1_000_000;
            windows.push(LoadWindow {
                start_us,
                duration_us: 1_000_000,
                requests,
                ..Default::default()
            });
        }
        let total = windows.iter().map(|w| w.requests).sum();
        Ok(summary(&config, total, windows.len().max(1) as f64, windows))
    }
}

/// Calibration figures in turn (100 when none are scripted), and the CPUs asked for.
#[derive(Default)]
pub struct FakeCalibration {
    pub figures: Vec<f64>,
    pub cpus: Mutex<Vec<Vec<usize>>>,
}

impl Calibrate for FakeCalibration {
    async fn calibrate(&self, cpus: Vec<usize>) -> Result<Calibration, String> {
        let mut asked = self.cpus.lock().unwrap();
        asked.push(cpus.clone());
        let figure = self.figures.get(asked.len() - 1).copied().unwrap_or(100.0);
        Ok(Calibration {
            mops_per_second: figure,
            wall_ms: 150.0,
            cpu_share: 1.0,
            cpus,
            host_wait: None,
        })
    }
}

pub struct Setup {
    pub dir: tempfile::TempDir,
    pub options: RunOptions,
    pub host: HostFacts,
    pub calibration: FakeCalibration,
}

pub fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let options =
        RunOptions::new(env!("CARGO_MANIFEST_DIR").into(), "matrix.kdl".into(), dir.path());
    let host = HostFacts { online_cpus: 2, ..Default::default() };
    Setup { dir, options, host, calibration: FakeCalibration::default() }
}

/// A runner over the fakes, writing to `store`.
pub fn runner<'a>(
    engine: &'a FakeEngine,
    http: &'a FakeHttp,
    containers: &'a Containers,
    store: &'a Store,
    s: &'a Setup,
) -> Runner<'a, FakeEngine, FakeHttp, SystemClock, FakeCalibration> {
    Runner::new(context(engine, http, containers, store, s), &s.calibration)
}

pub fn context<'a>(
    engine: &'a FakeEngine,
    http: &'a FakeHttp,
    containers: &'a Containers,
    store: &'a Store,
    s: &'a Setup,
) -> RunContext<'a, FakeEngine, FakeHttp, SystemClock> {
    RunContext {
        engine,
        http,
        clock: &SystemClock,
        containers,
        store,
        progress: &Quiet,
        options: &s.options,
        host: &s.host,
        engine_version: Some("fake-1.0".into()),
    }
}

/// The plan of `cells` over what `store` holds, with `seed` and an optional target.
pub fn plan(cells: &[Cell], store: &Store, seed: u64, precision: Option<Precision>) -> RunPlan {
    RunPlan::new(cells, cells, &store.index().unwrap(), seed, precision)
}
