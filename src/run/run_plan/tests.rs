//! `RunPlan` on scripted results: the order, precision rounds and re-measures of disturbed
//! executions, their bounds, and a resumed run's plan.

use std::time::SystemTime;

use super::*;
use crate::load::LoadSummary;
use crate::run::checks::HOST_QUIET;
use crate::run::provenance::blank_result;
use crate::run::{HostFacts, RunOptions};
use crate::store::Check;

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

/// `result`, with the host-quiet check as the host was: disturbed or quiet.
fn measured(planned: &Planned, rps: f64, disturbed: bool) -> CellResult {
    let mut r = result(planned, Some(rps));
    r.checks.push(Check { name: HOST_QUIET.into(), passed: !disturbed, detail: String::new() });
    r
}

/// A plan of `cells` with nothing stored, re-measuring within `remeasure`.
fn fresh(cells: &[Cell], seed: u64, remeasure: Remeasure) -> RunPlan {
    RunPlan::with_remeasure(cells, cells, &ResultIndex::default(), seed, None, remeasure)
}

/// (cell, execution, round, re-measure) of a planned execution.
type Picked = (usize, u32, u32, bool);

/// `Picked` of each planned execution.
fn picked(batch: &[Planned]) -> Vec<Picked> {
    batch.iter().map(|p| (p.cell, p.job.repetition, p.round, p.remeasure)).collect()
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
    assert!(order.iter().all(|p| p.round == 1 && !p.remeasure));
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
    assert_eq!(picked(&second), [(1, 4, 2, false)]);
    plan.record(1, &result(&second[0], Some(400.0)));
    assert!(plan.next_round(3).unwrap().is_empty(), "at the maximum");
}

/// Round 1 of `plan` recorded: `ok` at 100 req/s, except where `hit` says the host
/// disturbed the execution (then at 10, so that a figure that used it would show it).
fn first_round(plan: &mut RunPlan, hit: impl Fn(&Planned) -> bool) -> Vec<Planned> {
    let round = plan.first_round();
    for p in &round {
        let disturbed = hit(p);
        plan.record(p.cell, &measured(p, if disturbed { 10.0 } else { 100.0 }, disturbed));
    }
    round
}

#[test]
fn a_disturbed_execution_earns_its_cell_one_more_until_the_planned_ones_are_quiet() {
    let cells = cells(2);
    let hit = |p: &Planned| p.cell == 0 && p.job.repetition == 1;
    let stored = ResultIndex::default();
    let mut off = RunPlan::new(&cells, &cells, &stored, 3, None);
    first_round(&mut off, hit);
    assert!(off.next_round(2).unwrap().is_empty(), "re-measuring is off by default");

    let mut plan = fresh(&cells, 3, Remeasure::default());
    first_round(&mut plan, hit);
    let second = plan.next_round(2).unwrap();
    assert_eq!(picked(&second), [(0, 3, 2, true)]);
    // The replacement is disturbed too: it earns another.
    plan.record(0, &measured(&second[0], 10.0, true));
    let third = plan.next_round(3).unwrap();
    assert_eq!(picked(&third), [(0, 4, 3, true)]);
    plan.record(0, &measured(&third[0], 100.0, false));
    assert!(plan.next_round(4).unwrap().is_empty(), "2 quiet executions, as planned");
    let figure = plan.figures().next().unwrap().1;
    assert_eq!(figure, [100.0, 100.0], "the disturbed ones are left out");
}

#[test]
fn a_cell_gets_at_most_its_bound_and_then_keeps_every_execution() {
    let cells = cells(2);
    let remeasure = Remeasure { per_cell: 1, share: 1.0 };
    let mut plan = fresh(&cells, 5, remeasure);
    first_round(&mut plan, |p| p.cell == 0);
    let second = plan.next_round(2).unwrap();
    assert_eq!(picked(&second), [(0, 3, 2, true)], "two disturbed, one a cell");
    plan.record(0, &measured(&second[0], 10.0, true));
    assert!(plan.next_round(3).unwrap().is_empty(), "the cell's bound is reached");
    let figure = plan.figures().next().unwrap().1;
    assert_eq!(figure, [10.0, 10.0, 10.0], "no quiet execution: every one is used");
}

