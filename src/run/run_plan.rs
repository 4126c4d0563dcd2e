use std::collections::{BTreeSet, VecDeque};

use super::checks::host_disturbed;
use super::plan::Job;
use crate::matrix::Cell;
use crate::statistics::{Exclusion, Precision, Remeasure, Schedule, StatisticsError};
use crate::store::{CellResult, Outcome, ResultIndex};

/// What `bench run` measures, and in which order: every selected cell's executions,
/// interleaved over the whole run by a seeded `statistics::Schedule` (so a slow period of the
/// machine spreads over all cells), and further rounds for the cells whose requests/s
/// interval is still too wide (with a precision target, `statistics::Precision`) or whose
/// executions the host disturbed (`statistics::Remeasure`).
///
/// Round 1 holds each cell's planned executions (`planned_executions`: the `repeat` setting,
/// at least the target's minimum with `--precision`, and at least what its stored executions
/// were planned under) minus those stored already; each later round one more execution of
/// every cell that needs one. One `Schedule` orders all rounds, so no cell
/// runs twice in a row across a round's boundary either (unless it is the only one left).
///
/// Re-measuring: an `ok` execution whose `host-quiet` check failed earns its cell one more
/// execution (a grant), within `Remeasure`'s bounds, first come first served in the order
/// executions were measured; a granted execution does not count towards the cell's planned
/// executions or its precision maximum, so the cell joins the next round as if it had not
/// been made. Grants follow from the results alone (stored ones in the order they finished,
/// then this run's), so a resumed run of the same selection plans the same rounds.
///
/// The precision rounds judge a cell's interval on its quiet executions only, never on the
/// disturbed ones: otherwise a disturbed outlier would widen the interval, earn a round, and
/// that round's quiet execution would let `statistics::Exclusion` leave the outlier out while
/// a disturbed execution in line with the others stays in, so which disturbed executions the
/// figure leaves out would depend on their values.
pub struct RunPlan {
    cells: Vec<PlannedCell>,
    /// The seed of the order: the same seed over the same stored results gives the same order.
    pub seed: u64,
    pub precision: Option<Precision>,
    pub remeasure: Remeasure,
    schedule: Schedule<usize>,
    skipped: usize,
    /// Grants the run-wide bound still allows.
    grants_left: usize,
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
    /// It replaces an execution the host disturbed: without that grant the cell would not be
    /// in this round.
    pub remeasure: bool,
}

struct PlannedCell {
    /// The cell, with the execution number left at 0.
    job: Job,
    planned: u32,
    /// Execution numbers stored or made in this run.
    taken: BTreeSet<u32>,
    /// Requests/s of its `ok` executions, stored and new, and whether the host disturbed each.
    rps: Vec<f64>,
    disturbed: Vec<bool>,
    /// An execution was not `ok`: the cell gets no further rounds (its interval is not what
    /// is wrong with it, nor the host).
    failing: bool,
    /// Its disturbed executions that earned it one more execution.
    granted: usize,
}

impl RunPlan {
    /// The plan for `selected` cells of the matrix `all` (for row and scenario positions),
    /// given what `stored` holds already (an empty index to measure everything again),
    /// without re-measuring.
    pub fn new(
        all: &[Cell],
        selected: &[Cell],
        stored: &ResultIndex,
        seed: u64,
        precision: Option<Precision>,
    ) -> RunPlan {
        RunPlan::with_remeasure(all, selected, stored, seed, precision, Remeasure::OFF)
    }

