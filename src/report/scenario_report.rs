use serde::Serialize;

use super::charts::{BarChart, BarInput, LineChart, PercentileChart, PercentileInput, SeriesInput};
use super::methodology::LoadDescription;
use super::numbers;
use super::row_report::{RowReport, label};
use super::table_machines::TableMachines;
use crate::statistics::{Figure, RankRange, rank_ranges};
use crate::store::CellResult;

/// One scenario's section: description, settings, table rows in matrix order, footnotes
/// and chart geometry.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioReport {
    pub name: String,
    pub index: u32,
    pub description: String,
    pub settings: LoadDescription,
    pub rows: Vec<RowReport>,
    /// Rows with a note, in table order: `[^number]: label: text`.
    pub footnotes: Vec<Footnote>,
    /// Some row shows the median of several repetitions.
    pub has_medians: bool,
    /// Some measured row has a single execution, so no interval.
    pub has_single_executions: bool,
    pub charts: ScenarioCharts,
    /// The machines the rows' current results were measured on.
    pub machines: TableMachines,
    /// A line shown next to the table when its machines differ (`TableMachines::caveat`).
    pub machine_caveat: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Footnote {
    pub number: u32,
    pub label: String,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScenarioCharts {
    pub rps: BarChart,
    pub latency: PercentileChart,
    pub cpu: BarChart,
    pub memory: BarChart,
    /// One pair of line charts for each swept setting with several numeric values.
    pub sweeps: Vec<SweepCharts>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SweepCharts {
    pub key: String,
    pub rps: LineChart,
    pub p99: LineChart,
}

impl ScenarioReport {
    /// `rows` in table order; `results` every result of the scenario; footnotes are
    /// numbered from `next_footnote`, which is advanced.
    pub fn build(
        mut rows: Vec<RowReport>,
        results: &[&CellResult],
        next_footnote: &mut u32,
    ) -> ScenarioReport {
        rank(&mut rows);
        let mut footnotes = Vec::new();
        for row in &mut rows {
            if let Some(text) = &row.note {
                row.footnote = Some(*next_footnote);
                footnotes.push(Footnote {
                    number: *next_footnote,
                    label: row.label.clone(),
                    text: text.clone(),
                });
                *next_footnote += 1;
            }
        }
        let first = results[0];
        ScenarioReport {
            name: first.scenario.clone(),
            index: first.scenario_index,
            description: results
                .iter()
                .map(|r| r.description.clone())
                .find(|d| !d.is_empty())
                .unwrap_or_default(),
            settings: LoadDescription::of(results),
            has_medians: rows.iter().any(|r| r.ok_repetitions > 1),
            has_single_executions: rows.iter().any(|r| r.statistics.executions == 1),
            charts: charts(&first.scenario, &rows),
            machines: TableMachines::default(),
            machine_caveat: None,
            footnotes,
            rows,
        }
    }
}

/// Rank ranges by requests/s among the rows with an interval (`statistics::rank_ranges`);
/// measured rows without one (no 2xx response) share the ranks after them.
fn rank(rows: &mut [RowReport]) {
    let estimated: Vec<usize> =
        (0..rows.len()).filter(|&i| rows[i].statistics.estimates.is_some()).collect();
    let estimates: Vec<_> = estimated
        .iter()
        .map(|&i| rows[i].statistics.estimates.as_ref().unwrap().requests_per_second.clone())
        .collect();
    for (&i, range) in estimated.iter().zip(rank_ranges(&estimates, Figure::RequestsPerSecond)) {
        rows[i].statistics.set_rank(range);
    }
    let unranked = rows.iter().filter(|r| r.measured && r.statistics.estimates.is_none()).count();
    let last = RankRange { best: estimated.len() + 1, worst: estimated.len() + unranked };
    for row in rows.iter_mut().filter(|r| r.measured && r.statistics.estimates.is_none()) {
        row.statistics.set_rank(last);
    }
}

fn charts(scenario: &str, rows: &[RowReport]) -> ScenarioCharts {
    let flagged = |r: &RowReport, column: &str| r.suspect.iter().any(|s| s == column);
    let rps = BarChart::new(
        &format!("{scenario}: requests/s (2xx only), higher is better"),
        rows.iter()
            .map(|r| BarInput {
                label: r.label.clone(),
                value: r.ok_rps,
                value_label: match (r.ok_rps, r.statistics.executions) {
                    (None, _) => "N/A".into(),
                    (Some(rps), 1) => format!("{} (1 execution, no interval)", numbers::int(rps)),
                    (Some(rps), _) => numbers::int(rps),
                },
                marker: None,
                interval: r
                    .statistics
                    .estimates
                    .as_ref()
                    .and_then(|e| e.requests_per_second.low.zip(e.requests_per_second.high)),
                flagged: flagged(r, "rps"),
            })
            .collect(),
        0.0,
    );
    let latency = PercentileChart::new(
        &format!("{scenario}: latency p50 / p90 / p99 / max, log scale, lower is better"),
        rows.iter()
            .map(|r| PercentileInput {
                label: r.label.clone(),
                values_us: r
                    .latency
                    .as_ref()
                    .map(|l| [l.p50_us as f64, l.p90_us as f64, l.p99_us as f64, l.max_us as f64]),
            })
            .collect(),
    );
    let cpu = BarChart::new(
        &format!("{scenario}: server CPU, % of one core (bar: mean, tick: peak)"),
        rows.iter()
            .map(|r| BarInput {
                label: r.label.clone(),
                value: r.usage.as_ref().map(|u| u.cpu_percent_mean),
                value_label: r.usage.as_ref().map_or("N/A".into(), |u| {
                    format!(
                        "{}% (peak {}%)",
                        numbers::fixed(u.cpu_percent_mean, 1),
                        numbers::fixed(u.cpu_percent_max, 1)
                    )
                }),
                marker: r.usage.as_ref().map(|u| u.cpu_percent_max),
                interval: None,
                flagged: false,
            })
            .collect(),
        100.0,
    );
    let memory = BarChart::new(
        &format!("{scenario}: server memory peak, MiB"),
        rows.iter()
            .map(|r| BarInput {
                label: r.label.clone(),
                value: r.usage.as_ref().map(|u| u.memory_bytes_max as f64 / (1024.0 * 1024.0)),
                value_label: r.usage.as_ref().map_or("N/A".into(), |u| {
                    format!("{} MiB", numbers::mib(u.memory_bytes_max as f64))
                }),
                marker: None,
                interval: None,
                flagged: r.usage.as_ref().is_some_and(|u| u.oom_killed),
            })
            .collect(),
        0.0,
    );
    ScenarioCharts { rps, latency, cpu, memory, sweeps: sweeps(scenario, rows) }
}

/// For each swept key: one line a row (with the other swept values fixed) through its
/// measured values, when some line has two points or more.
fn sweeps(scenario: &str, rows: &[RowReport]) -> Vec<SweepCharts> {
    let mut keys: Vec<String> = Vec::new();
    for row in rows {
        for (key, _) in &row.sweep {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
    }
    let mut out = Vec::new();
    for key in keys {
        // Lines keyed by the row name and the other swept values.
        let mut lines: Vec<(String, Vec<&RowReport>)> = Vec::new();
        for row in rows.iter().filter(|r| r.measured) {
            if !row.sweep.iter().any(|(k, v)| *k == key && v.parse::<f64>().is_ok()) {
                continue;
            }
            let others: Vec<(String, String)> =
                row.sweep.iter().filter(|(k, _)| *k != key).cloned().collect();
            let line = label(&row.name, &others);
            match lines.iter_mut().find(|(l, _)| *l == line) {
                Some((_, members)) => members.push(row),
                None => lines.push((line, vec![row])),
            }
        }
        lines.retain(|(_, members)| members.len() >= 2);
        if lines.is_empty() {
            continue;
        }
        let series = |value: &dyn Fn(&RowReport) -> f64| -> Vec<SeriesInput> {
            lines
                .iter()
                .map(|(line, members)| {
                    let mut points: Vec<(f64, f64)> = members
                        .iter()
                        .map(|r| {
                            let x = r
                                .sweep
                                .iter()
                                .find(|(k, _)| *k == key)
                                .unwrap()
                                .1
                                .parse::<f64>()
                                .unwrap();
                            (x, value(r))
                        })
                        .collect();
                    points.sort_by(|a, b| a.0.total_cmp(&b.0));
                    SeriesInput { label: line.clone(), points }
                })
                .collect()
        };
        out.push(SweepCharts {
            rps: LineChart::new(
                &format!("{scenario}: requests/s against {key}"),
                &key,
                "req/s",
                series(&|r| r.ok_rps.unwrap_or(0.0)),
            ),
            p99: LineChart::new(
                &format!("{scenario}: p99 latency (ms) against {key}"),
                &key,
                "ms",
                series(&|r| r.latency.as_ref().map_or(0.0, |l| l.p99_us as f64 / 1000.0)),
            ),
            key,
        });
    }
    out
}
