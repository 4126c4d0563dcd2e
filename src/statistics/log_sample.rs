use statrs::distribution::{ContinuousCDF, StudentsT};
use statrs::statistics::{Data, Max, Min, OrderStatistics};

use super::StatisticsError;

/// The logarithms of one cell's figures over its executions, with the few moments every
/// interval here is built from. Logarithms because execution-to-execution variation is
/// multiplicative (a slower machine moment scales a run, it does not add a constant).
#[derive(Debug, Clone)]
pub(crate) struct LogSample {
    values: Vec<f64>,
    logs: Vec<f64>,
    mean: f64,
    variance: f64,
}

impl LogSample {
    /// Refuses an empty input and any figure that is not positive and finite.
    pub(crate) fn new(values: &[f64]) -> Result<Self, StatisticsError> {
        if values.is_empty() {
            return Err(StatisticsError::Empty);
        }
        if let Some((index, &value)) =
            values.iter().enumerate().find(|(_, v)| !(v.is_finite() && **v > 0.0))
        {
            return Err(StatisticsError::NotPositive { index, value });
        }
        let logs: Vec<f64> = values.iter().map(|v| v.ln()).collect();
        let n = logs.len() as f64;
        let mean = logs.iter().sum::<f64>() / n;
        let variance = if logs.len() < 2 {
            0.0
        } else {
            logs.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / (n - 1.0)
        };
        Ok(LogSample { values: values.to_vec(), logs, mean, variance })
    }

    pub(crate) fn len(&self) -> usize {
        self.logs.len()
    }

    /// Mean of the logarithms: exp of it is the geometric mean.
    pub(crate) fn mean(&self) -> f64 {
        self.mean
    }

    /// Unbiased sample variance of the logarithms (0 for one execution).
    pub(crate) fn variance(&self) -> f64 {
        self.variance
    }

    /// The sample median of the figures themselves (for an even count, the mean of the
    /// middle two, as a reader checking the table would compute it).
    pub(crate) fn median(&self) -> f64 {
        median(&self.values)
    }

    /// Half-width, in logarithms, of the two-sided Student-t interval for the mean of the
    /// logarithms; `None` with fewer than 2 executions, where no spread is known.
    pub(crate) fn half_width(&self, confidence: f64) -> Option<f64> {
        let n = self.len();
        (n >= 2).then(|| t_quantile(confidence, (n - 1) as f64) * (self.variance / n as f64).sqrt())
    }
}

/// The two-sided Student-t critical value: the quantile at (1 + confidence) / 2.
pub(crate) fn t_quantile(confidence: f64, freedom: f64) -> f64 {
    StudentsT::new(0.0, 1.0, freedom)
        .expect("degrees of freedom are positive and finite by construction")
        .inverse_cdf((1.0 + confidence) / 2.0)
}

/// Median of a non-empty slice (mean of the middle two for an even count).
pub(crate) fn median(values: &[f64]) -> f64 {
    Data::new(values.to_vec()).median()
}

/// The value a fraction `q` (0 to 1) of the way through a non-empty slice, by statrs'
/// order statistics (interpolated between neighbours).
pub(crate) fn quantile(values: &[f64], q: f64) -> f64 {
    Data::new(values.to_vec()).quantile(q)
}

/// Smallest and largest of a slice (NaN for an empty one).
pub(crate) fn extremes(values: &[f64]) -> (f64, f64) {
    let data = Data::new(values.to_vec());
    (data.min(), data.max())
}