    /// `new`, re-measuring disturbed executions within `remeasure`'s bounds (the run-wide
    /// one a share of the selected cells' planned executions; a cell's at most
    /// `Remeasure::MAX_PER_CELL`).
    pub fn with_remeasure(
        all: &[Cell],
        selected: &[Cell],
        stored: &ResultIndex,
        seed: u64,
        precision: Option<Precision>,
        remeasure: Remeasure,
    ) -> RunPlan {
        let per_cell = remeasure.per_cell.min(Remeasure::MAX_PER_CELL);
        let remeasure = Remeasure { per_cell, ..remeasure };
        let rows = distinct(all.iter().map(|c| c.name.as_str()));
        let scenarios = distinct(all.iter().map(|c| c.scenario.as_str()));
        let position =
            |names: &[&str], name: &str| names.iter().position(|n| *n == name).unwrap_or(0) as u32;
        let cells: Vec<PlannedCell> = selected
            .iter()
            .map(|cell| PlannedCell {
                job: Job {
                    cell: cell.clone(),
                    repetition: 0,
                    row_index: position(&rows, &cell.name),
                    scenario_index: position(&scenarios, &cell.scenario),
                },
                planned: match &cell.na {
                    Some(_) => 1,
                    None => Precision::planned(cell.load.repeat, precision.as_ref()),
                },
                taken: BTreeSet::new(),
                rps: Vec::new(),
                disturbed: Vec::new(),
                failing: false,
                granted: 0,
            })
            .collect();
        let mut plan = RunPlan {
            cells,
            seed,
            precision,
            remeasure,
            schedule: Schedule::new(seed),
            skipped: 0,
            grants_left: 0,
        };
        let found = plan.stored(stored);
        let planned: usize =
            plan.cells.iter().filter(|c| c.job.cell.na.is_none()).map(|c| c.planned as usize).sum();
        plan.grants_left = remeasure.budget(planned);
        for (cell, result) in found {
            plan.skipped += usize::from(result.repetition <= plan.cells[cell].planned);
            plan.record(cell, result);
        }
        plan
    }

    /// The stored executions of the plan's cells, in the order they were measured (finish
    /// time, then place in their run), so that grants go where they went while measuring;
    /// each measured cell's planned count raised to what its stored executions were planned
    /// under (`planned_executions`).
    fn stored<'s>(&mut self, stored: &'s ResultIndex) -> Vec<(usize, &'s CellResult)> {
        let most =
            self.precision.map_or(0, |p| u32::try_from(p.max_executions).unwrap_or(u32::MAX));
        let extra = u32::try_from(self.remeasure.per_cell).unwrap_or(u32::MAX);
        let mut found = Vec::new();
        for (i, c) in self.cells.iter_mut().enumerate() {
            let hash = &c.job.cell.hash;
            let mut execution: u32 = 1;
            // Past the numbers this plan could make, stored ones are still read while they
            // continue (an earlier run's wider bounds), so none is measured over.
            while execution <= c.planned.max(most).saturating_add(extra)
                || stored.contains(hash, execution)
            {
                if let Some(result) = stored.get(hash, execution) {
                    if c.job.cell.na.is_none() {
                        c.planned = planned_executions(Some(c.planned), [result]);
                    }
                    found.push((i, result));
                }
                match execution.checked_add(1) {
                    Some(next) => execution = next,
                    None => break,
                }
            }
        }
        let order = |r: &CellResult| {
            let position = r.schedule.as_ref().map_or(0, |s| s.position);
            (r.provenance.finished_at.clone(), position, r.repetition)
        };
        found.sort_by(|a, b| order(a.1).cmp(&order(b.1)).then(a.0.cmp(&b.0)));
        found
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
                order.push(self.planned(cell, execution, 1, false));
            }
        }
    }

    /// The next round (`round` ≥ 2): one more execution, interleaved, of each cell that
    /// never failed and, with a precision target, has an interval over its quiet executions
    /// wider than the target (or fewer quiet ones than the target's minimum) and fewer
    /// executions than the maximum, or has a grant and, its granted (disturbed) executions
    /// not counted, fewer executions than planned or than that maximum. Empty when no cell
    /// needs one.
    pub fn next_round(&mut self, round: u32) -> Result<Vec<Planned>, StatisticsError> {
        let eligible: Vec<usize> = (0..self.cells.len())
            .filter(|&i| {
                let c = &self.cells[i];
                c.job.cell.na.is_none() && !c.failing && !c.rps.is_empty()
            })
            .collect();
        let wide = match self.precision {
            Some(precision) => {
                let quiet: Vec<Vec<f64>> =
                    eligible.iter().map(|&i| self.cells[i].quiet()).collect();
                let values: Vec<&[f64]> = quiet.iter().map(Vec::as_slice).collect();
                precision.decide(&values)?.iter().map(|s| s.needs_more).collect()
            }
            None => vec![false; eligible.len()],
        };
        let most = self.precision.map_or(0, |p| p.max_executions);
        let (mut due, mut granted_only) = (Vec::new(), BTreeSet::new());
        for (i, wide) in eligible.into_iter().zip(wide) {
            let c = &self.cells[i];
            let taken = c.taken.len();
            let counted = taken.saturating_sub(c.granted);
            let replaces =
                c.granted > 0 && (counted < c.planned as usize || (wide && counted < most));
            if wide && taken < most {
                due.push(i);
            } else if replaces {
                due.push(i);
                granted_only.insert(i);
            }
        }
        let round_order = self.schedule.next_round(&due);
        Ok(round_order
            .into_iter()
            .map(|cell| {
                let taken = &self.cells[cell].taken;
                let execution = (1..).find(|n| !taken.contains(n)).expect("a free number");
                self.planned(cell, execution, round, granted_only.contains(&cell))
            })
            .collect())
    }

    /// An execution of the cell made in this run: counts for the next rounds, and earns the
    /// cell a grant when the host disturbed it and the bounds allow one.
    pub fn record(&mut self, cell: usize, result: &CellResult) {
        let c = &mut self.cells[cell];
        let disturbed = c.record(result);
        if disturbed && !c.failing && c.granted < self.remeasure.per_cell && self.grants_left > 0 {
            c.granted += 1;
            self.grants_left -= 1;
        }
    }

    /// Each cell's requests/s over the `ok` executions its figure uses (stored and new; the
    /// disturbed ones left out as `statistics::Exclusion` says), in plan order.
    pub fn figures(&self) -> impl Iterator<Item = (&Cell, Vec<f64>)> {
        self.cells.iter().map(|c| (&c.job.cell, c.figure()))
    }

    fn planned(&self, cell: usize, execution: u32, round: u32, remeasure: bool) -> Planned {
        let c = &self.cells[cell];
        let job = Job { repetition: execution, ..c.job.clone() };
        Planned { cell, job, round, planned: c.planned, remeasure }
    }
}

