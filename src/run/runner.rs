use std::time::Instant;

use super::execution::Execution;
use super::host::{Clock, rfc3339};
use super::http::Http;
use super::image_cache::{ImageCache, ImageState};
use super::phase_clock::PhaseClock;
use super::plan::Job;
use super::provenance::blank_result;
use super::run_context::RunContext;
use super::server::Server;
use crate::engine::{ContainerId, Engine};
use crate::store::{CellResult, FailureKind, Outcome};

/// Counts of what a run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunSummary {
    pub ok: usize,
    pub invalid: usize,
    pub failed: usize,
    pub na: usize,
    pub build_seconds: f64,
    pub measure_seconds: f64,
    /// Set when the run stopped early because the engine became unreachable: why, and how
    /// many jobs were not started.
    pub engine_lost: Option<(String, usize)>,
}

/// `bench run`: measures jobs one after the other; every result is stored the moment it is
/// known.
pub struct Runner<'a, E: Engine, H: Http, C: Clock> {
    ctx: RunContext<'a, E, H, C>,
    images: ImageCache,
    summary: RunSummary,
}

impl<'a, E: Engine, H: Http, C: Clock> Runner<'a, E, H, C> {
    pub fn new(ctx: RunContext<'a, E, H, C>) -> Self {
        Runner { ctx, images: ImageCache::default(), summary: RunSummary::default() }
    }

    /// Run every job; a job's failure is recorded and the run goes on. `Err` only when a
    /// result cannot be written (nothing measured may be lost silently).
    pub async fn run(&mut self, jobs: &[Job], skipped: usize) -> Result<RunSummary, String> {
        let progress = self.ctx.progress;
        progress.started(jobs.len(), skipped);
        for (i, job) in jobs.iter().enumerate() {
            progress.cell(i, &job.cell.id, job.repetition, job.cell.load.repeat);
            let result = self.job(job).await;
            match result.outcome {
                Outcome::Ok => self.summary.ok += 1,
                Outcome::Invalid => self.summary.invalid += 1,
                Outcome::Failed => self.summary.failed += 1,
                Outcome::Na => self.summary.na += 1,
            }
            let stored = self.ctx.store.write(&result);
            stored.map_err(|e| format!("cannot store the result of {}: {e}", job.cell.id))?;
            progress.finished(&result);
            if let Some(why) = self.engine_lost(&result).await {
                self.summary.engine_lost = Some((why, jobs.len() - i - 1));
                break;
            }
        }
        progress.done();
        Ok(self.summary.clone())
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
    async fn job(&mut self, job: &Job) -> CellResult {
        let ctx = &self.ctx;
        let cell = &job.cell;
        let mut result =
            blank_result(job, ctx.options, ctx.host, ctx.engine_version.clone(), ctx.clock.now());
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
            ImageState::Broken { reason, log_tail } => {
                result.reason = Some(reason);
                result.log_tail = log_tail;
            }
        }
        self.finish(result)
    }

    fn finish(&self, mut result: CellResult) -> CellResult {
        result.provenance.finished_at = rfc3339(self.ctx.clock.now());
        result.failure_kind = FailureKind::classify(result.outcome, result.reason.as_deref());
        result
    }

    /// A fresh container of the image `tag` for this job, measured, and always removed.
    async fn measure(&self, job: &Job, tag: &str, result: &mut CellResult) {
        let (ctx, cell) = (&self.ctx, &job.cell);
        let name = format!("bench-{}-{}-r{}", cell.name, &cell.hash[..12], job.repetition);
        let server = match Server::plan(cell, tag, &name, ctx.host.online_cpus) {
            Ok(server) => server,
            Err(e) => {
                result.reason = Some(e);
                return;
            }
        };
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
