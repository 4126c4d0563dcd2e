use serde::Serialize;

use crate::store::{CellResult, Outcome};

/// How the results were measured, from the settings stored with them (not from a matrix
/// file): every distinct value is listed.
#[derive(Clone, Debug, Serialize)]
pub struct Methodology {
    pub settings: Vec<Setting>,
    /// Earliest start and latest finish among the results (RFC 3339 UTC).
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub result_count: usize,
}

/// One labelled setting: `Duration per test`, `20 s`.
#[derive(Clone, Debug, Serialize)]
pub struct Setting {
    pub label: String,
    pub value: String,
}

/// The load and resource settings a set of results used, as display strings (several
/// distinct values are joined with `, `).
#[derive(Clone, Debug, Serialize)]
pub struct LoadDescription {
    pub cpus: String,
    pub memory: String,
    pub workers: String,
    pub duration: String,
    pub warmup: String,
    pub connections: String,
    pub threads: String,
    pub timeout: String,
    pub mode: String,
    pub repeat: String,
}

impl LoadDescription {
    pub fn of(results: &[&CellResult]) -> LoadDescription {
        let d = |f: &dyn Fn(&CellResult) -> String| distinct(results.iter().map(|r| f(r)));
        LoadDescription {
            cpus: d(&|r| {
                let cpus = format!("{} vCPU", trim_float(r.resources.cpus));
                match &r.resources.cpuset {
                    Some(set) => format!("{cpus} (cpuset {set})"),
                    None => cpus,
                }
            }),
            memory: d(&|r| bytes(r.resources.memory_bytes)),
            workers: d(&|r| r.resources.workers.to_string()),
            duration: d(&|r| seconds(r.load_settings.duration_ms)),
            warmup: d(&|r| seconds(r.load_settings.warmup_ms)),
            connections: d(&|r| r.load_settings.connections.to_string()),
            threads: d(&|r| r.load_settings.threads.to_string()),
            timeout: d(&|r| seconds(r.load_settings.timeout_ms)),
            mode: d(&|r| match r.load_settings.rate {
                None => "closed loop, like wrk".to_string(),
                Some(rate) => format!("open loop at {rate} req/s, like wrk2"),
            }),
            repeat: d(&|r| r.load_settings.repeat.to_string()),
        }
    }
}

impl Methodology {
    pub fn of(results: &[&CellResult]) -> Methodology {
        let load = LoadDescription::of(results);
        let prov = |f: &dyn Fn(&CellResult) -> Option<String>| {
            distinct(results.iter().map(|r| f(r).unwrap_or_else(|| "unknown".to_string())))
        };
        let pairs = [
            ("CPU limit of the server container", load.cpus),
            ("Memory limit of the server container", load.memory),
            ("Server workers", load.workers),
            ("Duration per test", load.duration),
            ("Warm-up per test", load.warmup),
            ("Connections", load.connections),
            ("Generator threads", load.threads),
            ("Request timeout", load.timeout),
            ("Load mode", load.mode),
            ("Repetitions per cell", load.repeat),
            ("Load generator", prov(&|r| Some(r.provenance.generator.clone()))),
            ("Host CPU", prov(&|r| r.provenance.host_cpu.clone())),
            ("Kernel", prov(&|r| r.provenance.kernel.clone())),
            ("Docker", prov(&|r| r.provenance.docker_version.clone())),
            ("bench version", prov(&|r| Some(r.provenance.bench_version.clone()))),
            ("Python", prov(&|r| r.provenance.python_version.clone())),
            ("Matrix file", prov(&|r| Some(r.provenance.matrix_file.clone()))),
            ("Git commit", prov(&|r| r.provenance.git_commit.clone())),
            ("Cells per outcome", outcomes(results)),
            ("Time spent (summed over results)", time_spent(results)),
        ];
        Methodology {
            settings: pairs
                .into_iter()
                .map(|(label, value)| Setting { label: label.to_string(), value })
                .collect(),
            started_at: results
                .iter()
                .map(|r| r.provenance.started_at.clone())
                .filter(|s| !s.is_empty())
                .min(),
            finished_at: results
                .iter()
                .map(|r| r.provenance.finished_at.clone())
                .filter(|s| !s.is_empty())
                .max(),
            result_count: results.len(),
        }
    }
}

/// `140 ok, 2 failed, ...`: how many results ended each way (kinds with none left out).
fn outcomes(results: &[&CellResult]) -> String {
    let kinds = [
        (Outcome::Ok, "ok"),
        (Outcome::Failed, "failed"),
        (Outcome::Invalid, "invalid"),
        (Outcome::Na, "N/A"),
    ];
    let counts: Vec<String> = kinds
        .iter()
        .map(|(kind, name)| (results.iter().filter(|r| r.outcome == *kind).count(), name))
        .filter(|(count, _)| *count > 0)
        .map(|(count, name)| format!("{count} {name}"))
        .collect();
    if counts.is_empty() { "none".to_string() } else { counts.join(", ") }
}

/// Image builds, then the time in containers split by phase (`measure` is the measured
/// windows plus connection setup), from each result's provenance.
fn time_spent(results: &[&CellResult]) -> String {
    let build: f64 = results.iter().filter_map(|r| r.provenance.build_seconds).sum();
    let phase = |names: &[&str]| -> f64 {
        let ms: u64 = results
            .iter()
            .flat_map(|r| names.iter().filter_map(|n| r.provenance.phases_ms.get(*n)))
            .sum();
        ms as f64 / 1000.0
    };
    let measure = phase(&["measure"]);
    let warm = phase(&["primer", "warmup", "settle"]);
    let other = phase(&["start", "ready", "verify", "teardown"]);
    format!(
        "building images {} s; in containers {} s: measuring {} s, priming, warming up and settling {} s, starting, verifying and removing {} s",
        build.round(),
        (measure + warm + other).round(),
        measure.round(),
        warm.round(),
        other.round()
    )
}

/// Distinct values in order of first appearance, joined with `, `; `unknown` when empty.
fn distinct(values: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for v in values.filter(|v| !v.is_empty()) {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    if seen.iter().all(|v| v.parse::<f64>().is_ok()) {
        seen.sort_by(|a, b| a.parse::<f64>().unwrap().total_cmp(&b.parse::<f64>().unwrap()));
    }
    if seen.is_empty() { "unknown".to_string() } else { seen.join(", ") }
}

fn trim_float(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn seconds(ms: u64) -> String {
    format!("{} s", trim_float(ms as f64 / 1000.0))
}

fn bytes(value: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    let mib = value as f64 / MIB;
    if mib >= 1024.0 {
        format!("{} GiB", trim_float(mib / 1024.0))
    } else {
        format!("{} MiB", trim_float(mib))
    }
}