impl PlannedCell {
    /// Counts `result`; `true` when it is an `ok` execution the host disturbed.
    fn record(&mut self, result: &CellResult) -> bool {
        self.taken.insert(result.repetition);
        match (&result.outcome, &result.load) {
            (Outcome::Ok, Some(load)) if load.ok_rps > 0.0 => {
                let disturbed = host_disturbed(&result.checks);
                self.rps.push(load.ok_rps);
                self.disturbed.push(disturbed);
                disturbed
            }
            (Outcome::Na, _) => false,
            _ => {
                self.failing = true;
                false
            }
        }
    }

    /// The requests/s its figure uses.
    fn figure(&self) -> Vec<f64> {
        Exclusion::of(self.planned as usize, &self.disturbed).apply(&self.rps)
    }

    /// The requests/s of its quiet executions: what the precision rounds judge, so that no
    /// disturbed execution's value decides whether the cell gets the round that may then
    /// leave it out.
    fn quiet(&self) -> Vec<f64> {
        let flags = self.disturbed.iter();
        self.rps.iter().zip(flags).filter(|(_, d)| !**d).map(|(v, _)| *v).collect()
    }
}

/// The executions a cell is planned in round 1, and so the quiet ones `statistics::Exclusion`
/// asks for before it leaves any disturbed one out: the most that this run's settings (`now`,
/// from its `repeat` and precision target) or any of its stored executions' plan (their
/// `load_settings.repeat` and `schedule.precision`). The plan and the report both read it
/// here, so a resume without `--precision` after a run with a higher minimum keeps that
/// run's count, and the report leaves out what the plan counted on leaving out.
pub fn planned_executions<'r>(
    now: Option<u32>,
    stored: impl IntoIterator<Item = &'r CellResult>,
) -> u32 {
    let of = |r: &CellResult| {
        let precision = r.schedule.as_ref().and_then(|s| s.precision.as_ref());
        Precision::planned(r.load_settings.repeat, precision)
    };
    stored.into_iter().map(of).chain(now).max().unwrap_or(1)
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
mod tests;
