use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::host::{HostCpu, taken_by_others};
use super::progress::Progress;
use crate::engine::{ContainerId, ContainerState, Engine, StatsSample, cpu_percent};
use crate::load::LoadSummary;
use crate::store::Usage;

/// One reading while measuring: the container's counters and the host's.
struct Sample {
    at: Instant,
    stats: StatsSample,
    host: Option<HostCpu>,
}

/// Cores used by everything but the server and the generator while measuring, and the part
/// of them the hypervisor stole for its other guests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OtherCpu {
    pub cores: f64,
    pub steal: f64,
}

/// The server container's CPU and memory readings while measuring, and what they add up to.
pub(super) struct Samples(Vec<Sample>);

impl Samples {
    /// Reads the container every `every` until `done` is notified, and shows the live
    /// requests/s (from the generator's `counter`) on the way. A failed reading is skipped.
    pub async fn collect<E: Engine>(
        engine: &E,
        id: &ContainerId,
        every: Duration,
        counter: &AtomicU64,
        done: &Notify,
        progress: &dyn Progress,
    ) -> Samples {
        let mut samples = Vec::new();
        let mut last = (Instant::now(), 0u64);
        loop {
            if let Ok(stats) = engine.stats_sample(id).await {
                samples.push(Sample { at: Instant::now(), stats, host: HostCpu::now() });
            }
            tokio::select! {
                _ = done.notified() => break,
                _ = tokio::time::sleep(every) => {}
            }
            let now = (Instant::now(), counter.load(Ordering::Relaxed));
            let secs = now.0.duration_since(last.0).as_secs_f64();
            if secs > 0.0 {
                progress.live_rps((now.1 - last.1) as f64 / secs);
            }
            last = now;
        }
        Samples(samples)
    }

    /// Only the readings taken at `start` or later.
    pub fn since(self, start: Instant) -> Samples {
        Samples(self.0.into_iter().filter(|s| s.at >= start).collect())
    }

    /// CPU (percent of one core, between consecutive readings), peak memory, the
    /// container's end `state` (OOM kill, restarts) and the `worker_deaths` seen inside it;
    /// `None` with neither readings nor state.
    pub fn usage(
        &self,
        state: Option<&ContainerState>,
        worker_deaths: Option<u32>,
    ) -> Option<Usage> {
        if self.0.is_empty() && state.is_none() {
            return None;
        }
        let cpu: Vec<f64> =
            self.0.windows(2).filter_map(|w| cpu_percent(&w[0].stats, &w[1].stats)).collect();
        let (oom_killed, restarts) =
            state.map(|s| (s.oom_killed, s.restart_count)).unwrap_or((false, 0));
        Some(Usage {
            cpu_percent_mean: if cpu.is_empty() {
                0.0
            } else {
                cpu.iter().sum::<f64>() / cpu.len() as f64
            },
            cpu_percent_max: cpu.iter().cloned().fold(0.0, f64::max),
            memory_bytes_max: self.0.iter().map(|s| s.stats.memory_bytes).max().unwrap_or(0),
            samples: self.0.len() as u32,
            oom_killed,
            restarts: restarts.max(0) as u32,
            worker_deaths,
            steal_cores: None,
        })
    }

    /// Cores used by everything but the server and the generator while measuring: between
    /// the first and last reading, the host's busy rate (steal included) less the
    /// container's, less the generator's average over the measured window.
    pub fn other_cores(&self, load: &LoadSummary) -> Option<OtherCpu> {
        let (first, last) = (self.0.first()?, self.0.last()?);
        let span = last.at.duration_since(first.at).as_secs_f64();
        let secs = load.duration_us as f64 / 1e6;
        if span <= 0.0 || secs <= 0.0 {
            return None;
        }
        let (host, steal) = last.host?.cores_since(&first.host?, last.at.duration_since(first.at));
        let container =
            last.stats.cpu_total_ns.saturating_sub(first.stats.cpu_total_ns) as f64 / 1e9 / span;
        let generator = load.generator_cpu_us as f64 / 1e6 / secs;
        Some(OtherCpu { cores: taken_by_others(host, container + generator, steal), steal })
    }
}
