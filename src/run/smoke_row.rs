/// What `bench smoke` found for one row.
#[derive(Clone, Debug, PartialEq)]
pub struct SmokeRow {
    pub name: String,
    /// Build time when the image was built now (`None`: it existed).
    pub build_seconds: Option<f64>,
    /// Per scenario.
    pub checks: Vec<(String, SmokeCheck)>,
    /// A failure before any request (build, start, readiness).
    pub error: Option<String>,
    /// The server's (or the build's) last log lines, when something failed.
    pub log_tail: Vec<String>,
}

/// One scenario's verdict in `bench smoke`.
#[derive(Clone, Debug, PartialEq)]
pub enum SmokeCheck {
    Pass,
    Fail(String),
    Na(String),
}

impl SmokeRow {
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.checks.iter().all(|(_, c)| !matches!(c, SmokeCheck::Fail(_)))
    }
}
