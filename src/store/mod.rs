//! Stage 8, store: one JSON document per cell, scenario and repetition, written
//! atomically the moment it finishes, keyed by the cell's hash.

mod cell_result;

pub use cell_result::{CellResult, Check, Outcome, Provenance, Usage};
