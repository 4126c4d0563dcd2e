use serde::{Deserialize, Serialize};

use super::StatisticsError;
use super::log_sample::{LogSample, extremes, median};

/// Which executions ran on a machine noticeably faster or slower than the rest of the run,
/// judged by a calibration figure each execution measures (a fixed piece of CPU work).
///
/// An execution is flagged when its deviation from the run's median is both unusual for this
/// run (a modified z-score above `max_z`, Iglewicz & Hoaglin's outlier rule, on logarithms)
/// and material (more than `min_deviation`): the first adapts to how noisy the machine is,
/// the second keeps a quiet run from flagging deviations too small to move a figure beyond
/// the execution-to-execution spread that its interval already includes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpeedRule {
    pub max_z: f64,
    pub min_deviation: f64,
}

impl Default for SpeedRule {
    fn default() -> Self {
        SpeedRule { max_z: 3.5, min_deviation: 0.10 }
    }
}

/// The run's machine-speed index: each execution's calibration figure over the run's median.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeedIndex {
    /// Per execution, in the input order: 1.0 is the run's median speed.
    pub index: Vec<f64>,
    /// Per execution: strays beyond the rule.
    pub flagged: Vec<bool>,
    /// Largest over smallest index: how much the machine's speed varied over the run.
    pub spread: f64,
}

impl SpeedRule {
    /// The index of each execution's calibration figure and which ones the rule flags.
    pub fn index(&self, calibration: &[f64]) -> Result<SpeedIndex, StatisticsError> {
        // The same input rule as every figure (one home): positive and finite.
        LogSample::new(calibration)?;
        let centre = median(calibration);
        let index: Vec<f64> = calibration.iter().map(|v| v / centre).collect();
        let deviations: Vec<f64> = index.iter().map(|i| i.ln().abs()).collect();
        // 0.6745 makes the median absolute deviation estimate the standard deviation of
        // normal data, so `max_z` reads as a number of standard deviations.
        let mad = median(&deviations);
        let flagged = deviations
            .iter()
            .map(|&d| {
                let unusual = if mad > 0.0 { 0.6745 * d / mad > self.max_z } else { d > 0.0 };
                unusual && d > self.min_deviation.ln_1p()
            })
            .collect();
        let (low, high) = extremes(&index);
        Ok(SpeedIndex { index, flagged, spread: high / low })
    }
}
