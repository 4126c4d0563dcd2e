use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::checks::{honesty_checks, CheckInput};
use super::host::{host_busy, rfc3339, Clock, HostFacts};
use super::http::Http;
use super::placement::Placement;
use super::plan::Job;
use super::progress::Progress;
use super::verify::verify;
use crate::engine::{cpu_percent, last_lines, BuildRequest, ContainerId, ContainerSpec, ContainerState, Containers, Engine, EngineError, StatsSample};
use crate::image::{build_context, BuildSettings};
use crate::load::{HttpClient, LoadConfig, LoadSummary};
use crate::matrix::Cell;
use crate::store::{CellResult, Check, Outcome, Provenance, Store, Usage};

/// How a run behaves, beyond the cells' own settings.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Project root: `apps/` and `dockerfiles/` live here.
    pub root: PathBuf,
    /// The matrix file, as recorded in provenance.
    pub matrix_file: String,
    pub build: BuildSettings,
    /// Where build logs go.
    pub logs_dir: PathBuf,
    /// Low-concurrency load before the warmup, to wake lazy servers.
    pub primer: Duration,
    pub primer_connections: u32,
    /// How long a server may take to accept connections.
    pub ready_timeout: Duration,
    /// Interval of the container CPU/memory samples while measuring.
    pub sample_every: Duration,
    /// The load generator's HTTP/1.1 client (recorded in each result's generator line).
    pub client: HttpClient,
}

impl RunOptions {
    pub fn new(root: PathBuf, matrix_file: String, results: &std::path::Path) -> RunOptions {
        RunOptions {
            root,
            matrix_file,
            build: BuildSettings::default(),
            logs_dir: results.join("logs"),
            primer: Duration::from_secs(2),
            primer_connections: 2,
            ready_timeout: Duration::from_secs(120),
            sample_every: Duration::from_secs(1),
            client: HttpClient::default(),
        }
    }
}

/// Counts of what a run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunSummary {
    pub ok: usize,
    pub invalid: usize,
    pub failed: usize,
    pub na: usize,
    pub build_seconds: f64,
    pub measure_seconds: f64,
}

/// A built image, or why it could not be built.
#[derive(Clone, Debug)]
enum ImageState {
    Ready { tag: String, id: Option<String>, build_seconds: Option<f64> },
    Broken { reason: String, log_tail: Vec<String> },
}

/// Measures jobs one after the other; every result is stored the moment it is known.
pub struct Runner<'a, E: Engine, H: Http, C: Clock> {
    pub engine: &'a E,
    pub http: &'a H,
    pub clock: &'a C,
    pub containers: &'a Containers,
    pub store: &'a Store,
    pub progress: &'a dyn Progress,
    pub options: &'a RunOptions,
    pub host: &'a HostFacts,
    pub docker_version: Option<String>,
    images: HashMap<String, ImageState>,
    summary: RunSummary,
}

