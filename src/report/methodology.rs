use serde::Serialize;

use super::cell_statistics::CellStatistics;
use super::host_lines::{delivered, disturbed};
use super::numbers;
use super::precision_line::precision_line;
use super::speed_line::speed;
use crate::run::HOST_QUIET;
use crate::statistics::Estimate;
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
    /// Measured executions per measured cell: `3` or `min 1, median 3, max 5`.
    pub executions: String,
    /// The run's machine-speed spread and strays, when results record a calibration figure.
    pub speed: Option<String>,
}

/// The label of the line that counts the executions the host disturbed.
const BUSY_HOST: &str = "Executions on a busy host (host-quiet failed)";
/// The label of the line on the CPU the hypervisor delivered in the measured windows.
const DELIVERED: &str = "Work index while measuring (CPU the hypervisor delivered)";

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
            warmup: warmup(results),
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
    /// `cells`: each measured cell's statistics over its executions.
    pub fn of(results: &[&CellResult], cells: &[&CellStatistics]) -> Methodology {
        let executions: Vec<u32> = cells.iter().map(|c| c.executions).collect();
        let executions = executions.as_slice();
        let load = LoadDescription::of(results);
        let speed = speed(results);
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
            ("Repetitions per cell (setting)", load.repeat),
            ("Measured executions per cell", execution_counts(executions)),
            (
                "Precision of requests/s (95% interval)",
                precision_line(cells).unwrap_or_else(|| "no cell has 2 executions".to_string()),
            ),
            (BUSY_HOST, disturbed(cells)),
            (DELIVERED, delivered(results).unwrap_or_default()),
            ("Schedule seed", prov(&|r| seed(r).map(|v| v.to_string()))),
            ("Requests resent after a silent close", resent(results)),
            ("Generator warnings", warnings(results)),
            ("Load generator", prov(&|r| Some(r.provenance.generator.clone()))),
            ("Host CPU", prov(&|r| r.provenance.machine.cpu_model.clone())),
            ("Kernel", prov(&|r| r.provenance.machine.kernel.clone())),
            ("Docker", prov(&|r| r.provenance.machine.docker_version.clone())),
            ("bench version", prov(&|r| Some(r.provenance.bench_version.clone()))),
            ("Python", prov(&|r| r.provenance.python_version.clone())),
            ("Matrix file", prov(&|r| Some(r.provenance.matrix_file.clone()))),
            ("Git commit", prov(&|r| r.provenance.git_commit.clone())),
            ("Cells per outcome", outcomes(results)),
            ("Time spent (summed over results)", time_spent(results)),
        ];
        let has_seed = results.iter().any(|r| seed(r).is_some());
        // Results without the host-quiet reading (older ones) cannot say the host was quiet.
        let has_reading = results.iter().any(|r| r.checks.iter().any(|c| c.name == HOST_QUIET));
        let shown = |(label, value): &(&str, String)| match *label {
            "Schedule seed" => has_seed,
            BUSY_HOST => has_reading,
            DELIVERED => !value.is_empty(),
            _ => true,
        };
        Methodology {
            executions: execution_counts(executions),
            speed,
            settings: pairs
                .into_iter()
                .filter(shown)
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
    let s = numbers::int;
    format!(
        "building images {} s; in containers {} s: measuring {} s, priming, warming up and settling {} s, starting, verifying and removing {} s",
        s(build),
        s(measure + warm + other),
        s(measure),
        s(warm),
        s(other)
    )
}

/// The seed of the interleaved order the result was measured in, when the run recorded one.
fn seed(result: &CellResult) -> Option<u64> {
    result.schedule.as_ref().map(|s| s.seed)
}

/// `3`, or `min 1, median 3, max 5` when cells differ.
fn execution_counts(executions: &[u32]) -> String {
    let values: Vec<f64> = executions.iter().filter(|&&n| n > 0).map(|&n| n as f64).collect();
    let (Some(min), Some(max)) =
        (values.iter().copied().reduce(f64::min), values.iter().copied().reduce(f64::max))
    else {
        return "none measured".to_string();
    };
    if min == max {
        return numbers::int(min);
    }
    // The statistics' median (the point of an estimate) rather than a second definition.
    let median = Estimate::from_executions(&values).map_or(min, |e| e.point);
    format!(
        "min {}, median {}, max {}",
        numbers::int(min),
        numbers::fixed(median, 1).trim_end_matches(".0"),
        numbers::int(max)
    )
}

/// The warm-up most results used, then the others with the runtimes that used them:
/// `5 s, 15 s for pypy`.
fn warmup(results: &[&CellResult]) -> String {
    let mut values: Vec<(String, usize, Vec<String>)> = Vec::new();
    for r in results {
        let value = seconds(r.load_settings.warmup_ms);
        match values.iter_mut().find(|(v, _, _)| *v == value) {
            Some((_, count, runtimes)) => {
                *count += 1;
                if !runtimes.contains(&r.runtime) {
                    runtimes.push(r.runtime.clone());
                }
            }
            None => values.push((value, 1, vec![r.runtime.clone()])),
        }
    }
    values.sort_by_key(|v| std::cmp::Reverse(v.1));
    let mut parts = values.iter().enumerate().map(|(i, (value, _, runtimes))| {
        if i == 0 { value.clone() } else { format!("{value} for {}", runtimes.join(", ")) }
    });
    let first = parts.next().unwrap_or_else(|| "unknown".to_string());
    std::iter::once(first).chain(parts).collect::<Vec<_>>().join(", ")
}

/// Total requests resent after silent closes and the cells where it happened.
fn resent(results: &[&CellResult]) -> String {
    let mut cells: Vec<&str> = Vec::new();
    let mut total = 0;
    for r in results {
        let count = r.load.as_ref().map_or(0, |l| l.resent);
        total += count;
        if count > 0 && !cells.contains(&r.id.as_str()) {
            cells.push(&r.id);
        }
    }
    if total == 0 {
        return "none".to_string();
    }
    format!(
        "{} in {} cells (noted on their rows; not errors: GET is idempotent)",
        numbers::int(total as f64),
        numbers::int(cells.len() as f64)
    )
}

/// How many results carry a generator warning (listen backlog, rate not reached).
fn warnings(results: &[&CellResult]) -> String {
    let warned = results.iter().filter(|r| r.load.as_ref().is_some_and(|l| !l.warnings.is_empty()));
    match warned.count() {
        0 => "none".to_string(),
        n => format!("{} results (noted on their rows)", numbers::int(n as f64)),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn execution_counts_read_min_median_max() {
        assert_eq!(execution_counts(&[5, 5]), "5");
        assert_eq!(execution_counts(&[1, 5, 5, 3]), "min 1, median 4, max 5");
        assert_eq!(execution_counts(&[0]), "none measured");
    }
}
