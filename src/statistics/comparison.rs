use serde::{Deserialize, Serialize};

use super::log_sample::{LogSample, t_quantile};
use super::{CONFIDENCE, Figure, StatisticsError};

/// What a comparison may claim about the candidate against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Better for the figure (more requests/s, or less latency), beyond the noise.
    Faster,
    /// Worse for the figure, beyond the noise.
    Slower,
    /// The interval contains 1: the data cannot tell the two apart.
    NoDifference,
}

/// The candidate's figure relative to the baseline's, with its uncertainty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub figure: Figure,
    /// Candidate over baseline, as a ratio of geometric means: the estimate of the ratio of
    /// population medians that the interval is built around.
    pub ratio: f64,
    /// The 95% interval of the ratio.
    pub low: f64,
    pub high: f64,
    pub verdict: Verdict,
}

impl Comparison {
    /// Welch's t interval for the difference of mean logarithms, exponentiated: a ratio
    /// interval that allows the two cells different spreads (Welch–Satterthwaite freedom).
    pub fn of(
        baseline: &[f64],
        candidate: &[f64],
        figure: Figure,
    ) -> Result<Self, StatisticsError> {
        let (base, cand) = (LogSample::new(baseline)?, LogSample::new(candidate)?);
        if base.len() < 2 || cand.len() < 2 {
            return Err(StatisticsError::TooFewToCompare {
                baseline: base.len(),
                candidate: cand.len(),
            });
        }
        let (vb, vc) = (base.variance() / base.len() as f64, cand.variance() / cand.len() as f64);
        let se = (vb + vc).sqrt();
        let freedom = if se > 0.0 {
            (vb + vc).powi(2)
                / (vb.powi(2) / (base.len() - 1) as f64 + vc.powi(2) / (cand.len() - 1) as f64)
        } else {
            // Both sides constant: the interval is a point, any freedom gives it.
            (base.len() + cand.len() - 2) as f64
        };
        let difference = cand.mean() - base.mean();
        let half = t_quantile(CONFIDENCE, freedom) * se;
        let (low, high) = ((difference - half).exp(), (difference + half).exp());
        let verdict = if low > 1.0 || high < 1.0 {
            if (low > 1.0) == figure.higher_is_better() { Verdict::Faster } else { Verdict::Slower }
        } else {
            Verdict::NoDifference
        };
        Ok(Comparison { figure, ratio: difference.exp(), low, high, verdict })
    }
}
