use serde::Serialize;
use serde_json::{Map, Value};

use crate::load::{LatencySummary, LoadSummary};
use crate::statistics::CellEstimates;
use crate::store::{CellResult, Usage};

/// Every stored result, flagged, for the CSV and JSON exports.
#[derive(Clone, Debug, Serialize)]
pub struct Export {
    /// CSV header: the flags, then every stored field as a dotted path (`load.latency.p99_us`).
    pub columns: Vec<String>,
    /// One CSV record a stored result, values in `columns` order (empty for none; lists
    /// and maps as compact JSON).
    pub records: Vec<Vec<String>>,
    pub results: Vec<ExportedResult>,
}

/// A stored result with the report's verdict on it.
#[derive(Clone, Debug, Serialize)]
pub struct ExportedResult {
    /// This is the repetition the report shows for its cell (the median by `ok_rps`).
    pub median: bool,
    /// Belongs to the newest configuration (hash) of its cell; `false`: an older one, left
    /// out of the tables.
    pub current: bool,
    /// Its cell's figures use it; `false`: not measured, an older configuration, or left out
    /// because the host disturbed it (`cell.left_out`).
    pub used: bool,
    /// Its cell's summary over the executions its figures use (same on each of the cell's
    /// results; only for the current configuration).
    pub cell: Option<CellSummary>,
    #[serde(flatten)]
    pub result: CellResult,
}

/// A cell's N, rank and 95% intervals, as export columns (`cell.estimates.requests_per_second.low`).
#[derive(Clone, Debug, Serialize)]
pub struct CellSummary {
    /// Executions its figures use (N).
    pub executions: u32,
    /// Measured executions stored, and those left out of the figures because the host
    /// disturbed them (`statistics::Exclusion`).
    pub stored: u32,
    pub left_out: Vec<u32>,
    /// `2–4` for a tie, empty when not measured.
    pub rank: String,
    pub estimates: Option<CellEstimates>,
}

const LEADING: [&str; 11] = [
    "median",
    "current",
    "used",
    "scenario",
    "name",
    "sweep",
    "repetition",
    "outcome",
    "reason",
    "id",
    "hash",
];
/// Maps whose keys are data, kept as one JSON field.
const OPAQUE: [&str; 1] = ["provenance.packages"];

impl Export {
    pub fn new(results: Vec<ExportedResult>) -> Export {
        let flat: Vec<Map<String, Value>> = results.iter().map(flatten_result).collect();
        let mut columns: Vec<String> = LEADING.iter().map(|c| c.to_string()).collect();
        let mut rest: Vec<String> = Vec::new();
        let skeleton = results.first().map(|r| {
            let mut full = r.clone();
            full.result.load = Some(LoadSummary {
                corrected_latency: Some(LatencySummary::default()),
                ..Default::default()
            });
            full.result.usage = Some(Usage::default());
            flatten_result(&full)
        });
        for map in skeleton.iter().chain(flat.iter()) {
            for key in map.keys() {
                if !columns.contains(key) && !rest.contains(key) {
                    rest.push(key.clone());
                }
            }
        }
        // A `null` object (no load) must not add a column beside its fields.
        let nested: Vec<String> = rest
            .iter()
            .filter(|k| rest.iter().any(|o| o.starts_with(&format!("{k}."))))
            .cloned()
            .collect();
        rest.retain(|k| !nested.contains(k));
        rest.sort();
        columns.extend(rest);
        let records = flat
            .iter()
            .map(|map| {
                columns
                    .iter()
                    .map(|c| match map.get(c) {
                        None | Some(Value::Null) => String::new(),
                        Some(Value::String(s)) => s.clone(),
                        Some(other) => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        Export { columns, records, results }
    }
}

fn flatten_result(result: &ExportedResult) -> Map<String, Value> {
    let value = serde_json::to_value(result).expect("a result is plain data");
    let mut out = Map::new();
    flatten("", &value, &mut out);
    out
}

fn flatten(prefix: &str, value: &Value, out: &mut Map<String, Value>) {
    match value {
        Value::Object(map) if !OPAQUE.contains(&prefix) => {
            for (key, value) in map {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&path, value, out);
            }
        }
        Value::Array(_) | Value::Object(_) => {
            out.insert(prefix.to_string(), Value::String(value.to_string()));
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}
