use std::collections::BTreeMap;
use std::fmt;

/// The label every container started by bench carries, so leftovers can be found and removed.
pub const BENCH_LABEL: (&str, &str) = ("bench", "1");

/// How to run one container: always host networking, no swap, auto-remove off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerSpec {
    /// Image tag or id.
    pub image: String,
    /// Container name, unique among live containers.
    pub name: String,
    /// Environment variables (e.g. `PORT`).
    pub env: Vec<(String, String)>,
    /// CPU limit in billionths of a CPU (1 vCPU = 1_000_000_000).
    pub nano_cpus: i64,
    /// CPUs the container may run on (`"1"`, `"0-1"`), or any.
    pub cpuset: Option<String>,
    /// Memory limit in bytes; swap is disabled (memory+swap = memory).
    pub memory_bytes: i64,
    /// Labels besides `bench=1`, which is always added.
    pub labels: BTreeMap<String, String>,
    /// Linux capabilities added to the default set (`SYS_PTRACE` for a profiled server
    /// only: a measured one runs with the engine's defaults).
    pub cap_add: Vec<String>,
}

impl ContainerSpec {
    /// The labels the container gets: the caller's plus `bench=1`.
    pub fn all_labels(&self) -> BTreeMap<String, String> {
        let mut labels = self.labels.clone();
        labels.insert(BENCH_LABEL.0.to_string(), BENCH_LABEL.1.to_string());
        labels
    }
}

/// A container, by id (or name: the engine accepts both).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContainerId(pub String);

impl ContainerId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContainerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Docker ids are 64 hex digits; the first 12 identify them for a person.
        let short = if self.0.len() == 64 && self.0.bytes().all(|b| b.is_ascii_hexdigit()) {
            &self.0[..12]
        } else {
            &self.0
        };
        f.write_str(short)
    }
}
