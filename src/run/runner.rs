use std::time::Instant;

use super::calibrate::Calibrate;
use super::checks::host_disturbed;
use super::execution::Execution;
use super::host::{Clock, rfc3339};
use super::http::Http;
use super::image_cache::{ImageCache, ImageState};
use super::phase_clock::PhaseClock;
use super::plan::Job;
use super::provenance::blank_result;
use super::run_context::RunContext;
use super::run_plan::{Planned, RunPlan};
use super::server::Server;
use crate::engine::{ContainerId, Engine};
use crate::numbers;
use crate::statistics::{SpeedIndex, SpeedRule};
use crate::store::{CellResult, Check, FailureKind, Outcome, Scheduling};

/// Counts of what a run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunSummary {
    pub ok: usize,
    pub invalid: usize,
    pub failed: usize,
    pub na: usize,
    pub build_seconds: f64,
    pub measure_seconds: f64,
    /// Rounds run (1, plus the rounds that added executions).
    pub rounds: u32,
    /// Executions whose measured window the host disturbed (the `host-quiet` check failed).
    pub disturbed: usize,
    /// Executions made to replace disturbed ones (`statistics::Remeasure`).
    pub remeasured: usize,
    /// This invocation's machine-speed index over its calibrated executions (the report
    /// applies the same rule over all stored executions); `None` with fewer than one.
    pub speed: Option<SpeedIndex>,
    /// The executions `speed` flags: id, execution number and index.
    pub speed_flagged: Vec<(String, u32, f64)>,
    /// Set when the run stopped early because the engine became unreachable: why, and how
    /// many jobs were not started.
    pub engine_lost: Option<(String, usize)>,
}

/// `bench run`: measures a `RunPlan`'s executions one after the other in its interleaved
/// order; every result is stored the moment it is known.
pub struct Runner<'a, E: Engine, H: Http, C: Clock, K: Calibrate> {
    ctx: RunContext<'a, E, H, C>,
    calibrate: &'a K,
    images: ImageCache,
    summary: RunSummary,
}

impl<'a, E: Engine, H: Http, C: Clock, K: Calibrate> Runner<'a, E, H, C, K> {
    pub fn new(ctx: RunContext<'a, E, H, C>, calibrate: &'a K) -> Self {
        Runner { ctx, calibrate, images: ImageCache::default(), summary: RunSummary::default() }
    }

