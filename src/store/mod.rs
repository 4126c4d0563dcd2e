//! Stage 8, store: one JSON document per cell, scenario and repetition, written
//! atomically the moment it finishes, keyed by the cell's hash.
//!
//! Contract: `Store::write(&CellResult)` makes `DIR/<scenario>/<name>/<hash12>-r<rep>.json`
//! appear whole or not at all; `Store::load` / `load_all` give back every readable result
//! (unreadable files are reported, never deleted); `Store::index()` reads them once into a
//! `ResultIndex` by (hash, repetition) that answers "is this cell already measured?" for
//! resuming (`Store::find` asks it for one cell).

mod cell_result;
mod loaded;
mod result_index;
#[allow(clippy::module_inception)]
mod store;
mod store_error;

pub use cell_result::{
    Calibration, CellResult, Check, Outcome, Provenance, Scheduling, Usage, Warmup,
};
pub use loaded::{Loaded, SkippedFile};
pub use result_index::ResultIndex;
pub use store::Store;
pub use store_error::StoreError;
