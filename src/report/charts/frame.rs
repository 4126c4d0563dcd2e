use serde::Serialize;

use super::{r1, text_width};

/// The box of a chart with row labels on the left: title, size, plot area.
#[derive(Clone, Debug, Serialize)]
pub struct Frame {
    pub title: String,
    pub width: f64,
    pub height: f64,
    /// Left edge of the plot (labels are right-aligned just before it).
    pub plot_x: f64,
    pub plot_width: f64,
    /// Top and bottom of the rows area.
    pub plot_top: f64,
    pub plot_bottom: f64,
}

/// Chart width in user units: two charts side by side fit a 1400 px page.
pub(crate) const WIDTH: f64 = 640.0;
/// Height of one row.
pub(crate) const ROW: f64 = 22.0;

impl Frame {
    /// A frame for `rows` labelled rows starting at `top`, leaving `right` units free on the
    /// right of the plot (value labels).
    pub fn for_rows<'a>(
        title: &str,
        labels: impl Iterator<Item = &'a str>,
        rows: usize,
        top: f64,
        right: f64,
    ) -> Frame {
        let label_width = labels.map(text_width).fold(60.0, f64::max).min(280.0);
        let plot_x = r1(label_width + 12.0);
        let plot_bottom = top + rows as f64 * ROW;
        Frame {
            title: title.to_string(),
            width: WIDTH,
            height: plot_bottom + 24.0,
            plot_x,
            plot_width: r1(WIDTH - plot_x - right),
            plot_top: top,
            plot_bottom,
        }
    }

    /// Top of row `i`.
    pub fn row_top(&self, i: usize) -> f64 {
        self.plot_top + i as f64 * ROW
    }
}
