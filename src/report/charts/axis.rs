use serde::Serialize;

use crate::report::numbers;

/// A labelled position on an axis.
#[derive(Clone, Debug, Serialize)]
pub struct Tick {
    /// Position along the axis, in user units.
    pub pos: f64,
    pub label: String,
}

/// A "nice" linear scale from 0: the top value and the tick values (about five).
pub(crate) fn nice_scale(max: f64) -> (f64, Vec<f64>) {
    if !max.is_finite() || max <= 0.0 {
        return (1.0, vec![0.0, 1.0]);
    }
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let count = (max / step).ceil() as usize;
    let values: Vec<f64> = (0..=count).map(|i| i as f64 * step).collect();
    (*values.last().unwrap(), values)
}

/// Decades covering `[lo, hi]` for a log scale (at least 0.001, at most 12 decades);
/// `(0.1, 1)` when there is nothing to cover.
pub(crate) fn decades(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite() && hi > 0.0) {
        return (0.1, 1.0);
    }
    let lo = 10f64.powf(lo.max(1e-3).log10().floor());
    let mut hi = 10f64.powf(hi.max(lo).log10().ceil());
    if hi <= lo {
        hi = lo * 10.0;
    }
    (lo, hi.min(lo * 1e12))
}

/// Label of a latency in milliseconds: `0.1 ms`, `10 ms`, `1 s`.
pub(crate) fn latency_label(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{} s", numbers::compact(ms / 1000.0))
    } else {
        format!("{} ms", numbers::compact(ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_scales_cover_the_maximum() {
        assert_eq!(
            nice_scale(214_112.0),
            (250_000.0, vec![0.0, 50_000.0, 100_000.0, 150_000.0, 200_000.0, 250_000.0])
        );
        assert_eq!(nice_scale(100.0).0, 100.0);
        assert_eq!(nice_scale(11.0).1, vec![0.0, 2.5, 5.0, 7.5, 10.0, 12.5]);
        assert_eq!(nice_scale(0.0).0, 1.0);
        assert_eq!(decades(0.11, 14_000.0), (0.1, 100_000.0));
        assert_eq!(decades(5.0, 5.0), (1.0, 10.0));
        assert_eq!(decades(f64::INFINITY, 0.0), (0.1, 1.0));
        assert_eq!(decades(0.0, 0.0), (0.1, 1.0));
        assert_eq!(latency_label(0.1), "0.1 ms");
        assert_eq!(latency_label(10_000.0), "10 s");
    }
}
