//! Stage 3, matrix: expands a validated `Model` into `Cell`s.
//! Input: `model::Model` and the digests of the files that shape images (`Inputs`).
//! Output: `Vec<Cell>` in a deterministic order (rows in matrix order, then the row's
//! scenarios in scenario order, then sweep values), each with a content hash that is stable
//! across runs and machines and changes with anything that affects the cell: resolved
//! settings, image spec, templates and app files. Pure: no Docker, no network, no clock.

mod cell;
mod expand;
mod inputs;
mod select;

pub use cell::{BodyRule, Cell, Compile, ImageSpec, Launch, LoadSettings, RequestSpec, Resources};
pub use expand::expand;
pub use inputs::{FileInputs, FixedInputs, Inputs, SHARED_INPUTS};
pub use select::Selection;
