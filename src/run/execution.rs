use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::checks::{CheckInput, honesty_checks};
use super::failure::Failure;
use super::host::Clock;
use super::http::Http;
use super::phase_clock::PhaseClock;
use super::placement::Placement;
use super::probe::url;
use super::provenance::{generator_description, read_image_facts};
use super::run_context::RunContext;
use super::samples::Samples;
use super::server::Server;
use super::steady_warmup::steady_warmup;
use super::worker_watch::WorkerWatch;
use crate::engine::{ContainerId, ContainerState, Engine};
use crate::load::{LoadConfig, LoadSummary};
use crate::matrix::Cell;
use crate::store::{CellResult, Check, Outcome, Warmup};

/// One measurement of a cell in its started server container, phase by phase: ready →
/// the image's own provenance → verify → primer → warmup (until steady) → settle → measure (sampling the
/// container) → checks. Each phase's wall time goes to the `PhaseClock`.
pub(super) struct Execution<'r, 'a, E: Engine, H: Http, C: Clock> {
    ctx: &'r RunContext<'a, E, H, C>,
    cell: &'r Cell,
    id: ContainerId,
    port: u16,
    placement: &'r Placement,
}

impl<'r, 'a, E: Engine, H: Http, C: Clock> Execution<'r, 'a, E, H, C> {
    pub fn new(
        ctx: &'r RunContext<'a, E, H, C>,
        cell: &'r Cell,
        server: &'r Server,
        id: ContainerId,
    ) -> Self {
        Execution { ctx, cell, id, port: server.port, placement: &server.placement }
    }

    /// Runs every phase, filling `result`. `Err` says why the cell stopped; what was measured
    /// before (a server that died while measured) stays in `result`.
    pub async fn run(
        &self,
        result: &mut CellResult,
        phases: &mut PhaseClock,
    ) -> Result<(), Failure> {
        let probe = self.ctx.probe();
        probe.ready(&self.id, self.port, self.cell).await?;
        phases.lap("ready");
        read_image_facts(self.ctx.engine, &self.id, &mut result.provenance).await;
        self.verify(phases).await?;
        let base = self.load_config();
        let (warmup, drains) = self.unmeasured_loads(&base, phases).await?;
        result.warmup = warmup;
        let settled = self.settle(&base.url, drains, phases).await;
        self.measure(base, settled, result, phases).await
    }

    /// Every phase before the measured one, as `run` makes them: the server is then as warm
    /// as a measured one. Gives the cell's load, for a window that is not the measurement
    /// (`bench profile`).
    pub async fn warmed(&self, phases: &mut PhaseClock) -> Result<LoadConfig, Failure> {
        self.ctx.probe().ready(&self.id, self.port, self.cell).await?;
        phases.lap("ready");
        self.verify(phases).await?;
        let base = self.load_config();
        let (_, drains) = self.unmeasured_loads(&base, phases).await?;
        self.settle(&base.url, drains, phases).await;
        Ok(base)
    }

    async fn verify(&self, phases: &mut PhaseClock) -> Result<(), Failure> {
        self.ctx.progress.phase("verifying");
        self.ctx.probe().verify(&self.id, self.port, self.cell).await?;
        phases.lap("verify");
        Ok(())
    }

    /// The primer (unless the cell's `primer-duration` is zero), then its warmup (if any), which
    /// ends early once its throughput is steady (`steady_warmup`); gives that warmup.
    /// Both drain (`LoadConfig::drain`): they end by awaiting their requests in flight, so
    /// that none is left queued in the server when the measurement opens; what each drain
    /// did is given back for the `settled` check.
    async fn unmeasured_loads(
        &self,
        base: &LoadConfig,
        phases: &mut PhaseClock,
    ) -> Result<(Option<Warmup>, Vec<Drain>), Failure> {
        let mut drains = Vec::new();
        let base = &LoadConfig { drain: true, ..base.clone() };
        let (knobs, progress) = (&self.cell.knobs, self.ctx.progress);
        if knobs.primer_ms > 0 {
            progress.phase("priming");
            let primer = LoadConfig {
                connections: knobs.primer_connections.min(base.connections).max(1),
                threads: 1,
                duration: Duration::from_millis(knobs.primer_ms),
                rate: None,
                ..base.clone()
            };
            let loaded = self.ctx.http.load(primer).await;
            drains.push(Drain::of("primer", &self.alive_after(loaded, "primer").await?));
            phases.lap("primer");
        }
        let warmup_ms = self.cell.load.warmup_ms;
        if warmup_ms > 0 {
            progress.phase("warming up");
            let config = LoadConfig { duration: Duration::from_millis(warmup_ms), ..base.clone() };
            let (loaded, end) =
                steady_warmup(self.ctx.http, config, self.ctx.knobs().warmup_rule).await;
            let summary = self.alive_after(loaded, "warmup").await?;
            drains.push(Drain::of("warmup", &summary));
            let duration_ms = summary.duration_us / 1000;
            phases.lap("warmup");
            return Ok((Some(Warmup { end, duration_ms, windows: summary.windows }), drains));
        }
        Ok((None, drains))
    }

