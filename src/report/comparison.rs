use serde::Serialize;

use super::cell_statistics::CellStatistics;
use super::numbers;
use super::report_model::ReportModel;
use super::row_report::RowReport;
use super::table_machines::TableMachines;
use crate::statistics::{self, Figure, StatisticsError, Verdict};
use crate::store::CellResult;

/// `bench compare OLD NEW`: per scenario and cell, each figure's ratio new/old with its 95%
/// interval (`statistics::Comparison`) and a verdict only where the interval excludes 1.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub old_label: String,
    pub new_label: String,
    pub scenarios: Vec<ScenarioComparison>,
    /// Figures judged slower (fewer requests/s, more latency) beyond the noise.
    pub regressions: u32,
    /// Figures judged faster beyond the noise.
    pub improvements: u32,
    /// Cells compared without a verdict (one execution on a side).
    pub undecided: u32,
    /// Set when the two sides were measured on different machines: a warning, not a
    /// refusal, since comparing machines can be the point (`machine_warning`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine_warning: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScenarioComparison {
    pub name: String,
    pub rows: Vec<RowComparison>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RowComparison {
    pub label: String,
    pub id: String,
    /// The row's name (the cell's directory in a results directory).
    pub name: String,
    pub old: Option<Side>,
    pub new: Option<Side>,
    /// Requests/s, latency mean, p50 and p99 (empty unless measured on both sides).
    pub figures: Vec<FigureChange>,
    /// The href of the cell's differential flame graph, relative to the comparison; set by
    /// `bench compare` when both sides have a stored profile (`bench profile`), left out of
    /// the model otherwise (templates: `r.flame_graph is defined`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flame_graph: Option<String>,
    /// Why nothing is compared (`only in new`, `not measured in old: failed: ...`), or why
    /// no verdict is given.
    pub note: Option<String>,
}

/// One side of a cell: whether it was measured and with how many executions.
#[derive(Clone, Debug, Serialize)]
pub struct Side {
    pub measured: bool,
    pub outcome_label: String,
    pub executions: u32,
    /// The configuration compared (the newest hash seen for the cell on this side): its
    /// profile, if any, is the one `bench compare` draws a differential flame graph from.
    pub hash: String,
}

/// One figure of a cell, old against new.
#[derive(Clone, Debug, Serialize)]
pub struct FigureChange {
    pub figure: Figure,
    /// Medians of the executions (microseconds for latency); `None`: not measured.
    pub old: Option<f64>,
    pub new: Option<f64>,
    /// `6,480` req/s or `3.04` ms, as the tables print the medians.
    pub old_text: String,
    pub new_text: String,
    /// New over old, with its 95% interval when both sides have 2 executions or more.
    pub ratio: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// `1.05 (0.98–1.12)`, or `1.05` without an interval.
    pub ratio_text: String,
    /// `None` when no verdict can be given.
    pub verdict: Option<Verdict>,
    /// `faster`, `slower`, `no difference`, or why there is no verdict.
    pub verdict_label: String,
}

impl Comparison {
    pub fn build(old: &[CellResult], new: &[CellResult]) -> Comparison {
        let machine_warning = machine_warning(old, new);
        let (old, new) = (ReportModel::build(old), ReportModel::build(new));
        let mut names: Vec<String> = new.scenarios.iter().map(|s| s.name.clone()).collect();
        for s in &old.scenarios {
            if !names.contains(&s.name) {
                names.push(s.name.clone());
            }
        }
        let rows_of = |model: &ReportModel, name: &str| -> Vec<RowReport> {
            model
                .scenarios
                .iter()
                .find(|s| s.name == name)
                .map(|s| s.rows.clone())
                .unwrap_or_default()
        };
        let mut scenarios = Vec::new();
        for name in names {
            let (old_rows, new_rows) = (rows_of(&old, &name), rows_of(&new, &name));
            let mut rows: Vec<RowComparison> = new_rows
                .iter()
                .map(|n| compare_row(old_rows.iter().find(|o| o.id == n.id), Some(n)))
                .collect();
            rows.extend(
                old_rows
                    .iter()
                    .filter(|o| !new_rows.iter().any(|n| n.id == o.id))
                    .map(|o| compare_row(Some(o), None)),
            );
            scenarios.push(ScenarioComparison { name, rows });
        }
        let all = || scenarios.iter().flat_map(|s| &s.rows);
        let count = |verdict: Verdict| {
            all().flat_map(|r| &r.figures).filter(|f| f.verdict == Some(verdict)).count() as u32
        };
        let undecided =
            all().filter(|r| r.figures.first().is_some_and(|f| f.verdict.is_none())).count() as u32;
        Comparison {
            old_label: String::new(),
            new_label: String::new(),
            regressions: count(Verdict::Slower),
            improvements: count(Verdict::Faster),
            undecided,
            scenarios,
            machine_warning,
        }
    }
}

