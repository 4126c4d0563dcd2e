use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::load::LoadSummary;
use crate::matrix::{LoadSettings, Resources};

/// One stored measurement: one cell, one scenario, one repetition. Written as one JSON
/// document the moment it finishes. Units are in the field names.
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
    /// 1-based repetition number.
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
    pub host_cpu: Option<String>,
    pub kernel: Option<String>,
    pub docker_version: Option<String>,
    /// Generator description (`bench load, 2 threads pinned to cpu 0`).
    pub generator: String,
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
