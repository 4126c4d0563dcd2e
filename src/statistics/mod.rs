//! Statistics: every published figure with its uncertainty. Pure functions, no I/O, no clock,
//! and no imports from other bench modules: this module sits below `run` and `report`, which
//! call it with plain numbers and store or render its plain, serde-serializable outputs.
//!
//! Contract (the method, its assumptions and its limits are in `docs/statistics.md`):
//! - `Estimate::from_executions(&[f64])`: a cell's figure over its N executions: the median as
//!   the point figure and a 95% Student-t interval on the logarithms (target: the population
//!   median under log-normal execution-to-execution variation). `CellEstimates` does it for
//!   req/s and latency mean, p50 and p99 at once.
//! - `Comparison::of(baseline, candidate, figure)`: the ratio of two cells with its 95% Welch
//!   interval and a verdict that is `Faster`/`Slower` only when the interval excludes 1.
//! - `rank_ranges(&[Estimate], figure)`: each cell's best and worst possible rank.
//! - `Schedule`: the interleaved order of executions (rounds of seeded random permutations,
//!   never the same cell twice in a row when that can be avoided).
//! - `Precision::decide`: which cells need another round to reach a target precision;
//!   `Precision::planned`: the executions a cell is planned in round 1.
//! - `Remeasure`: the bounds on the extra executions that replace the ones the host disturbed;
//!   `Exclusion`: which of a cell's executions its figure uses (the disturbed ones are left
//!   out once the planned number are quiet; the rule reads the disturbance, never a figure).
//! - `PooledSpread`: the execution-to-execution spread pooled over a run's cells, and the
//!   executions a cell would need for a target precision at that spread.
//! - `WarmupRule`: when per-second throughput has become steady, within the configured bound.
//! - `SpeedRule::index`: each execution's machine-speed index and which ones stray.
//!
//! Inputs are checked (figures must be positive and finite); a bad input is a
//! `StatisticsError`, never a panic.

mod cell_estimates;
mod comparison;
mod estimate;
mod exclusion;
mod figure;
mod log_sample;
mod pooled_spread;
mod precision;
mod rank_range;
mod remeasure;
mod schedule;
mod speed_index;
mod statistics_error;
mod warmup;

pub use cell_estimates::{CellEstimates, CellFigures};
pub use comparison::{Comparison, Verdict};
pub use estimate::Estimate;
pub use exclusion::Exclusion;
pub use figure::Figure;
pub(crate) use log_sample::{median, quantile};
pub use pooled_spread::PooledSpread;
pub use precision::{Precision, PrecisionStatus};
pub use rank_range::{RankRange, rank_ranges};
pub use remeasure::Remeasure;
pub use schedule::Schedule;
pub use speed_index::{SpeedIndex, SpeedRule};
pub use statistics_error::StatisticsError;
pub use warmup::{WarmupEnd, WarmupRule};

/// The confidence level of every interval this module publishes.
pub const CONFIDENCE: f64 = 0.95;
