//! Stage 7, run: orchestrates the measurement of cells: build, start, verify, load,
//! store, cleanup. Side effects sit behind the `engine::Engine` trait and a clock.
