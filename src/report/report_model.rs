use serde::Serialize;

use super::cell_statistics::CellStatistics;
use super::export::{CellSummary, Export, ExportedResult};
use super::methodology::Methodology;
use super::report_error::ReportError;
use super::row_report::RowReport;
use super::scenario_report::ScenarioReport;
use super::table_machines::TableMachines;
use crate::store::CellResult;

/// Everything a report template sees (documented in `docs/report.md`).
#[derive(Clone, Debug, Serialize)]
pub struct ReportModel {
    /// `bench <version>` of the binary rendering the report.
    pub generated_by: String,
    pub methodology: Methodology,
    /// In `scenario_index` order.
    pub scenarios: Vec<ScenarioReport>,
    pub export: Export,
}

impl ReportModel {
    /// Gives each row the href of its flame graph, when `href` finds one (the report stays
    /// pure: whoever renders it knows where the files are).
    pub fn link_profiles(&mut self, href: impl Fn(&RowReport) -> Option<String>) {
        for row in self.scenarios.iter_mut().flat_map(|s| s.rows.iter_mut()) {
            row.profile = href(row);
        }
    }

    pub fn build(results: &[CellResult]) -> ReportModel {
        let mut sorted: Vec<&CellResult> = results.iter().collect();
        sorted.sort_by(|a, b| {
            (
                a.scenario_index,
                &a.scenario,
                a.row_index,
                &a.name,
                sweep_key(a),
                a.repetition,
                &a.hash,
            )
                .cmp(&(
                    b.scenario_index,
                    &b.scenario,
                    b.row_index,
                    &b.name,
                    sweep_key(b),
                    b.repetition,
                    &b.hash,
                ))
        });
        let mut scenarios = Vec::new();
        let mut exported = Vec::new();
        let mut next_footnote = 1;
        for scenario in chunk_by(&sorted, |r| (r.scenario_index, r.scenario.clone())) {
            let cells = chunk_by(&scenario, |r| (r.row_index, r.name.clone(), sweep_key(r)));
            let rows: Vec<RowReport> = cells.iter().map(|cell| RowReport::build(cell)).collect();
            // Built first: it ranks the rows, which the export carries.
            let mut report = ScenarioReport::build(rows, &scenario, &mut next_footnote);
            let current = cells
                .iter()
                .zip(&report.rows)
                .flat_map(|(cell, row)| cell.iter().filter(move |r| r.hash == row.hash));
            report.machines = TableMachines::of(current.copied());
            report.machine_caveat = report.machines.caveat();
            for (cell, row) in cells.iter().zip(&report.rows) {
                for result in cell {
                    let current = result.hash == row.hash;
                    let used = current && row.statistics.used.contains(&result.repetition);
                    exported.push(ExportedResult {
                        median: current && result.repetition == row.shown_repetition,
                        current,
                        used,
                        cell: current.then(|| CellSummary {
                            executions: row.statistics.executions,
                            stored: row.statistics.stored,
                            left_out: row.statistics.left_out.clone(),
                            rank: row.statistics.rank_label.clone(),
                            estimates: row.statistics.estimates.clone(),
                        }),
                        result: (*result).clone(),
                    });
                }
            }
            scenarios.push(report);
        }
        let cells: Vec<&CellStatistics> = scenarios
            .iter()
            .flat_map(|s: &ScenarioReport| &s.rows)
            .map(|r| &r.statistics)
            .collect();
        ReportModel {
            generated_by: format!("bench {}", env!("CARGO_PKG_VERSION")),
            methodology: Methodology::of(&sorted, &cells),
            scenarios,
            export: Export::new(exported),
        }
    }
}

impl ReportModel {
    /// `ReportError::MixedMachines` naming every table whose rows were measured on more than
    /// one machine: ranking them would mix the machines' difference into the rows'.
    pub fn refuse_mixed_machines(&self) -> Result<(), ReportError> {
        let mixed: Vec<String> = self
            .scenarios
            .iter()
            .filter(|s| s.machines.is_mixed())
            .map(|s| {
                format!(
                    "table `{}` has cells from {} machines: {}",
                    s.name,
                    s.machines.machines.len(),
                    s.machines.describe()
                )
            })
            .collect();
        match mixed.is_empty() {
            true => Ok(()),
            false => Err(ReportError::MixedMachines(mixed.join("\n"))),
        }
    }
}

/// Swept values ordered numerically where they are numbers (16 before 128).
fn sweep_key(result: &CellResult) -> Vec<(String, u64, String)> {
    result
        .sweep
        .iter()
        .map(|(k, v)| {
            (k.clone(), v.parse::<f64>().map_or(u64::MAX, |n| (n * 1000.0) as u64), v.clone())
        })
        .collect()
}

/// Consecutive runs of equal keys in an already sorted list.
fn chunk_by<'a, K: PartialEq>(
    items: &[&'a CellResult],
    key: impl Fn(&CellResult) -> K,
) -> Vec<Vec<&'a CellResult>> {
    let mut out: Vec<Vec<&CellResult>> = Vec::new();
    let mut last: Option<K> = None;
    for item in items {
        let k = key(item);
        if last.as_ref() == Some(&k) {
            out.last_mut().unwrap().push(item);
        } else {
            out.push(vec![item]);
            last = Some(k);
        }
    }
    out
}
