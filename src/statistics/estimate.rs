use serde::{Deserialize, Serialize};

use super::log_sample::LogSample;
use super::{CONFIDENCE, StatisticsError};

/// One figure of one cell over its executions: what a published table shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The median execution's figure: the point a table prints.
    pub point: f64,
    /// Lower end of the 95% interval for the population median; `None` with one execution.
    pub low: Option<f64>,
    /// Upper end of the 95% interval; `None` with one execution.
    pub high: Option<f64>,
    /// How far the interval reaches from its centre, relative (0.05 for ±5%); the interval is
    /// symmetric in logarithms, so this is its larger, upper side.
    pub relative_half_width: Option<f64>,
    /// How many executions the figure summarises.
    pub executions: usize,
}

impl Estimate {
    /// The median and a Student-t interval on the logarithms of the executions' figures.
    ///
    /// Why this method and not a bootstrap: at 3–10 executions a percentile bootstrap cannot
    /// reach past the sample's extremes and under-covers badly (simulated in
    /// `tests/statistics_bootstrap.rs`; figures in `docs/statistics.md`), while the t interval
    /// on logarithms has its nominal coverage whenever execution-to-execution variation is
    /// log-normal, and then its target, exp(mean of the logarithms), is the population median.
    pub fn from_executions(values: &[f64]) -> Result<Self, StatisticsError> {
        let sample = LogSample::new(values)?;
        let half = sample.half_width(CONFIDENCE);
        let point = sample.median();
        // exp(ln x) lands a hair off x, so identical executions would print their figure just
        // outside its own zero-width interval (902.65 (902.66–902.66)). Only that float noise
        // is snapped: a median outside the interval of a bimodal cell is real (see the docs).
        let snap = |bound: f64| if (bound / point - 1.0).abs() < 1e-9 { point } else { bound };
        Ok(Estimate {
            point,
            low: half.map(|h| snap((sample.mean() - h).exp())),
            high: half.map(|h| snap((sample.mean() + h).exp())),
            relative_half_width: half.map(f64::exp_m1),
            executions: sample.len(),
        })
    }

    /// The interval, or an unbounded one when it is unknown (one execution), so that ranking
    /// treats an unmeasured spread as "could be anything", never as certainty.
    pub fn bounds(&self) -> (f64, f64) {
        (self.low.unwrap_or(0.0), self.high.unwrap_or(f64::INFINITY))
    }
}
