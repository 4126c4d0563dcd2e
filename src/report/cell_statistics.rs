use serde::Serialize;

use crate::run::{host_disturbed, planned_executions};
use crate::statistics::{CellEstimates, CellFigures, Estimate, Exclusion, RankRange};
use crate::store::CellResult;

use super::numbers;

/// A cell's figures over the measured executions they use, their medians with 95% intervals
/// (`statistics::CellEstimates`) and, once the scenario is ranked, its rank range; with the
/// display texts every format shares, so the rule for writing an interval has one home.
/// Which executions the figures use is `statistics::Exclusion`'s rule: the ones the host
/// disturbed are left out when the planned number of quiet ones remain.
#[derive(Clone, Debug, Serialize)]
pub struct CellStatistics {
    /// Executions the figures use (N).
    pub executions: u32,
    /// Measured executions stored for the cell: `executions` plus those left out.
    pub stored: u32,
    /// The executions the cell was planned in its run's first round (`run::planned_executions`
    /// over its stored executions: the `repeat` setting, at least the precision target's
    /// minimum): the quiet ones needed to leave any out.
    pub planned: u32,
    /// Execution numbers the figures use.
    pub used: Vec<u32>,
    /// Execution numbers left out of the figures: the host disturbed them (`host-quiet`
    /// failed) and at least `planned` quiet ones remain.
    pub left_out: Vec<u32>,
    /// Disturbed executions the figures still use, for want of `planned` quiet ones.
    pub disturbed_used: Vec<u32>,
    /// What the host's disturbance did to the figures, next to them (a row's note); `None`
    /// when it disturbed none of the executions.
    pub caveat: Option<String>,
    /// Each used execution's figures (latency in microseconds); latency only from executions
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
    /// From a cell's measured executions (`outcome` ok with a load summary), the disturbed
    /// ones left out as `statistics::Exclusion` says.
    pub fn of(measured: &[&CellResult]) -> CellStatistics {
        let disturbed: Vec<bool> = measured.iter().map(|r| host_disturbed(&r.checks)).collect();
        let planned = planned_executions(None, measured.iter().copied());
        let exclusion = Exclusion::of(planned as usize, &disturbed);
        let used = exclusion.apply(measured);
        let numbers_where = |keep: fn(bool, bool) -> bool| -> Vec<u32> {
            let flags = disturbed.iter().zip(&exclusion.used);
            let picked = measured.iter().zip(flags).filter(|(_, (d, u))| keep(**d, **u));
            picked.map(|(r, _)| r.repetition).collect()
        };
        let used_numbers = numbers_where(|_, used| used);
        let left_out = numbers_where(|disturbed, used| disturbed && !used);
        let disturbed_used = numbers_where(|disturbed, used| disturbed && used);
        let loads: Vec<_> = used.iter().filter_map(|r| r.load.as_ref()).collect();
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
        let steal = |n: &u32| {
            let result = measured.iter().find(|r| r.repetition == *n);
            match result.and_then(|r| r.usage.as_ref()?.steal_cores) {
                Some(steal) => format!("{n} (steal {} cores)", numbers::fixed(steal, 2)),
                None => n.to_string(),
            }
        };
        let caveat = caveat(
            measured.len(),
            planned,
            &left_out.iter().map(steal).collect::<Vec<_>>(),
            &disturbed_used.iter().map(steal).collect::<Vec<_>>(),
        );
        CellStatistics {
            executions: loads.len() as u32,
            stored: measured.len() as u32,
            planned,
            used: used_numbers,
            left_out,
            disturbed_used,
            caveat,
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

/// The caveat of a cell of `stored` measured executions planned for `planned`, given the
/// disturbed executions (named) left out and those used.
fn caveat(stored: usize, planned: u32, left_out: &[String], used: &[String]) -> Option<String> {
    const WHY: &str = "the host took CPU from their measured window (host-quiet failed: other \
                       processes or the hypervisor's steal)";
    let quiet = stored - left_out.len() - used.len();
    if !left_out.is_empty() {
        return Some(format!(
            "{} of {stored} executions left out of the figures, {}: {WHY}; {quiet} quiet ones remain (planned: {planned})",
            left_out.len(),
            executions(left_out)
        ));
    }
    let quiet_ones = match quiet {
        0 => "none was quiet".to_string(),
        1 => "only 1 was quiet".to_string(),
        n => format!("only {n} were quiet"),
    };
    (!used.is_empty()).then(|| {
        format!(
            "{} of {stored} executions used are disturbed, {}: {WHY}; kept, as {quiet_ones} (planned: {planned}): treat the figures with care",
            used.len(),
            executions(used)
        )
    })
}

/// `execution 2` or `executions 2, 5`.
fn executions(named: &[String]) -> String {
    let s = if named.len() == 1 { "" } else { "s" };
    format!("execution{s} {}", named.join(", "))
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

    #[test]
    fn a_cell_with_no_or_one_quiet_execution_says_so_in_words() {
        let named = |n: usize| (1..=n).map(|i| i.to_string()).collect::<Vec<_>>();
        let none = caveat(3, 3, &[], &named(3)).unwrap();
        assert!(none.contains("kept, as none was quiet (planned: 3)"), "{none}");
        let one = caveat(3, 3, &[], &named(2)).unwrap();
        assert!(one.contains("kept, as only 1 was quiet (planned: 3)"), "{one}");
        let two = caveat(4, 3, &[], &named(2)).unwrap();
        assert!(two.contains("kept, as only 2 were quiet (planned: 3)"), "{two}");
        assert_eq!(caveat(3, 3, &[], &[]), None, "a quiet cell says nothing");
    }
}
