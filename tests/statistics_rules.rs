//! The pure decisions around a run: adaptive precision, warm-up end, machine-speed index.

use bench::statistics::{Precision, PrecisionStatus, SpeedRule, WarmupEnd, WarmupRule};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

#[test]
fn precision_asks_for_rounds_until_the_target_or_the_maximum() {
    let precision = Precision { target: 0.05, min_executions: 3, max_executions: 6 };
    let tight = [1000.0, 1010.0, 995.0];
    let loose = [1000.0, 1300.0, 800.0];
    let loose_at_max = [1000.0, 1300.0, 800.0, 1100.0, 900.0, 1200.0];
    let two_tight = [1000.0, 1001.0];
    let statuses = precision.decide(&[&tight, &loose, &loose_at_max, &two_tight, &[]]).unwrap();
    let flags: Vec<(bool, bool)> = statuses.iter().map(|s| (s.target_met, s.needs_more)).collect();
    // Met; not met; not met but out of executions; narrow but below the minimum; unmeasured.
    assert_eq!(flags, [(true, false), (false, true), (false, false), (false, true), (false, true)]);
    assert!(statuses[0].relative_half_width.unwrap() <= 0.05);
    assert!(statuses[1].relative_half_width.unwrap() > 0.05);
    assert_eq!(
        statuses[4],
        PrecisionStatus {
            executions: 0,
            relative_half_width: None,
            target_met: false,
            needs_more: true
        }
    );
    let error = precision.decide(&[&[1.0, -1.0]]).unwrap_err();
    assert!(error.to_string().contains("execution 1"), "{error}");
}

const RATE: f64 = 5_000.0;

fn warmup(series: &[f64], bound: usize) -> Option<WarmupEnd> {
    WarmupRule::default().end(series, bound)
}

#[test]
fn a_flat_server_stops_warming_after_three_windows() {
    assert_eq!(warmup(&[RATE; 10], 5), Some(WarmupEnd::Steady { windows: 3 }));
}

#[test]
fn a_ramp_warms_until_it_levels_off() {
    // 20% a second up to the plateau at window 5 (0-based), flat after.
    let ramp: Vec<f64> = (0..12).map(|i| RATE * (0.2 * (i.min(5) as f64) + 0.1).min(1.0)).collect();
    assert_eq!(warmup(&ramp, 10), Some(WarmupEnd::Steady { windows: 7 }));
    // With a shorter configured warm-up, the bound ends it.
    assert_eq!(warmup(&ramp, 4), Some(WarmupEnd::Bound { windows: 4 }));
}

#[test]
fn a_jit_like_step_keeps_warming_until_after_the_step() {
    // Interpreted for two seconds, then the JIT compiles the hot path and the rate triples.
    let step = [0.0, 1_400.0, 1_450.0, 4_500.0, 4_900.0, 5_000.0, 4_950.0, 5_020.0, 4_980.0];
    // 4,500-4,900-5,000 still spans more than 10%; 4,900-5,000-4,950 is steady.
    assert_eq!(warmup(&step, 8), Some(WarmupEnd::Steady { windows: 7 }));
    // A rise of 300 a second (7%) is not steady; the band accepts it once the last three
    // windows span under 10% (4,600 to 5,000), the tail of the rise included: the rule's limit.
    let creeping = [4_000.0, 4_300.0, 4_600.0, 4_900.0, 5_000.0, 5_000.0, 5_000.0];
    assert_eq!(warmup(&creeping, 10), Some(WarmupEnd::Steady { windows: 5 }));
}

#[test]
fn noisy_flat_throughput_ends_early_and_a_server_not_answering_never_counts_as_steady() {
    // 2% per-second noise: steady within a few windows, well before a 10-window bound.
    let noise = Normal::new(RATE, 0.02 * RATE).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for _ in 0..100 {
        let series: Vec<f64> = (0..10).map(|_| noise.sample(&mut rng)).collect();
        match warmup(&series, 10) {
            Some(WarmupEnd::Steady { windows }) => assert!((3..=6).contains(&windows)),
            other => panic!("{series:?}: {other:?}"),
        }
    }
    assert_eq!(warmup(&[0.0; 6], 5), Some(WarmupEnd::Bound { windows: 5 }));
    assert_eq!(warmup(&[RATE, RATE], 5), None, "too few windows to decide");
}

#[test]
fn the_online_decision_waits_then_ends() {
    let rule = WarmupRule::default();
    assert_eq!(rule.decide(&[RATE, RATE], 5), None);
    assert_eq!(rule.decide(&[RATE; 3], 5), Some(WarmupEnd::Steady { windows: 3 }));
    assert_eq!(rule.decide(&[1.0, 2.0, 4.0, 8.0, 16.0], 5), Some(WarmupEnd::Bound { windows: 5 }));
}

#[test]
fn the_speed_index_flags_only_executions_that_stray_unusually_and_materially() {
    let rule = SpeedRule::default();
    let calibration = [100.0, 102.0, 98.0, 101.0, 99.0, 100.5, 70.0, 135.0];
    let speed = rule.index(&calibration).unwrap();
    let flagged: Vec<usize> = (0..calibration.len()).filter(|&i| speed.flagged[i]).collect();
    assert_eq!(flagged, [6, 7]);
    assert!((speed.index[0] - 100.0 / 100.25).abs() < 1e-12);
    assert!((speed.spread - 135.0 / 70.0).abs() < 1e-12);

    // A quiet run: 4% off is unusual for it, but not material, so not flagged.
    let quiet = [100.0, 100.1, 99.9, 100.0, 104.0];
    assert!(rule.index(&quiet).unwrap().flagged.iter().all(|f| !f));
    // A noisy run: 25% off is material but usual for this machine, so not flagged either.
    let noisy = [100.0, 125.0, 80.0, 110.0, 90.0, 120.0, 78.0];
    assert!(rule.index(&noisy).unwrap().flagged.iter().all(|f| !f));
    // All identical except one: MAD is 0, any material deviation is unusual.
    let flat = rule.index(&[100.0, 100.0, 100.0, 100.0, 120.0]).unwrap();
    assert_eq!(flat.flagged, [false, false, false, false, true]);
    assert!(rule.index(&[]).is_err());
}
