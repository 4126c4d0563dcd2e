use serde::{Deserialize, Serialize};

/// How many executions a run may add to replace the ones the host disturbed: an execution
/// whose measured window lost CPU to other processes or to the hypervisor's steal (the
/// `host-quiet` check failed) earns its cell one more execution in a later round, at most
/// `per_cell` a cell and at most `share` of the run's planned executions in all (rounded up),
/// whichever bound is reached first. What the figure then uses is `Exclusion`'s rule.
///
/// The defaults are a publication's: 3 a cell replaces every execution of a cell measured
/// 3 times (the publication's count), so a cell caught by one long burst can still reach 3
/// quiet executions; 25% of the run bounds its extra time to a quarter, above the share of
/// windows a burst hit in the 2026-12-02 run (docs/statistics.md) plus the replacements
/// that are hit again.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Remeasure {
    /// Extra executions a cell may get, at most.
    pub per_cell: usize,
    /// Extra executions in all, at most, as a share of the run's planned executions.
    pub share: f64,
}

impl Default for Remeasure {
    fn default() -> Self {
        Remeasure { per_cell: 3, share: 0.25 }
    }
}

impl Remeasure {
    /// No re-measuring: a disturbed execution earns nothing.
    pub const OFF: Remeasure = Remeasure { per_cell: 0, share: 0.0 };

    /// The most `per_cell` may be (`bench run --remeasure` refuses more; a plan given more
    /// uses this): a cell's executions replaced several times over, far past what a burst
    /// needs, while the extra executions stay countable.
    pub const MAX_PER_CELL: usize = 20;

    /// The most extra executions a run of `planned` executions may make: none when off, else
    /// `share` of them rounded up, so that a small run can still replace one.
    pub fn budget(&self, planned: usize) -> usize {
        if self.per_cell == 0 || self.share.is_nan() || self.share <= 0.0 {
            return 0;
        }
        (self.share * planned as f64).ceil() as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_a_share_of_the_plan_rounded_up_and_nothing_when_off() {
        let remeasure = Remeasure::default();
        assert_eq!(remeasure.budget(111), 28);
        assert_eq!(remeasure.budget(3), 1, "a single cell can replace one");
        assert_eq!(remeasure.budget(0), 0);
        assert_eq!(Remeasure::OFF.budget(111), 0);
        assert_eq!(Remeasure { per_cell: 0, share: 0.25 }.budget(111), 0);
        assert_eq!(Remeasure { per_cell: 2, share: 0.0 }.budget(111), 0);
    }
}