/// A line naming the machines of each side when they differ: by fingerprint, or, where a
/// side's results were stored before fingerprints (they record only the CPU model), by the
/// CPU models both sides recorded. Results with neither tell nothing either way.
fn machine_warning(old: &[CellResult], new: &[CellResult]) -> Option<String> {
    let (old_machines, new_machines) = (TableMachines::of(old), TableMachines::of(new));
    let fingerprints = |side: &TableMachines| -> Vec<String> {
        let mut all: Vec<String> = side.machines.iter().map(|m| m.fingerprint.clone()).collect();
        all.sort();
        all
    };
    let labels = |side: &TableMachines| -> String {
        let labels: Vec<String> =
            side.machines.iter().map(|m| format!("{} ({})", m.label, m.fingerprint)).collect();
        labels.join(", ")
    };
    let consequence = "each ratio includes the machines' difference, not only the change \
                       between the runs";
    if !old_machines.machines.is_empty() && !new_machines.machines.is_empty() {
        return (fingerprints(&old_machines) != fingerprints(&new_machines)).then(|| {
            format!(
                "old and new were measured on different machines (old: {}; new: {}): {consequence}",
                labels(&old_machines),
                labels(&new_machines)
            )
        });
    }
    let (old_models, new_models) = (cpu_models(old), cpu_models(new));
    let differ = !old_models.is_empty() && !new_models.is_empty() && old_models != new_models;
    differ.then(|| {
        format!(
            "old and new were measured on different CPU models (old: {}; new: {}): {consequence}",
            old_models.into_iter().collect::<Vec<_>>().join(", "),
            new_models.into_iter().collect::<Vec<_>>().join(", ")
        )
    })
}

/// The CPU models the results recorded, sorted and once each.
fn cpu_models(results: &[CellResult]) -> std::collections::BTreeSet<String> {
    results.iter().filter_map(|r| r.provenance.machine.cpu_model.clone()).collect()
}

fn side(row: &RowReport) -> Side {
    Side {
        measured: row.measured,
        outcome_label: row.outcome_label.clone(),
        executions: row.statistics.executions,
        hash: row.hash.clone(),
    }
}

fn compare_row(old: Option<&RowReport>, new: Option<&RowReport>) -> RowComparison {
    let any = new.or(old).expect("a compared row exists on one side");
    let mut row = RowComparison {
        label: any.label.clone(),
        id: any.id.clone(),
        name: any.name.clone(),
        old: old.map(side),
        new: new.map(side),
        figures: Vec::new(),
        note: None,
        flame_graph: None,
    };
    match (old, new) {
        (None, _) => row.note = Some("only in new".into()),
        (_, None) => row.note = Some("only in old".into()),
        (Some(o), Some(n)) if !o.measured || !n.measured => {
            let mut notes = Vec::new();
            for (which, r) in [("old", o), ("new", n)] {
                if !r.measured {
                    notes.push(format!(
                        "not measured in {which}: {}",
                        r.note.clone().unwrap_or_else(|| r.outcome_label.clone())
                    ));
                }
            }
            row.note = Some(notes.join("; "));
        }
        (Some(o), Some(n))
            if o.statistics.estimates.is_none() || n.statistics.estimates.is_none() =>
        {
            let mut notes = Vec::new();
            for (which, r) in [("old", o), ("new", n)] {
                if r.statistics.estimates.is_none() {
                    let why = r.statistics.refused.as_deref().unwrap_or("no request completed");
                    notes.push(format!("nothing to compare in {which}: {why}"));
                }
            }
            row.note = Some(notes.join("; "));
        }
        (Some(o), Some(n)) => {
            let (o, n) = (&o.statistics, &n.statistics);
            row.figures = Figure::ALL.iter().map(|&f| change(f, o, n)).collect();
            if o.executions < 2 || n.executions < 2 {
                row.note = Some(format!(
                    "no verdict can be given: a comparison needs 2 executions or more on each \
                     side (old has {}, new has {}); measure more executions (bench run --executions N)",
                    o.executions, n.executions
                ));
            }
        }
    }
    row
}

fn change(figure: Figure, old: &CellStatistics, new: &CellStatistics) -> FigureChange {
    let point = |s: &CellStatistics| s.estimates.as_ref().map(|e| e.of(figure).point);
    let (old_point, new_point) = (point(old), point(new));
    let text = |v: Option<f64>| match (v, figure) {
        (None, _) => "N/A".to_string(),
        (Some(v), Figure::RequestsPerSecond) => numbers::int(v),
        (Some(v), _) => numbers::ms(v),
    };
    let mut out = FigureChange {
        figure,
        old: old_point,
        new: new_point,
        old_text: text(old_point),
        new_text: text(new_point),
        ratio: old_point.zip(new_point).map(|(o, n)| n / o),
        low: None,
        high: None,
        ratio_text: String::new(),
        verdict: None,
        verdict_label: String::new(),
    };
    match statistics::Comparison::of(old.figures.of(figure), new.figures.of(figure), figure) {
        Ok(c) => {
            out.ratio = Some(c.ratio);
            (out.low, out.high) = (Some(c.low), Some(c.high));
            out.verdict = Some(c.verdict);
            out.verdict_label = match c.verdict {
                Verdict::Faster => "faster",
                Verdict::Slower => "slower",
                Verdict::NoDifference => "no difference",
            }
            .to_string();
        }
        // The row's note says why in full.
        Err(StatisticsError::TooFewToCompare { .. }) => out.verdict_label = "no verdict".into(),
        Err(error) => out.verdict_label = format!("no verdict: {error}"),
    }
    let ratio = |v: f64| numbers::fixed(v, 2);
    out.ratio_text = match (out.ratio, out.low, out.high) {
        (Some(r), Some(low), Some(high)) => {
            format!("{} ({}–{})", ratio(r), ratio(low), ratio(high))
        }
        (Some(r), _, _) => ratio(r),
        _ => "N/A".to_string(),
    };
    out
}