impl<'a, E: Engine, H: Http, C: Clock> Runner<'a, E, H, C> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        engine: &'a E,
        http: &'a H,
        clock: &'a C,
        containers: &'a Containers,
        store: &'a Store,
        progress: &'a dyn Progress,
        options: &'a RunOptions,
        host: &'a HostFacts,
    ) -> Self {
        Runner { engine, http, clock, containers, store, progress, options, host, docker_version: None, images: HashMap::new(), summary: RunSummary::default() }
    }

    /// Run every job; a job's failure is recorded and the run goes on. `Err` only when a
    /// result cannot be written (nothing measured may be lost silently).
    pub async fn run(&mut self, jobs: &[Job], skipped: usize) -> Result<RunSummary, String> {
        self.progress.started(jobs.len(), skipped);
        for (i, job) in jobs.iter().enumerate() {
            self.progress.cell(i, &job.cell.id, job.repetition, job.cell.load.repeat);
            let result = self.job(job).await;
            match result.outcome {
                Outcome::Ok => self.summary.ok += 1,
                Outcome::Invalid => self.summary.invalid += 1,
                Outcome::Failed => self.summary.failed += 1,
                Outcome::Na => self.summary.na += 1,
            }
            self.store.write(&result).map_err(|e| format!("cannot store the result of {}: {e}", job.cell.id))?;
            self.progress.finished(&result);
        }
        self.progress.done();
        Ok(self.summary.clone())
    }

    async fn job(&mut self, job: &Job) -> CellResult {
        let started = self.clock.now();
        let cell = &job.cell;
        let mut result = self.blank(job, started);
        if let Some(reason) = &cell.na {
            result.outcome = Outcome::Na;
            result.reason = Some(reason.clone());
            return self.finish(result);
        }
        self.progress.phase("image");
        let image = self.image(cell).await;
        let (tag, image_id, build_seconds) = match image {
            ImageState::Ready { tag, id, build_seconds } => (tag, id, build_seconds),
            ImageState::Broken { reason, log_tail } => {
                result.outcome = Outcome::Failed;
                result.reason = Some(reason);
                result.log_tail = log_tail;
                return self.finish(result);
            }
        };
        result.provenance.image_id = image_id;
        result.provenance.build_seconds = build_seconds;
        let measure_start = Instant::now();
        self.measure(job, &tag, &mut result).await;
        self.summary.measure_seconds += measure_start.elapsed().as_secs_f64();
        self.finish(result)
    }

    fn finish(&self, mut result: CellResult) -> CellResult {
        result.provenance.finished_at = rfc3339(self.clock.now());
        result
    }

    /// The result skeleton: identity, settings and provenance, nothing measured yet.
    fn blank(&self, job: &Job, started: std::time::SystemTime) -> CellResult {
        let c = &job.cell;
        CellResult {
            schema_version: 1,
            name: c.name.clone(),
            row_index: job.row_index,
            scenario: c.scenario.clone(),
            scenario_index: job.scenario_index,
            description: c.request.description.clone(),
            sweep: c.sweep.clone(),
            id: c.id.clone(),
            framework: c.framework.clone(),
            server: c.server.clone(),
            variant: c.variant.clone(),
            runtime: c.runtime.clone(),
            hash: c.hash.clone(),
            repetition: job.repetition,
            outcome: Outcome::Failed,
            reason: None,
            log_tail: Vec::new(),
            load_settings: c.load.clone(),
            resources: c.resources.clone(),
            load: None,
            usage: None,
            checks: Vec::new(),
            provenance: Provenance {
                bench_version: env!("CARGO_PKG_VERSION").to_string(),
                matrix_file: self.options.matrix_file.clone(),
                git_commit: self.host.git_commit.clone(),
                host_cpu: self.host.cpu_model.clone(),
                kernel: self.host.kernel.clone(),
                docker_version: self.docker_version.clone(),
                started_at: rfc3339(started),
                ..Provenance::default()
            },
        }
    }

    /// The cell's image: found by its hash tag, built once per run if missing. A failed
    /// build is remembered, so every cell of that image fails at once with its log.
    async fn image(&mut self, cell: &Cell) -> ImageState {
        if let Some(state) = self.images.get(&cell.image_hash) {
            return match state {
                // A later cell of an image built in this run did not pay for the build.
                ImageState::Ready { tag, id, .. } => ImageState::Ready { tag: tag.clone(), id: id.clone(), build_seconds: None },
                broken => broken.clone(),
            };
        }
        let state = self.build(cell).await;
        self.images.insert(cell.image_hash.clone(), state.clone());
        state
    }

    async fn build(&mut self, cell: &Cell) -> ImageState {
        let tag = image_tag(cell);
        match self.engine.image_id(&tag).await {
            Ok(Some(id)) => return ImageState::Ready { tag, id: Some(id), build_seconds: None },
            Ok(None) => {}
            Err(e) => return broken(format!("cannot look up image {tag}: {e}"), Vec::new()),
        }
        self.progress.phase("building image");
        if let Err(e) = self.engine.ensure_base_image(&cell.image.base_image).await {
            return broken(format!("base image {}: {e}", cell.image.base_image), e.log_tail().to_vec());
        }
        // The context holds the rendered Dockerfile: template errors surface here.
        let context = match build_context(cell, &self.options.build, &self.options.root) {
            Ok(c) => c,
            Err(e) => return broken(format!("build context: {e}"), Vec::new()),
        };
        let log_path = self.options.logs_dir.join(format!("build-{}-{}.log", cell.name, &cell.image_hash[..12]));
        let mut labels = BTreeMap::new();
        labels.insert("bench.row".to_string(), cell.name.clone());
        labels.insert("bench.image-hash".to_string(), cell.image_hash.clone());
        let request = BuildRequest { tag: tag.clone(), context_tar: context, dockerfile: "Dockerfile".into(), labels, log_path };
        match self.engine.build(request).await {
            Ok(built) => {
                self.summary.build_seconds += built.seconds;
                ImageState::Ready { tag, id: Some(built.id), build_seconds: Some(built.seconds) }
            }
            Err(e) => broken(format!("build failed: {e}"), e.log_tail().to_vec()),
        }
    }

    /// Start a fresh container, verify, prime, warm up, measure, and always remove it.
    async fn measure(&mut self, job: &Job, tag: &str, result: &mut CellResult) {
        let cell = &job.cell;
        let name = format!("bench-{}-{}-r{}", sanitize(&cell.name), &cell.hash[..12], job.repetition);
        let (spec, port, placement) = match self.server_spec(cell, tag, name) {
            Ok(s) => s,
            Err(e) => {
                result.reason = Some(e);
                return;
            }
        };
        self.progress.phase("starting server");
        let this = &*self;
        let inner = &mut *result;
        let mut clock = PhaseClock::new();
        let phases = &mut clock;
        let outcome = this
            .containers
            .scoped(this.engine, &spec, |id| async move {
                phases.lap("start");
                this.in_container(job, &id, port, &placement, inner, phases).await
            })
            .await;
        clock.lap("teardown");
        result.provenance.phases_ms = clock.phases;
        if let Err(e) = outcome {
            result.outcome = Outcome::Failed;
            result.reason = Some(format!("the server container did not start: {e}"));
            result.log_tail = e.log_tail().to_vec();
        }
    }

    async fn in_container(&self, job: &Job, id: &ContainerId, port: u16, placement: &Placement, result: &mut CellResult, phases: &mut PhaseClock) {
        let cell = &job.cell;
        let fail = |result: &mut CellResult, outcome: Outcome, reason: String, tail: Vec<String>| {
            result.outcome = outcome;
            result.reason = Some(reason);
            result.log_tail = tail;
        };
        if let Err(e) = self.engine.wait_ready(id, port, self.options.ready_timeout).await {
            let tail = match &e {
                EngineError::NotReady { .. } | EngineError::ContainerExited { .. } => e.log_tail().to_vec(),
                _ => self.log_tail(id).await,
            };
            return fail(result, Outcome::Failed, format!("the server never became ready: {e}"), tail);
        }
        phases.lap("ready");
        // Provenance from inside the image.
        if let Ok(bytes) = self.engine.read_file(id, "/bench/versions.txt").await {
            result.provenance.packages = parse_freeze(&String::from_utf8_lossy(&bytes));
        }
        if let Ok(bytes) = self.engine.read_file(id, "/bench/python-version.txt").await {
            result.provenance.python_version = Some(String::from_utf8_lossy(&bytes).trim().to_string());
        }
        let url = format!("http://127.0.0.1:{port}{}", cell.request.path);
        self.progress.phase("verifying");
        let probe_timeout = Duration::from_millis(cell.load.timeout_ms.max(1000));
        match self.http.get(&url, probe_timeout).await {
            Err(e) => return fail(result, Outcome::Failed, format!("GET {} failed: {e}", cell.request.path), self.log_tail(id).await),
            Ok(probed) => {
                if let Err(why) = verify(&cell.request, &probed) {
                    return fail(result, Outcome::Invalid, format!("GET {}: {why}", cell.request.path), self.log_tail(id).await);
                }
            }
        }
        phases.lap("verify");
        let base = LoadConfig {
            url: url.clone(),
            connections: cell.load.connections.max(1),
            threads: cell.load.threads.max(1),
            duration: Duration::from_millis(cell.load.duration_ms),
            rate: cell.load.rate,
            timeout: Duration::from_millis(cell.load.timeout_ms.max(1)),
            headers: Vec::new(),
            cpus: placement.generator_cpus.clone(),
            progress: None,
            client: self.options.client,
        };
        if !self.options.primer.is_zero() {
            self.progress.phase("priming");
            let primer = LoadConfig {
                connections: self.options.primer_connections.min(base.connections).max(1),
                threads: 1,
                duration: self.options.primer,
                rate: None,
                ..base.clone()
            };
            if let Some(reason) = self.unmeasured_load(id, primer, "primer").await {
                return fail(result, Outcome::Failed, reason, self.log_tail(id).await);
            }
            phases.lap("primer");
        }
        if cell.load.warmup_ms > 0 {
            self.progress.phase("warming up");
            let warmup = LoadConfig { duration: Duration::from_millis(cell.load.warmup_ms), ..base.clone() };
            if let Some(reason) = self.unmeasured_load(id, warmup, "warmup").await {
                return fail(result, Outcome::Failed, reason, self.log_tail(id).await);
            }
            phases.lap("warmup");
        }
        // Requests the primer and warmup left queued in the server (their connections were
        // dropped at their deadline) would be answered first: a blocking server with a deep
        // queue would then spend the measurement on them. One request answered means the
        // queue ahead of it is gone.
        self.progress.phase("settling");
        let settled = self.http.get(&url, probe_timeout.max(Duration::from_millis(cell.load.timeout_ms))).await;
        phases.lap("settle");
        self.progress.phase("measuring");
        let counter = Arc::new(AtomicU64::new(0));
        let measure = LoadConfig { progress: Some(counter.clone()), ..base };
        let done = tokio::sync::Notify::new();
        let load_called = Instant::now();
        let (load, samples) = tokio::join!(
            async {
                let r = self.http.load(measure).await;
                done.notify_one();
                r
            },
            self.sample(id, &counter, &done)
        );
        phases.lap("measure");
        let state = self.engine.state(id).await.ok();
        // Only the samples of the measured window count: opening the connections first can
        // take long (a server with a short listen backlog), and is not measured.
        let window_start = load_called + Duration::from_micros(load.as_ref().map(|s| s.setup_us).unwrap_or(0));
        let samples: Vec<Sample> = samples.into_iter().filter(|s| s.at >= window_start).collect();
        let usage = usage_of(&samples, state.as_ref().map(|s| (s.oom_killed, s.restart_count)));
        match load {
            Err(e) => {
                let reason = state.as_ref().and_then(|s| death(s, "measurement")).unwrap_or_else(|| format!("load generator: {e}"));
                fail(result, Outcome::Failed, reason, self.log_tail(id).await)
            }
            Ok(summary) => {
                let generator_cores = placement.generator_cpus.as_ref().map(|c| c.len().min(summary.threads as usize)).unwrap_or(summary.threads as usize).max(1);
                result.checks = honesty_checks(&CheckInput {
                    load: &summary,
                    usage: usage.as_ref(),
                    server_cpus: cell.resources.cpus,
                    generator_cores,
                    cpu_bound: cell.cpu_bound,
                    other_cores: other_cores(&samples, &summary),
                });
                result.checks.push(Check {
                    name: "settled".into(),
                    passed: settled.is_ok(),
                    detail: match &settled {
                        Ok(_) => format!("earlier requests drained in {} ms before measuring", phases.phases.get("settle").copied().unwrap_or(0)),
                        Err(e) => format!("the server was still busy with earlier requests when measuring began: {e}"),
                    },
                });
                result.provenance.generator = generator_description(&summary, placement);
                match state.as_ref().and_then(|s| death(s, "measurement")) {
                    Some(reason) => fail(result, Outcome::Failed, reason, self.log_tail(id).await),
                    None => result.outcome = Outcome::Ok,
                }
                result.load = Some(summary); // kept even when the server crashed: nothing measured is lost
                result.usage = usage;
            }
        }
    }

    /// Runs load that is not measured (`phase`: primer, warmup): why the cell fails, if it
    /// does. A server gone by then is the reason (see [`death`]), before any load error.
    async fn unmeasured_load(&self, id: &ContainerId, config: LoadConfig, phase: &str) -> Option<String> {
        let loaded = self.http.load(config).await;
        let state = self.engine.state(id).await.ok();
        if let Some(reason) = state.and_then(|s| death(&s, phase)) {
            return Some(reason);
        }
        loaded.err().map(|e| format!("{phase} load failed: {e}"))
    }

    /// Container CPU/memory samples (and live requests/s) until `done`.
    async fn sample(&self, id: &ContainerId, counter: &AtomicU64, done: &tokio::sync::Notify) -> Vec<Sample> {
        let mut samples = Vec::new();
        let mut last = (Instant::now(), 0u64);
        loop {
            if let Ok(s) = self.engine.stats_sample(id).await {
                samples.push(Sample { at: Instant::now(), stats: s, host_busy: host_busy() });
            }
            tokio::select! {
                _ = done.notified() => break,
                _ = tokio::time::sleep(self.options.sample_every) => {}
            }
            let now = (Instant::now(), counter.load(Ordering::Relaxed));
            let secs = now.0.duration_since(last.0).as_secs_f64();
            if secs > 0.0 {
                self.progress.live_rps((now.1 - last.1) as f64 / secs);
            }
            last = now;
        }
        samples
    }

    /// `bench smoke`: build a row's image, start it once, request each scenario's path once
    /// and verify the answer. `cells` are the row's cells (one per scenario).
    pub async fn smoke_row(&mut self, cells: &[Cell]) -> SmokeRow {
        let first = &cells[0];
        let mut row = SmokeRow { name: first.name.clone(), build_seconds: None, checks: Vec::new(), error: None, log_tail: Vec::new() };
        let mut live: Vec<&Cell> = Vec::new();
        for cell in cells {
            match &cell.na {
                Some(reason) => row.checks.push((cell.scenario.clone(), SmokeCheck::Na(reason.clone()))),
                None => live.push(cell),
            }
        }
        let Some(cell) = live.first() else { return row };
        let (tag, build_seconds) = match self.image(cell).await {
            ImageState::Ready { tag, build_seconds, .. } => (tag, build_seconds),
            ImageState::Broken { reason, log_tail } => {
                row.error = Some(reason);
                row.log_tail = log_tail;
                return row;
            }
        };
        row.build_seconds = build_seconds;
        let name = format!("bench-smoke-{}-{}", sanitize(&cell.name), &cell.image_hash[..12]);
        let (spec, port, _) = match self.server_spec(cell, &tag, name) {
            Ok(s) => s,
            Err(e) => {
                row.error = Some(e);
                return row;
            }
        };
        let this = &*self;
        let outcome = this
            .containers
            .scoped(this.engine, &spec, |id| async move {
                if let Err(e) = this.engine.wait_ready(&id, port, this.options.ready_timeout).await {
                    return Err((format!("the server never became ready: {e}"), e.log_tail().to_vec()));
                }
                let mut checks = Vec::new();
                for cell in &live {
                    let url = format!("http://127.0.0.1:{port}{}", cell.request.path);
                    let check = match this.http.get(&url, Duration::from_millis(cell.load.timeout_ms.clamp(1000, 30_000))).await {
                        Err(e) => SmokeCheck::Fail(format!("GET {}: {e}", cell.request.path)),
                        Ok(probed) => match verify(&cell.request, &probed) {
                            Ok(()) => SmokeCheck::Pass,
                            Err(why) => SmokeCheck::Fail(format!("GET {}: {why}", cell.request.path)),
                        },
                    };
                    checks.push((cell.scenario.clone(), check));
                }
                let failed = checks.iter().any(|(_, c)| matches!(c, SmokeCheck::Fail(_)));
                let tail = if failed { this.log_tail(&id).await } else { Vec::new() };
                Ok((checks, tail))
            })
            .await;
        match outcome {
            Ok(Ok((checks, tail))) => {
                row.checks.extend(checks);
                row.log_tail = tail;
            }
            Ok(Err((reason, tail))) => {
                row.error = Some(reason);
                row.log_tail = tail;
            }
            Err(e) => {
                row.error = Some(format!("the server container did not start: {e}"));
                row.log_tail = e.log_tail().to_vec();
            }
        }
        row
    }

    /// The server container of a cell: its limits and placement, on a free loopback port.
    fn server_spec(&self, cell: &Cell, tag: &str, name: String) -> Result<(ContainerSpec, u16, Placement), String> {
        let port = free_port().map_err(|e| format!("no free port on 127.0.0.1: {e}"))?;
        let placement = Placement::plan(self.host.online_cpus, cell.resources.cpuset.as_deref());
        let mut labels = BTreeMap::new();
        labels.insert("bench.cell".to_string(), cell.id.clone());
        let spec = ContainerSpec {
            image: tag.to_string(),
            name,
            env: vec![("PORT".into(), port.to_string())],
            nano_cpus: (cell.resources.cpus * 1e9) as i64,
            cpuset: placement.server_cpuset.clone(),
            memory_bytes: cell.resources.memory_bytes as i64,
            labels,
        };
        Ok((spec, port, placement))
    }

    async fn log_tail(&self, id: &ContainerId) -> Vec<String> {
        match self.engine.logs(id).await {
            Ok(text) => last_lines(&text, 30),
            Err(_) => Vec::new(),
        }
    }
}

