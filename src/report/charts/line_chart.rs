use serde::Serialize;

use super::axis::{Tick, nice_scale};
use super::frame::WIDTH;
use super::{PALETTE, r1};
use crate::report::numbers;

/// Lines of a value against a swept setting (requests/s against connections), one line a
/// row. The x axis is logarithmic when the swept values span a factor of 8 or more.
#[derive(Clone, Debug, Serialize)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub width: f64,
    pub height: f64,
    pub plot_x: f64,
    pub plot_y: f64,
    pub plot_width: f64,
    pub plot_height: f64,
    pub series: Vec<LineSeries>,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LineSeries {
    pub label: String,
    pub color: String,
    /// SVG path data through the points (`M x y L x y ...`).
    pub path: String,
    pub points: Vec<LinePoint>,
    /// Legend entry position.
    pub legend_y: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct LinePoint {
    pub x: f64,
    pub y: f64,
    /// Tooltip (`connections 64: 2,300 req/s`).
    pub title: String,
}

/// One line: its label and `(x, y)` values (unmeasured points left out).
pub struct SeriesInput {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

const HEIGHT: f64 = 310.0;
const LEGEND_WIDTH: f64 = 190.0;

impl LineChart {
    pub fn new(title: &str, x_label: &str, y_label: &str, inputs: Vec<SeriesInput>) -> LineChart {
        let (plot_x, plot_y) = (64.0, 44.0);
        let plot_width = WIDTH - plot_x - LEGEND_WIDTH - 10.0;
        let plot_height = HEIGHT - plot_y - 46.0;
        let mut xs: Vec<f64> = inputs.iter().flat_map(|s| s.points.iter().map(|p| p.0)).collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let (x_min, x_max) =
            (xs.first().copied().unwrap_or(0.0), xs.last().copied().unwrap_or(1.0));
        let log = x_min > 0.0 && x_max / x_min >= 8.0;
        let fx = |v: f64| -> f64 {
            let t = if x_max == x_min {
                0.5
            } else if log {
                (v.log10() - x_min.log10()) / (x_max.log10() - x_min.log10())
            } else {
                (v - x_min) / (x_max - x_min)
            };
            r1(plot_x + plot_width * t)
        };
        let y_max = inputs.iter().flat_map(|s| s.points.iter().map(|p| p.1)).fold(0.0, f64::max);
        let (top, y_values) = nice_scale(y_max);
        let fy = |v: f64| r1(plot_y + plot_height * (1.0 - (v / top).clamp(0.0, 1.0)));
        let series = inputs
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let points: Vec<LinePoint> = s
                    .points
                    .iter()
                    .map(|(x, y)| LinePoint {
                        x: fx(*x),
                        y: fy(*y),
                        title: format!(
                            "{}: {} {}, {} {}",
                            s.label,
                            x_label,
                            numbers::compact(*x),
                            numbers::fixed(*y, 2),
                            y_label
                        ),
                    })
                    .collect();
                let path = points
                    .iter()
                    .enumerate()
                    .map(|(j, p)| format!("{}{} {}", if j == 0 { "M" } else { "L" }, p.x, p.y))
                    .collect::<Vec<_>>()
                    .join(" ");
                LineSeries {
                    color: PALETTE[i % PALETTE.len()].to_string(),
                    path,
                    points,
                    legend_y: plot_y + 6.0 + i as f64 * 18.0,
                    label: s.label,
                }
            })
            .collect::<Vec<_>>();
        let x_ticks =
            xs.iter().map(|v| Tick { pos: fx(*v), label: numbers::compact(*v) }).collect();
        let y_ticks =
            y_values.iter().map(|v| Tick { pos: fy(*v), label: numbers::compact(*v) }).collect();
        let legend_bottom = series.last().map_or(0.0, |s| s.legend_y + 12.0);
        LineChart {
            title: title.to_string(),
            x_label: x_label.to_string(),
            y_label: y_label.to_string(),
            width: WIDTH,
            height: HEIGHT.max(legend_bottom),
            plot_x,
            plot_y,
            plot_width,
            plot_height,
            series,
            x_ticks,
            y_ticks,
        }
    }
}
