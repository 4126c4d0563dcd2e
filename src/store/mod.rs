//! Stage 8, store: one JSON document per cell, scenario and repetition, written
//! atomically the moment it finishes, keyed by the cell's hash.
//!
//! Contract: `Store::write(&CellResult)` makes `DIR/<scenario>/<name>/<hash12>-r<rep>.json`
//! appear whole or not at all; `Store::load` / `load_all` give back every readable result
//! (unreadable files are reported, never deleted); `Store::find(hash, repetition)` answers
//! "is this cell already measured?" for resuming.

mod cell_result;
mod loaded;
#[allow(clippy::module_inception)]
mod store;
mod store_error;

pub use cell_result::{CellResult, Check, Outcome, Provenance, Usage};
pub use loaded::{Loaded, SkippedFile};
pub use store::Store;
pub use store_error::StoreError;
