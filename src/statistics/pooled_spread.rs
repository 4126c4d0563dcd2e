use serde::{Deserialize, Serialize};

use super::log_sample::{LogSample, t_quantile};
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
}

impl PooledSpread {
    /// From each cell's figures (one slice a cell); cells with fewer than 2 executions carry
    /// no spread and are skipped. `None` when no cell has 2.
    pub fn of(cells: &[&[f64]]) -> Result<Option<PooledSpread>, StatisticsError> {
        let (mut sum, mut freedom, mut used) = (0.0, 0usize, 0usize);
        for values in cells.iter().filter(|v| v.len() >= 2) {
            let sample = LogSample::new(values)?;
            let df = sample.len() - 1;
            sum += sample.variance() * df as f64;
            freedom += df;
            used += 1;
        }
        Ok((freedom > 0).then(|| PooledSpread {
            log_sd: (sum / freedom as f64).sqrt(),
            cells: used,
            freedom,
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
        assert_eq!((pooled.cells, pooled.freedom), (2, 2));
    }

    #[test]
    fn no_cell_with_two_executions_has_no_spread() {
        assert_eq!(PooledSpread::of(&[&[3.0], &[]]).unwrap(), None);
        assert!(PooledSpread::of(&[&[1.0, -1.0]]).is_err());
    }

    #[test]
    fn the_executions_needed_grow_with_the_spread_and_meet_the_target() {
        let quiet = PooledSpread { log_sd: 0.01, cells: 10, freedom: 20 };
        let noisy = PooledSpread { log_sd: 0.08, cells: 10, freedom: 20 };
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
