//! Stage 3, matrix: expands a validated `Model` into `Cell`s.
//! Input: `model::Model` and the file digests of templates and apps.
//! Output: `Vec<Cell>` in a deterministic order (rows in matrix order, then scenarios,
//! then sweep values), each with a content hash stable across runs and machines.
//! Pure: no Docker, no network, no clock.

mod cell;

pub use cell::{BodyRule, Cell, Compile, ImageSpec, Launch, LoadSettings, RequestSpec, Resources};
