//! Stage 6, load: the HTTP load generator (closed loop like wrk, open loop like wrk2).
//! Its statistics never import hyper.

mod summary;

pub use summary::{ErrorCounts, LatencySummary, LoadSummary};
