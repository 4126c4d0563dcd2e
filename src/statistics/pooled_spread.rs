use serde::{Deserialize, Serialize};

use super::log_sample::{LogSample, quantile, t_quantile};
use super::{CONFIDENCE, StatisticsError};

/// How much one figure varies from execution to execution on this machine, pooled over the
/// cells of a run: the standard deviation of the logarithms within each cell, weighted by its
/// degrees of freedom. It answers the question a precision target raises but one cell's three
/// executions cannot: how many executions a cell would need for its interval to reach the
/// target here.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PooledSpread {
    /// Pooled standard deviation of the logarithms (0.05: executions typically 5% apart).
    pub log_sd: f64,
    /// Cells with at least 2 executions that contributed.
    pub cells: usize,
    /// Degrees of freedom pooled: the sum over those cells of executions - 1.
    pub freedom: usize,
    /// Cells with at least 2 executions left out as erratic: their own spread lies beyond
    /// Tukey's far fence of the cells' spreads (third quartile + 3 interquartile ranges) and
    /// is more than twice the median cell's.
    #[serde(default)]
    pub erratic: usize,
}

/// Fewest cells for which quartiles of their spreads say what "far more erratic" means.
const FENCE_CELLS: usize = 4;

impl PooledSpread {
    /// From each cell's figures (one slice a cell); cells with fewer than 2 executions carry
    /// no spread and are skipped, erratic cells are left out (see `erratic`). `None` when no
    /// cell has 2.
    pub fn of(cells: &[&[f64]]) -> Result<Option<PooledSpread>, StatisticsError> {
        let mut samples = Vec::new();
        for values in cells.iter().filter(|v| v.len() >= 2) {
            samples.push(LogSample::new(values)?);
        }
        let fence = erratic_fence(&samples.iter().map(|s| s.variance().sqrt()).collect::<Vec<_>>());
        let (mut sum, mut freedom, mut used, mut erratic) = (0.0, 0usize, 0usize, 0usize);
        for sample in &samples {
            if sample.variance().sqrt() > fence {
                erratic += 1;
                continue;
            }
            let df = sample.len() - 1;
            sum += sample.variance() * df as f64;
            freedom += df;
            used += 1;
        }
        Ok((freedom > 0).then(|| PooledSpread {
            log_sd: (sum / freedom as f64).sqrt(),
            cells: used,
            freedom,
            erratic,
        }))
    }

    /// The fewest executions (from 2, up to `max`) whose 95% interval would be no wider than
    /// `target` (0.05 for ±5%) for a cell varying as the pool does; `None` when even `max`
    /// would not do.
    pub fn executions_for(&self, target: f64, max: usize) -> Option<usize> {
        let allowed = target.ln_1p();
        (2..=max).find(|&n| {
            t_quantile(CONFIDENCE, (n - 1) as f64) * self.log_sd / (n as f64).sqrt() <= allowed
        })
    }
}

/// The log SD beyond which a cell is erratic; infinite (none is) with fewer than
/// `FENCE_CELLS` cells.
fn erratic_fence(sds: &[f64]) -> f64 {
    if sds.len() < FENCE_CELLS {
        return f64::INFINITY;
    }
    let (q1, q2, q3) = (quantile(sds, 0.25), quantile(sds, 0.5), quantile(sds, 0.75));
    (q3 + 3.0 * (q3 - q1)).max(2.0 * q2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_the_variance_of_the_logarithms_weighted_by_freedom() {
        // Logs of (e^-a, e^a) have variance 2a²; with a = 0.1 and 0.2, weights 1 and 1.
        let a = [(-0.1f64).exp(), 0.1f64.exp()];
        let b = [(-0.2f64).exp(), 0.2f64.exp()];
        let one = [5.0];
        let pooled = PooledSpread::of(&[&a, &b, &one]).unwrap().unwrap();
        let expected = ((2.0 * 0.01 + 2.0 * 0.04) / 2.0f64).sqrt();
        assert!((pooled.log_sd - expected).abs() < 1e-12, "{pooled:?}");
        assert_eq!((pooled.cells, pooled.freedom, pooled.erratic), (2, 2, 0));
    }

    #[test]
    fn a_cell_far_more_erratic_than_the_rest_is_left_out_and_counted() {
        // Five cells a few percent apart, and one that stalled: 1 req/s against 2,000.
        let steady: Vec<[f64; 3]> = (0..5).map(|i| [100.0, 103.0 + i as f64, 98.0]).collect();
        let stalled = [1.0, 1_517.0, 2_029.0];
        let mut cells: Vec<&[f64]> = steady.iter().map(|c| c.as_slice()).collect();
        let without = PooledSpread::of(&cells).unwrap().unwrap();
        cells.push(&stalled);
        let with = PooledSpread::of(&cells).unwrap().unwrap();
        assert_eq!((with.cells, with.erratic), (5, 1));
        assert_eq!(with.log_sd, without.log_sd);
        assert!(with.log_sd < 0.05, "{with:?}");
    }

    #[test]
    fn spreads_alike_leave_no_cell_out() {
        // Spreads from 2% to 9%: wide, but no cell is far from the others.
        let cells: Vec<[f64; 2]> = (0..8).map(|i| [100.0, 102.0 + i as f64]).collect();
        let slices: Vec<&[f64]> = cells.iter().map(|c| c.as_slice()).collect();
        let pooled = PooledSpread::of(&slices).unwrap().unwrap();
        assert_eq!((pooled.cells, pooled.erratic), (8, 0));
        // Too few cells to tell what erratic means: none is left out, however far.
        let few: [&[f64]; 3] = [&[100.0, 101.0], &[100.0, 101.0], &[1.0, 2_000.0]];
        assert_eq!(PooledSpread::of(&few).unwrap().unwrap().erratic, 0);
    }

    #[test]
    fn no_cell_with_two_executions_has_no_spread() {
        assert_eq!(PooledSpread::of(&[&[3.0], &[]]).unwrap(), None);
        assert!(PooledSpread::of(&[&[1.0, -1.0]]).is_err());
    }

    #[test]
    fn the_executions_needed_grow_with_the_spread_and_meet_the_target() {
        let quiet = PooledSpread { log_sd: 0.01, cells: 10, freedom: 20, erratic: 0 };
        let noisy = PooledSpread { log_sd: 0.08, cells: 10, freedom: 20, erratic: 0 };
        let n_quiet = quiet.executions_for(0.05, 100).unwrap();
        let n_noisy = noisy.executions_for(0.05, 100).unwrap();
        assert!(n_quiet < n_noisy, "{n_quiet} vs {n_noisy}");
        // The count found meets the target and one fewer does not.
        let width = |s: &PooledSpread, n: usize| {
            (t_quantile(CONFIDENCE, (n - 1) as f64) * s.log_sd / (n as f64).sqrt()).exp_m1()
        };
        assert!(width(&noisy, n_noisy) <= 0.05 && width(&noisy, n_noisy - 1) > 0.05);
        assert_eq!(noisy.executions_for(0.05, n_noisy - 1), None);
    }
}
