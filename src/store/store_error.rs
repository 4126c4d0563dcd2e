use std::path::PathBuf;

/// Every way the results store can fail, with the path concerned and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The results directory does not exist.
    #[error("results directory {} does not exist; run `bench run` first or pass --results DIR", dir.display())]
    Missing { dir: PathBuf },
    /// The path exists but is not a directory.
    #[error("results path {} is not a directory; pass the directory `bench run` writes to", dir.display())]
    NotADirectory { dir: PathBuf },
    /// A filesystem operation failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A result could not be encoded (should not happen: every field is plain data).
    #[error("cannot encode the result of {id} as JSON: {source}")]
    Encode {
        id: String,
        #[source]
        source: serde_json::Error,
    },
}

impl StoreError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        StoreError::Io { action, path: path.into(), source }
    }
}
