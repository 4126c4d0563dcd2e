use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The machine a result was measured on, and its `fingerprint`: results with the same
/// fingerprint came from the same hardware and software stack, so a table may rank them
/// against each other (`bench report` refuses to rank across fingerprints).
///
/// Stored flat inside `provenance` under the names results carried before this type
/// existed (`host_cpu`, `kernel`, `docker_version`), so old results read as they are; they
/// have no `fingerprint` and count as one unknown machine. The speed index varies from
/// execution to execution and is kept apart (`CellResult::calibration`), out of the
/// fingerprint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// CPU model name (`/proc/cpuinfo`).
    #[serde(rename = "host_cpu", default)]
    pub cpu_model: Option<String>,
    /// CPUs the run could use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_cpus: Option<u32>,
    /// Memory of the machine (`MemTotal`), bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_bytes: Option<u64>,
    /// Kernel release.
    #[serde(default)]
    pub kernel: Option<String>,
    /// Docker server version.
    #[serde(default)]
    pub docker_version: Option<String>,
    /// Short hash of the facts above (`Machine::new`); `None` in results stored before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// The facts a `Machine` is made of, before its fingerprint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MachineFacts {
    pub cpu_model: Option<String>,
    pub online_cpus: u32,
    pub memory_bytes: Option<u64>,
    pub kernel: Option<String>,
    pub docker_version: Option<String>,
}

/// Hex digits of the fingerprint: 48 bits tell apart any fleet a run is sharded over.
const FINGERPRINT_HEX: usize = 12;

impl Machine {
    /// The machine with these facts and their fingerprint.
    pub fn new(facts: MachineFacts) -> Machine {
        let mut machine = Machine {
            cpu_model: facts.cpu_model,
            online_cpus: Some(facts.online_cpus),
            memory_bytes: facts.memory_bytes,
            kernel: facts.kernel,
            docker_version: facts.docker_version,
            fingerprint: None,
        };
        machine.fingerprint = Some(machine.digest());
        machine
    }

    /// The fingerprint, or `unknown` for results stored before machines were recorded.
    pub fn key(&self) -> &str {
        self.fingerprint.as_deref().unwrap_or("unknown")
    }

    /// `Intel Xeon E5-2680 v4, 2 cores` (what a reader tells machines apart by).
    pub fn label(&self) -> String {
        if self.fingerprint.is_none() {
            return "unknown machine (stored before machines were recorded)".to_string();
        }
        let cpu = self.cpu_model.as_deref().unwrap_or("unknown CPU");
        match self.online_cpus {
            Some(1) => format!("{cpu}, 1 core"),
            Some(n) => format!("{cpu}, {n} cores"),
            None => cpu.to_string(),
        }
    }

    /// SHA-256 of the facts in a fixed order, each with its name, cut to `FINGERPRINT_HEX`.
    fn digest(&self) -> String {
        let facts = [
            ("cpu", self.cpu_model.clone()),
            ("cores", self.online_cpus.map(|n| n.to_string())),
            ("memory", self.memory_bytes.map(|n| n.to_string())),
            ("kernel", self.kernel.clone()),
            ("docker", self.docker_version.clone()),
        ];
        let mut hash = Sha256::new();
        hash.update(b"bench machine v1\0");
        for (name, value) in facts {
            hash.update(name.as_bytes());
            hash.update(b"=");
            hash.update(value.unwrap_or_default().as_bytes());
            hash.update(b"\0");
        }
        hex::encode(hash.finalize())[..FINGERPRINT_HEX].to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> MachineFacts {
        MachineFacts {
            cpu_model: Some("Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz".into()),
            online_cpus: 2,
            memory_bytes: Some(24 << 30),
            kernel: Some("6.1.0-18-amd64".into()),
            docker_version: Some("20.10.24".into()),
        }
    }

    #[test]
    fn the_fingerprint_is_stable_and_changes_with_every_fact() {
        let one = Machine::new(facts());
        assert_eq!(one.fingerprint, Machine::new(facts()).fingerprint);
        assert_eq!(one.key().len(), FINGERPRINT_HEX);
        let changes: [fn(&mut MachineFacts); 5] = [
            |f| f.cpu_model = Some("AMD EPYC 7763 64-Core Processor".into()),
            |f| f.online_cpus = 4,
            |f| f.memory_bytes = Some(16 << 30),
            |f| f.kernel = Some("6.8.0-1014-azure".into()),
            |f| f.docker_version = None,
        ];
        for change in changes {
            let mut other = facts();
            change(&mut other);
            assert_ne!(Machine::new(other).fingerprint, one.fingerprint, "{:?}", one);
        }
    }

    #[test]
    fn old_provenance_reads_as_an_unknown_machine_and_new_round_trips() {
        let old: Machine = serde_json::from_str(
            r#"{"host_cpu": "Intel Xeon", "kernel": "6.1.0", "docker_version": "20.10"}"#,
        )
        .unwrap();
        assert_eq!(old.cpu_model.as_deref(), Some("Intel Xeon"));
        assert_eq!((old.fingerprint.as_deref(), old.key()), (None, "unknown"));
        assert!(old.label().starts_with("unknown machine"), "{}", old.label());
        let new = Machine::new(facts());
        let text = serde_json::to_string(&new).unwrap();
        assert!(text.contains("\"host_cpu\":\"Intel(R) Xeon(R)"), "{text}");
        assert_eq!(serde_json::from_str::<Machine>(&text).unwrap(), new);
        assert_eq!(new.label(), "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz, 2 cores");
    }
}
