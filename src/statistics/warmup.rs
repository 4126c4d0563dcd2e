use serde::{Deserialize, Serialize};

use super::log_sample::{extremes, median};

/// When warm-up may stop: throughput has been steady for `steady_windows` consecutive
/// per-second windows, meaning their range is within `tolerance` of their median, or the
/// configured warm-up has run out.
///
/// Why this rule: three windows are the fewest that show both noise and trend; a 10% band
/// holds a steady server's per-second noise but not a ramp steeper than about 5% a second,
/// and it resets on a JIT-like step, so PyPy keeps warming while its rate still jumps,
/// whereas a CPython server that is steady after a second stops warming after about three.
/// Its limit: a plateau of `steady_windows` seconds before a later step is taken as steady;
/// the bound is then what protects the measurement. See `docs/statistics.md`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WarmupRule {
    pub steady_windows: usize,
    pub tolerance: f64,
}

impl Default for WarmupRule {
    fn default() -> Self {
        WarmupRule { steady_windows: 3, tolerance: 0.10 }
    }
}

/// How warm-up ended, after how many windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum WarmupEnd {
    /// The last `steady_windows` of these windows were steady.
    Steady { windows: usize },
    /// The configured warm-up ran out first.
    Bound { windows: usize },
}

impl WarmupRule {
    /// The online decision after each window: `None` while warm-up must go on, given the
    /// per-second throughput so far and the configured warm-up in windows.
    pub fn decide(&self, windows: &[f64], bound: usize) -> Option<WarmupEnd> {
        let seen = windows.len().min(bound);
        let steady = seen >= self.steady_windows.max(1)
            && self.is_steady(&windows[seen - self.steady_windows.max(1)..seen]);
        if steady {
            Some(WarmupEnd::Steady { windows: seen })
        } else if seen == bound {
            Some(WarmupEnd::Bound { windows: bound })
        } else {
            None
        }
    }

    /// The first point at which `decide` ends warm-up over a whole series; `None` if the
    /// series stops before that.
    pub fn end(&self, windows: &[f64], bound: usize) -> Option<WarmupEnd> {
        (0..=windows.len().min(bound)).find_map(|seen| self.decide(&windows[..seen], bound))
    }

    fn is_steady(&self, recent: &[f64]) -> bool {
        let centre = median(recent);
        let (low, high) = extremes(recent);
        // A server that is not answering yet (0 req/s) is not steady, however flat.
        centre > 0.0 && high - low <= self.tolerance * centre
    }
}
