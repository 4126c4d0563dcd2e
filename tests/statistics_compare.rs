//! Comparing two cells and ranking many: a verdict only where the data support it.

use bench::statistics::{
    Comparison, Estimate, Figure, RankRange, StatisticsError, Verdict, rank_ranges,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};

const PAIRS: usize = 2_000;

/// Verdicts over `PAIRS` simulated pairs of cells, `n` executions each, whose population
/// medians differ by the factor `ratio` (candidate over baseline), log-normal noise `sigma`.
fn verdicts(n: usize, ratio: f64, sigma: f64, seed: u64) -> [usize; 3] {
    let baseline = LogNormal::new(1_000f64.ln(), sigma).unwrap();
    let candidate = LogNormal::new((1_000.0 * ratio).ln(), sigma).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts = [0; 3];
    for _ in 0..PAIRS {
        let b: Vec<f64> = (0..n).map(|_| baseline.sample(&mut rng)).collect();
        let c: Vec<f64> = (0..n).map(|_| candidate.sample(&mut rng)).collect();
        let slot = match Comparison::of(&b, &c, Figure::RequestsPerSecond).unwrap().verdict {
            Verdict::Faster => 0,
            Verdict::Slower => 1,
            Verdict::NoDifference => 2,
        };
        counts[slot] += 1;
    }
    counts
}

#[test]
fn equal_cells_are_called_different_about_5_percent_of_the_time() {
    // 2,000 pairs at p = 0.05: 100 expected, standard deviation 9.7; 4 deviations either side.
    for n in [3, 5, 10] {
        let [faster, slower, _] = verdicts(n, 1.0, 0.1, 31 + n as u64);
        let false_positives = faster + slower;
        println!("equal, N = {n}: {false_positives} of {PAIRS} pairs called different");
        assert!((61..=139).contains(&false_positives), "N = {n}: {false_positives}");
    }
}

#[test]
fn cells_10_percent_apart_with_modest_noise_are_told_apart() {
    // sigma = 0.05: executions of one cell spread about 12% (five of them, max over min).
    let [faster, slower, _] = verdicts(10, 1.10, 0.05, 41);
    println!("10% apart, N = 10: {faster} of {PAIRS} detected");
    assert!(faster as f64 >= 0.95 * PAIRS as f64, "detected {faster}");
    assert_eq!(slower, 0, "a real gain was called a loss");
    let [faster, slower, _] = verdicts(5, 1.10, 0.05, 43);
    println!("10% apart, N = 5: {faster} of {PAIRS} detected");
    assert!(faster as f64 >= 0.60 * PAIRS as f64, "detected {faster}");
    assert_eq!(slower, 0, "a real gain was called a loss");
}

#[test]
fn the_verdict_follows_the_figure_direction() {
    let base = [10.0, 10.5, 9.8, 10.2];
    let doubled: Vec<f64> = base.iter().map(|v| v * 2.0).collect();
    let rps = Comparison::of(&base, &doubled, Figure::RequestsPerSecond).unwrap();
    assert_eq!(rps.verdict, Verdict::Faster);
    assert!((rps.ratio - 2.0).abs() < 1e-9 && rps.low < 2.0 && 2.0 < rps.high);
    let p99 = Comparison::of(&base, &doubled, Figure::LatencyP99).unwrap();
    assert_eq!(p99.verdict, Verdict::Slower, "twice the latency is slower");
    let same = Comparison::of(&base, &base, Figure::LatencyMean).unwrap();
    assert_eq!(same.verdict, Verdict::NoDifference);
    assert!(same.low < 1.0 && 1.0 < same.high);
}

#[test]
fn comparing_needs_two_executions_a_side_and_positive_figures() {
    let error = Comparison::of(&[1.0], &[1.0, 2.0], Figure::RequestsPerSecond).unwrap_err();
    assert_eq!(error, StatisticsError::TooFewToCompare { baseline: 1, candidate: 2 });
    assert!(error.to_string().contains("run more executions"), "{error}");
    let error = Comparison::of(&[1.0, 0.0], &[1.0, 2.0], Figure::RequestsPerSecond).unwrap_err();
    assert_eq!(error, StatisticsError::NotPositive { index: 1, value: 0.0 });
}

fn estimate(low: f64, high: f64) -> Estimate {
    Estimate {
        point: (low * high).sqrt(),
        low: Some(low),
        high: Some(high),
        relative_half_width: Some((high / low).sqrt() - 1.0),
        executions: 5,
    }
}

fn range(best: usize, worst: usize) -> RankRange {
    RankRange { best, worst }
}

#[test]
fn overlapping_intervals_share_their_ranks() {
    // A clearly first; B and C overlap each other; D overlaps C only.
    let (a, b) = (estimate(200.0, 220.0), estimate(150.0, 170.0));
    let cells = [a, b, estimate(140.0, 160.0), estimate(100.0, 145.0)];
    let ranks = rank_ranges(&cells, Figure::RequestsPerSecond);
    assert_eq!(ranks, [range(1, 1), range(2, 3), range(2, 4), range(3, 4)]);
    // The same intervals as latencies: lower is better, so the order reverses.
    let ranks = rank_ranges(&cells, Figure::LatencyP50);
    assert_eq!(ranks, [range(4, 4), range(2, 3), range(1, 3), range(1, 2)]);
}

#[test]
fn separate_intervals_give_single_ranks_and_an_unknown_spread_gives_every_rank() {
    let cells = [estimate(1.0, 2.0), estimate(3.0, 4.0), estimate(5.0, 6.0)];
    let ranks = rank_ranges(&cells, Figure::RequestsPerSecond);
    assert_eq!(ranks, [range(3, 3), range(2, 2), range(1, 1)]);
    let single = Estimate::from_executions(&[3.5]).unwrap();
    assert_eq!((single.low, single.high), (None, None));
    let ranks = rank_ranges(&[cells[0].clone(), single, cells[2].clone()], Figure::LatencyMean);
    assert_eq!(ranks, [range(1, 2), range(1, 3), range(2, 3)]);
}
