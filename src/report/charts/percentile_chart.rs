use serde::Serialize;

use super::axis::{Tick, decades, latency_label};
use super::frame::{Frame, ROW};
use super::r1;
use crate::report::numbers;

/// Latency percentiles a row on a log scale: a line from p50 to max with a mark for each
/// of p50, p90, p99 and max.
#[derive(Clone, Debug, Serialize)]
pub struct PercentileChart {
    #[serde(flatten)]
    pub frame: Frame,
    pub rows: Vec<PercentileRow>,
    pub ticks: Vec<Tick>,
    /// The marks' names in legend order: `p50`, `p90`, `p99`, `max`.
    pub legend: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PercentileRow {
    pub label: String,
    pub y: f64,
    pub text_y: f64,
    pub measured: bool,
    pub line_x1: f64,
    pub line_x2: f64,
    pub marks: Vec<PercentileMark>,
    /// Tooltip: every percentile in ms.
    pub summary: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PercentileMark {
    /// `p50`, `p90`, `p99`, `max` (also the CSS class).
    pub name: String,
    pub x: f64,
}

/// A row's label and its p50, p90, p99, max in microseconds (`None`: not measured).
pub struct PercentileInput {
    pub label: String,
    pub values_us: Option<[f64; 4]>,
}

const NAMES: [&str; 4] = ["p50", "p90", "p99", "max"];
/// Room for the title and the legend above the rows.
const TOP: f64 = 46.0;

impl PercentileChart {
    pub fn new(title: &str, inputs: Vec<PercentileInput>) -> PercentileChart {
        let frame = Frame::for_rows(
            title,
            inputs.iter().map(|r| r.label.as_str()),
            inputs.len(),
            TOP,
            20.0,
        );
        let all_ms = || inputs.iter().filter_map(|r| r.values_us).flatten().map(|us| us / 1000.0);
        let (lo, hi) =
            decades(all_ms().fold(f64::INFINITY, f64::min), all_ms().fold(0.0, f64::max));
        let (plot_x, plot_width) = (frame.plot_x, frame.plot_width);
        let x = |ms: f64| {
            r1(plot_x + plot_width * (ms.max(lo).log10() - lo.log10()) / (hi.log10() - lo.log10()))
        };
        let rows = inputs
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let y = frame.row_top(i) + ROW / 2.0;
                let (marks, summary) = match r.values_us {
                    Some(values) => (
                        NAMES
                            .iter()
                            .zip(values)
                            .map(|(n, us)| PercentileMark {
                                name: n.to_string(),
                                x: x(us / 1000.0),
                            })
                            .collect(),
                        NAMES
                            .iter()
                            .zip(values)
                            .map(|(n, us)| format!("{n} {} ms", numbers::ms(us)))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    None => (Vec::new(), "N/A".to_string()),
                };
                PercentileRow {
                    y: r1(y),
                    text_y: r1(y + 4.0),
                    measured: !marks.is_empty(),
                    line_x1: marks.first().map_or(plot_x, |m: &PercentileMark| m.x),
                    line_x2: marks.last().map_or(plot_x, |m| m.x),
                    marks,
                    summary,
                    label: r.label,
                }
            })
            .collect();
        // At most 13 decades (`decades` bounds the range).
        let ticks = (0..=12)
            .map(|i| lo * 10f64.powi(i))
            .take_while(|d| *d <= hi * 1.0001)
            .map(|d| Tick { pos: x(d), label: latency_label(d) })
            .collect();
        PercentileChart {
            frame,
            rows,
            ticks,
            legend: NAMES.iter().map(|n| n.to_string()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_measured_row_still_gives_a_bounded_axis() {
        let chart =
            PercentileChart::new("t", vec![PercentileInput { label: "a".into(), values_us: None }]);
        assert_eq!(chart.ticks.len(), 2);
        assert!(!chart.rows[0].measured);
    }

    #[test]
    fn marks_follow_a_log_scale() {
        let chart = PercentileChart::new(
            "t",
            vec![PercentileInput {
                label: "a".into(),
                values_us: Some([1000.0, 10_000.0, 100_000.0, 1_000_000.0]),
            }],
        );
        let xs: Vec<f64> = chart.rows[0].marks.iter().map(|m| m.x).collect();
        let steps: Vec<f64> = xs.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(steps.iter().all(|s| (s - steps[0]).abs() < 0.2), "{xs:?}");
        assert_eq!(chart.ticks.first().unwrap().label, "1 ms");
        assert_eq!(chart.ticks.last().unwrap().label, "1 s");
    }
}
