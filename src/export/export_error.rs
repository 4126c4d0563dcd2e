use std::path::PathBuf;

/// Why an export or a merge cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// More shards than the selection has comparison groups: some shard would measure
    /// nothing (a group is never split; see the `group` setting).
    #[error(
        "--shards {shards} leaves shard(s) {empty} with no cell: the selection has {groups} comparison group(s), and a group is measured whole on one shard; use fewer shards or smaller groups (the `group` setting)"
    )]
    EmptyShard { shards: u32, groups: usize, empty: String },
    /// An option value the engine cannot take.
    #[error("{0}")]
    Option(String),
    /// Two results directories hold different results for one cell and execution.
    #[error(
        "{id} execution {repetition} differs between {first} and {second}: both cannot be kept"
    )]
    Conflict { id: String, repetition: u32, first: PathBuf, second: PathBuf },
    /// A results directory cannot be read or written.
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
}
