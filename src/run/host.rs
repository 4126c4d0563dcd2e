use std::path::Path;
use std::time::{Duration, SystemTime};

/// The clock, behind a trait so results can be made reproducible in tests.
pub trait Clock: Send + Sync {
    fn now(&self) -> SystemTime;
}

#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// RFC 3339 UTC, seconds precision.
pub fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// Facts about the machine, read once per run for provenance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HostFacts {
    pub cpu_model: Option<String>,
    pub kernel: Option<String>,
    pub online_cpus: usize,
    pub git_commit: Option<String>,
}

impl HostFacts {
    pub fn read(project_root: &Path) -> HostFacts {
        let cpu_model = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        });
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").ok().map(|s| s.trim().to_string());
        let online_cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let git_commit = std::process::Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(project_root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
        HostFacts { cpu_model, kernel, online_cpus, git_commit }
    }
}

/// CPU time the whole host has spent busy (all CPUs, all processes), from `/proc/stat`.
/// `None` where it cannot be read.
pub fn host_busy() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/stat").ok()?;
    let line = text.lines().find(|l| l.starts_with("cpu "))?;
    let v: Vec<u64> = line.split_whitespace().skip(1).filter_map(|x| x.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
    let busy: u64 = v.iter().take(8).enumerate().filter(|(i, _)| *i != 3 && *i != 4).map(|(_, x)| x).sum();
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let hz = if hz > 0 { hz as u64 } else { 100 };
    Some(Duration::from_nanos(busy * (1_000_000_000 / hz)))
}
