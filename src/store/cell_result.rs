use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Machine;
use crate::load::{LoadSummary, LoadWindow};
use crate::matrix::{LoadSettings, Resources};
use crate::statistics::{Precision, WarmupEnd};

/// One stored measurement: one execution of one cell (a fresh container, measured once).
/// Written as one JSON document the moment it finishes. Units are in the field names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellResult {
    /// Version of this document's layout.
    pub schema_version: u32,
    /// Row name (`falcon-bjoern-pypy`).
    pub name: String,
    /// Position of the row in the matrix (reports list rows in this order).
    pub row_index: u32,
    pub scenario: String,
    /// Position of the scenario in the matrix.
    pub scenario_index: u32,
    /// The scenario's description from the matrix (reports print it under the heading).
    pub description: String,
    /// Swept settings of the cell, in declaration order.
    pub sweep: Vec<(String, String)>,
    /// Cell id, `name/scenario[...]`.
    pub id: String,
    pub framework: String,
    pub server: String,
    pub variant: Option<String>,
    pub runtime: String,
    /// The cell's content hash: a result is reused only for the same hash.
    pub hash: String,
    /// 1-based execution number of the cell (the key's second half, with `hash`; the name
    /// predates executions).
    pub repetition: u32,
    pub outcome: Outcome,
    /// Why the cell is not `ok` (build failure, invalid response, crash, N/A reason).
    pub reason: Option<String>,
    /// Transient or not, for resuming (`FailureKind`); absent in older results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_kind: Option<super::FailureKind>,
    /// Last lines of the build or server log, kept with failures.
    pub log_tail: Vec<String>,
    /// Settings actually used.
    pub load_settings: LoadSettings,
    pub resources: Resources,
    /// The measurement; `None` when nothing was measured.
    pub load: Option<LoadSummary>,
    /// Server container usage sampled while measuring.
    pub usage: Option<Usage>,
    /// Honesty checks.
    pub checks: Vec<Check>,
    pub provenance: Provenance,
    /// Where the execution sat in its run's interleaved order. Absent in results stored
    /// before executions were interleaved, and for N/A cells' records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Scheduling>,
    /// The machine-speed calibration made just before the execution, on the server's CPUs, or
    /// on the generator's when bench cannot reach the server's (`run::Placement`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
    /// The warm-up: its windows and why it ended. Absent when the cell has no warm-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warmup: Option<Warmup>,
}

impl CellResult {
    /// The machine this result was measured on; `None` for an N/A result, which measured
    /// nothing, so its machine is no part of a table's (nor a reason to refuse one).
    pub fn measured_on(&self) -> Option<&Machine> {
        (self.outcome != Outcome::Na).then_some(&self.provenance.machine)
    }
}

/// An execution's place in its run: enough to replay the run's order and to tell, from the
/// stored results alone, how many executions a cell took and whether it met its target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scheduling {
    /// The seed of the run's random interleaved order (`bench run --seed SEED` replays it).
    pub seed: u64,
    /// The round of the run (1-based): round 1 holds every cell's planned executions,
    /// later rounds cells whose interval was still wider than the precision target and
    /// cells re-measuring executions the host disturbed (`--remeasure`).
    pub round: u32,
    /// Place in the run's order (1-based, per `bench run` invocation).
    pub position: u32,
    /// The run's precision target, when it had one (`--precision`).
    pub precision: Option<Precision>,
}

/// A fixed integer workload timed on the server's CPUs, or the generator's when bench cannot
/// reach the server's (`run::Calibrate`, `run::Placement`); its figure over the run's median
/// is the execution's machine-speed index (`statistics::SpeedRule`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Work done per second of wall time, in millions of loop iterations: higher is faster.
    pub mops_per_second: f64,
    /// Wall time of the workload, milliseconds.
    pub wall_ms: f64,
    /// The workload thread's CPU time over its wall time: below 1 when something else ran on
    /// the CPU meanwhile (a neighbour, the hypervisor's steal).
    pub cpu_share: f64,
    /// The CPUs it ran on (the server's cpuset, or the generator's CPUs); empty: wherever the
    /// scheduler put it.
    pub cpus: Vec<usize>,
    /// How the host was before the execution, when the run waited for a quiet host
    /// (`bench run --quiet-wait`); `None` otherwise (and in older results).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_wait: Option<HostWait>,
}

/// What the quiet gate (`run::QuietGate`) saw before an execution started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HostWait {
    /// How long the execution was held back.
    pub waited_ms: u64,
    /// Cores the last reading found taken from the run's spinning CPUs by other processes
    /// and the hypervisor's steal together, and by the steal alone.
    pub busy_cores: f64,
    pub steal_cores: f64,
    /// The last window was quiet; `false`: the wait ran out and the execution started anyway.
    pub quiet: bool,
}

/// How the warm-up went: per-second windows and when it ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Warmup {
    /// Why it ended (`steady` after n windows, or the configured `bound`).
    pub end: WarmupEnd,
    /// How long it ran, milliseconds (the configured warm-up is in `load_settings`).
    pub duration_ms: u64,
    /// Its windows, as the generator reports them for a measurement.
    pub windows: Vec<LoadWindow>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Measured.
    Ok,
    /// The server answered, but not as the scenario requires: not measured.
    Invalid,
    /// Build, start, crash or OOM: not measured.
    Failed,
    /// Marked not applicable in the matrix.
    Na,
}

/// Container resource usage while measuring.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Mean and peak CPU of the server container, in percent of one core.
    pub cpu_percent_mean: f64,
    pub cpu_percent_max: f64,
    pub memory_bytes_max: u64,
    pub samples: u32,
    pub oom_killed: bool,
    pub restarts: u32,
    /// Server processes that died while measuring (a master respawns them, so the container
    /// runs on); `None` when they could not be seen (and in older results).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_deaths: Option<u32>,
    /// Cores the hypervisor stole from this virtual machine while measuring (its other
    /// guests ran instead); `None` where it cannot be read (and in older results).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steal_cores: Option<f64>,
}

/// One honesty check on a measurement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Stable identifier (`generator-saturated`, `littles-law`, `error-rate`, ...).
    pub name: String,
    pub passed: bool,
    /// Human-readable figures behind the verdict.
    pub detail: String,
}

/// Where a result came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub bench_version: String,
    pub matrix_file: String,
    pub git_commit: Option<String>,
    pub image_id: Option<String>,
    /// Installed Python packages (`pip freeze`), name to version.
    pub packages: BTreeMap<String, String>,
    pub python_version: Option<String>,
    /// The machine: flat in the document, where its older fields always were.
    #[serde(flatten)]
    pub machine: Machine,
    /// Generator description (`bench load, 2 threads pinned to cpu 0`).
    pub generator: String,
    /// The CPUs the server container was given (`run::Placement`); `None` when unpinned,
    /// and in results stored before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_cpuset: Option<String>,
    /// RFC 3339 UTC.
    pub started_at: String,
    pub finished_at: String,
    pub build_seconds: Option<f64>,
    /// Wall time of each phase of this measurement, in milliseconds: `start` (create and
    /// start the container), `ready`, `verify`, `primer`, `warmup`, `measure`, `teardown`
    /// (from the deadline to the container's removal). Orchestration overhead is
    /// `start + ready + verify + teardown`.
    #[serde(default)]
    pub phases_ms: BTreeMap<String, u64>,
}
