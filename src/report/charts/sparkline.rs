use serde::Serialize;

use super::r1;
use crate::load::LoadWindow;
use crate::report::numbers;

/// A table-cell-sized line of completed requests per second over the measured windows:
/// shows a warm-up still going on, a stall or a collapse that one average hides.
#[derive(Clone, Debug, Serialize)]
pub struct Sparkline {
    pub width: f64,
    pub height: f64,
    /// SVG path data (`M x y L x y ...`), y growing downwards from the top of the box.
    pub path: String,
    /// Windows with an error, as x positions (drawn as red ticks).
    pub error_x: Vec<f64>,
    /// Tooltip: `20 windows of 1 s: 5,900–6,700 req/s`.
    pub title: String,
}

const WIDTH: f64 = 90.0;
const HEIGHT: f64 = 22.0;

impl Sparkline {
    /// `None` with fewer than two windows (nothing to draw a line through).
    pub fn of_windows(windows: &[LoadWindow]) -> Option<Sparkline> {
        if windows.len() < 2 {
            return None;
        }
        let rates: Vec<f64> = windows
            .iter()
            .map(|w| w.requests as f64 / (w.duration_us.max(1) as f64 / 1e6))
            .collect();
        let (low, high) =
            rates.iter().fold((f64::INFINITY, 0.0_f64), |(lo, hi), &r| (lo.min(r), hi.max(r)));
        // The scale starts at 0 so a dip reads at its true size.
        let top = if high > 0.0 { high } else { 1.0 };
        let step = WIDTH / (rates.len() - 1) as f64;
        let x = |i: usize| r1(i as f64 * step);
        let path = rates
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let y = r1(HEIGHT - 1.0 - (HEIGHT - 2.0) * r / top);
                format!("{}{} {}", if i == 0 { "M" } else { " L" }, x(i), y)
            })
            .collect();
        let error_x =
            windows.iter().enumerate().filter(|(_, w)| w.errors > 0).map(|(i, _)| x(i)).collect();
        Some(Sparkline {
            width: WIDTH,
            height: HEIGHT,
            path,
            error_x,
            title: format!(
                "{} windows: {}–{} req/s",
                windows.len(),
                numbers::int(low),
                numbers::int(high)
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(requests: u64, errors: u64) -> LoadWindow {
        LoadWindow { duration_us: 1_000_000, requests, errors, ..Default::default() }
    }

    #[test]
    fn draws_the_rate_from_zero_and_marks_error_windows() {
        assert!(Sparkline::of_windows(&[window(5, 0)]).is_none());
        let line = Sparkline::of_windows(&[window(100, 0), window(50, 2), window(0, 0)]).unwrap();
        assert_eq!(line.path, "M0 1 L45 11 L90 21");
        assert_eq!(line.error_x, [45.0]);
        assert_eq!(line.title, "3 windows: 0–100 req/s");
    }
}
