use serde::Serialize;

use crate::statistics::{CellEstimates, CellFigures, Estimate, RankRange};
use crate::store::CellResult;

use super::numbers;

/// A cell's figures over its measured executions, their medians with 95% intervals
/// (`statistics::CellEstimates`) and, once the scenario is ranked, its rank range; with the
/// display texts every format shares, so the rule for writing an interval has one home.
#[derive(Clone, Debug, Serialize)]
pub struct CellStatistics {
    /// Measured executions (N).
    pub executions: u32,
    /// Each execution's figures (latency in microseconds); latency only from executions
    /// that completed a request.
    pub figures: CellFigures,
    /// `None` when no execution completed a request, or the statistics refused the figures
    /// (`refused` says why).
    pub estimates: Option<CellEstimates>,
    pub refused: Option<String>,
    /// Best and worst rank by requests/s in the scenario; `None` when not measured.
    pub rank: Option<RankRange>,
    /// `3`, or `2–4` for a tie with the cells whose intervals overlap; empty when unranked.
    pub rank_label: String,
    /// `6,480–6,720`, or `none (1 execution)`.
    pub rps_interval: String,
    pub latency_mean_interval: String,
    pub latency_p50_interval: String,
    pub latency_p99_interval: String,
}

/// What a cell with a single execution shows where an interval would be.
pub const NO_INTERVAL: &str = "none (1 execution)";

impl CellStatistics {
    /// From a cell's measured executions (`outcome` ok with a load summary).
    pub fn of(measured: &[&CellResult]) -> CellStatistics {
        let loads: Vec<_> = measured.iter().filter_map(|r| r.load.as_ref()).collect();
        let answered: Vec<_> = loads.iter().filter(|l| l.requests > 0).collect();
        let figures = CellFigures {
            requests_per_second: loads.iter().map(|l| l.ok_rps).collect(),
            latency_mean: answered.iter().map(|l| l.latency.mean_us).collect(),
            latency_p50: answered.iter().map(|l| l.latency.p50_us as f64).collect(),
            latency_p99: answered.iter().map(|l| l.latency.p99_us as f64).collect(),
        };
        // No completed request: nothing to estimate, and the row's note already says so.
        let (estimates, refused) = match CellEstimates::from_figures(&figures) {
            _ if answered.is_empty() => (None, None),
            Ok(estimates) => (Some(estimates), None),
            Err(error) => (None, Some(format!("no interval: {error}"))),
        };
        let text = |estimate: Option<&Estimate>, unit: fn(f64) -> String| {
            estimate.map_or_else(|| "N/A".to_string(), |e| interval(e, unit))
        };
        let us = |v: f64| numbers::ms(v);
        CellStatistics {
            executions: loads.len() as u32,
            rps_interval: text(estimates.as_ref().map(|e| &e.requests_per_second), numbers::int),
            latency_mean_interval: text(estimates.as_ref().map(|e| &e.latency_mean), us),
            latency_p50_interval: text(estimates.as_ref().map(|e| &e.latency_p50), us),
            latency_p99_interval: text(estimates.as_ref().map(|e| &e.latency_p99), us),
            figures,
            estimates,
            refused,
            rank: None,
            rank_label: String::new(),
        }
    }

    /// Record the cell's rank range.
    pub fn set_rank(&mut self, rank: RankRange) {
        self.rank = Some(rank);
        self.rank_label = if rank.best == rank.worst {
            rank.best.to_string()
        } else {
            format!("{}–{}", rank.best, rank.worst)
        };
    }
}

/// `low–high` in the figure's unit, or what stands for it with one execution.
pub fn interval(estimate: &Estimate, unit: fn(f64) -> String) -> String {
    match (estimate.low, estimate.high) {
        (Some(low), Some(high)) => format!("{}–{}", unit(low), unit(high)),
        _ => NO_INTERVAL.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_execution_says_it_has_no_interval_and_several_show_bounds() {
        let one = Estimate::from_executions(&[100.0]).unwrap();
        assert_eq!(interval(&one, numbers::int), NO_INTERVAL);
        let three = Estimate::from_executions(&[1000.0, 1100.0, 1050.0]).unwrap();
        let text = interval(&three, numbers::int);
        let (low, high) = text.split_once('–').unwrap();
        assert!(low.replace(',', "").parse::<f64>().unwrap() < 1000.0, "{text}");
        assert!(high.replace(',', "").parse::<f64>().unwrap() > 1100.0, "{text}");
    }

    #[test]
    fn a_tie_reads_as_a_range() {
        let mut stats = CellStatistics::of(&[]);
        assert!(stats.estimates.is_none() && stats.refused.is_none());
        stats.set_rank(RankRange { best: 2, worst: 4 });
        assert_eq!(stats.rank_label, "2–4");
        stats.set_rank(RankRange { best: 1, worst: 1 });
        assert_eq!(stats.rank_label, "1");
    }
}
