use std::collections::BTreeSet;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::Engine;
use super::container_spec::{ContainerId, ContainerSpec};
use super::engine_error::EngineError;
use super::run_identity::RunIdentity;

/// The registry of the containers a run started and has not removed yet. Cloning shares it
/// (e.g. with the Ctrl-C cleanup).
///
/// A container is tracked by its name from just before it is created, then by its id, so a
/// start cancelled half-way (Ctrl-C) still leaves something to remove. Every container it
/// starts carries this process's `RunIdentity`: its labels, and its run id in the name.
#[derive(Debug, Clone, Default)]
pub struct Containers {
    live: Arc<Mutex<BTreeSet<ContainerId>>>,
}

impl Containers {
    pub fn new() -> Self {
        Self::default()
    }

    /// The containers started and not removed yet.
    pub fn live(&self) -> Vec<ContainerId> {
        self.lock().iter().cloned().collect()
    }

    fn lock(&self) -> MutexGuard<'_, BTreeSet<ContainerId>> {
        // The set stays consistent even if a holder panicked: every update is one insert/remove.
        self.live.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts a container owned by this run (see `RunIdentity`) and tracks it.
    pub async fn start<E: Engine>(
        &self,
        engine: &E,
        spec: &ContainerSpec,
    ) -> Result<ContainerId, EngineError> {
        let me = RunIdentity::current();
        let mut spec = spec.clone();
        spec.name = me.container_name(&spec.name);
        spec.labels.extend(me.labels());
        let by_name = ContainerId(spec.name.clone());
        self.lock().insert(by_name.clone());
        let started = engine.start(&spec).await;
        let mut live = self.lock();
        live.remove(&by_name);
        if let Ok(id) = &started {
            live.insert(id.clone());
        }
        started
    }

    /// The engine's CPUs (`Engine::cpus`), probed with a container of `image` owned by this
    /// run and tracked by its name while it exists, so an interrupt removes it too.
    pub async fn cpus<E: Engine>(
        &self,
        engine: &E,
        image: &str,
    ) -> Result<Vec<usize>, EngineError> {
        // Probes made by this process: each gets a name of its own.
        static PROBES: AtomicU64 = AtomicU64::new(0);
        let probe = PROBES.fetch_add(1, Ordering::Relaxed);
        let name = RunIdentity::current().container_name(&format!("bench-cpu-probe-{probe}"));
        let by_name = ContainerId(name.clone());
        self.lock().insert(by_name.clone());
        let cpus = engine.cpus(image, &name).await;
        // The probe removes its container; one it could not is removed, or kept tracked, here.
        let _ = self.remove(engine, &by_name).await;
        cpus
    }

    /// Removes a container and stops tracking it; on failure it stays tracked.
    pub async fn remove<E: Engine>(&self, engine: &E, id: &ContainerId) -> Result<(), EngineError> {
        engine.remove(id).await?;
        self.lock().remove(id);
        Ok(())
    }

    /// Removes every tracked container: how many were removed, and the ones that failed.
    pub async fn remove_all<E: Engine>(&self, engine: &E) -> (usize, Vec<String>) {
        let mut removed = 0;
        let mut failed = Vec::new();
        for id in self.live() {
            match self.remove(engine, &id).await {
                Ok(()) => removed += 1,
                Err(e) => failed.push(format!("{id} ({e})")),
            }
        }
        (removed, failed)
    }

    /// Starts a container, runs `body` with it and removes it whatever `body` returns. A
    /// failed removal leaves the container tracked, for `remove_all` at the end of the run.
    pub async fn scoped<E, F, Fut>(
        &self,
        engine: &E,
        spec: &ContainerSpec,
        body: F,
    ) -> Result<Fut::Output, EngineError>
    where
        E: Engine,
        F: FnOnce(ContainerId) -> Fut,
        Fut: Future,
    {
        let id = self.start(engine, spec).await?;
        let output = body(id.clone()).await;
        let _ = self.remove(engine, &id).await;
        Ok(output)
    }
}

/// Runs `work` until it ends or `interrupt` fires (pass `ctrl_c()`); on an interrupt, `work`
/// is dropped, then every container tracked in `containers` is removed, and the result is
/// `EngineError::Interrupted`.
pub async fn until_interrupted<E, W, I>(
    engine: &E,
    containers: &Containers,
    work: W,
    interrupt: I,
) -> Result<W::Output, EngineError>
where
    E: Engine,
    W: Future,
    I: Future<Output = ()>,
{
    let mut work = Box::pin(work);
    tokio::select! {
        output = &mut work => return Ok(output),
        () = interrupt => {}
    }
    drop(work);
    let (removed, failed) = containers.remove_all(engine).await;
    Err(EngineError::Interrupted { removed, failed })
}

/// Resolves on the first SIGINT (Ctrl-C), SIGTERM (`timeout`, CI cancelling a job) or SIGHUP
/// (the terminal closed): each is a request to stop, cleaned up alike. A signal whose handler
/// cannot be installed is not waited for.
pub async fn ctrl_c() {
    use tokio::signal::unix::{SignalKind, signal};
    let wait = |kind: SignalKind| async move {
        match signal(kind) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = wait(SignalKind::interrupt()) => {}
        () = wait(SignalKind::terminate()) => {}
        () = wait(SignalKind::hangup()) => {}
    }
}
