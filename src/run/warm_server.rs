use std::future::Future;

use super::execution::Execution;
use super::host::Clock;
use super::http::Http;
use super::image_cache::{ImageCache, ImageState};
use super::phase_clock::PhaseClock;
use super::run_context::RunContext;
use super::server::Server;
use crate::engine::{ContainerId, Engine};
use crate::load::LoadConfig;
use crate::matrix::Cell;

/// A cell's server, started, ready, verified, primed, warmed up and settled exactly as before
/// a measurement, for a stage that loads it outside the measured window (`bench profile`).
pub struct WarmServer {
    pub id: ContainerId,
    /// The cell's measured load (connections, threads, rate, generator CPUs), its duration
    /// the cell's measurement's.
    pub load: LoadConfig,
}

impl WarmServer {
    /// Runs `body` with a fresh container of `cell`'s image (found by its hash, or built as
    /// `bench run` builds it), named `name`, with the capabilities `cap_add` besides the
    /// engine's defaults; the container is removed whatever `body` returns. `Err` says why
    /// the server was not ready, with its last log lines.
    pub async fn with<E, H, C, T, F, Fut>(
        ctx: &RunContext<'_, E, H, C>,
        cell: &Cell,
        name: &str,
        cap_add: &[&str],
        body: F,
    ) -> Result<T, String>
    where
        E: Engine,
        H: Http,
        C: Clock,
        F: FnOnce(WarmServer) -> Fut,
        Fut: Future<Output = Result<T, String>>,
    {
        let mut images = ImageCache::default();
        let tag = match images.get(ctx.engine, ctx.options, ctx.progress, cell).await {
            ImageState::Ready { tag, .. } => tag,
            ImageState::Broken(failure) => {
                return Err(with_tail(failure.reason, &failure.log_tail));
            }
        };
        let mut server = Server::plan(cell, &tag, name, ctx.host).map_err(|f| f.reason)?;
        server.spec.cap_add = cap_add.iter().map(|c| c.to_string()).collect();
        let server = &server;
        let outcome = server
            .scoped(ctx.engine, ctx.containers, |id| async move {
                let execution = Execution::new(ctx, cell, server, id.clone());
                let load = execution.warmed(&mut PhaseClock::new()).await?;
                Ok(body(WarmServer { id, load }).await)
            })
            .await;
        match outcome {
            Ok(done) => done,
            Err(failure) => Err(with_tail(failure.reason, &failure.log_tail)),
        }
    }
}

/// `reason`, then the server's last log lines, if any.
fn with_tail(reason: String, log_tail: &[String]) -> String {
    if log_tail.is_empty() {
        return reason;
    }
    format!("{reason}\nlast log lines:\n{}", log_tail.join("\n"))
}
