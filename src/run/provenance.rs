//! A result before anything is measured (identity, settings, provenance), and the provenance
//! found later: what the image recorded about itself, and the generator's line. The
//! machine (`store::Machine`) comes from the host facts and engine version read once a run.

use std::collections::BTreeMap;
use std::time::SystemTime;

use super::host::{HostFacts, rfc3339};
use super::placement::{Placement, cpu_list};
use super::plan::Job;
use super::run_options::RunOptions;
use crate::engine::{ContainerId, Engine};
use crate::load::LoadSummary;
use crate::store::{CellResult, Machine, MachineFacts, Outcome, Provenance};

/// Files the Dockerfile template writes into every image (see `dockerfiles/Dockerfile.j2`).
const VERSIONS_FILE: &str = "/bench/versions.txt";
const PYTHON_VERSION_FILE: &str = "/bench/python-version.txt";

/// The result skeleton of `job`: identity, settings and provenance; `Failed` with no reason
/// until the run says otherwise.
pub(super) fn blank_result(
    job: &Job,
    options: &RunOptions,
    host: &HostFacts,
    engine_version: Option<String>,
    started: SystemTime,
) -> CellResult {
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
        failure_kind: None,
        log_tail: Vec::new(),
        load_settings: c.load.clone(),
        resources: c.resources.clone(),
        load: None,
        usage: None,
        checks: Vec::new(),
        schedule: None,
        calibration: None,
        warmup: None,
        provenance: Provenance {
            bench_version: env!("CARGO_PKG_VERSION").to_string(),
            matrix_file: options.matrix_file.clone(),
            git_commit: host.git_commit.clone(),
            machine: machine(host, engine_version),
            started_at: rfc3339(started),
            ..Provenance::default()
        },
    }
}

/// The machine of the run, from the facts read once at its start (`HostFacts::read`,
/// `engine::EngineFacts`), with the CPUs bench and the engine's containers had.
pub fn machine(host: &HostFacts, engine_version: Option<String>) -> Machine {
    let mut machine = Machine::new(MachineFacts {
        cpu_model: host.cpu_model.clone(),
        online_cpus: u32::try_from(host.online_cpus).unwrap_or(u32::MAX),
        memory_bytes: host.memory_bytes,
        kernel: host.kernel.clone(),
        docker_version: engine_version,
    });
    let bench = host.bench_cpus();
    machine.bench_cpus = (!bench.is_empty()).then(|| cpu_list(&bench));
    machine.engine_cpus = host.engine_cpus.as_deref().map(cpu_list);
    machine
}

/// The installed packages and the Python version, as the image recorded them at build time.
/// A file that cannot be read leaves its field empty.
pub(super) async fn read_image_facts<E: Engine>(
    engine: &E,
    id: &ContainerId,
    provenance: &mut Provenance,
) {
    if let Ok(bytes) = engine.read_file(id, VERSIONS_FILE).await {
        provenance.packages = parse_freeze(&String::from_utf8_lossy(&bytes));
    }
    if let Ok(bytes) = engine.read_file(id, PYTHON_VERSION_FILE).await {
        provenance.python_version = Some(String::from_utf8_lossy(&bytes).trim().to_string());
    }
}

/// The generator's line: version, loop, client, threads, connections and CPU pinning.
pub(super) fn generator_description(s: &LoadSummary, p: &Placement) -> String {
    format!(
        "bench load {} ({}, {} client), {} thread(s), {} connection(s){}",
        env!("CARGO_PKG_VERSION"),
        if s.target_rps.is_some() { "open loop" } else { "closed loop" },
        s.http_client,
        s.threads,
        s.connections,
        match &p.generator_cpus {
            Some(cpus) => format!(
                ", pinned to cpu {}",
                cpus.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(",")
            ),
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

#[cfg(test)]
mod tests {
    use super::parse_freeze;

    #[test]
    fn freeze_lines_become_name_version_pairs_and_others_stay_whole() {
        let map = parse_freeze(
            "# comment\nflask==3.1.0\n\n-e git+https://x/y#egg=z\n  bjoern==3.2.2  \n",
        );
        let pairs: Vec<(&str, &str)> = map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            pairs,
            [("-e git+https://x/y#egg=z", ""), ("bjoern", "3.2.2"), ("flask", "3.1.0")]
        );
    }
}
