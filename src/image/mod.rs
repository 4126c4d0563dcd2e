//! Stage 4, image: renders a cell's Dockerfile from the minijinja templates in
//! `dockerfiles/` and gathers the build context (Dockerfile, app, shared files).
//!
//! Contract
//! - Input: a `matrix::Cell` (its `ImageSpec`, plus `resources.workers` and `name` for the
//!   environment of the server), `BuildSettings` (how this host builds: CA bundle, pip index;
//!   independent of the cell), the project root (for `apps/` and `dockerfiles/`).
//! - Output: `render_dockerfile` → the Dockerfile text; `build_context` → a `BuildContext`,
//!   engine-neutral: the Dockerfile text and the files (`apps/common/**`, `apps/servers/**`,
//!   `apps/<app_dir>/**`, and `bench/ca.pem` when `BuildSettings::ca_bundle` is set), which
//!   the engine packs as its builder needs (Docker: a tar);
//!   `image_inputs` → every file (relative path, bytes) the image of an app directory depends
//!   on, so that the matrix stage can hash them.
//! - Pure apart from reading files under the root (and the CA bundle): no Docker, no network.
//!   The same inputs give identical output (files sorted by path).
//!
//! Dockerfile layering (see `dockerfiles/Dockerfile.j2`): runtime apt packages and the venv
//! first (same text for every cell of a runtime), then the CA bundle, then the server and
//! framework system packages, then pip (pinned packages, `--no-deps` ones, the recorded
//! versions in `/bench/versions.txt` and `/bench/python-version.txt`), the app last.
//!
//! Placeholders: `{app}`, `{module}` (the app's module), `{workers}` in `Launch::Command`, and
//! `{script}` (path of the launch script in the image), `{stem}` (its file stem), `{module}` in
//! `Compile::command`/`Compile::run` are filled here when the matrix left them in.
//!
//! Environment of the server (Dockerfile `ENV`, in this order): `BENCH_APP` (the app target),
//! `BENCH_WORKERS` (`resources.workers`), then `ImageSpec::env` (which may override both).
//! `PORT` is set by whoever starts the container. Note that `BENCH_WORKERS` makes the
//! Dockerfile depend on `resources.workers`: the image hash has to cover it.

mod build_context;
mod build_settings;
mod dockerfile;
mod image_error;
mod image_inputs;
mod templates;

pub use build_context::{BuildContext, build_context};
pub use build_settings::BuildSettings;
pub use dockerfile::render_dockerfile;
pub use image_error::ImageError;
pub use image_inputs::image_inputs;
pub use templates::Templates;
