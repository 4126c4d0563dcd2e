//! Chart geometry for the HTML report, computed here so templates only draw: every
//! coordinate is in SVG user units of the chart's own `width` x `height` box.

mod axis;
mod bar_chart;
mod frame;
mod line_chart;
mod percentile_chart;
mod sparkline;

pub use axis::Tick;
pub use bar_chart::{Bar, BarChart, BarInput};
pub use frame::Frame;
pub use line_chart::{LineChart, LinePoint, LineSeries, SeriesInput};
pub use percentile_chart::{PercentileChart, PercentileInput, PercentileMark, PercentileRow};
pub use sparkline::Sparkline;

/// Categorical colours, readable on white, distinct for the colour-blind in the first six.
pub const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// Round to one decimal: keeps the SVG small and the snapshots stable.
pub(crate) fn r1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Width in user units for a text label at 12px (a rough average glyph width).
pub(crate) fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * 6.6
}
