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

/// Facts about the machine, read once per run for provenance and placement.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HostFacts {
    pub cpu_model: Option<String>,
    pub kernel: Option<String>,
    pub online_cpus: usize,
    /// The CPUs bench may run on (its affinity, as a container's cpuset or a `taskset` set
    /// it); empty when not read.
    pub cpus: Vec<usize>,
    /// The CPUs the engine's containers get (`engine::EngineFacts::cpus`), when known.
    pub engine_cpus: Option<Vec<usize>>,
    /// `MemTotal` of `/proc/meminfo`, bytes.
    pub memory_bytes: Option<u64>,
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
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .ok()
            .map(|s| s.trim().to_string());
        let online_cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let memory_bytes =
            std::fs::read_to_string("/proc/meminfo").ok().and_then(|s| mem_total(&s));
        let git_commit = std::process::Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(project_root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
        let cpus = own_cpus();
        HostFacts {
            cpu_model,
            kernel,
            online_cpus,
            cpus,
            engine_cpus: None,
            memory_bytes,
            git_commit,
        }
    }

    /// The CPUs bench runs on: its affinity, else (not read) the first `online_cpus`.
    pub fn bench_cpus(&self) -> Vec<usize> {
        match self.cpus.is_empty() {
            true => (0..self.online_cpus).collect(),
            false => self.cpus.clone(),
        }
    }
}

/// The CPUs this process may run on (`sched_getaffinity`); empty if it cannot be read.
fn own_cpus() -> Vec<usize> {
    // SAFETY: a zeroed cpu_set_t is an empty set, filled by the kernel for pid 0 (this
    // thread); CPU_ISSET reads within its CPU_SETSIZE bits.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return Vec::new();
        }
        (0..libc::CPU_SETSIZE as usize).filter(|&cpu| libc::CPU_ISSET(cpu, &set)).collect()
    }
}

/// `MemTotal:  24576000 kB` → bytes.
fn mem_total(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// CPU time the whole host has spent running processes (all CPUs), from `/proc/stat`, and,
/// within it, the hypervisor's steal: time a virtual machine's CPUs were ready to run but
/// the host gave to its other guests. Both are cumulative since boot.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HostCpu {
    /// user + nice + system + steal.
    pub busy: Duration,
    pub steal: Duration,
}

impl HostCpu {
    /// This host's counters now; `None` where they cannot be read.
    ///
    /// Interrupt and softirq time are left out: on a benchmark host they are mostly the kernel
    /// carrying the benchmark's own loopback traffic, which no process is charged for
    /// (measured: 0.26 cores of softirq while a server that closes every connection answered
    /// 10,760 req/s), so counting them flagged such servers as sharing the machine.
    pub fn now() -> Option<HostCpu> {
        let text = std::fs::read_to_string("/proc/stat").ok()?;
        let (busy, steal) = busy_ticks(text.lines().find(|l| l.starts_with("cpu "))?)?;
        Some(HostCpu { busy: ticks(busy), steal: ticks(steal) })
    }

    /// Cores busy and cores stolen per second of `span` since `earlier`.
    pub fn cores_since(&self, earlier: &HostCpu, span: Duration) -> (f64, f64) {
        let secs = span.as_secs_f64().max(f64::MIN_POSITIVE);
        (
            self.busy.saturating_sub(earlier.busy).as_secs_f64() / secs,
            self.steal.saturating_sub(earlier.steal).as_secs_f64() / secs,
        )
    }
}

/// Cores taken by others over a window: the host's busy cores less `ours` (what the run's own
/// threads and containers used), never less than the `steal` read directly: the difference
/// of separately sampled counters can come out below it when our work fills the machine.
pub fn taken_by_others(busy: f64, ours: f64, steal: f64) -> f64 {
    (busy - ours).max(steal).max(0.0)
}

/// `cpu  user nice system idle iowait irq softirq steal ...`: (user + nice + system + steal,
/// steal).
fn busy_ticks(line: &str) -> Option<(u64, u64)> {
    let v: Vec<u64> = line.split_whitespace().skip(1).filter_map(|x| x.parse().ok()).collect();
    (v.len() >= 8).then(|| (v[0] + v[1] + v[2] + v[7], v[7]))
}

fn ticks(busy: u64) -> Duration {
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let hz = if hz > 0 { hz as u64 } else { 100 };
    Duration::from_nanos(busy * (1_000_000_000 / hz))
}

#[cfg(test)]
mod tests {
    use super::{HostFacts, busy_ticks, mem_total, own_cpus};

    #[test]
    fn memory_total_is_read_in_bytes() {
        let meminfo = "MemTotal:       24576000 kB\nMemFree:         1000 kB\n";
        assert_eq!(mem_total(meminfo), Some(24_576_000 * 1024));
        assert_eq!(mem_total("MemFree: 1 kB\n"), None);
    }

    #[test]
    fn busy_is_processes_and_steal_not_interrupts_or_idle() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assert_eq!(busy_ticks("cpu  100 2 30 5000 7 11 260 4 0 0"), Some((136, 4)));
        assert_eq!(busy_ticks("cpu  1 2 3"), None);
    }

    #[test]
    fn bench_runs_on_the_cpus_it_reads_else_the_first_online_ones() {
        let mine = own_cpus();
        assert!(!mine.is_empty(), "this process runs somewhere");
        assert!(mine.windows(2).all(|w| w[0] < w[1]), "{mine:?}");
        let unread = HostFacts { online_cpus: 2, ..Default::default() };
        assert_eq!(unread.bench_cpus(), vec![0, 1]);
        let pod = HostFacts { cpus: vec![4, 5], ..unread };
        assert_eq!(pod.bench_cpus(), vec![4, 5]);
    }
}
