use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

/// Labels naming the run that owns a container or image.
pub const RUN_LABEL: &str = "bench.run";
pub const HOST_LABEL: &str = "bench.host";
pub const PID_LABEL: &str = "bench.pid";
/// The owning process's start time (clock ticks since boot, `/proc/<pid>/stat` field 22):
/// with the pid, it tells the owner from a later process that reuses its pid.
pub const PID_START_LABEL: &str = "bench.pid-start";

/// Who started a container: this process's run id, host, pid and start time. The one home of
/// the ownership rule (`Owner::of`): a container may be removed by someone else only when its
/// owner is provably gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunIdentity {
    pub run_id: String,
    pub host: String,
    pub pid: u32,
    pub pid_start: Option<u64>,
}

/// What is known of a container's owning run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// This process.
    Me,
    /// Another process on this host that still runs.
    Live,
    /// A process on this host that has ended (its pid is free, or reused by a later process).
    Gone,
    /// Another host, or a container without owner labels: it cannot be proven gone.
    Unknown,
}

impl RunIdentity {
    /// This process's identity, made once (the run id is random).
    pub fn current() -> &'static RunIdentity {
        static CURRENT: OnceLock<RunIdentity> = OnceLock::new();
        CURRENT.get_or_init(|| {
            let pid = std::process::id();
            RunIdentity {
                run_id: format!("{:08x}", rand::random::<u32>()),
                host: hostname(),
                pid,
                pid_start: process_start(pid),
            }
        })
    }

    /// The labels that record this identity.
    pub fn labels(&self) -> BTreeMap<String, String> {
        let mut labels = BTreeMap::from([
            (RUN_LABEL.to_string(), self.run_id.clone()),
            (HOST_LABEL.to_string(), self.host.clone()),
            (PID_LABEL.to_string(), self.pid.to_string()),
        ]);
        if let Some(start) = self.pid_start {
            labels.insert(PID_START_LABEL.to_string(), start.to_string());
        }
        labels
    }

    /// `name` made unique to this run, so two runs measuring the same cell never collide.
    pub fn container_name(&self, name: &str) -> String {
        format!("{name}-{}", self.run_id)
    }
}

impl fmt::Display for RunIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "run {} (pid {} on {})", self.run_id, self.pid, self.host)
    }
}

impl Owner {
    /// The owner of a container with these labels, seen from `me`.
    pub fn of(labels: &HashMap<String, String>, me: &RunIdentity) -> Owner {
        let (Some(run), Some(host), Some(pid)) =
            (labels.get(RUN_LABEL), labels.get(HOST_LABEL), labels.get(PID_LABEL))
        else {
            return Owner::Unknown;
        };
        if *run == me.run_id {
            return Owner::Me;
        }
        let Ok(pid) = pid.parse::<u32>() else { return Owner::Unknown };
        if *host != me.host {
            return Owner::Unknown;
        }
        let recorded = labels.get(PID_START_LABEL).and_then(|s| s.parse::<u64>().ok());
        match (process_start(pid), recorded) {
            (None, _) => Owner::Gone,
            (Some(now), Some(then)) if now != then => Owner::Gone,
            _ => Owner::Live,
        }
    }
}

/// This host's name (the kernel's, as `hostname` prints it).
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown-host".to_string())
}

/// When process `pid` started (clock ticks since boot), `None` when there is no such process.
pub fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses: fields resume after the
    // last `)`, at field 3, so field 22 is the 20th from there.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_of(identity: &RunIdentity) -> HashMap<String, String> {
        identity.labels().into_iter().collect()
    }

    #[test]
    fn owner_is_gone_only_when_its_process_provably_ended() {
        let me = RunIdentity::current();
        assert_eq!(Owner::of(&labels_of(me), me), Owner::Me);
        // The parent of the test process is alive: a live owner on this host.
        let parent = std::os::unix::process::parent_id();
        let live = RunIdentity {
            run_id: "live".into(),
            host: me.host.clone(),
            pid: parent,
            pid_start: process_start(parent),
        };
        assert_eq!(Owner::of(&labels_of(&live), me), Owner::Live);
        // Same pid, another start time: the pid was reused, the owner is gone.
        let reused = RunIdentity { pid_start: live.pid_start.map(|s| s + 1), ..live.clone() };
        assert_eq!(Owner::of(&labels_of(&reused), me), Owner::Gone);
        // No such process (pids stop far below u32::MAX).
        let ended = RunIdentity { pid: u32::MAX - 1, pid_start: Some(1), ..live.clone() };
        assert_eq!(Owner::of(&labels_of(&ended), me), Owner::Gone);
        // Another host, or no owner labels: never provably gone.
        let elsewhere = RunIdentity { host: "elsewhere".into(), ..ended };
        assert_eq!(Owner::of(&labels_of(&elsewhere), me), Owner::Unknown);
        assert_eq!(Owner::of(&HashMap::new(), me), Owner::Unknown);
    }

    #[test]
    fn process_start_reads_this_process() {
        assert!(process_start(std::process::id()).is_some());
        assert_eq!(process_start(u32::MAX - 1), None);
    }
}
