use super::failure::Failure;
use super::host::Clock;
use super::http::Http;
use super::image_cache::{ImageCache, ImageState};
use super::run_context::RunContext;
use super::server::Server;
use super::smoke_row::{SmokeCheck, SmokeRow};
use crate::engine::Engine;
use crate::matrix::Cell;

/// `bench smoke`: per row, build its image, start it once and make the run's probe (ready,
/// then one verified request per scenario). Nothing is measured or stored.
pub struct Smoke<'a, E: Engine, H: Http, C: Clock> {
    ctx: RunContext<'a, E, H, C>,
    images: ImageCache,
}

impl<'a, E: Engine, H: Http, C: Clock> Smoke<'a, E, H, C> {
    pub fn new(ctx: RunContext<'a, E, H, C>) -> Self {
        Smoke { ctx, images: ImageCache::default() }
    }

    /// Checks one row; `cells` are its cells, one per scenario.
    pub async fn row(&mut self, cells: &[Cell]) -> SmokeRow {
        let ctx = &self.ctx;
        let mut row = SmokeRow {
            name: cells[0].name.clone(),
            build_seconds: None,
            checks: Vec::new(),
            error: None,
            log_tail: Vec::new(),
        };
        let mut live: Vec<&Cell> = Vec::new();
        for cell in cells {
            match &cell.na {
                Some(reason) => {
                    row.checks.push((cell.scenario.clone(), SmokeCheck::Na(reason.clone())))
                }
                None => live.push(cell),
            }
        }
        let Some(&first) = live.first() else {
            return row;
        };
        let tag = match self.images.get(ctx.engine, ctx.options, ctx.progress, first).await {
            ImageState::Ready { tag, build_seconds, .. } => {
                row.build_seconds = build_seconds;
                tag
            }
            ImageState::Broken(failure) => {
                row.error = Some(failure.reason);
                row.log_tail = failure.log_tail;
                return row;
            }
        };
        let name = format!("bench-smoke-{}-{}", first.name, &first.image_hash[..12]);
        let server = match Server::plan(first, &tag, &name, ctx.host) {
            Ok(server) => server,
            Err(failure) => {
                row.error = Some(failure.reason);
                return row;
            }
        };
        let probe = ctx.probe();
        let port = server.port;
        let outcome = server
            .scoped(ctx.engine, ctx.containers, |id| async move {
                probe.ready(&id, port, first).await?;
                let mut checks = Vec::new();
                let mut log_tail = Vec::new();
                for cell in &live {
                    let check = match probe.verify(&id, port, cell).await {
                        Ok(()) => SmokeCheck::Pass,
                        Err(failure) => {
                            log_tail = failure.log_tail;
                            SmokeCheck::Fail(failure.reason)
                        }
                    };
                    checks.push((cell.scenario.clone(), check));
                }
                Ok::<_, Failure>((checks, log_tail))
            })
            .await;
        match outcome {
            Ok((checks, log_tail)) => {
                row.checks.extend(checks);
                row.log_tail = log_tail;
            }
            Err(failure) => {
                row.error = Some(failure.reason);
                row.log_tail = failure.log_tail;
            }
        }
        row
    }
}