/// What `bench smoke` found for one row.
#[derive(Clone, Debug, PartialEq)]
pub struct SmokeRow {
    pub name: String,
    /// Build time when the image was built now (`None`: it existed).
    pub build_seconds: Option<f64>,
    /// Per scenario.
    pub checks: Vec<(String, SmokeCheck)>,
    /// A failure before any request (build, start, readiness).
    pub error: Option<String>,
    pub log_tail: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SmokeCheck {
    Pass,
    Fail(String),
    Na(String),
}

impl SmokeRow {
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.checks.iter().all(|(_, c)| !matches!(c, SmokeCheck::Fail(_)))
    }
}

/// Wall time per phase of a measurement, each lap from the previous one.
struct PhaseClock {
    last: Instant,
    phases: BTreeMap<String, u64>,
}

impl PhaseClock {
    fn new() -> PhaseClock {
        PhaseClock { last: Instant::now(), phases: BTreeMap::new() }
    }

    fn lap(&mut self, phase: &str) {
        let now = Instant::now();
        self.phases.insert(phase.to_string(), now.duration_since(self.last).as_millis() as u64);
        self.last = now;
    }
}

/// The tag of a cell's image: its image hash, so an unchanged cell is never rebuilt.
pub fn image_tag(cell: &Cell) -> String {
    format!("bench-cell:{}", &cell.image_hash[..32])
}