#[test]
fn the_run_wide_bound_grants_the_first_disturbed_executions_measured() {
    let cells = cells(2);
    // 6 cells x 2 planned: 10% is 1.2, rounded up to 2 extra executions in all.
    let remeasure = Remeasure { per_cell: 3, share: 0.1 };
    let mut plan = fresh(&cells, 7, remeasure);
    let hit = |p: &Planned| p.cell < 3 && p.job.repetition == 1;
    let round = first_round(&mut plan, hit);
    let mut first_two: Vec<usize> = round.iter().filter(|&p| hit(p)).map(|p| p.cell).collect();
    first_two.truncate(2);
    first_two.sort();
    let mut second: Vec<usize> = plan.next_round(2).unwrap().iter().map(|p| p.cell).collect();
    second.sort();
    assert_eq!(second, first_two);
}

#[test]
fn a_resumed_run_grants_as_the_stored_results_were_measured_and_adds_nothing_twice() {
    let cells = cells(2);
    let remeasure = Remeasure { per_cell: 3, share: 0.05 };
    assert_eq!(remeasure.budget(12), 1);
    let mut plan = fresh(&cells, 2, remeasure);
    // Executions 1 of cells 0 and 1 are disturbed; cell 1's finished first.
    let mut stored: Vec<CellResult> = plan
        .first_round()
        .iter()
        .map(|p| {
            let disturbed = p.cell < 2 && p.job.repetition == 1;
            let mut r = measured(p, 100.0, disturbed);
            let second = if disturbed { 2 - p.cell } else { 30 + p.cell };
            r.provenance.finished_at = format!("2026-12-02T04:00:{second:02}Z");
            r
        })
        .collect();
    let mut resumed = RunPlan::with_remeasure(
        &cells,
        &cells,
        &ResultIndex::new(stored.clone()),
        2,
        None,
        remeasure,
    );
    assert_eq!(resumed.skipped(), 12);
    assert!(resumed.first_round().is_empty());
    let second = resumed.next_round(2).unwrap();
    assert_eq!(picked(&second), [(1, 3, 2, true)], "the bound's one grant went to cell 1");
    // Stopped after that execution, and resumed again: nothing is left to do.
    let mut replacement = measured(&second[0], 100.0, false);
    replacement.provenance.finished_at = "2026-12-02T04:00:59Z".into();
    stored.push(replacement);
    let mut again =
        RunPlan::with_remeasure(&cells, &cells, &ResultIndex::new(stored), 2, None, remeasure);
    assert!(again.first_round().is_empty());
    assert!(again.next_round(2).unwrap().is_empty());
}

#[test]
fn a_granted_execution_does_not_count_towards_the_precision_maximum() {
    let cells = cells(1);
    let precision = Precision { target: 0.05, min_executions: 3, max_executions: 3 };
    let stored = ResultIndex::default();
    let remeasure = Remeasure::default();
    let mut plan = RunPlan::with_remeasure(&cells, &cells, &stored, 4, Some(precision), remeasure);
    first_round(&mut plan, |p| p.cell == 1 && p.job.repetition == 2);
    // Cell 1 is at the maximum, but one of its three was disturbed: one more.
    assert_eq!(picked(&plan.next_round(2).unwrap()), [(1, 4, 2, true)]);
}

/// Cell 0's round 1 with its execution 1 disturbed at `hit_rps` (the others quiet at 100),
/// then each further round's executions quiet at 100: the rounds planned and cell 0's figure.
fn precision_rounds_with_cell_0_hit_at(hit_rps: f64) -> (Vec<Vec<Picked>>, Vec<f64>) {
    let cells = cells(3);
    let precision = Precision { target: 0.05, min_executions: 3, max_executions: 10 };
    let mut plan = RunPlan::new(&cells, &cells, &ResultIndex::default(), 11, Some(precision));
    for p in plan.first_round() {
        let hit = p.cell == 0 && p.job.repetition == 1;
        plan.record(p.cell, &measured(&p, if hit { hit_rps } else { 100.0 }, hit));
    }
    let mut rounds = Vec::new();
    for round in 2.. {
        let batch = plan.next_round(round).unwrap();
        if batch.is_empty() {
            break;
        }
        batch.iter().for_each(|p| plan.record(p.cell, &measured(p, 100.0, false)));
        rounds.push(picked(&batch));
    }
    (rounds, plan.figures().next().unwrap().1)
}

