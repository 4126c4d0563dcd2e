/// Every way rendering a report can fail.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A template does not compile or fails while rendering.
    #[error("template {name} failed: {detail}")]
    Template { name: String, detail: String },
    /// The JSON report could not be serialized.
    #[error("cannot write the report as JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// A format this output does not have.
    #[error("{0} is not available: use markdown, csv or json")]
    Unsupported(&'static str),
    /// Tables whose rows were measured on different machines (one line each).
    #[error("refusing to rank cells measured on different machines:\n{0}")]
    MixedMachines(String),
}

impl ReportError {
    /// Keep minijinja's whole explanation: line, cause chain, the failing expression.
    pub(crate) fn template(name: &str, error: &minijinja::Error) -> Self {
        let mut detail = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            detail.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        let debug = error.display_debug_info().to_string();
        if !debug.trim().is_empty() {
            detail.push('\n');
            detail.push_str(debug.trim_end());
        }
        ReportError::Template { name: name.to_string(), detail }
    }
}
