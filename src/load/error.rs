use std::io;

use super::os::{FilesLimit, describe_files_limit};

/// Why a load run could not start. Failed requests are not errors: they are counted in the
/// `LoadSummary`.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("bad URL `{url}`: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("bad header `{name}: {value}`: {reason}")]
    BadHeader { name: String, value: String, reason: String },
    #[error("bad load settings: {0}")]
    BadConfig(String),
    #[error("cannot resolve `{host}`: {source}")]
    Resolve { host: String, source: io::Error },
    #[error(
        "no connection to {addr} could be made ({source}); is the server running and listening there?"
    )]
    Connect { addr: String, source: io::Error },
    #[error(
        "none of the {connections} connections could be opened: no file was left for them ({})",
        describe_files_limit(*limit)
    )]
    OutOfFiles { connections: u32, limit: Option<FilesLimit> },
    #[error(
        "only {tried} of the {expected} connections had tried to open {:.1} s into the run (its \
         duration plus one connect), none of them successfully: a generator thread did not end \
         its set-up; this is a bug in bench or a starved machine",
        waited.as_secs_f64()
    )]
    SetupTimedOut { tried: u64, expected: u64, waited: std::time::Duration },
    #[error("cannot pin a generator thread to CPU {cpu}: {source}")]
    Pin { cpu: usize, source: io::Error },
    #[error("cannot start a generator thread: {0}")]
    Thread(io::Error),
    #[error("a generator thread stopped unexpectedly (panic); this is a bug in bench")]
    ThreadPanicked,
}
