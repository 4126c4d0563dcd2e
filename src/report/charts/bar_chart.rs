use serde::Serialize;

use super::axis::{Tick, nice_scale};
use super::frame::{Frame, ROW};
use super::{r1, text_width};
use crate::report::numbers;

/// A horizontal bar chart, one bar a row.
#[derive(Clone, Debug, Serialize)]
pub struct BarChart {
    #[serde(flatten)]
    pub frame: Frame,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Bar {
    pub label: String,
    /// Top of the bar, and its thickness.
    pub y: f64,
    pub thickness: f64,
    /// Baseline of the row's text.
    pub text_y: f64,
    /// Bar length; 0 when not measured.
    pub length: f64,
    /// Where the value text starts.
    pub value_x: f64,
    pub value_label: String,
    pub measured: bool,
    /// A secondary mark (CPU peak), as an x position.
    pub marker_x: Option<f64>,
    /// The 95% interval as an error bar from `x1` to `x2`; `None` without one.
    pub interval_x: Option<(f64, f64)>,
    /// An honesty check failed for this row.
    pub flagged: bool,
}

/// One bar's input: label, value (`None`: not measured, drawn as `N/A`), value text,
/// optional secondary mark, optional interval (low, high), flagged.
pub struct BarInput {
    pub label: String,
    pub value: Option<f64>,
    pub value_label: String,
    pub marker: Option<f64>,
    pub interval: Option<(f64, f64)>,
    pub flagged: bool,
}

const THICKNESS: f64 = 14.0;
const TOP: f64 = 28.0;

impl BarChart {
    /// `floor` is the least top of the scale (100 for CPU percent).
    pub fn new(title: &str, inputs: Vec<BarInput>, floor: f64) -> BarChart {
        let value_width =
            inputs.iter().map(|b| text_width(&b.value_label)).fold(30.0, f64::max) + 10.0;
        let frame = Frame::for_rows(
            title,
            inputs.iter().map(|b| b.label.as_str()),
            inputs.len(),
            TOP,
            value_width,
        );
        let max = inputs
            .iter()
            .flat_map(|b| [b.value, b.marker, b.interval.map(|i| i.1)])
            .flatten()
            .fold(floor, f64::max);
        let (top, tick_values) = nice_scale(max);
        let scale = |v: f64| r1(frame.plot_width * (v / top).clamp(0.0, 1.0));
        let bars = inputs
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                let y = frame.row_top(i);
                let length = b.value.map(scale).unwrap_or(0.0);
                let interval = b.interval.map(|(low, high)| (scale(low), scale(high)));
                let end = [b.marker.map(scale), interval.map(|i| i.1)]
                    .into_iter()
                    .flatten()
                    .fold(length, f64::max);
                Bar {
                    y: r1(y + (ROW - THICKNESS) / 2.0),
                    thickness: THICKNESS,
                    text_y: r1(y + ROW / 2.0 + 4.0),
                    length,
                    value_x: r1(frame.plot_x + end + 6.0),
                    value_label: b.value_label,
                    measured: b.value.is_some(),
                    marker_x: b.marker.map(|m| r1(frame.plot_x + scale(m))),
                    interval_x: interval
                        .map(|(low, high)| (r1(frame.plot_x + low), r1(frame.plot_x + high))),
                    flagged: b.flagged,
                    label: b.label,
                }
            })
            .collect();
        let ticks = tick_values
            .iter()
            .map(|v| Tick { pos: r1(frame.plot_x + scale(*v)), label: numbers::compact(*v) })
            .collect();
        BarChart { frame, bars, ticks }
    }
}
