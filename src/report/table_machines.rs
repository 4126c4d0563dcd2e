use serde::Serialize;

use crate::store::CellResult;

/// The machines the results of one table (comparison group) were measured on: a table
/// ranks its rows against each other, which is only fair on machines that share the facts
/// `Machine::ranked_facts` names (CPU model and count), so `bench report` refuses a table
/// with several such machines (`ReportModel::mixed_machines`) unless asked. Machines that
/// share them but differ in a noted fact (memory, kernel, Docker) rank together, and the
/// table's caveat names the difference.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TableMachines {
    /// Each machine with a fingerprint, in order of first appearance.
    pub machines: Vec<TableMachine>,
    /// Cells with a result stored before machines were recorded: one unknown machine,
    /// which is named in the caveat but never refused.
    pub unknown_cells: Vec<String>,
    /// The noted facts (`Machine::noted_facts`) with more than one value among the cells'
    /// machines.
    pub noted: Vec<NotedFact>,
}

/// One machine of a table and the cells measured on it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TableMachine {
    /// `Machine::key`.
    pub fingerprint: String,
    /// `Intel Xeon ..., 2 cores`.
    pub label: String,
    /// `Machine::ranked_facts`: what sets it apart from the table's other machines.
    pub ranked: Vec<(String, String)>,
    /// Cell ids, in table order.
    pub cells: Vec<String>,
}

/// A noted fact that differs within a table: each value, with the cells measured with it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NotedFact {
    pub fact: String,
    pub values: Vec<(String, Vec<String>)>,
}

/// How many cell ids a message lists for one machine before `and N more`.
const CELLS_SHOWN: usize = 3;

impl TableMachines {
    /// The machines of `results` (the results the table ranks); N/A results measured
    /// nothing and have none (`CellResult::measured_on`).
    pub fn of<'a>(results: impl IntoIterator<Item = &'a CellResult>) -> TableMachines {
        let mut table = TableMachines::default();
        for result in results {
            let Some(machine) = result.measured_on() else { continue };
            let Some(key) = machine.key() else {
                add(&mut table.unknown_cells, &result.id);
                continue;
            };
            let at = match table.machines.iter().position(|m| m.fingerprint == key) {
                Some(at) => at,
                None => {
                    table.machines.push(TableMachine {
                        fingerprint: key,
                        label: machine.label(),
                        ranked: named(&machine.ranked_facts()),
                        cells: Vec::new(),
                    });
                    table.machines.len() - 1
                }
            };
            add(&mut table.machines[at].cells, &result.id);
            for (fact, value) in named(&machine.noted_facts()) {
                let at = match table.noted.iter().position(|n| n.fact == fact) {
                    Some(at) => at,
                    None => {
                        table.noted.push(NotedFact { fact, values: Vec::new() });
                        table.noted.len() - 1
                    }
                };
                let values = &mut table.noted[at].values;
                match values.iter_mut().find(|(v, _)| *v == value) {
                    Some((_, cells)) => add(cells, &result.id),
                    None => values.push((value, vec![result.id.clone()])),
                }
            }
        }
        table.noted.retain(|n| n.values.len() > 1);
        table
    }

    /// Cells of this table come from more than one known machine.
    pub fn is_mixed(&self) -> bool {
        self.machines.len() > 1
    }

    /// `they differ in CPU model (Intel Xeon / AMD EPYC): Intel Xeon, 2 cores (fingerprint
    /// 1a2b3c4d5e6f): 2 cells (a/hello, b/hello); ...`; the first part only when mixed.
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
        let machines = parts.join("; ");
        match self.is_mixed() {
            true => format!("they differ in {}: {machines}", self.ranked_differences()),
            false => machines,
        }
    }

    /// `CPU model (Intel Xeon / AMD EPYC) and CPUs (2 / 4)`: the ranked facts whose values
    /// differ between the machines.
    fn ranked_differences(&self) -> String {
        let Some(first) = self.machines.first() else {
            return String::new();
        };
        let differing: Vec<String> = (0..first.ranked.len())
            .filter_map(|i| {
                let mut values: Vec<&str> = Vec::new();
                for m in &self.machines {
                    let value = m.ranked.get(i).map_or("unknown", |(_, v)| v.as_str());
                    if !values.contains(&value) {
                        values.push(value);
                    }
                }
                (values.len() > 1)
                    .then(|| format!("{} ({})", first.ranked[i].0, values.join(" / ")))
            })
            .collect();
        differing.join(" and ")
    }

    /// The line a table carries when it is shown although its machines differ, some of its
    /// cells have no machine recorded, or its machines differ in a noted fact; `None` for a
    /// table from one machine.
    pub fn caveat(&self) -> Option<String> {
        let mut lines = Vec::new();
        if self.is_mixed() {
            lines.push(format!(
                "Caveat: this table ranks cells measured on {} different machines, so \
                 differences between rows include the machines' (shown with --allow-mixed): {}.",
                self.machines.len(),
                self.describe()
            ));
        } else if !self.machines.is_empty() && !self.unknown_cells.is_empty() {
            lines.push(format!(
                "Caveat: some cells of this table were stored without a machine record and \
                 may come from another machine: {}.",
                self.describe()
            ));
        }
        if !self.noted.is_empty() {
            let noted: Vec<String> = self.noted.iter().map(NotedFact::describe).collect();
            lines.push(format!(
                "Caveat: the cells of this table were measured on machines of one CPU model \
                 and count that differ in {}; they are ranked together, and the difference is \
                 named in case it matters.",
                noted.join(" and ")
            ));
        }
        (!lines.is_empty()).then(|| lines.join(" "))
    }
}

impl NotedFact {
    /// `kernel (6.1.0-18-amd64: 2 cells (a, b); 6.1.0-21-amd64: 1 cell (c))`.
    fn describe(&self) -> String {
        let values: Vec<String> =
            self.values.iter().map(|(value, ids)| format!("{value}: {}", cells(ids))).collect();
        format!("{} ({})", self.fact, values.join("; "))
    }
}

/// The facts with owned names and values.
fn named(facts: &[(&'static str, String)]) -> Vec<(String, String)> {
    facts.iter().map(|(name, value)| (name.to_string(), value.clone())).collect()
}

/// `id` added to `ids` once.
fn add(ids: &mut Vec<String>, id: &str) {
    if !ids.iter().any(|known| known == id) {
        ids.push(id.to_string());
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
