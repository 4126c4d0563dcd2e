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
    /// Another run holds the directory's lock.
    #[error("results directory {} is in use by another bench run ({holder}); wait for it to finish, or pass another --results directory", dir.display())]
    Locked { dir: PathBuf, holder: String },
    /// The directory's file system is (nearly) full.
    #[error("results directory {} has {} free, a run needs at least {}; free some space or pass another --results directory", dir.display(), mib(*free), mib(*needed))]
    NoRoom { dir: PathBuf, free: u64, needed: u64 },
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

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1u64 << 20) as f64)
}
