use super::host::{Clock, HostFacts};
use super::http::Http;
use super::knobs::Knobs;
use super::probe::Probe;
use super::progress::Progress;
use super::run_options::RunOptions;
use crate::engine::{Containers, Engine};
use crate::store::Store;

/// What `Runner` and `Smoke` work with: the side effects behind their traits, where results
/// go, the options and the host.
pub struct RunContext<'a, E: Engine, H: Http, C: Clock> {
    pub engine: &'a E,
    pub http: &'a H,
    pub clock: &'a C,
    /// The containers started and not removed yet, shared with the Ctrl-C cleanup.
    pub containers: &'a Containers,
    /// Where `Runner` writes each result (`Smoke` writes none).
    pub store: &'a Store,
    pub progress: &'a dyn Progress,
    pub options: &'a RunOptions,
    pub host: &'a HostFacts,
    /// `Engine::version`, recorded in each result's provenance.
    pub engine_version: Option<String>,
}

impl<E: Engine, H: Http, C: Clock> RunContext<'_, E, H, C> {
    pub(super) fn knobs(&self) -> &Knobs {
        &self.options.knobs
    }

    /// The readiness and verification checks of a started server.
    pub(super) fn probe(&self) -> Probe<'_, E, H> {
        Probe::new(self.engine, self.http, self.knobs())
    }
}
