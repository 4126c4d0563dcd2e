use serde::{Deserialize, Serialize};

use super::{Estimate, Figure, StatisticsError};

/// A cell's figures, one value per execution, as the run stage collects them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CellFigures {
    pub requests_per_second: Vec<f64>,
    pub latency_mean: Vec<f64>,
    pub latency_p50: Vec<f64>,
    pub latency_p99: Vec<f64>,
}

impl CellFigures {
    /// The executions' values of one figure.
    pub fn of(&self, figure: Figure) -> &[f64] {
        match figure {
            Figure::RequestsPerSecond => &self.requests_per_second,
            Figure::LatencyMean => &self.latency_mean,
            Figure::LatencyP50 => &self.latency_p50,
            Figure::LatencyP99 => &self.latency_p99,
        }
    }
}

/// Every published figure of a cell with its interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellEstimates {
    pub requests_per_second: Estimate,
    pub latency_mean: Estimate,
    pub latency_p50: Estimate,
    pub latency_p99: Estimate,
}

impl CellEstimates {
    /// Estimates each figure; an error names the figure it came from.
    pub fn from_figures(figures: &CellFigures) -> Result<Self, StatisticsError> {
        let estimate = |figure: Figure| {
            Estimate::from_executions(figures.of(figure))
                .map_err(|source| StatisticsError::InFigure { figure, source: Box::new(source) })
        };
        Ok(CellEstimates {
            requests_per_second: estimate(Figure::RequestsPerSecond)?,
            latency_mean: estimate(Figure::LatencyMean)?,
            latency_p50: estimate(Figure::LatencyP50)?,
            latency_p99: estimate(Figure::LatencyP99)?,
        })
    }

    /// One figure's estimate.
    pub fn of(&self, figure: Figure) -> &Estimate {
        match figure {
            Figure::RequestsPerSecond => &self.requests_per_second,
            Figure::LatencyMean => &self.latency_mean,
            Figure::LatencyP50 => &self.latency_p50,
            Figure::LatencyP99 => &self.latency_p99,
        }
    }
}