    /// Requests left queued in the server by the primer and warmup would be answered first:
    /// a blocking server with a deep queue would then spend the measurement on them. Their
    /// drains awaited what they had in flight; a request one of them gave up on (its timeout)
    /// may still be queued, and one more request answered means the queue ahead of it is
    /// gone. The `settled` check says what the drains did and whether the server was idle.
    async fn settle(&self, url: &str, drains: Vec<Drain>, phases: &mut PhaseClock) -> Check {
        self.ctx.progress.phase("settling");
        let answered = self.ctx.http.get(url, self.ctx.probe().timeout(self.cell)).await;
        let ms = phases.lap("settle");
        let mut detail: Vec<String> = drains.iter().map(Drain::describe).collect();
        detail.push(match &answered {
            Ok(_) => format!("then one request answered in {ms} ms before measuring"),
            Err(e) => {
                format!("the server was still busy with earlier requests when measuring began: {e}")
            }
        });
        Check { name: "settled".into(), passed: answered.is_ok(), detail: detail.join("; ") }
    }

    /// The cell's load, as measured; the primer and the warmup are variants of it.
    fn load_config(&self) -> LoadConfig {
        let load = &self.cell.load;
        LoadConfig {
            url: url(self.port, &self.cell.request.path),
            connections: load.connections.max(1),
            threads: load.threads.max(1),
            duration: Duration::from_millis(load.duration_ms),
            rate: load.rate,
            timeout: Duration::from_millis(load.timeout_ms.max(1)),
            headers: Vec::new(),
            cpus: self.placement.generator_cpus.clone(),
            progress: None,
            client: self.ctx.options.client,
            drain: false,
        }
    }

    /// The outcome of load that is not measured (`phase`: primer, warmup). A server gone by
    /// then is the reason the cell fails (see [`death`]), before any load error.
    async fn alive_after(
        &self,
        loaded: Result<LoadSummary, String>,
        phase: &str,
    ) -> Result<LoadSummary, Failure> {
        let state = self.ctx.engine.state(&self.id).await.ok();
        let failure = match (state.and_then(|s| death(&s, phase)), loaded) {
            (Some(reason), _) => Failure::server(reason),
            (None, Ok(summary)) => return Ok(summary),
            (None, Err(e)) => Failure::generator(format!("{phase} load failed: {e}")),
        };
        Err(self.with_log(failure).await)
    }

    /// The measured load, with the container sampled all along, then the checks.
    async fn measure(
        &self,
        base: LoadConfig,
        settled: Check,
        result: &mut CellResult,
        phases: &mut PhaseClock,
    ) -> Result<(), Failure> {
        let ctx = self.ctx;
        ctx.progress.phase("measuring");
        let counter = Arc::new(AtomicU64::new(0));
        let config = LoadConfig { progress: Some(counter.clone()), ..base };
        let done = Notify::new();
        let workers = WorkerWatch::start(ctx.engine, &self.id).await;
        let load_called = Instant::now();
        let every = Duration::from_millis(self.cell.knobs.sample_interval_ms);
        let (load, samples) = tokio::join!(
            async {
                let r = ctx.http.load(config).await;
                done.notify_one();
                r
            },
            Samples::collect(ctx.engine, &self.id, every, &counter, &done, ctx.progress)
        );
        phases.lap("measure");
        // An engine that cannot say how the server ended cannot vouch for the samples either.
        let state = match ctx.engine.state(&self.id).await {
            Ok(state) => Some(state),
            Err(e) if e.is_transient() => {
                return Err(Failure::engine("the measurement cannot be checked", &e));
            }
            Err(_) => None,
        };
        // Only the samples of the measured window count; it opens when the generator opens its
        // connections.
        let samples = samples.since(load_called);
        let mut usage = samples.usage(state.as_ref(), workers.deaths(ctx.engine, &self.id).await);
        let died = state.as_ref().and_then(|s| death(s, "measurement"));
        let summary = match load {
            Ok(summary) => summary,
            Err(e) => {
                let failure = match died {
                    Some(reason) => Failure::server(reason),
                    None => Failure::generator(format!("load generator: {e}")),
                };
                return Err(self.with_log(failure).await);
            }
        };
        let other = samples.other_cores(&summary);
        if let (Some(usage), Some(other)) = (usage.as_mut(), other) {
            usage.steal_cores = Some(other.steal);
        }
        result.checks = honesty_checks(&CheckInput {
            load: &summary,
            usage: usage.as_ref(),
            server_cpus: self.cell.resources.cpus,
            generator_cores: self.generator_cores(&summary),
            cpu_bound: self.cell.cpu_bound,
            other_cores: other,
        });
        result.checks.push(settled);
        result.provenance.generator = generator_description(&summary, self.placement);
        // A measurement that completed no request has no figure to publish: not `ok`.
        let nothing = nothing_completed(&summary);
        result.load = Some(summary); // kept even when the server crashed: nothing measured is lost
        result.usage = usage;
        match died.or(nothing) {
            Some(reason) => Err(self.with_log(Failure::server(reason)).await),
            None => {
                result.outcome = Outcome::Ok;
                Ok(())
            }
        }
    }

