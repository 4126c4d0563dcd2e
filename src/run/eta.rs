use std::collections::{HashMap, HashSet};
use std::time::Duration;

use super::run_plan::Planned;
use crate::store::{CellResult, Outcome};

/// What an execution costs beyond its warm-up and measurement (the wait for a quiet host,
/// calibration, container start, ready, verify, primer, settle, teardown) before any
/// execution has been timed here: the mean over the latest published run's executions,
/// rounded up (a sum of executions wants the mean; docs/statistics.md, "Noise floor and
/// cost"). The warm-up is then counted at its bound, which a watched warm-up may end before
/// or run past. Replaced by what this results directory's executions took as soon as one is
/// known.
pub const ASSUMED_OVERHEAD: Duration = Duration::from_millis(2_000);

/// The time left in a run, estimated per remaining execution from what executions of the
/// same cell, else of the same row, else of the same scenario, else of any cell took in this
/// results directory (their stored `phases_ms`, calibration and wait for a quiet host, less
/// their own warm-up and duration settings: the overhead, which also holds how far a watched
/// warm-up ended from its bound; a row not yet measured takes its scenario's, since the
/// scenario decides much of that, e.g. slow requests drained after the warm-up in io), plus
/// the execution's own warm-up and duration; an image build is counted once
/// per row not yet seen, at the mean of the builds timed so far. The estimate improves as
/// executions finish, and it only moves when one does (or a precision round adds some).
#[derive(Debug, Default)]
pub struct Eta {
    pending: Vec<Pending>,
    by_cell: HashMap<String, Mean>,
    by_row: HashMap<String, Mean>,
    by_scenario: HashMap<String, Mean>,
    overall: Mean,
    builds: Mean,
    /// Rows whose image is built or found: no build left to pay.
    rows_ready: HashSet<String>,
}

#[derive(Debug)]
struct Pending {
    id: String,
    repetition: u32,
    row: String,
    scenario: String,
    /// Warm-up plus duration, in milliseconds; `None` for an N/A cell (recorded, not run).
    settings_ms: Option<f64>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Mean {
    sum: f64,
    count: u32,
}

impl Mean {
    fn add(&mut self, value: f64) {
        self.sum += value;
        self.count += 1;
    }

    fn get(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum / self.count as f64)
    }
}

impl Eta {
    /// Learns from results stored before this invocation (their images exist: no build left
    /// for their rows).
    pub fn learn(&mut self, history: &[CellResult]) {
        for result in history {
            self.observe(result);
        }
    }

    /// Executions to come (round 1, or a precision round).
    pub fn schedule(&mut self, batch: &[Planned]) {
        self.pending.extend(batch.iter().map(|planned| {
            let cell = &planned.job.cell;
            Pending {
                id: cell.id.clone(),
                repetition: planned.job.repetition,
                row: cell.name.clone(),
                scenario: cell.scenario.clone(),
                settings_ms: cell
                    .na
                    .is_none()
                    .then_some((cell.load.warmup_ms + cell.load.duration_ms) as f64),
            }
        }));
    }

    /// An execution finished: it is no longer to come, and its timings refine the estimate.
    pub fn finished(&mut self, result: &CellResult) {
        self.pending.retain(|p| !(p.id == result.id && p.repetition == result.repetition));
        self.observe(result);
    }

    /// The estimated time left, the execution under way counted in full.
    pub fn remaining(&self) -> Duration {
        let mut ms: f64 = self.pending.iter().map(|p| self.execution_ms(p)).sum();
        let rows: HashSet<&str> = self
            .pending
            .iter()
            .filter(|p| p.settings_ms.is_some() && !self.rows_ready.contains(&p.row))
            .map(|p| p.row.as_str())
            .collect();
        ms += rows.len() as f64 * self.builds.get().unwrap_or(0.0) * 1000.0;
        Duration::from_millis(ms.max(0.0) as u64)
    }

    /// The estimate of the execution `id` #`repetition` if it is still to come.
    pub fn estimate_of(&self, id: &str, repetition: u32) -> Option<Duration> {
        let pending = self.pending.iter().find(|p| p.id == id && p.repetition == repetition)?;
        Some(Duration::from_millis(self.execution_ms(pending) as u64))
    }

    fn execution_ms(&self, pending: &Pending) -> f64 {
        let Some(settings) = pending.settings_ms else {
            return 0.0;
        };
        let known = [
            self.by_cell.get(&pending.id),
            self.by_row.get(&pending.row),
            self.by_scenario.get(&pending.scenario),
        ];
        let overhead = known
            .into_iter()
            .flatten()
            .chain([&self.overall])
            .find_map(Mean::get)
            .unwrap_or(ASSUMED_OVERHEAD.as_millis() as f64);
        (settings + overhead).max(0.0)
    }

    fn observe(&mut self, result: &CellResult) {
        if result.outcome == Outcome::Na {
            return;
        }
        self.rows_ready.insert(result.name.clone());
        if let Some(seconds) = result.provenance.build_seconds {
            self.builds.add(seconds);
        }
        let phases = &result.provenance.phases_ms;
        if phases.is_empty() {
            return;
        }
        let calibration = result
            .calibration
            .as_ref()
            .map_or(0.0, |c| c.wall_ms + c.host_wait.as_ref().map_or(0, |w| w.waited_ms) as f64);
        let took = phases.values().sum::<u64>() as f64 + calibration;
        let settings = &result.load_settings;
        let overhead = took - (settings.warmup_ms + settings.duration_ms) as f64;
        self.by_cell.entry(result.id.clone()).or_default().add(overhead);
        self.by_row.entry(result.name.clone()).or_default().add(overhead);
        self.by_scenario.entry(result.scenario.clone()).or_default().add(overhead);
        self.overall.add(overhead);
    }
}
