//! bench: which Python web framework + server + runtime performs best, under which load?
//!
//! The crate is a pipeline, one module a stage, data flowing one way:
//! `config` (KDL → spanned syntax) → `model` (validated, names resolved) → `matrix`
//! (cells, hashes) → `image` (Dockerfile render, build context) → `engine` (containers)
//! → `load` (generator) → `run` (orchestration; `profile` beside it) → `store` (results)
//! → `report` (templates).
//! `export` (sharded runs on GitHub Actions and Kubernetes, merging their results) sits
//! on `matrix`, `run` and `store`; `cli` wires the stages to the command line.

pub mod cli;
pub mod config;
pub mod engine;
pub mod export;
pub mod image;
pub mod load;
pub mod matrix;
pub mod model;
pub mod numbers;
pub mod profile;
pub mod report;
pub mod run;
pub mod statistics;
pub mod store;