    /// Cores the generator's threads could use: its pinned CPUs, at most one per thread.
    fn generator_cores(&self, summary: &LoadSummary) -> usize {
        let threads = summary.threads as usize;
        self.placement
            .generator_cpus
            .as_ref()
            .map(|c| c.len().min(threads))
            .unwrap_or(threads)
            .max(1)
    }

    /// `failure` with the server's last log lines.
    async fn with_log(&self, failure: Failure) -> Failure {
        failure.with_log(self.ctx.probe().log_tail(&self.id).await)
    }
}

/// How an unmeasured load's drain ended (`LoadConfig::drain`).
struct Drain {
    phase: &'static str,
    in_flight: u64,
    drained: u64,
    ms: u64,
    /// Every request in flight at its end was answered.
    complete: bool,
}

impl Drain {
    fn of(phase: &'static str, summary: &LoadSummary) -> Self {
        Drain {
            phase,
            in_flight: summary.in_flight_at_deadline,
            drained: summary.drained,
            ms: summary.drain_us / 1000,
            complete: summary.drained >= summary.in_flight_at_deadline,
        }
    }

    fn describe(&self) -> String {
        let (phase, in_flight, drained, ms) = (self.phase, self.in_flight, self.drained, self.ms);
        if self.complete {
            format!("{phase} drained: its {in_flight} requests in flight answered in {ms} ms")
        } else {
            format!(
                "{phase} not drained: {drained} of its {in_flight} requests in flight answered \
                 in {ms} ms, the others timed out or failed (the server may have kept them)"
            )
        }
    }
}

/// Why a server in `state` is gone after `phase`: killed for lack of memory or exited;
/// `None` while it runs.
fn death(state: &ContainerState, phase: &str) -> Option<String> {
    if state.running && !state.oom_killed {
        return None;
    }
    let exit = state.exit_code.map(|c| format!(" (exit code {c})")).unwrap_or_default();
    Some(if state.oom_killed {
        format!(
            "the server was killed for lack of memory during the {phase}{exit}: \
             it needs more than its memory limit under this load"
        )
    } else {
        format!("the server exited during the {phase}{exit}")
    })
}

/// Why a measurement that completed no request has no figure, or `None` when it completed
/// some. Requests still in flight with no error most often mean responses slower than the
/// window (a server answering one request at a time under many connections), which a
/// longer window measures: the reason says so, as a possibility, not as the verdict.
fn nothing_completed(summary: &LoadSummary) -> Option<String> {
    if summary.ok_requests > 0 {
        return None;
    }
    let seconds = summary.duration_us as f64 / 1e6;
    let (in_flight, errors) = (summary.in_flight_at_deadline, summary.errors.total());
    let mut reason = format!(
        "the server completed no request in the measured {seconds:.1} s ({in_flight} in flight at the deadline, {errors} errors)"
    );
    if in_flight > 0 && errors == 0 {
        reason.push_str(&format!(
            "; if its responses take longer than {seconds:.1} s (a server that answers one request at a time, {in_flight} waiting), a longer `--duration` (or the scenario's `duration`) measures them"
        ));
    }
    Some(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(ok_requests: u64, in_flight_at_deadline: u64, timeouts: u64) -> LoadSummary {
        let mut s = LoadSummary {
            ok_requests,
            in_flight_at_deadline,
            duration_us: 12_000_000,
            ..Default::default()
        };
        s.errors.timeout = timeouts;
        s
    }

    #[test]
    fn a_measurement_with_answers_has_no_reason_to_fail() {
        assert_eq!(nothing_completed(&summary(1, 300, 0)), None);
    }

    #[test]
    fn requests_waiting_without_error_suggest_a_longer_window() {
        let reason = nothing_completed(&summary(0, 300, 0)).unwrap();
        assert!(reason.starts_with("the server completed no request in the measured 12.0 s (300 in flight at the deadline, 0 errors)"), "{reason}");
        assert!(
            reason.contains("longer than 12.0 s") && reason.contains("`--duration`"),
            "{reason}"
        );
    }

    #[test]
    fn errors_or_nothing_in_flight_suggest_nothing() {
        for s in [summary(0, 300, 5), summary(0, 0, 0)] {
            let reason = nothing_completed(&s).unwrap();
            assert!(!reason.contains("--duration"), "{reason}");
        }
    }
}
