//! The methodology's precision line: how many cells' requests/s intervals reached the
//! precision a reader would want, and, from the run's own execution-to-execution spread,
//! how many executions that would have taken on this machine. A table whose intervals are
//! wide then says so, rather than leaving the reader to find out.

use super::cell_statistics::CellStatistics;
use super::numbers;
use crate::statistics::{PooledSpread, Precision, median, quantile};

/// Executions beyond which the line says "more than" instead of a count.
const MAX_SHOWN: usize = 50;

/// `±5% or better for 12 of 38 cells (half-width median ±7.9%, middle half 4.2%–12%);
/// executions vary by 6.1% (pooled over 37 cells, 1 erratic cell left out): ±5% would take
/// about 7 executions a cell`; `None` when no cell has 2 executions. The middle half, not the
/// extremes: one stalled cell's interval (millions of percent) would be the range, and it
/// is in its own row.
pub(super) fn precision_line(cells: &[&CellStatistics]) -> Option<String> {
    let target = Precision::default().target;
    let rps: Vec<&[f64]> = cells.iter().map(|c| c.figures.requests_per_second.as_slice()).collect();
    let spread = PooledSpread::of(&rps).ok().flatten()?;
    let mut widths: Vec<f64> = cells
        .iter()
        .filter_map(|c| c.estimates.as_ref()?.requests_per_second.relative_half_width)
        .collect();
    widths.sort_by(f64::total_cmp);
    let pct = |v: f64| format!("{}%", numbers::fixed(v * 100.0, 1).trim_end_matches(".0"));
    let met = widths.iter().filter(|w| **w <= target).count();
    let summary = if widths.is_empty() {
        format!("no cell has an interval to reach ±{}", pct(target))
    } else {
        format!(
            "±{} or better for {met} of {} cells (half-width median ±{}, middle half {}–{})",
            pct(target),
            widths.len(),
            pct(median(&widths)),
            pct(quantile(&widths, 0.25)),
            pct(quantile(&widths, 0.75))
        )
    };
    let left_out = match spread.erratic {
        0 => String::new(),
        1 => ", 1 erratic cell left out".to_string(),
        n => format!(", {n} erratic cells left out"),
    };
    let needed = match spread.executions_for(target, MAX_SHOWN) {
        Some(n) => format!("about {n} executions a cell"),
        None => format!("more than {MAX_SHOWN} executions a cell"),
    };
    Some(format!(
        "{summary}; executions vary by {} (pooled over {} cells{left_out}): ±{} would take {needed}",
        pct(spread.log_sd.exp_m1()),
        spread.cells,
        pct(target)
    ))
}
