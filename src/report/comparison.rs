use serde::Serialize;

use super::numbers;
use super::report_model::ReportModel;
use super::row_report::RowReport;
use crate::store::CellResult;

/// `bench compare OLD NEW`: per scenario and row, the change in requests/s and p99
/// latency, flagged only when larger than the spread across repetitions (or, with one
/// repetition on both sides, than a threshold in percent).
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub old_label: String,
    pub new_label: String,
    pub threshold_percent: f64,
    pub scenarios: Vec<ScenarioComparison>,
    /// Flagged changes for the worse (fewer requests/s, higher p99).
    pub regressions: u32,
    /// Flagged changes for the better.
    pub improvements: u32,
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
    pub old: Option<Side>,
    pub new: Option<Side>,
    pub rps: Option<Change>,
    pub p99: Option<Change>,
    /// Why nothing is compared (`only in new`, `not measured in old: failed: ...`).
    pub note: Option<String>,
}

/// One side of a row: its median values and repetitions.
#[derive(Clone, Debug, Serialize)]
pub struct Side {
    pub measured: bool,
    pub outcome_label: String,
    pub ok_rps: Option<f64>,
    pub p99_us: Option<f64>,
    pub repetitions: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Change {
    pub old: f64,
    pub new: f64,
    pub delta: f64,
    /// `None` when the old value is 0.
    pub percent: Option<f64>,
    /// `+12.3%`.
    pub percent_text: String,
    /// Largest range (max - min) across repetitions of either side; `None`: unknown.
    pub spread: Option<f64>,
    /// What the flag was judged against, for a person.
    pub basis: String,
    pub flagged: bool,
    /// `better` or `worse` when flagged, else empty.
    pub direction: String,
}

impl Comparison {
    pub fn build(old: &[CellResult], new: &[CellResult], threshold_percent: f64) -> Comparison {
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
                .map(|n| {
                    compare_row(old_rows.iter().find(|o| o.id == n.id), Some(n), threshold_percent)
                })
                .collect();
            rows.extend(
                old_rows
                    .iter()
                    .filter(|o| !new_rows.iter().any(|n| n.id == o.id))
                    .map(|o| compare_row(Some(o), None, threshold_percent)),
            );
            scenarios.push(ScenarioComparison { name, rows });
        }
        let count = |direction: &str| {
            scenarios
                .iter()
                .flat_map(|s| &s.rows)
                .flat_map(|r| [&r.rps, &r.p99])
                .flatten()
                .filter(|c| c.direction == direction)
                .count() as u32
        };
        Comparison {
            old_label: String::new(),
            new_label: String::new(),
            threshold_percent,
            regressions: count("worse"),
            improvements: count("better"),
            scenarios,
        }
    }
}

fn side(row: &RowReport) -> Side {
    Side {
        measured: row.measured,
        outcome_label: row.outcome_label.clone(),
        ok_rps: row.ok_rps,
        p99_us: row.latency.as_ref().map(|l| l.p99_us as f64),
        repetitions: row.ok_repetitions,
    }
}

fn compare_row(old: Option<&RowReport>, new: Option<&RowReport>, threshold: f64) -> RowComparison {
    let any = new.or(old).expect("a compared row exists on one side");
    let mut row = RowComparison {
        label: any.label.clone(),
        id: any.id.clone(),
        old: old.map(side),
        new: new.map(side),
        rps: None,
        p99: None,
        note: None,
    };
    match (old, new) {
        (None, Some(_)) => row.note = Some("only in new".into()),
        (Some(_), None) => row.note = Some("only in old".into()),
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
        (Some(o), Some(n)) => {
            let spread = |r: &RowReport, min: Option<f64>, max: Option<f64>| {
                if r.ok_repetitions >= 2 { min.zip(max).map(|(a, b)| b - a) } else { None }
            };
            row.rps = Some(change(
                o.ok_rps.unwrap_or(0.0),
                n.ok_rps.unwrap_or(0.0),
                [spread(o, o.ok_rps_min, o.ok_rps_max), spread(n, n.ok_rps_min, n.ok_rps_max)],
                true,
                threshold,
                &|v| format!("{} req/s", numbers::int(v)),
            ));
            let p99 = |r: &RowReport| r.latency.as_ref().map_or(0.0, |l| l.p99_us as f64);
            row.p99 = Some(change(
                p99(o),
                p99(n),
                [spread(o, o.p99_us_min, o.p99_us_max), spread(n, n.p99_us_min, n.p99_us_max)],
                false,
                threshold,
                &|v| format!("{} ms", numbers::ms(v)),
            ));
        }
        (None, None) => unreachable!(),
    }
    row
}

fn change(
    old: f64,
    new: f64,
    spreads: [Option<f64>; 2],
    higher_is_better: bool,
    threshold: f64,
    unit: &dyn Fn(f64) -> String,
) -> Change {
    let delta = new - old;
    let percent = if old == 0.0 { None } else { Some(delta / old * 100.0) };
    let spread = spreads.iter().flatten().copied().reduce(f64::max);
    let (flagged, basis) = match spread {
        Some(spread) => {
            let sides = if spreads.iter().all(Option::is_some) {
                "both sides"
            } else if spreads[0].is_some() {
                "old only"
            } else {
                "new only"
            };
            (delta.abs() > spread, format!("spread across repetitions {} ({sides})", unit(spread)))
        }
        None => (
            percent.is_none_or(|p| p.abs() > threshold) && delta != 0.0,
            format!(
                "spread unknown (one repetition each): threshold {}%",
                numbers::fixed(threshold, 0)
            ),
        ),
    };
    let better = (delta > 0.0) == higher_is_better;
    Change {
        old,
        new,
        delta,
        percent,
        percent_text: percent.map_or("n/a".into(), |p| {
            format!("{}{}%", if p > 0.0 { "+" } else { "" }, numbers::fixed(p, 1))
        }),
        spread,
        basis,
        flagged,
        direction: match (flagged, better) {
            (false, _) => String::new(),
            (true, true) => "better".into(),
            (true, false) => "worse".into(),
        },
    }
}
