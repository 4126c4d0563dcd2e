use serde::{Deserialize, Serialize};

/// Which of a cell's executions its figure uses, given which ones the host disturbed (lost
/// CPU to other processes or the hypervisor's steal while measuring). Every execution stays
/// stored; this only chooses the figure's.
///
/// The rule: when at least the cell's planned number of executions were quiet, the disturbed
/// ones are left out; otherwise every execution is used (the row then keeps its caveat). It
/// reads only the host's disturbance, measured apart from the server (`/proc/stat` around
/// the window), never the figures, so it cannot favour fast or slow executions; and since
/// it asks for the planned count of quiet ones, leaving executions out never leaves a cell
/// with fewer than were planned.
///
/// That holds only while how many quiet executions a cell gets does not depend on its
/// disturbed ones' values either: whatever adds executions must decide without them (the
/// run's precision rounds judge the quiet executions' interval, `run::RunPlan`), and the
/// planned count must be the same for the plan and the report (`run::planned_executions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    /// Per execution, in the input order: the figure uses it.
    pub used: Vec<bool>,
    /// Disturbed executions left out of the figure.
    pub left_out: usize,
    /// Disturbed executions the figure still uses, for want of enough quiet ones.
    pub disturbed_used: usize,
}

impl Exclusion {
    /// The rule for a cell planned for `planned` executions whose executions were disturbed
    /// as `disturbed` says, one flag an execution.
    pub fn of(planned: usize, disturbed: &[bool]) -> Exclusion {
        let quiet = disturbed.iter().filter(|d| !**d).count();
        let hit = disturbed.len() - quiet;
        let leave_out = quiet >= planned.max(1);
        Exclusion {
            used: disturbed.iter().map(|d| !(leave_out && *d)).collect(),
            left_out: if leave_out { hit } else { 0 },
            disturbed_used: if leave_out { 0 } else { hit },
        }
    }

    /// The values of the executions the figure uses, in order (`values` one an execution,
    /// in the order the flags were given).
    pub fn apply<T: Copy>(&self, values: &[T]) -> Vec<T> {
        values.iter().zip(&self.used).filter(|(_, used)| **used).map(|(v, _)| *v).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disturbed_executions_are_left_out_once_the_planned_number_are_quiet() {
        let rule = Exclusion::of(3, &[true, false, false, false]);
        assert_eq!(rule.used, [false, true, true, true]);
        assert_eq!((rule.left_out, rule.disturbed_used), (1, 0));
        assert_eq!(rule.apply(&[9.0, 100.0, 101.0, 99.0]), [100.0, 101.0, 99.0]);
    }

    #[test]
    fn too_few_quiet_executions_keep_every_one() {
        let rule = Exclusion::of(3, &[true, false, true, false]);
        assert_eq!(rule.used, [true; 4]);
        assert_eq!((rule.left_out, rule.disturbed_used), (0, 2));
        assert_eq!(rule.apply(&[1, 2, 3, 4]), [1, 2, 3, 4]);
    }

    #[test]
    fn a_quiet_cell_uses_everything_and_the_figures_never_matter() {
        let quiet = Exclusion::of(3, &[false; 5]);
        assert_eq!(quiet.used, [true; 5]);
        assert_eq!((quiet.left_out, quiet.disturbed_used), (0, 0));
        // The same flags give the same choice whatever the values: only the flags are read.
        let rule = Exclusion::of(2, &[false, true, false]);
        assert_eq!(rule.apply(&[1.0, 1000.0, 2.0]), [1.0, 2.0]);
        assert_eq!(rule.apply(&[1000.0, 1.0, 2000.0]), [1000.0, 2000.0]);
        assert_eq!(Exclusion::of(3, &[]).used, Vec::<bool>::new());
    }
}