#[test]
fn whether_a_disturbed_execution_is_left_out_does_not_depend_on_its_value() {
    // A disturbed outlier must not earn its cell a precision round (that a quiet execution
    // then fills, so that the outlier is left out) unless one in line with the others would.
    let (outlier_rounds, outlier_figure) = precision_rounds_with_cell_0_hit_at(10.0);
    let (in_line_rounds, in_line_figure) = precision_rounds_with_cell_0_hit_at(99.0);
    assert_eq!(outlier_rounds, in_line_rounds);
    assert_eq!(outlier_rounds, [[(0, 4, 2, false)]], "2 quiet of the minimum 3: one more");
    assert_eq!(outlier_figure, [100.0; 3]);
    assert_eq!(in_line_figure, [100.0; 3], "left out as the outlier is");
}

#[test]
fn a_resume_keeps_the_planned_count_its_stored_executions_were_planned_under() {
    let cells = cells(3);
    let precision = Precision { target: 0.05, min_executions: 5, max_executions: 5 };
    let mut interrupted = RunPlan::new(&cells, &cells, &ResultIndex::default(), 6, Some(precision));
    // Interrupted after cell 0's executions 1 (disturbed) to 4.
    let stored: Vec<CellResult> = interrupted
        .first_round()
        .iter()
        .filter(|p| p.cell == 0 && p.job.repetition <= 4)
        .map(|p| {
            let mut r = measured(p, 100.0, p.job.repetition == 1);
            let position = p.job.repetition;
            let precision = Some(precision);
            r.schedule = Some(crate::store::Scheduling { seed: 6, round: 1, position, precision });
            r
        })
        .collect();
    assert_eq!(planned_executions(Some(3), &stored), 5);
    assert_eq!(planned_executions(None, &stored[..0]), 1);
    // Resumed without --precision: cell 0 still needs execution 5, and a replacement for 1.
    let stored = ResultIndex::new(stored);
    let mut resumed =
        RunPlan::with_remeasure(&cells, &cells, &stored, 6, None, Remeasure::default());
    let round = resumed.first_round();
    let of_0: Vec<(u32, u32)> =
        round.iter().filter(|p| p.cell == 0).map(|p| (p.job.repetition, p.planned)).collect();
    assert_eq!(of_0, [(5, 5)]);
    assert_eq!(round.len(), 1 + 5 * 3, "the other cells as this run plans them");
    round.iter().for_each(|p| resumed.record(p.cell, &measured(p, 100.0, false)));
    assert_eq!(picked(&resumed.next_round(2).unwrap()), [(0, 6, 2, true)]);
    resumed.record(0, &measured(&resumed.planned(0, 6, 2, true), 100.0, false));
    assert_eq!(resumed.figures().next().unwrap().1, [100.0; 5], "5 quiet: 1 left out");
}

#[test]
fn a_huge_remeasure_bound_is_capped_not_overflowed() {
    let cells = cells(2);
    let huge = Remeasure { per_cell: usize::MAX, share: 10.0 };
    let mut plan = fresh(&cells, 8, huge);
    assert_eq!(plan.remeasure.per_cell, Remeasure::MAX_PER_CELL);
    let mut stored = Vec::new();
    for p in plan.first_round() {
        let r = measured(&p, 10.0, p.cell == 0);
        plan.record(p.cell, &r);
        stored.push(r);
    }
    for round in 2..=Remeasure::MAX_PER_CELL as u32 + 1 {
        let batch = plan.next_round(round).unwrap();
        assert_eq!(picked(&batch), [(0, round + 1, round, true)]);
        let r = measured(&batch[0], 10.0, true);
        plan.record(0, &r);
        stored.push(r);
    }
    assert!(plan.next_round(99).unwrap().is_empty(), "the capped bound is reached");
    // Resumed with the same bound: every stored execution is read, nothing is due.
    let stored = ResultIndex::new(stored);
    let mut resumed = RunPlan::with_remeasure(&cells, &cells, &stored, 8, None, huge);
    assert_eq!(resumed.skipped(), cells.len() * 2);
    assert!(resumed.first_round().is_empty());
    assert!(resumed.next_round(2).unwrap().is_empty());
}
