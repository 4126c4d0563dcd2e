use std::collections::BTreeMap;
use std::future::Future;

use super::failure::Failure;
use super::host::HostFacts;
use super::placement::Placement;
use crate::engine::{ContainerId, ContainerSpec, Containers, Engine};
use crate::matrix::Cell;

/// A cell's server container, planned: its limits and CPU placement, on a free loopback port.
pub(super) struct Server {
    pub spec: ContainerSpec,
    pub port: u16,
    pub placement: Placement,
}

impl Server {
    /// The server of `cell` from the image `tag`, as container `name` (made safe for Docker),
    /// placed within the CPUs of `host` (`Placement`). A cpuset outside the engine's known
    /// CPUs is a `Request` failure; with the engine's CPUs unknown, the engine judges it.
    pub fn plan(cell: &Cell, tag: &str, name: &str, host: &HostFacts) -> Result<Server, Failure> {
        let placement = Placement::plan(
            &host.bench_cpus(),
            host.engine_cpus.as_deref(),
            cell.resources.cpuset.as_deref(),
        )
        .map_err(Failure::request)?;
        let port =
            free_port().map_err(|e| Failure::server(format!("no free port on 127.0.0.1: {e}")))?;
        let spec = ContainerSpec {
            image: tag.to_string(),
            name: sanitize(name),
            env: vec![("PORT".into(), port.to_string())],
            nano_cpus: (cell.resources.cpus * 1e9) as i64,
            cpuset: placement.server_cpuset.clone(),
            memory_bytes: cell.resources.memory_bytes as i64,
            labels: BTreeMap::from([("bench.cell".to_string(), cell.id.clone())]),
            cap_add: Vec::new(),
        };
        Ok(Server { spec, port, placement })
    }

    /// Starts the container, runs `body` with it and removes it whatever `body` returns. A
    /// container that does not start is a failure, with the log tail the engine got.
    pub async fn scoped<E, T, F, Fut>(
        &self,
        engine: &E,
        containers: &Containers,
        body: F,
    ) -> Result<T, Failure>
    where
        E: Engine,
        F: FnOnce(ContainerId) -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        match containers.scoped(engine, &self.spec, body).await {
            Ok(outcome) => outcome,
            Err(e) => Err(Failure::engine("the server container did not start", &e)),
        }
    }
}

/// `name` with every character Docker refuses in container names replaced by `_`.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect()
}

/// A port on 127.0.0.1 nobody listens on right now (the kernel picks it).
fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
