use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The machine a result was measured on, and its `fingerprint`: results with the same
/// fingerprint ran on the same CPU model with as many CPUs, so a table may rank them against
/// each other (`bench report` refuses to rank across fingerprints). What must match is
/// `ranked_facts`; the rest (`noted_facts`: memory, kernel, Docker) may differ between the
/// machines of one table, which then carries a caveat naming the difference.
///
/// Stored flat inside `provenance` under the names results carried before this type
/// existed (`host_cpu`, `kernel`, `docker_version`), so old results read as they are; they
/// have no `fingerprint` and count as one unknown machine. Results of an earlier bench have
/// a fingerprint over every fact; `key` works it out again from the facts, so they rank with
/// newer results of the same machine. The speed index varies from execution to execution
/// and is kept apart (`CellResult::calibration`), out of the fingerprint.
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
    /// The CPUs bench ran on, where the generator was placed (`0-3`). Not a fact of the
    /// fingerprint: a pod's CPU numbers differ from node to node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bench_cpus: Option<String>,
    /// The CPUs the engine's containers got, where the server was placed; not in the
    /// fingerprint either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine_cpus: Option<String>,
    /// Short hash of the ranked facts (`Machine::new`); `None` in results stored before it.
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

const GIB: f64 = (1u64 << 30) as f64;

impl Machine {
    /// The machine with these facts and their fingerprint.
    pub fn new(facts: MachineFacts) -> Machine {
        let mut machine = Machine {
            cpu_model: facts.cpu_model,
            online_cpus: Some(facts.online_cpus),
            memory_bytes: facts.memory_bytes,
            kernel: facts.kernel,
            docker_version: facts.docker_version,
            bench_cpus: None,
            engine_cpus: None,
            fingerprint: None,
        };
        machine.fingerprint = Some(machine.digest());
        machine
    }

    /// What tables rank results together by: the digest of `ranked_facts`, worked out from
    /// the facts whatever fingerprint was stored; `None` for results stored before machines
    /// were recorded.
    pub fn key(&self) -> Option<String> {
        self.fingerprint.as_ref().map(|_| self.digest())
    }

    /// The facts two machines must share for their cells to be ranked in one table: the CPU
    /// model (it sets the speed of each core) and the number of CPUs (it sets the placement
    /// and what the generator has).
    pub fn ranked_facts(&self) -> [(&'static str, String); 2] {
        [
            ("CPU model", self.cpu_model.clone().unwrap_or_else(|| "unknown".into())),
            ("CPUs", self.online_cpus.map_or_else(|| "unknown".into(), |n| n.to_string())),
        ]
    }

    /// The facts only named when they differ within a table. Memory in whole GiB: each
    /// server runs under its own limit, far below the machine's, and firmware or kernel
    /// reservations move `MemTotal` by megabytes between identical machines. Kernel release
    /// and Docker version: a security update changes them, not the hardware, and a reader
    /// still ranks the cells, told of it.
    pub fn noted_facts(&self) -> [(&'static str, String); 3] {
        let unknown = || "unknown".to_string();
        [
            (
                "memory",
                self.memory_bytes
                    .map_or_else(unknown, |b| format!("{:.0} GiB", (b as f64 / GIB).round())),
            ),
            ("kernel", self.kernel.clone().unwrap_or_else(unknown)),
            ("Docker", self.docker_version.clone().unwrap_or_else(unknown)),
        ]
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

    /// SHA-256 of the ranked facts in a fixed order, each with its name, cut to
    /// `FINGERPRINT_HEX`.
    fn digest(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(b"bench machine v2\0");
        for (name, value) in self.ranked_facts() {
            hash.update(name.as_bytes());
            hash.update(b"=");
            hash.update(value.as_bytes());
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
    fn the_fingerprint_follows_cpu_model_and_count_only() {
        let one = Machine::new(facts());
        assert_eq!(one.fingerprint, Machine::new(facts()).fingerprint);
        assert_eq!(one.key(), one.fingerprint);
        assert_eq!(one.key().unwrap().len(), FINGERPRINT_HEX);
        let refused: [fn(&mut MachineFacts); 2] = [
            |f| f.cpu_model = Some("AMD EPYC 7763 64-Core Processor".into()),
            |f| f.online_cpus = 4,
        ];
        for change in refused {
            let mut other = facts();
            change(&mut other);
            assert_ne!(Machine::new(other).key(), one.key(), "{one:?}");
        }
        let noted: [fn(&mut MachineFacts); 4] = [
            |f| f.memory_bytes = Some((24 << 30) - (40 << 20)),
            |f| f.memory_bytes = Some(16 << 30),
            |f| f.kernel = Some("6.1.0-21-amd64".into()),
            |f| f.docker_version = None,
        ];
        for change in noted {
            let mut other = facts();
            change(&mut other);
            assert_eq!(Machine::new(other).key(), one.key(), "{one:?}");
        }
    }

    #[test]
    fn memory_is_noted_in_whole_gib_so_megabytes_of_firmware_do_not_show() {
        let noted = |bytes: u64| {
            let machine = Machine::new(MachineFacts { memory_bytes: Some(bytes), ..facts() });
            machine.noted_facts()[0].1.clone()
        };
        assert_eq!(noted(24 << 30), "24 GiB");
        assert_eq!(noted((24 << 30) - (40 << 20)), "24 GiB");
        assert_eq!(noted(16 << 30), "16 GiB");
        let unknown = Machine::new(MachineFacts { kernel: None, ..facts() });
        assert_eq!(unknown.noted_facts()[1], ("kernel", "unknown".to_string()));
    }

    #[test]
    fn old_provenance_reads_as_an_unknown_machine_and_new_round_trips() {
        let old: Machine = serde_json::from_str(
            r#"{"host_cpu": "Intel Xeon", "kernel": "6.1.0", "docker_version": "20.10"}"#,
        )
        .unwrap();
        assert_eq!(old.cpu_model.as_deref(), Some("Intel Xeon"));
        assert_eq!((old.fingerprint.as_deref(), old.key()), (None, None));
        assert!(old.label().starts_with("unknown machine"), "{}", old.label());
        let mut new = Machine::new(facts());
        new.bench_cpus = Some("0".into());
        new.engine_cpus = Some("0-1".into());
        let text = serde_json::to_string(&new).unwrap();
        assert!(text.contains("\"host_cpu\":\"Intel(R) Xeon(R)"), "{text}");
        assert!(text.contains("\"engine_cpus\":\"0-1\""), "{text}");
        assert_eq!(serde_json::from_str::<Machine>(&text).unwrap(), new);
        assert_eq!(new.label(), "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz, 2 cores");
    }

    #[test]
    fn a_fingerprint_of_an_earlier_bench_keys_as_the_same_machine_today() {
        // Stored by the bench that hashed every fact into the fingerprint.
        let earlier: Machine = serde_json::from_str(
            r#"{"host_cpu": "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz", "online_cpus": 2,
                "memory_bytes": 25769803776, "kernel": "6.1.0-18-amd64",
                "docker_version": "20.10.24", "fingerprint": "0123456789ab"}"#,
        )
        .unwrap();
        assert_eq!(earlier.key(), Machine::new(facts()).key());
    }
}
