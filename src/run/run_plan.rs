use std::collections::{BTreeSet, VecDeque};

use super::plan::Job;
use crate::matrix::Cell;
use crate::statistics::{Precision, Schedule, StatisticsError};
use crate::store::{CellResult, Outcome, ResultIndex};

/// What `bench run` measures, and in which order: every selected cell's executions,
/// interleaved over the whole run by a seeded `statistics::Schedule` (so a slow period of the
/// machine spreads over all cells), and, with a precision target, further rounds for the
/// cells whose requests/s interval is still too wide (`statistics::Precision`).
///
/// Round 1 holds each cell's planned executions (the `repeat` setting, at least the
/// target's minimum with `--precision`) minus those stored already; each later round one
/// more execution of every cell that needs one. One `Schedule` orders all rounds, so no cell
/// runs twice in a row across a round's boundary either (unless it is the only one left).
pub struct RunPlan {
    cells: Vec<PlannedCell>,
    /// The seed of the order: the same seed over the same stored results gives the same order.
    pub seed: u64,
    pub precision: Option<Precision>,
    schedule: Schedule<usize>,
    skipped: usize,
}

/// One execution to make, as the plan orders them.
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    /// The cell's index in the plan (for `RunPlan::record`).
    pub cell: usize,
    pub job: Job,
    pub round: u32,
    /// The cell's planned executions in round 1 (for progress lines).
    pub planned: u32,
}

struct PlannedCell {
    /// The cell, with the execution number left at 0.
    job: Job,
    planned: u32,
    /// Execution numbers stored or made in this run.
    taken: BTreeSet<u32>,
    /// Requests/s of its `ok` executions, stored and new.
    rps: Vec<f64>,
    /// An execution was not `ok`: the cell gets no precision rounds (its interval is not
    /// what is wrong with it).
    failing: bool,
}

impl RunPlan {
    /// The plan for `selected` cells of the matrix `all` (for row and scenario positions),
    /// given what `stored` holds already (an empty index to measure everything again).
    pub fn new(
        all: &[Cell],
        selected: &[Cell],
        stored: &ResultIndex,
        seed: u64,
        precision: Option<Precision>,
    ) -> RunPlan {
        let rows = distinct(all.iter().map(|c| c.name.as_str()));
        let scenarios = distinct(all.iter().map(|c| c.scenario.as_str()));
        let position =
            |names: &[&str], name: &str| names.iter().position(|n| *n == name).unwrap_or(0) as u32;
        let most = precision.map_or(0, |p| p.max_executions as u32);
        let mut skipped = 0;
        let cells = selected
            .iter()
            .map(|cell| {
                let planned = match (&cell.na, precision) {
                    (Some(_), _) => 1,
                    (None, Some(p)) => cell.load.repeat.max(p.min_executions as u32),
                    (None, None) => cell.load.repeat,
                }
                .max(1);
                let mut planned_cell = PlannedCell {
                    job: Job {
                        cell: cell.clone(),
                        repetition: 0,
                        row_index: position(&rows, &cell.name),
                        scenario_index: position(&scenarios, &cell.scenario),
                    },
                    planned,
                    taken: BTreeSet::new(),
                    rps: Vec::new(),
                    failing: false,
                };
                for execution in 1..=planned.max(most) {
                    if let Some(result) = stored.get(&cell.hash, execution) {
                        skipped += usize::from(execution <= planned);
                        planned_cell.record(result);
                    }
                }
                planned_cell
            })
            .collect();
        RunPlan { cells, seed, precision, schedule: Schedule::new(seed), skipped }
    }

    /// Planned executions found stored, and not made again.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Round 1: every cell's planned executions not stored yet, interleaved.
    pub fn first_round(&mut self) -> Vec<Planned> {
        let mut missing: Vec<VecDeque<u32>> = self
            .cells
            .iter()
            .map(|c| (1..=c.planned).filter(|n| !c.taken.contains(n)).collect())
            .collect();
        let mut order = Vec::new();
        loop {
            let due: Vec<usize> = (0..missing.len()).filter(|&i| !missing[i].is_empty()).collect();
            if due.is_empty() {
                return order;
            }
            for cell in self.schedule.next_round(&due) {
                let execution = missing[cell].pop_front().expect("a due cell has one missing");
                order.push(self.planned(cell, execution, 1));
            }
        }
    }

    /// The next precision round (`round` ≥ 2): one more execution, interleaved, of each cell
    /// whose requests/s interval is wider than the target and that has fewer executions
    /// than the maximum. Empty without a target, or when no cell needs one.
    pub fn next_round(&mut self, round: u32) -> Result<Vec<Planned>, StatisticsError> {
        let Some(precision) = self.precision else {
            return Ok(Vec::new());
        };
        let eligible: Vec<usize> = (0..self.cells.len())
            .filter(|&i| {
                let c = &self.cells[i];
                c.job.cell.na.is_none() && !c.failing && !c.rps.is_empty()
            })
            .collect();
        let values: Vec<&[f64]> = eligible.iter().map(|&i| self.cells[i].rps.as_slice()).collect();
        let statuses = precision.decide(&values)?;
        let due: Vec<usize> = eligible
            .into_iter()
            .zip(statuses)
            .filter(|(i, status)| {
                status.needs_more && self.cells[*i].taken.len() < precision.max_executions
            })
            .map(|(i, _)| i)
            .collect();
        let round_order = self.schedule.next_round(&due);
        Ok(round_order
            .into_iter()
            .map(|cell| {
                let taken = &self.cells[cell].taken;
                let execution = (1..).find(|n| !taken.contains(n)).expect("a free number");
                self.planned(cell, execution, round)
            })
            .collect())
    }

