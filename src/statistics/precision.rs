use serde::{Deserialize, Serialize};

use super::{Estimate, StatisticsError};

/// Adaptive precision: keep adding rounds for the cells whose interval is still wider than
/// the target, up to a maximum number of executions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Precision {
    /// The target relative half-width of the 95% interval (0.05 for ±5%).
    pub target: f64,
    /// Executions every cell gets before its interval is judged: below 3 the t interval is
    /// too wide to meet any useful target (t = 12.7 at 2 executions).
    pub min_executions: usize,
    /// No cell gets more executions than this, whatever its interval.
    pub max_executions: usize,
}

impl Default for Precision {
    fn default() -> Self {
        Precision { target: 0.05, min_executions: 3, max_executions: 10 }
    }
}

/// One cell's standing against the precision target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PrecisionStatus {
    pub executions: usize,
    /// The interval's relative half-width so far; `None` before 2 executions.
    pub relative_half_width: Option<f64>,
    /// The interval is at least as narrow as the target (and the minimum count is reached).
    pub target_met: bool,
    /// The cell should be in the next round.
    pub needs_more: bool,
}

impl Precision {
    /// The executions a cell is planned in round 1 (the run's first, before any round that
    /// adds some): its `repeat` setting, at least the target's minimum when there is a
    /// target, and at least one.
    pub fn planned(repeat: u32, target: Option<&Precision>) -> u32 {
        let minimum = target.map_or(1, |p| p.min_executions as u32);
        repeat.max(minimum).max(1)
    }

    /// For each cell (its figure's values so far, e.g. requests/s), in the input order,
    /// whether the target is met and whether it needs another execution. A cell with no
    /// executions yet needs one.
    pub fn decide(&self, cells: &[&[f64]]) -> Result<Vec<PrecisionStatus>, StatisticsError> {
        cells.iter().map(|values| self.status(values)).collect()
    }

    fn status(&self, values: &[f64]) -> Result<PrecisionStatus, StatisticsError> {
        let relative_half_width = match values {
            [] => None,
            _ => Estimate::from_executions(values)?.relative_half_width,
        };
        let target_met = values.len() >= self.min_executions
            && relative_half_width.is_some_and(|width| width <= self.target);
        Ok(PrecisionStatus {
            executions: values.len(),
            relative_half_width,
            target_met,
            needs_more: !target_met && values.len() < self.max_executions,
        })
    }
}
