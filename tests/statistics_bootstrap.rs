//! Why bench's intervals are not a percentile bootstrap: at 3-10 executions it under-covers.
//! The bootstrap lives here, in the test that rejects it, not in the crate.

use bench::statistics::Estimate;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};
use statrs::statistics::{Data, OrderStatistics};

const CELLS: usize = 1_000;
const RESAMPLES: usize = 500;
const MEDIAN: f64 = 5_000.0;

/// The 2.5th and 97.5th percentiles of the medians of resamples drawn with replacement.
fn percentile_bootstrap(values: &[f64], rng: &mut ChaCha8Rng) -> (f64, f64) {
    let mut medians: Vec<f64> = (0..RESAMPLES)
        .map(|_| {
            let resample: Vec<f64> =
                (0..values.len()).map(|_| values[rng.random_range(0..values.len())]).collect();
            Data::new(resample).median()
        })
        .collect();
    medians.sort_by(f64::total_cmp);
    let at = |q: f64| medians[((RESAMPLES - 1) as f64 * q).round() as usize];
    (at(0.025), at(0.975))
}

#[test]
fn percentile_bootstrap_under_covers_where_the_log_t_interval_does_not() {
    let distribution = LogNormal::new(MEDIAN.ln(), 0.1).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(23);
    // The widest interval the bootstrap can return is [min, max], which holds the median
    // with probability 1 - 2 / 2^N whatever the distribution: 0.75 at N = 3, so that ceiling
    // is a fact, not tuning; 0.94 at N = 5, below nominal by construction but too close to
    // 0.95 to assert on 1,000 cells. From N = 10 on it is near nominal (docs/statistics.md).
    for (n, ceiling) in [(3, Some(0.80)), (5, None), (10, None)] {
        let (mut bootstrap, mut log_t) = (0, 0);
        for _ in 0..CELLS {
            let values: Vec<f64> = (0..n).map(|_| distribution.sample(&mut rng)).collect();
            let (low, high) = percentile_bootstrap(&values, &mut rng);
            bootstrap += usize::from(low <= MEDIAN && MEDIAN <= high);
            let estimate = Estimate::from_executions(&values).unwrap();
            log_t +=
                usize::from(estimate.low.unwrap() <= MEDIAN && MEDIAN <= estimate.high.unwrap());
        }
        let (bootstrap, log_t) = (bootstrap as f64 / CELLS as f64, log_t as f64 / CELLS as f64);
        println!("N = {n}: percentile bootstrap {bootstrap:.3}, log-t {log_t:.3}");
        if let Some(ceiling) = ceiling {
            assert!(bootstrap < ceiling, "N = {n}: bootstrap coverage {bootstrap}");
        }
        assert!(log_t >= 0.93, "N = {n}: log-t coverage {log_t}");
    }
}
