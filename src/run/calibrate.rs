use std::future::Future;
use std::hint::black_box;
use std::time::{Duration, Instant};

use super::quiet_gate::QuietGate;
use crate::store::Calibration;

/// The machine-speed calibration made before each execution, behind a trait so the
/// orchestration is tested without timing the machine.
pub trait Calibrate: Send + Sync {
    /// Times the fixed workload on `cpus` (the server's CPUs; empty: wherever it runs).
    fn calibrate(
        &self,
        cpus: Vec<usize>,
    ) -> impl Future<Output = Result<Calibration, String>> + Send;
}

/// The real calibration: a fixed integer workload, repeated in chunks for a fixed time on a
/// fresh host thread pinned to the server's CPUs; its figure is the work done per second of
/// wall time. A fixed time rather than a fixed amount of work keeps it as short on a slow
/// machine (or in a debug build) as on a fast one; the figure compares within a run.
///
/// Why a pinned host thread: the server's container is confined to those CPUs by its cpuset,
/// and its CPU quota is a fixed limit; what varies from one execution to the next is how
/// much of those CPUs the machine delivers: the core's clock, its hyperthread sibling,
/// other processes scheduled there, the hypervisor's steal. A thread pinned to the same CPUs
/// sees all of that, and wall time charges it the way the server's throughput is charged. A
/// process inside the container would see the same, but would cost a container exec and an
/// interpreter start each time, which would time the engine as much as the CPU. It runs
/// before the container starts, so the server's own startup does not slow it.
///
/// Before the workload, the `gate` may hold the execution back until the host is quiet
/// (off by default): the calibration is where the run looks at the machine before each
/// execution, and what the gate saw is stored with the calibration figure.
#[derive(Clone, Copy, Debug)]
pub struct PinnedCalibration {
    /// How long the workload runs (to the end of the chunk that passes it).
    pub duration: Duration,
    pub gate: QuietGate,
}

impl Default for PinnedCalibration {
    fn default() -> Self {
        PinnedCalibration {
            duration: Duration::from_millis(150),
            gate: QuietGate::new(Duration::ZERO),
        }
    }
}

/// Iterations between two looks at the clock: a few milliseconds of work.
const CHUNK: u64 = 1_000_000;

impl Calibrate for PinnedCalibration {
    async fn calibrate(&self, cpus: Vec<usize>) -> Result<Calibration, String> {
        let host_wait = self.gate.wait().await;
        let duration = self.duration;
        // A thread of its own: a pool thread would keep the pinning for later work.
        let timed = tokio::task::spawn_blocking(move || {
            std::thread::Builder::new()
                .name("bench-calibrate".into())
                .spawn(move || timed_workload(duration, cpus))
                .map_err(|e| format!("cannot start the calibration thread: {e}"))?
                .join()
                .map_err(|_| "the calibration thread panicked".to_string())?
        });
        let calibration = timed.await.map_err(|e| format!("calibration task failed: {e}"))??;
        Ok(Calibration { host_wait, ..calibration })
    }
}

fn timed_workload(duration: Duration, cpus: Vec<usize>) -> Result<Calibration, String> {
    if !cpus.is_empty() {
        pin(&cpus).map_err(|e| format!("cannot pin the calibration to CPUs {cpus:?}: {e}"))?;
    }
    let (wall, cpu) = (Instant::now(), thread_cpu_seconds());
    let mut iterations = 0;
    while iterations == 0 || wall.elapsed() < duration {
        black_box(workload(black_box(CHUNK)));
        iterations += CHUNK;
    }
    let cpu_seconds = thread_cpu_seconds() - cpu;
    let wall_seconds = wall.elapsed().as_secs_f64().max(1e-9);
    Ok(Calibration {
        mops_per_second: iterations as f64 / wall_seconds / 1e6,
        wall_ms: wall_seconds * 1e3,
        cpu_share: (cpu_seconds / wall_seconds).min(1.0),
        cpus,
        host_wait: None,
    })
}

/// xorshift64: a dependent chain of integer operations, no memory traffic, so it measures
/// the core alone and the compiler cannot shorten it.
pub(super) fn workload(iterations: u64) -> u64 {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..iterations {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    x
}

pub(super) fn pin(cpus: &[usize]) -> std::io::Result<()> {
    // SAFETY: a zeroed cpu_set_t is an empty set; CPU_SET stays in bounds (checked); pid 0
    // is the calling thread.
    let rc = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        for &cpu in cpus {
            if cpu >= libc::CPU_SETSIZE as usize {
                return Err(std::io::Error::other(format!("CPU {cpu} out of range")));
            }
            libc::CPU_SET(cpu, &mut set);
        }
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set)
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// This thread's CPU time, seconds.
pub(super) fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid clock id and a valid pointer to a timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_real_workload_runs_pinned_and_reports_its_rate() {
        let short = PinnedCalibration { duration: Duration::from_millis(20), ..Default::default() };
        let calibration = short.calibrate(vec![0]).await.unwrap();
        assert_eq!(calibration.cpus, [0]);
        assert!(calibration.mops_per_second > 0.0 && calibration.wall_ms >= 20.0);
        assert!((0.0..=1.0).contains(&calibration.cpu_share), "{calibration:?}");
        let far = short.calibrate(vec![100_000]).await;
        assert!(far.unwrap_err().contains("cannot pin"));
    }
}
