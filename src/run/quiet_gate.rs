use std::time::{Duration, Instant};

use super::calibrate::{pin, thread_cpu_seconds, workload};
use super::checks::QUIET_CORES;
use super::host::HostCpu;
use crate::store::HostWait;

/// Holds an execution back until the host is quiet: on a shared virtual machine the
/// hypervisor's steal comes in bursts of seconds to minutes, and an execution measured in
/// one is slower for reasons that are not the server's. Before the container starts, each
/// reading keeps every CPU busy with a pinned spinning thread for a short window: steal only
/// shows on a CPU that wants to run (an idle machine reads no steal while its neighbours
/// are busy, then loses a quarter of a core once the benchmark runs). Readings go on until
/// one shows at most `threshold` cores taken by the steal and by other processes, or
/// `bound` has passed; the execution then starts either way, and what the gate saw is stored
/// with it, so a reader can tell an execution that waited, or started on a busy host, from
/// one that did not.
#[derive(Clone, Copy, Debug)]
pub struct QuietGate {
    /// The longest wait; zero turns the gate off.
    pub bound: Duration,
    /// The window each reading spans.
    pub window: Duration,
    /// Cores taken by the steal and other processes at or below which the host counts as
    /// quiet (the host-quiet check's).
    pub threshold: f64,
}

impl QuietGate {
    /// A gate that waits at most `bound` (zero: off) with the host-quiet check's threshold.
    pub fn new(bound: Duration) -> QuietGate {
        QuietGate { bound, window: Duration::from_millis(500), threshold: QUIET_CORES }
    }

    /// Waits as the gate says; `None` when it is off or the host's counters cannot be read.
    pub async fn wait(&self) -> Option<HostWait> {
        if self.bound.is_zero() {
            return None;
        }
        let start = Instant::now();
        loop {
            let window = self.window;
            let (busy, steal) =
                tokio::task::spawn_blocking(move || under_demand(window)).await.ok().flatten()?;
            let quiet = busy <= self.threshold;
            if quiet || start.elapsed() >= self.bound {
                return Some(HostWait {
                    waited_ms: start.elapsed().as_millis() as u64,
                    busy_cores: busy,
                    steal_cores: steal,
                    quiet,
                });
            }
        }
    }
}

/// Cores taken from this machine's spinning CPUs over `window`: (steal + other processes,
/// steal). Every online CPU gets a thread pinned to it that spins for the window; the host's
/// busy time less those threads' own CPU time is what others (and the hypervisor) took.
fn under_demand(window: Duration) -> Option<(f64, f64)> {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let before = HostCpu::now()?;
    let at = Instant::now();
    let spinners: Vec<_> = (0..cpus)
        .map(|cpu| {
            std::thread::Builder::new().name("bench-quiet-gate".into()).spawn(move || {
                // Unpinned if it cannot be pinned: the reading is then less sharp, not wrong.
                let _ = pin(&[cpu]);
                let start = thread_cpu_seconds();
                while at.elapsed() < window {
                    std::hint::black_box(workload(std::hint::black_box(100_000)));
                }
                thread_cpu_seconds() - start
            })
        })
        .collect::<Result<_, _>>()
        .ok()?;
    let own: f64 = spinners.into_iter().filter_map(|t| t.join().ok()).sum();
    let span = at.elapsed();
    let (busy, steal) = HostCpu::now()?.cores_since(&before, span);
    let others = (busy - own / span.as_secs_f64()).max(steal);
    Some((others, steal))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn off_it_reads_nothing_and_never_waits() {
        assert_eq!(QuietGate::new(Duration::ZERO).wait().await, None);
    }

    #[tokio::test]
    async fn a_quiet_host_passes_at_the_first_window() {
        let gate =
            QuietGate { threshold: f64::INFINITY, ..QuietGate::new(Duration::from_secs(60)) };
        let wait = gate.wait().await.expect("/proc/stat is readable here");
        assert!(wait.quiet, "{wait:?}");
        assert!(wait.waited_ms < 60_000, "one window, not the bound: {wait:?}");
        assert!(wait.busy_cores >= 0.0 && wait.steal_cores >= 0.0);
    }

    #[tokio::test]
    async fn a_host_never_quiet_enough_is_waited_for_up_to_the_bound_then_said() {
        let gate = QuietGate {
            threshold: -1.0,
            window: Duration::from_millis(50),
            bound: Duration::from_millis(200),
        };
        let wait = gate.wait().await.expect("/proc/stat is readable here");
        assert!(!wait.quiet, "{wait:?}");
        assert!(wait.waited_ms >= 200, "{wait:?}");
    }
}
