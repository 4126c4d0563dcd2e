use serde::{Deserialize, Serialize};

/// A figure bench publishes for a cell, and which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    RequestsPerSecond,
    LatencyMean,
    LatencyP50,
    LatencyP99,
}

impl Figure {
    /// Every figure, in the order tables show them.
    pub const ALL: [Figure; 4] =
        [Figure::RequestsPerSecond, Figure::LatencyMean, Figure::LatencyP50, Figure::LatencyP99];

    /// Throughput is better high, latency is better low.
    pub fn higher_is_better(self) -> bool {
        matches!(self, Figure::RequestsPerSecond)
    }
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Figure::RequestsPerSecond => "requests/s",
            Figure::LatencyMean => "latency mean",
            Figure::LatencyP50 => "latency p50",
            Figure::LatencyP99 => "latency p99",
        })
    }
}
