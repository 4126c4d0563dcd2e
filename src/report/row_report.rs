use serde::Serialize;

use crate::load::LatencySummary;
use crate::run::HOST_QUIET;
use crate::store::{CellResult, Check, Outcome, Usage};

use super::cell_statistics::CellStatistics;
use super::charts::Sparkline;
use super::numbers;

/// One line of a scenario's table: a row of the matrix with one value of each swept
/// setting, summarised over its repetitions (the median repetition by `ok_rps`).
#[derive(Clone, Debug, Serialize)]
pub struct RowReport {
    /// The row name, plus the swept values when there are any: `aiohttp (connections=64)`.
    pub label: String,
    pub name: String,
    pub id: String,
    pub row_index: u32,
    pub sweep: Vec<(String, String)>,
    pub framework: String,
    pub server: String,
    pub variant: Option<String>,
    pub runtime: String,
    /// The configuration reported (the newest hash seen for this cell).
    pub hash: String,
    /// `ok` when measured; otherwise the outcome of the latest repetition.
    pub outcome: Outcome,
    /// `measured`, `failed`, `invalid response`, `not applicable`.
    pub outcome_label: String,
    pub reason: Option<String>,
    pub measured: bool,
    /// Repetitions of the reported configuration, and how many were measured.
    pub repetitions: u32,
    pub ok_repetitions: u32,
    /// The repetition shown (median by `ok_rps`; the latest one when none was measured).
    pub shown_repetition: u32,
    /// `None` when not measured or when no request completed (nothing to time).
    pub latency: Option<LatencySummary>,
    pub ok_rps: Option<f64>,
    pub ok_requests: Option<u64>,
    /// Spread across the repetitions the figures use.
    pub ok_rps_min: Option<f64>,
    pub ok_rps_max: Option<f64>,
    pub p99_us_min: Option<f64>,
    pub p99_us_max: Option<f64>,
    /// Medians, 95% intervals, N and rank over the measured repetitions the figures use (the
    /// disturbed ones may be left out: `CellStatistics::left_out`).
    pub statistics: CellStatistics,
    /// Requests resent after the server silently closed a kept-alive connection, summed
    /// over the measured repetitions.
    pub resent: u64,
    /// The generator's warnings (listen backlog, rate not reached), distinct, over the
    /// measured repetitions.
    pub warnings: Vec<String>,
    /// The shown repetition's requests per second, window by window, when stored.
    pub per_second: Option<Sparkline>,
    pub usage: Option<Usage>,
    pub checks: Vec<Check>,
    pub failed_checks: u32,
    /// Columns a failed check casts doubt on: `rps`, `latency`, `requests`.
    pub suspect: Vec<String>,
    /// Each failed check with the column it concerns: `("latency", "littles-law")`.
    pub failed_by_column: Vec<(String, String)>,
    /// `littles-law (latency columns)`, joined with `; `: the tables' failed-check column.
    pub failed_summary: String,
    /// Older results of this cell with another configuration (other hash), left out.
    pub superseded: u32,
    /// Explanation of N/A, medians, failed checks; numbered when the scenario is built.
    pub note: Option<String>,
    pub footnote: Option<u32>,
    /// The href of the cell's flame graph (`bench profile`), relative to the report; set by
    /// `ReportModel::link_profiles`; left out of the model when there is none (templates:
    /// `r.profile is defined`), so reports without profiles are unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The shown repetition as stored: every field.
    pub result: CellResult,
}

