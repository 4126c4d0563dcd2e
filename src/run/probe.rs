use std::time::Duration;

use super::failure::Failure;
use super::http::Http;
use super::knobs::Knobs;
use super::verify::verify;
use crate::engine::{ContainerId, Engine, EngineError, TAIL_LINES, last_lines};
use crate::matrix::Cell;

/// The one check that a started server is up and answers as its scenarios require: `bench
/// run` makes it before loading a server, `bench smoke` makes nothing else.
pub(super) struct Probe<'a, E: Engine, H: Http> {
    engine: &'a E,
    http: &'a H,
    knobs: &'a Knobs,
}

impl<'a, E: Engine, H: Http> Probe<'a, E, H> {
    pub fn new(engine: &'a E, http: &'a H, knobs: &'a Knobs) -> Self {
        Probe { engine, http, knobs }
    }

    /// Waits, at most the cell's `readiness-timeout`, until the server accepts connections
    /// on `port`.
    pub async fn ready(&self, id: &ContainerId, port: u16, cell: &Cell) -> Result<(), Failure> {
        let timeout = Duration::from_millis(cell.knobs.readiness_timeout_ms);
        let Err(e) = self.engine.wait_ready(id, port, timeout).await else {
            return Ok(());
        };
        let tail = match &e {
            EngineError::NotReady { .. } | EngineError::ContainerExited { .. } => {
                e.log_tail().to_vec()
            }
            _ => self.log_tail(id).await,
        };
        Err(Failure::engine("the server never became ready", &e).with_log(tail))
    }

    /// One `GET` of the cell's path, verified against its request spec (see `verify`):
    /// `Failed` when no answer came, `Invalid` when the answer is wrong.
    pub async fn verify(&self, id: &ContainerId, port: u16, cell: &Cell) -> Result<(), Failure> {
        let path = &cell.request.path;
        let why = match self.http.get(&url(port, path), self.timeout(cell)).await {
            Ok(probed) => match verify(&cell.request, &probed) {
                Ok(()) => return Ok(()),
                Err(why) => Failure::invalid(format!("GET {path}: {why}")),
            },
            Err(e) => Failure::server(format!("GET {path} failed: {e}")),
        };
        Err(why.with_log(self.log_tail(id).await))
    }

    /// How long a single request of `cell` may take to be answered.
    pub fn timeout(&self, cell: &Cell) -> Duration {
        Duration::from_millis(cell.load.timeout_ms).max(self.knobs.probe_timeout_min)
    }

    /// The server's last log lines; none when they cannot be read.
    pub async fn log_tail(&self, id: &ContainerId) -> Vec<String> {
        match self.engine.logs(id).await {
            Ok(text) => last_lines(&text, TAIL_LINES),
            Err(_) => Vec::new(),
        }
    }
}

/// The URL of `path` on the server listening on 127.0.0.1:`port`.
pub(super) fn url(port: u16, path: &str) -> String {
    format!("http://127.0.0.1:{port}{path}")
}
