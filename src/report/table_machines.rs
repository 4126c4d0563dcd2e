use serde::Serialize;

use crate::store::{CellResult, Machine};

/// The machines the results of one table (comparison group) were measured on: a table
/// ranks its rows against each other, which is only fair on one machine, so `bench report`
/// refuses a table with several (`ReportModel::mixed_machines`) unless asked.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TableMachines {
    /// Each machine with a fingerprint, in order of first appearance.
    pub machines: Vec<TableMachine>,
    /// Cells with a result stored before machines were recorded: one unknown machine,
    /// which is named in the caveat but never refused.
    pub unknown_cells: Vec<String>,
}

/// One machine of a table and the cells measured on it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TableMachine {
    pub fingerprint: String,
    /// `Intel Xeon ..., 2 cores`.
    pub label: String,
    /// Cell ids, in table order.
    pub cells: Vec<String>,
}

/// How many cell ids a message lists for one machine before `and N more`.
const CELLS_SHOWN: usize = 3;

impl TableMachines {
    /// The machines of `results` (the results the table ranks).
    pub fn of<'a>(results: impl IntoIterator<Item = &'a CellResult>) -> TableMachines {
        let mut table = TableMachines::default();
        for result in results {
            let machine: &Machine = &result.provenance.machine;
            let cells = match &machine.fingerprint {
                None => &mut table.unknown_cells,
                Some(fingerprint) => {
                    let at = match table.machines.iter().position(|m| &m.fingerprint == fingerprint)
                    {
                        Some(at) => at,
                        None => {
                            table.machines.push(TableMachine {
                                fingerprint: fingerprint.clone(),
                                label: machine.label(),
                                cells: Vec::new(),
                            });
                            table.machines.len() - 1
                        }
                    };
                    &mut table.machines[at].cells
                }
            };
            if !cells.contains(&result.id) {
                cells.push(result.id.clone());
            }
        }
        table
    }

    /// Cells of this table come from more than one known machine.
    pub fn is_mixed(&self) -> bool {
        self.machines.len() > 1
    }

    /// `Intel Xeon, 2 cores (fingerprint 1a2b3c4d5e6f): 2 cells (a/hello, b/hello); ...`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .machines
            .iter()
            .map(|m| format!("{} (fingerprint {}): {}", m.label, m.fingerprint, cells(&m.cells)))
            .collect();
        if !self.unknown_cells.is_empty() {
            parts.push(format!(
                "unknown machine (results stored before machines were recorded): {}",
                cells(&self.unknown_cells)
            ));
        }
        parts.join("; ")
    }

    /// The line a table carries when it is shown although its machines differ, or some of
    /// its cells have no machine recorded; `None` for a table from one machine.
    pub fn caveat(&self) -> Option<String> {
        if self.is_mixed() {
            Some(format!(
                "Caveat: this table ranks cells measured on {} different machines, so \
                 differences between rows include the machines' (shown with --allow-mixed): {}.",
                self.machines.len(),
                self.describe()
            ))
        } else if !self.machines.is_empty() && !self.unknown_cells.is_empty() {
            Some(format!(
                "Caveat: some cells of this table were stored without a machine record and \
                 may come from another machine: {}.",
                self.describe()
            ))
        } else {
            None
        }
    }
}

/// `2 cells (a/hello, b/hello)` or `5 cells (a, b, c and 2 more)`.
fn cells(ids: &[String]) -> String {
    let shown = ids.iter().take(CELLS_SHOWN).cloned().collect::<Vec<_>>().join(", ");
    let more = ids.len().saturating_sub(CELLS_SHOWN);
    let unit = if ids.len() == 1 { "cell" } else { "cells" };
    match more {
        0 => format!("{} {unit} ({shown})", ids.len()),
        n => format!("{} {unit} ({shown} and {n} more)", ids.len()),
    }
}
