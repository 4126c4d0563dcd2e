use serde::{Deserialize, Serialize};

/// What is kept about one cell's profile beside its collapsed stacks and flame graph
/// (`<hash12>.profile.json`): which profiler sampled how, how much, and what profiling
/// cost the server in throughput.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileRecord {
    pub id: String,
    pub name: String,
    pub scenario: String,
    /// The cell's hash: a profile belongs to exactly the measured cell.
    pub hash: String,
    pub runtime: String,
    /// `py-spy`, or the profiler that would have been used when `na` is set.
    pub profiler: String,
    /// Its version (`0.4.3`).
    pub version: String,
    /// Samples a second it was asked for.
    pub rate_hz: u32,
    /// The profiler's arguments besides rate, duration and output.
    pub options: Vec<String>,
    /// Samples in the collapsed stacks (idle threads are not sampled).
    pub samples: u64,
    /// The profiled window.
    pub duration_ms: u64,
    /// Completed requests a second in the profiled window.
    pub profiled_rps: Option<f64>,
    /// The cell's stored measured req/s (median of its ok executions), when there is one.
    pub measured_rps: Option<f64>,
    /// Throughput lost to profiling: 1 - profiled / measured.
    pub overhead: Option<f64>,
    /// Why this cell has no profile (e.g. PyPy); no stacks or graph then.
    pub na: Option<String>,
    /// When it was profiled (RFC 3339).
    pub profiled_at: String,
}

impl ProfileRecord {
    /// 1 - profiled / measured, when both are known and measured is positive.
    pub fn overhead_of(profiled: Option<f64>, measured: Option<f64>) -> Option<f64> {
        match (profiled, measured) {
            (Some(p), Some(m)) if m > 0.0 => Some(1.0 - p / m),
            _ => None,
        }
    }

    /// One line for the terminal: samples and overhead, or why N/A.
    pub fn summary(&self) -> String {
        if let Some(why) = &self.na {
            return format!("N/A: {why}");
        }
        let rps = |r: Option<f64>| r.map(|r| format!("{r:.1}")).unwrap_or_else(|| "-".into());
        let overhead = match self.overhead {
            Some(o) => format!("overhead {:+.1}%", o * 100.0),
            None => "overhead unknown (no stored measurement)".to_string(),
        };
        format!(
            "{} samples in {:.1} s at {} Hz ({} {}); {} req/s profiled vs {} measured, {overhead}",
            self.samples,
            self.duration_ms as f64 / 1000.0,
            self.rate_hz,
            self.profiler,
            self.version,
            rps(self.profiled_rps),
            rps(self.measured_rps),
        )
    }
}

/// A record of flask-gunicorn/cpu for the tests: its `hash`, N/A with `na`.
#[cfg(test)]
impl ProfileRecord {
    pub(crate) fn example(hash: &str, na: Option<&str>) -> ProfileRecord {
        ProfileRecord {
            id: "flask-gunicorn/cpu".into(),
            name: "flask-gunicorn".into(),
            scenario: "cpu".into(),
            hash: hash.into(),
            runtime: "cpython".into(),
            profiler: "py-spy".into(),
            version: "0.4.3".into(),
            rate_hz: 100,
            options: vec!["--native".into()],
            samples: 7,
            duration_ms: 5000,
            profiled_rps: Some(9.0),
            measured_rps: Some(10.0),
            overhead: Some(0.1),
            na: na.map(String::from),
            profiled_at: "2026-12-02T00:00:00Z".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overhead_is_the_share_of_throughput_lost() {
        let overhead = ProfileRecord::overhead_of(Some(90.0), Some(100.0)).unwrap();
        assert!((overhead - 0.1).abs() < 1e-12, "{overhead}");
        assert_eq!(ProfileRecord::overhead_of(Some(90.0), None), None);
        assert_eq!(ProfileRecord::overhead_of(None, Some(100.0)), None);
        assert_eq!(ProfileRecord::overhead_of(Some(1.0), Some(0.0)), None);
    }
}