fn broken(reason: String, log_tail: Vec<String>) -> ImageState {
    ImageState::Broken { reason, log_tail }
}

/// One reading while measuring: the container's counters and the host's busy time.
struct Sample {
    at: Instant,
    stats: StatsSample,
    host_busy: Option<Duration>,
}

/// CPU (percent of one core, between consecutive samples) and peak memory.
fn usage_of(samples: &[Sample], state: Option<(bool, i64)>) -> Option<Usage> {
    if samples.is_empty() && state.is_none() {
        return None;
    }
    let cpu: Vec<f64> = samples.windows(2).filter_map(|w| cpu_percent(&w[0].stats, &w[1].stats)).collect();
    let (oom_killed, restarts) = state.unwrap_or((false, 0));
    Some(Usage {
        cpu_percent_mean: if cpu.is_empty() { 0.0 } else { cpu.iter().sum::<f64>() / cpu.len() as f64 },
        cpu_percent_max: cpu.iter().cloned().fold(0.0, f64::max),
        memory_bytes_max: samples.iter().map(|s| s.stats.memory_bytes).max().unwrap_or(0),
        samples: samples.len() as u32,
        oom_killed,
        restarts: restarts.max(0) as u32,
    })
}

/// Cores used by everything but the server and the generator while measuring: between the
/// first and last sample of the window, the host's busy rate less the container's, less the
/// generator's average over the window.
fn other_cores(samples: &[Sample], load: &LoadSummary) -> Option<f64> {
    let (first, last) = (samples.first()?, samples.last()?);
    let span = last.at.duration_since(first.at).as_secs_f64();
    let secs = load.duration_us as f64 / 1e6;
    if span <= 0.0 || secs <= 0.0 {
        return None;
    }
    let host = last.host_busy?.saturating_sub(first.host_busy?).as_secs_f64() / span;
    let container = last.stats.cpu_total_ns.saturating_sub(first.stats.cpu_total_ns) as f64 / 1e9 / span;
    let generator = load.generator_cpu_us as f64 / 1e6 / secs;
    Some((host - container - generator).max(0.0))
}

fn generator_description(s: &LoadSummary, p: &Placement) -> String {
    format!(
        "bench load {} ({}, {} client), {} thread(s), {} connection(s){}",
        env!("CARGO_PKG_VERSION"),
        if s.target_rps.is_some() { "open loop" } else { "closed loop" },
        s.http_client,
        s.threads,
        s.connections,
        match &p.generator_cpus {
            Some(cpus) => format!(", pinned to cpu {}", cpus.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(",")),
            None => String::new(),
        }
    )
}

/// `name==version` lines → map (other lines, such as `-e` installs, are kept whole).
fn parse_freeze(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once("==") {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

fn sanitize(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

/// A port on 127.0.0.1 nobody listens on right now (the kernel picks it).
fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Why a server in `state` is gone after `phase`: killed for lack of memory or exited; `None`
/// while it runs.
fn death(state: &ContainerState, phase: &str) -> Option<String> {
    if state.running && !state.oom_killed {
        return None;
    }
    let exit = state.exit_code.map(|c| format!(" (exit code {c})")).unwrap_or_default();
    Some(if state.oom_killed {
        format!("the server was killed for lack of memory during the {phase}{exit}: it needs more than its memory limit under this load")
    } else {
        format!("the server exited during the {phase}{exit}")
    })
}