    /// Run every execution of `plan`, round after round; a job's failure is recorded and the
    /// run goes on. `Err` only when a result cannot be written (nothing measured may be lost
    /// silently) or a precision round cannot be decided.
    pub async fn run(&mut self, plan: &mut RunPlan) -> Result<RunSummary, String> {
        let progress = self.ctx.progress;
        let mut batch = plan.first_round();
        progress.started(batch.len(), plan.skipped());
        progress.schedule(&batch, &self.ctx.store.load_all().unwrap_or_default());
        let (mut round, mut position, mut speeds) = (1, 0, Vec::new());
        'rounds: while !batch.is_empty() {
            for (position_in_batch, planned) in batch.iter().enumerate() {
                progress.cell(
                    position as usize,
                    &planned.job.cell.id,
                    planned.job.repetition,
                    planned.planned,
                );
                position += 1;
                let result = self.job(planned, position, plan).await;
                match result.outcome {
                    Outcome::Ok => self.summary.ok += 1,
                    Outcome::Invalid => self.summary.invalid += 1,
                    Outcome::Failed => self.summary.failed += 1,
                    Outcome::Na => self.summary.na += 1,
                }
                self.summary.disturbed += usize::from(host_disturbed(&result.checks));
                self.summary.remeasured += usize::from(planned.remeasure);
                let stored = self.ctx.store.write(&result);
                stored.map_err(|e| {
                    format!("cannot store the result of {}: {e}; {}", result.id, unstored(&result))
                })?;
                if let Some(calibration) = &result.calibration {
                    speeds.push((
                        result.id.clone(),
                        result.repetition,
                        calibration.mops_per_second,
                    ));
                }
                plan.record(planned.cell, &result);
                progress.finished(&result);
                if let Some(why) = self.engine_lost(&result).await {
                    let not_started = batch.len() - position_in_batch - 1;
                    self.summary.engine_lost = Some((why, not_started));
                    break 'rounds;
                }
            }
            self.summary.rounds = round;
            round += 1;
            batch = plan.next_round(round).map_err(|e| format!("round {round}: {e}"))?;
            if !batch.is_empty() {
                let remeasures = batch.iter().filter(|p| p.remeasure).count();
                progress.round(round, batch.len(), remeasures);
                progress.schedule(&batch, &[]);
            }
        }
        self.speed_index(&speeds);
        progress.done();
        Ok(self.summary.clone())
    }

    /// `statistics::SpeedRule` over this invocation's calibrations.
    fn speed_index(&mut self, speeds: &[(String, u32, f64)]) {
        let figures: Vec<f64> = speeds.iter().map(|(_, _, figure)| *figure).collect();
        let Ok(index) = SpeedRule::default().index(&figures) else {
            return;
        };
        self.summary.speed_flagged = speeds
            .iter()
            .zip(index.index.iter().zip(&index.flagged))
            .filter(|(_, (_, flagged))| **flagged)
            .map(|((id, execution, _), (index, _))| (id.clone(), *execution, *index))
            .collect();
        self.summary.speed = Some(index);
    }

    /// Why no more cells can start: `result` failed for the engine and it still does not
    /// answer. Starting the rest would only store a failure for each.
    async fn engine_lost(&self, result: &CellResult) -> Option<String> {
        if result.failure_kind != Some(FailureKind::Engine) {
            return None;
        }
        self.ctx.engine.version().await.err().map(|e| e.to_string())
    }

    /// One job's result: N/A, a failed image, or a measurement.
    async fn job(&mut self, planned: &Planned, position: u32, plan: &RunPlan) -> CellResult {
        let ctx = &self.ctx;
        let (job, cell) = (&planned.job, &planned.job.cell);
        let mut result =
            blank_result(job, ctx.options, ctx.host, ctx.engine_version.clone(), ctx.clock.now());
        result.schedule = Some(Scheduling {
            seed: plan.seed,
            round: planned.round,
            position,
            precision: plan.precision,
        });
        if let Some(reason) = &cell.na {
            result.outcome = Outcome::Na;
            result.reason = Some(reason.clone());
            return self.finish(result);
        }
        ctx.progress.phase("image");
        match self.images.get(ctx.engine, ctx.options, ctx.progress, cell).await {
            ImageState::Ready { tag, id, build_seconds } => {
                self.summary.build_seconds += build_seconds.unwrap_or(0.0);
                result.provenance.image_id = id;
                result.provenance.build_seconds = build_seconds;
                let measure_start = Instant::now();
                self.measure(job, &tag, &mut result).await;
                self.summary.measure_seconds += measure_start.elapsed().as_secs_f64();
            }
            ImageState::Broken(failure) => failure.record(&mut result),
        }
        self.finish(result)
    }

    fn finish(&self, mut result: CellResult) -> CellResult {
        result.provenance.finished_at = rfc3339(self.ctx.clock.now());
        result
    }

    /// A fresh container of the image `tag` for this job, measured, and always removed.
    async fn measure(&self, job: &Job, tag: &str, result: &mut CellResult) {
        let (ctx, cell) = (&self.ctx, &job.cell);
        let name = format!("bench-{}-{}-r{}", cell.name, &cell.hash[..12], job.repetition);
        let server = match Server::plan(cell, tag, &name, ctx.host) {
            Ok(server) => server,
            Err(failure) => return failure.record(result),
        };
        result.provenance.server_cpuset = server.placement.server_cpuset.clone();
        ctx.progress.phase("calibrating");
        let calibration = self.calibrate.calibrate(server.placement.calibration_cpus.clone()).await;
        ctx.progress.phase("starting server");
        let mut clock = PhaseClock::new();
        let (phases, inner, server) = (&mut clock, &mut *result, &server);
        let outcome = server
            .scoped(ctx.engine, ctx.containers, |id| async move {
                phases.lap("start");
                let outcome =
                    Execution::new(ctx, cell, server, id.clone()).run(inner, phases).await;
                if outcome.is_err() {
                    keep_server_log(ctx, &id, inner).await;
                }
                outcome
            })
            .await;
        clock.lap("teardown");
        result.provenance.phases_ms = clock.phases;
        if let Err(failure) = outcome {
            failure.record(result);
        }
        match calibration {
            Ok(calibration) => result.calibration = Some(calibration),
            Err(e) => result.checks.push(Check {
                name: "calibrated".into(),
                passed: false,
                detail: format!("no machine-speed index for this execution: {e}"),
            }),
        }
    }
}

/// What a result that cannot be stored holds, said so that it is not lost with it.
fn unstored(result: &CellResult) -> String {
    let outcome = serde_json::to_value(result.outcome).ok();
    let outcome = outcome.as_ref().and_then(|v| v.as_str()).unwrap_or("?");
    match &result.load {
        Some(load) => format!(
            "it measured {} req/s ({} requests in {:.1} s, mean latency {:.2} ms; outcome {outcome}), not stored",
            numbers::int(load.ok_rps),
            load.ok_requests,
            load.duration_us as f64 / 1e6,
            load.latency.mean_us / 1000.0
        ),
        None => format!(
            "it measured nothing (outcome {outcome}: {})",
            result.reason.as_deref().unwrap_or("-")
        ),
    }
}

/// The whole log of a server that failed, beside its result; best effort, said when not.
async fn keep_server_log<E: Engine, H: Http, C: Clock>(
    ctx: &RunContext<'_, E, H, C>,
    id: &ContainerId,
    result: &CellResult,
) {
    let kept = match ctx.engine.logs(id).await {
        Ok(log) => ctx.store.write_log(result, &log).map(drop).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    if let Err(why) = kept {
        eprintln!("warning: the server log of {} is not kept: {why}", result.id);
    }
}