    /// An execution of the cell made in this run: counts for the next rounds.
    pub fn record(&mut self, cell: usize, result: &CellResult) {
        self.cells[cell].record(result);
    }

    /// Each cell's requests/s over its `ok` executions (stored and new), in plan order.
    pub fn figures(&self) -> impl Iterator<Item = (&Cell, &[f64])> {
        self.cells.iter().map(|c| (&c.job.cell, c.rps.as_slice()))
    }

    fn planned(&self, cell: usize, execution: u32, round: u32) -> Planned {
        let c = &self.cells[cell];
        let job = Job { repetition: execution, ..c.job.clone() };
        Planned { cell, job, round, planned: c.planned }
    }
}

impl PlannedCell {
    fn record(&mut self, result: &CellResult) {
        self.taken.insert(result.repetition);
        match (&result.outcome, &result.load) {
            (Outcome::Ok, Some(load)) if load.ok_rps > 0.0 => self.rps.push(load.ok_rps),
            (Outcome::Na, _) => {}
            _ => self.failing = true,
        }
    }
}

/// The names in first-seen order, each once.
fn distinct<'c>(names: impl Iterator<Item = &'c str>) -> Vec<&'c str> {
    let mut seen = Vec::new();
    for name in names {
        if !seen.contains(&name) {
            seen.push(name);
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::load::LoadSummary;
    use crate::run::provenance::blank_result;
    use crate::run::{HostFacts, RunOptions};

    fn cells(repeat: u32) -> Vec<Cell> {
        let mut cells = crate::run::plan::tests::cells();
        cells.iter_mut().for_each(|c| c.load.repeat = repeat);
        cells
    }

    /// The result of `planned`, `ok` at `rps` or failed.
    fn result(planned: &Planned, rps: Option<f64>) -> CellResult {
        let options = RunOptions::new(".".into(), "m.kdl".into(), std::path::Path::new("r"));
        let host = HostFacts::default();
        let mut r = blank_result(&planned.job, &options, &host, None, SystemTime::now());
        if let Some(rps) = rps {
            r.outcome = Outcome::Ok;
            r.load = Some(LoadSummary { ok_rps: rps, ..Default::default() });
        }
        r
    }

    #[test]
    fn stored_executions_are_skipped_and_the_rest_interleaved() {
        let cells = cells(2);
        let first =
            RunPlan::new(&cells, &cells, &ResultIndex::default(), 9, None).first_round().remove(0);
        let stored = ResultIndex::new(vec![result(&first, Some(10.0))]);
        let mut plan = RunPlan::new(&cells, &cells, &stored, 9, None);
        assert_eq!(plan.skipped(), 1);
        let order = plan.first_round();
        assert_eq!(order.len(), cells.len() * 2 - 1);
        assert!(order.windows(2).all(|p| p[0].cell != p[1].cell), "{order:?}");
        let of_first: Vec<u32> =
            order.iter().filter(|p| p.cell == first.cell).map(|p| p.job.repetition).collect();
        assert_eq!(of_first, [2], "execution 1 is stored");
        assert!(order.iter().all(|p| p.round == 1));
        assert!(plan.next_round(2).unwrap().is_empty(), "no rounds without a target");
    }

    #[test]
    fn precision_rounds_take_only_wide_cells_that_never_failed() {
        let cells = cells(1);
        let precision = Precision { target: 0.05, min_executions: 3, max_executions: 4 };
        let mut plan = RunPlan::new(&cells, &cells, &ResultIndex::default(), 1, Some(precision));
        let round = plan.first_round();
        assert_eq!(round.len(), cells.len() * 3, "the target's minimum, not the repeat setting");
        // Cell 0 is steady, cell 1 wide, cell 2 wide but failed once; the others steady.
        for planned in &round {
            let rps = match (planned.cell, planned.job.repetition) {
                (1, n) => Some(100.0 * f64::from(n)),
                (2, 2) => None,
                (2, n) => Some(100.0 * f64::from(n)),
                _ => Some(100.0),
            };
            plan.record(planned.cell, &result(planned, rps));
        }
        let second = plan.next_round(2).unwrap();
        let picked: Vec<(usize, u32, u32)> =
            second.iter().map(|p| (p.cell, p.job.repetition, p.round)).collect();
        assert_eq!(picked, [(1, 4, 2)]);
        plan.record(1, &result(&second[0], Some(400.0)));
        assert!(plan.next_round(3).unwrap().is_empty(), "at the maximum");
    }
}