impl RowReport {
    /// Summarise every stored result of one cell (same scenario, name and sweep).
    pub fn build(results: &[&CellResult]) -> RowReport {
        let newest = results
            .iter()
            .max_by(|a, b| {
                (&a.provenance.finished_at, a.repetition)
                    .cmp(&(&b.provenance.finished_at, b.repetition))
            })
            .expect("a row has at least one result");
        let mut current: Vec<&CellResult> =
            results.iter().copied().filter(|r| r.hash == newest.hash).collect();
        current.sort_by_key(|r| r.repetition);
        let superseded = (results.len() - current.len()) as u32;
        let all_ok: Vec<&CellResult> = current.iter().copied().filter(|r| measured(r)).collect();
        let statistics = CellStatistics::of(&all_ok);
        // The figures' executions: the disturbed ones the statistics left out are not shown.
        let mut ok: Vec<&CellResult> = all_ok
            .iter()
            .copied()
            .filter(|r| !statistics.left_out.contains(&r.repetition))
            .collect();
        ok.sort_by(|a, b| ok_rps(a).total_cmp(&ok_rps(b)).then(a.repetition.cmp(&b.repetition)));
        let shown = if ok.is_empty() { *current.last().unwrap() } else { ok[(ok.len() - 1) / 2] };
        let load = shown.load.as_ref().filter(|_| !ok.is_empty());
        // What the server did (resent requests, the generator's warnings) is disclosed over
        // every measured execution, left out of the figures or not.
        let resent: u64 = all_ok.iter().filter_map(|r| r.load.as_ref()).map(|l| l.resent).sum();
        let mut warnings: Vec<String> = Vec::new();
        for warning in all_ok.iter().filter_map(|r| r.load.as_ref()).flat_map(|l| &l.warnings) {
            if !warnings.contains(warning) {
                warnings.push(warning.clone());
            }
        }
        let p99s = ok.iter().map(|r| r.load.as_ref().unwrap().latency.p99_us as f64);
        let failed: Vec<&Check> = shown.checks.iter().filter(|c| !c.passed).collect();
        let mut failed_by_column: Vec<(String, String)> =
            failed.iter().map(|c| (concerns(&c.name).to_string(), c.name.clone())).collect();
        // Disturbed executions kept in the figures keep the row's host-quiet caveat, even
        // when the execution shown was quiet.
        if !statistics.disturbed_used.is_empty() && failed.iter().all(|c| c.name != HOST_QUIET) {
            failed_by_column.push((concerns(HOST_QUIET).to_string(), HOST_QUIET.to_string()));
        }
        let mut suspect: Vec<String> = failed_by_column.iter().map(|(c, _)| c.clone()).collect();
        suspect.sort();
        suspect.dedup();
        let failed_summary = failed_by_column
            .iter()
            .map(|(column, name)| format!("{name} ({})", column_name(column)))
            .collect::<Vec<_>>()
            .join("; ");

        let mut notes = Vec::new();
        if ok.is_empty() {
            let mut reasons: Vec<String> = current.iter().map(|r| outcome_reason(r)).collect();
            reasons.dedup();
            notes.push(reasons.join("; "));
        } else {
            if ok.len() > 1 {
                let lower = if ok.len().is_multiple_of(2) { "lower " } else { "" };
                notes.push(format!(
                    "{lower}median of {} measured repetitions by Req/Sec (repetition {}; Req/Sec {}–{})",
                    ok.len(),
                    shown.repetition,
                    numbers::int(ok_rps(ok[0])),
                    numbers::int(ok_rps(ok[ok.len() - 1]))
                ));
            }
            notes.extend(statistics.caveat.clone());
            let unmeasured: Vec<String> =
                current.iter().filter(|r| !measured(r)).map(|r| outcome_reason(r)).collect();
            if !unmeasured.is_empty() {
                notes.push(format!(
                    "{} of {} repetitions not measured ({})",
                    unmeasured.len(),
                    current.len(),
                    unmeasured.join("; ")
                ));
            }
            for check in &failed {
                notes.push(format!(
                    "check {} failed (concerns {}): {}",
                    check.name,
                    column_name(concerns(&check.name)),
                    check.detail
                ));
            }
            if load.is_some_and(|l| l.requests == 0) {
                notes.push("no request completed: latency N/A".to_string());
            }
            if resent > 0 {
                notes.push(format!(
                    "{} requests resent after the server closed a kept-alive connection",
                    numbers::int(resent as f64)
                ));
            }
            notes.extend(warnings.iter().map(|w| format!("generator warning: {w}")));
            notes.extend(statistics.refused.clone());
        }
        if superseded > 0 {
            let s = if superseded == 1 { "" } else { "s" };
            notes.push(format!(
                "{superseded} older result{s} of another configuration (other hash) left out"
            ));
        }

        RowReport {
            label: label(&shown.name, &shown.sweep),
            name: shown.name.clone(),
            id: shown.id.clone(),
            row_index: shown.row_index,
            sweep: shown.sweep.clone(),
            framework: shown.framework.clone(),
            server: shown.server.clone(),
            variant: shown.variant.clone(),
            runtime: shown.runtime.clone(),
            hash: shown.hash.clone(),
            outcome: if ok.is_empty() { shown.outcome } else { Outcome::Ok },
            outcome_label: if ok.is_empty() {
                outcome_label(shown).into()
            } else {
                "measured".into()
            },
            reason: shown.reason.clone(),
            measured: !ok.is_empty(),
            repetitions: current.len() as u32,
            ok_repetitions: all_ok.len() as u32,
            shown_repetition: shown.repetition,
            latency: load.filter(|l| l.requests > 0).map(|l| l.latency.clone()),
            ok_rps: load.map(|l| l.ok_rps),
            ok_requests: load.map(|l| l.ok_requests),
            ok_rps_min: ok.first().map(|r| ok_rps(r)),
            ok_rps_max: ok.last().map(|r| ok_rps(r)),
            p99_us_min: p99s.clone().reduce(f64::min),
            p99_us_max: p99s.reduce(f64::max),
            statistics,
            resent,
            warnings,
            per_second: load.and_then(|l| Sparkline::of_windows(&l.windows)),
            usage: shown.usage.clone().filter(|_| !ok.is_empty()),
            checks: shown.checks.clone(),
            failed_checks: failed.len() as u32,
            suspect,
            failed_by_column,
            failed_summary,
            superseded,
            note: if notes.is_empty() { None } else { Some(notes.join("; ")) },
            footnote: None,
            profile: None,
            result: shown.clone(),
        }
    }
}

/// `name` or `name (key=value, ...)`.
pub fn label(name: &str, sweep: &[(String, String)]) -> String {
    if sweep.is_empty() {
        return name.to_string();
    }
    let values: Vec<String> = sweep.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{name} ({})", values.join(", "))
}

fn measured(result: &CellResult) -> bool {
    result.outcome == Outcome::Ok && result.load.is_some()
}

fn ok_rps(result: &CellResult) -> f64 {
    result.load.as_ref().map_or(0.0, |l| l.ok_rps)
}

fn outcome_label(result: &CellResult) -> &'static str {
    match result.outcome {
        Outcome::Ok => "no measurement stored",
        Outcome::Invalid => "invalid response",
        Outcome::Failed => "failed",
        Outcome::Na => "not applicable",
    }
}

fn outcome_reason(result: &CellResult) -> String {
    match &result.reason {
        Some(reason) => format!("{}: {reason}", outcome_label(result)),
        None => format!("{} (no reason recorded)", outcome_label(result)),
    }
}

/// The table column a `concerns` value names, for notes.
fn column_name(concern: &str) -> &'static str {
    match concern {
        "latency" => "latency columns",
        "requests" => "Total Requests",
        _ => "Req/Sec",
    }
}

/// Which column a check is about: throughput unless it names latency or errors.
fn concerns(check: &str) -> &'static str {
    if check.contains("latency") || check.contains("littles") {
        "latency"
    } else if check.contains("error") || check.contains("status") {
        "requests"
    } else {
        "rps"
    }
}
