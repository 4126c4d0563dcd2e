use serde::{Deserialize, Serialize};

use super::{Estimate, Figure};

/// The best and worst rank (1 = best) a cell could hold given every cell's interval.
/// `best == worst` is a rank the data settle; a range is a tie with the cells it overlaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankRange {
    pub best: usize,
    pub worst: usize,
}

/// Each cell's rank range, in the input order. A cell ranks below another only when their
/// intervals do not overlap; a cell with one execution (no interval) overlaps everything.
///
/// Overlap is a conservative test: two 95% intervals can overlap a little while a direct
/// `Comparison` of the two cells already tells them apart, so a range here never claims an
/// order the data do not support, and may show a tie that a pairwise comparison would break.
pub fn rank_ranges(estimates: &[Estimate], figure: Figure) -> Vec<RankRange> {
    let bounds: Vec<(f64, f64)> = estimates.iter().map(Estimate::bounds).collect();
    // `surely_above(a, b)`: a's whole interval lies on the better side of b's.
    let surely_above = |a: (f64, f64), b: (f64, f64)| {
        if figure.higher_is_better() { a.0 > b.1 } else { a.1 < b.0 }
    };
    bounds
        .iter()
        .map(|&own| {
            let above = bounds.iter().filter(|&&other| surely_above(other, own)).count();
            let below = bounds.iter().filter(|&&other| surely_above(own, other)).count();
            RankRange { best: 1 + above, worst: bounds.len() - below }
        })
        .collect()
}
