//! Does the nominal 95% interval cover 95% of the time at the execution counts bench uses?
//! Seeded simulations of 1,000 cells each, so every figure here is deterministic.

use bench::statistics::{Estimate, Precision};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, StudentT};
use statrs::distribution::{ContinuousCDF, Normal};

const CELLS: usize = 1_000;
/// About the execution-to-execution spread docs/statistics.md reports for this machine.
const SIGMA: f64 = 0.1;
const MEDIAN: f64 = 5_000.0;

/// Share of simulated cells whose interval contains `target`.
fn coverage(n: usize, seed: u64, target: f64, mut draw: impl FnMut(&mut ChaCha8Rng) -> f64) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let covered = (0..CELLS)
        .filter(|_| {
            let values: Vec<f64> = (0..n).map(|_| draw(&mut rng)).collect();
            let estimate = Estimate::from_executions(&values).unwrap();
            estimate.low.unwrap() <= target && target <= estimate.high.unwrap()
        })
        .count();
    covered as f64 / CELLS as f64
}

fn log_normal() -> LogNormal<f64> {
    LogNormal::new(MEDIAN.ln(), SIGMA).unwrap()
}

#[test]
fn log_normal_executions_are_covered_95_percent_of_the_time_at_3_5_and_10() {
    for n in [3, 5, 10] {
        let share = coverage(n, 7 + n as u64, MEDIAN, |rng| log_normal().sample(rng));
        println!("log-normal, N = {n}: coverage {share:.3}");
        assert!((0.93..=0.97).contains(&share), "N = {n}: coverage {share}");
    }
}

/// Heavier tails than log-normal, symmetric in logarithms (Student-t with 3 degrees of
/// freedom): the t interval is known to stay at or above its nominal coverage there, because
/// the heavy tails inflate the sample spread more than they move the mean.
#[test]
fn heavy_tailed_executions_are_covered_at_least_nominally() {
    let tails = StudentT::new(3.0).unwrap();
    for n in [3, 5, 10] {
        let share = coverage(n, 11 + n as u64, MEDIAN, |rng| {
            (MEDIAN.ln() + SIGMA * tails.sample(rng)).exp()
        });
        println!("log-t(3) tails, N = {n}: coverage {share:.3}");
        assert!(share >= 0.93, "N = {n}: coverage {share}");
    }
}

/// Skewed: one execution in five hits a slow period and loses 30%. The interval's target,
/// exp(mean of logarithms), is then below the population median, so coverage of the median
/// falls as N grows and the interval narrows around a point off the target. At bench's N
/// (at most 10) the offset stays small against the interval's width (figures in
/// docs/statistics.md); the bound asserted leaves room for other seeds.
#[test]
fn skewed_executions_under_cover_the_median_as_documented() {
    let slow = 0.2;
    let normal = Normal::new(0.0, SIGMA).unwrap();
    let below = |m: f64| {
        (1.0 - slow) * normal.cdf((m / MEDIAN).ln()) + slow * normal.cdf((m / (0.7 * MEDIAN)).ln())
    };
    let (mut low, mut high) = (0.5 * MEDIAN, MEDIAN);
    for _ in 0..60 {
        let mid = (low + high) / 2.0;
        if below(mid) < 0.5 { low = mid } else { high = mid }
    }
    let population_median = low;
    for n in [3, 5, 10] {
        let share = coverage(n, 13 + n as u64, population_median, |rng| {
            let factor = if rng.random::<f64>() < slow { 0.7 } else { 1.0 };
            factor * log_normal().sample(rng)
        });
        println!("20% of executions 30% slower, N = {n}: coverage of the median {share:.3}");
        assert!(share >= 0.92, "N = {n}: coverage {share}");
    }
}

/// Stopping as soon as the interval is narrow enough favours samples that happen to look
/// tight: the cost in coverage, measured here at a spread where the target is reachable.
#[test]
fn adaptive_stopping_keeps_coverage_near_nominal() {
    let precision = Precision::default();
    let quiet = LogNormal::new(MEDIAN.ln(), 0.03).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let mut executions = 0;
    let covered = (0..CELLS)
        .filter(|_| {
            let mut values: Vec<f64> = Vec::new();
            while precision.decide(&[&values]).unwrap()[0].needs_more {
                values.push(quiet.sample(&mut rng));
            }
            executions += values.len();
            let estimate = Estimate::from_executions(&values).unwrap();
            estimate.low.unwrap() <= MEDIAN && MEDIAN <= estimate.high.unwrap()
        })
        .count();
    let share = covered as f64 / CELLS as f64;
    println!(
        "adaptive (target 5%, 3..=10, sigma 0.03): coverage {share:.3}, mean executions {:.2}",
        executions as f64 / CELLS as f64
    );
    assert!(share >= 0.90, "coverage {share}");
}
