//! Stage 8, store: one JSON document per cell, scenario and repetition, written
//! atomically the moment it finishes, keyed by the cell's hash.
//!
//! Contract: `Store::write(&CellResult)` makes `DIR/<scenario>/<name>/<hash12>-r<rep>.json`
//! appear whole or not at all; `Store::load` / `load_all` give back every readable result
//! (unreadable files are reported, never deleted; other JSON documents, such as a report
//! written inside the directory, are not results and are left out); `Store::index()` reads them once into a
//! `ResultIndex` by (hash, repetition) that answers "is this cell already measured?" for
//! resuming (`Store::find` asks it for one cell): `ResultIndex::resume` says which stored
//! results a resumed run keeps (ok, N/A, deterministic failures) and which it measures again
//! (failures of a transient `FailureKind`; every failure with `--retry-failed`).
//! `RunLock::acquire(dir)` gives one run at a time a results directory, checked writable and
//! with room. A result with an unknown `schema_version` is read with a warning. Each result
//! records its `Machine` (CPU model, cores, memory, kernel, Docker version, the CPUs bench
//! and the engine had) and the `fingerprint` of what a table must share (CPU model and
//! count); results without one read as one unknown machine.

mod cell_result;
mod failure_kind;
mod loaded;
mod machine;
mod result_index;
mod run_lock;
#[allow(clippy::module_inception)]
mod store;
mod store_error;

pub use cell_result::{
    Calibration, CellResult, Check, HostWait, Outcome, Provenance, Scheduling, Usage, Warmup,
};
pub use failure_kind::FailureKind;
pub use loaded::{Loaded, SkippedFile};
pub use machine::{Machine, MachineFacts};
pub use result_index::{ResultIndex, Resume};
pub use run_lock::{LOCK_FILE, MIN_FREE_BYTES, RunLock};
pub use store::{PROFILE_JSON, SCHEMA_VERSION, Store};
pub use store_error::StoreError;
