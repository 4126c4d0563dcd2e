//! The methodology's lines on the host while the executions were measured: how many the
//! host disturbed and what the figures did with them, and the share of the machine's CPUs
//! the hypervisor delivered in each measured window (the calibration reads the machine's
//! speed before a window; the steal during it is what the figure felt).

use super::cell_statistics::CellStatistics;
use super::numbers;
use crate::statistics::median;
use crate::store::CellResult;

/// How many measured executions the host disturbed, and what the figures did with them
/// (`statistics::Exclusion`, applied by `CellStatistics`).
pub(super) fn disturbed(cells: &[&CellStatistics]) -> String {
    let stored: u32 = cells.iter().map(|c| c.stored).sum();
    let count = |of: fn(&CellStatistics) -> usize| -> (usize, usize) {
        let hit: Vec<usize> = cells.iter().map(|c| of(c)).filter(|n| *n > 0).collect();
        (hit.iter().sum(), hit.len())
    };
    let (left_out, left_out_cells) = count(|c| c.left_out.len());
    let (kept, kept_cells) = count(|c| c.disturbed_used.len());
    if left_out + kept == 0 {
        return format!("none of {stored} measured executions");
    }
    let mut parts = vec![format!(
        "{} of {stored} measured executions (other processes or the hypervisor's steal took CPU while measuring)",
        left_out + kept
    )];
    if left_out > 0 {
        parts.push(format!(
            "{left_out} left out of the figures of {left_out_cells} cell(s), which kept their planned number of quiet executions"
        ));
    }
    if kept > 0 {
        parts.push(format!(
            "{kept} kept in the figures of {kept_cells} cell(s) with too few quiet executions (their rows say so)"
        ));
    }
    parts.join("; ")
}

/// Each measured window's work index, 1 − the cores the hypervisor stole over the machine's
/// CPUs (`usage.steal_cores`, `online_cpus`): its median and lowest over the run; `None`
/// when no result recorded the steal.
pub(super) fn delivered(results: &[&CellResult]) -> Option<String> {
    let index: Vec<f64> = results
        .iter()
        .filter_map(|r| {
            let steal = r.usage.as_ref()?.steal_cores?;
            let cpus = f64::from(r.provenance.machine.online_cpus.filter(|n| *n > 0)?);
            Some(1.0 - steal / cpus)
        })
        .collect();
    let lowest = index.iter().copied().reduce(f64::min)?;
    let pct = |v: f64| format!("{}%", numbers::fixed(v * 100.0, 0));
    Some(format!(
        "median {}, lowest {} over {} executions (1 − the steal over the machine's CPUs while measuring)",
        pct(median(&index)),
        pct(lowest),
        index.len()
    ))
}
