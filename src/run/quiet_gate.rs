use std::future::Future;
use std::time::{Duration, Instant};

use super::calibrate::{pin, thread_cpu_seconds, workload};
use super::checks::QUIET_CORES;
use super::host::{HostCpu, taken_by_others};
use crate::store::HostWait;

/// Holds an execution back until the host is quiet: on a shared virtual machine the
/// hypervisor's steal comes in bursts of seconds to minutes, and an execution measured in
/// one is slower for reasons that are not the server's. Before the container starts, each
/// reading keeps every CPU busy with a pinned spinning thread for a short window: steal only
/// shows on a CPU that wants to run (an idle machine reads no steal while its neighbours
/// are busy; docs/statistics.md). Readings go on until
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
        let window = self.window;
        self.wait_with(|| async move {
            tokio::task::spawn_blocking(move || under_demand(window)).await.ok().flatten()
        })
        .await
    }

    /// The gate's rule over any source of readings (taken cores, stolen cores): readings
    /// until one is quiet or the bound has passed.
    async fn wait_with<F, Fut>(&self, mut read: F) -> Option<HostWait>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<(f64, f64)>>,
    {
        if self.bound.is_zero() {
            return None;
        }
        let start = Instant::now();
        loop {
            let (busy, steal) = read().await?;
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
    Some((taken_by_others(busy, own / span.as_secs_f64(), steal), steal))
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    /// A gate over scripted readings, each "taking" `step` of wall time.
    async fn gate_over(
        bound: Duration,
        readings: &[(f64, f64)],
        step: Duration,
    ) -> (Option<HostWait>, usize) {
        let gate = QuietGate::new(bound);
        let next = RefCell::new(readings.iter().copied());
        let count = RefCell::new(0);
        let wait = gate
            .wait_with(|| {
                *count.borrow_mut() += 1;
                let reading = next.borrow_mut().next();
                async move {
                    tokio::time::sleep(step).await;
                    reading
                }
            })
            .await;
        (wait, count.into_inner())
    }

    #[tokio::test]
    async fn off_it_reads_nothing() {
        let (wait, reads) = gate_over(Duration::ZERO, &[(5.0, 5.0)], Duration::ZERO).await;
        assert_eq!((wait, reads), (None, 0));
    }

    #[tokio::test]
    async fn it_waits_through_busy_readings_and_passes_at_the_first_quiet_one() {
        let readings = [(0.9, 0.8), (0.4, 0.3), (0.05, 0.02), (0.0, 0.0)];
        let (wait, reads) =
            gate_over(Duration::from_secs(60), &readings, Duration::from_millis(1)).await;
        let wait = wait.unwrap();
        assert_eq!(reads, 3, "stops at the first quiet reading");
        assert!(wait.quiet);
        assert_eq!((wait.busy_cores, wait.steal_cores), (0.05, 0.02));
    }

    #[tokio::test]
    async fn a_host_never_quiet_is_waited_for_up_to_the_bound_then_said() {
        let busy = [(0.5, 0.5); 1000];
        let (wait, reads) =
            gate_over(Duration::from_millis(30), &busy, Duration::from_millis(10)).await;
        let wait = wait.unwrap();
        assert!(!wait.quiet && wait.waited_ms >= 30, "{wait:?}");
        assert!(reads < 1000, "the bound ends it: {reads} readings");
    }

    #[tokio::test]
    async fn a_reading_that_cannot_be_made_ends_the_wait_with_nothing() {
        let (wait, _) = gate_over(Duration::from_secs(60), &[], Duration::ZERO).await;
        assert_eq!(wait, None);
    }

    /// The real reading works on this host (the rule itself is tested above on scripted
    /// readings: on a shared test machine the real figures are whatever the neighbours do).
    #[test]
    fn the_real_reading_is_made_here() {
        let (taken, steal) = under_demand(Duration::from_millis(50)).expect("/proc/stat here");
        assert!(taken.is_finite() && taken >= steal && steal >= 0.0, "{taken} {steal}");
    }
}
