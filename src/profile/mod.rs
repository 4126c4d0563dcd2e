//! Stage 7b, profile (beside `run`, which it reuses): where does a cell's server spend its
//! CPU? (`bench profile`).
//!
//! Input: the selected `matrix::Cell`s, a `run::RunContext` (engine, HTTP, clock, store,
//! options, host), the host's py-spy (`PySpy`) and `ProfileSettings` (rate, window). Output:
//! per cell a `Profiled` (its `ProfileRecord`, and unless N/A its `Collapsed` stacks and an
//! SVG flame graph), stored beside the cell's results by `ProfileStore`
//! (`store::Store::profile_file`: `<hash12>.profile.{json,collapsed,svg}`).
//!
//! Per cell (`Profiler`): PyPy cells are N/A with the reason (py-spy reads CPython's
//! interpreter state). Otherwise `run::WarmServer` gives a fresh container of the measured
//! image, found by its hash or built exactly as `bench run` builds it (profiling never
//! changes the image), with `SYS_PTRACE` added (`PROFILE_CAPABILITY`; a measured server
//! never has it), ready, verified, primed and warmed up like a measured one. The host's
//! py-spy binary (static) is copied in through the engine; `py-spy record --pid 1
//! --subprocesses --native --format raw` samples every process of the container for the
//! window while the cell's own load (its `LoadConfig`: connections, threads, rate, the
//! generator's CPUs) runs for the same window. Never the measured window: the profiled
//! window's req/s against the cell's stored measured req/s (median of its `ok` executions)
//! is the profiler's overhead, recorded and printed. Stacks without a sample are an error,
//! not an empty graph. `flame_graph` renders with inferno. `bench profile` holds the results
//! directory's `store::RunLock` (the CLI takes it), so it never runs beside a `bench run`
//! writing there.
//!
//! `bench compare` (`ProfileDiff`): a cell profiled in both results directories gets a
//! differential flame graph (`differential_flame_graph`, inferno's: new's widths, red where
//! new has more samples, blue where fewer, old scaled to new's total), after taking out of
//! the stacks what differs from container to container (`Collapsed::comparable`); a cell
//! profiled on one side only is a `ProfilePair::OneSide`, said plainly.
//!
//! Files: `profiler` (orchestration), `py_spy` (the binary and its command), `collapsed`
//! (parsing, shares), `flame_graph` (plain and differential), `profile_record`,
//! `profile_store`, `profile_diff`.

mod collapsed;
mod flame_graph;
mod profile_diff;
mod profile_record;
mod profile_store;
mod profiler;
mod py_spy;

pub use collapsed::Collapsed;
pub use flame_graph::{differential_flame_graph, flame_graph};
pub use profile_diff::{ProfileDiff, ProfilePair};
pub use profile_record::ProfileRecord;
pub use profile_store::ProfileStore;
pub use profiler::{PROFILE_CAPABILITY, ProfileSettings, Profiled, Profiler};
pub use py_spy::{BINARY_IN_CONTAINER, OUTPUT_IN_CONTAINER, PySpy};
