//! Stage 3, matrix: expands a validated `Model` into `Cell`s.
//! Input: `model::Model` and the digests of the files that shape images (`Inputs`; the
//! image stage says which files those are and implements it as `image::ImageInputs`).
//! Output: `Vec<Cell>` in a deterministic order (rows in matrix order, then the row's
//! scenarios in scenario order, then sweep values), each with a content hash that is stable
//! across runs and machines and changes with anything that affects what is measured:
//! resolved settings (not `repeat` nor the `RunKnobs`, which say how often and how bench
//! waits and watches), image spec, templates and app files. Placeholders (`{app}`, `{workers}`, ...)
//! and the server's environment are resolved here (`Placeholders`, `ImageSpec::env`), so the
//! hash covers them and later stages render them as given. `Selection` is the `--only` rule
//! for cells and stored results alike. Pure: no Docker, no network, no clock.

mod cell;
mod expand;
mod inputs;
mod placeholders;
mod run_knobs;
mod select;

pub use cell::{BodyRule, Cell, Compile, ImageSpec, Launch, LoadSettings, RequestSpec, Resources};
pub use expand::expand;
pub use inputs::{FixedInputs, Inputs, files_digest};
pub use placeholders::SCRIPTS_DIR_IN_IMAGE;
pub use run_knobs::RunKnobs;
pub use select::Selection;
