//! Stage 4, image: renders a cell's Dockerfile from the minijinja templates in
//! `dockerfiles/` and gathers the build context (Dockerfile, app, shared files).
//!
//! Contract
//! - Input: a `matrix::Cell` (its `ImageSpec`; its id names it in errors), `BuildSettings`
//!   (how this host builds: CA bundle, pip index; independent of the cell), the project root
//!   (for `apps/` and `dockerfiles/`).
//! - Output: `render_dockerfile` → the Dockerfile text; `build_context` → a `BuildContext`,
//!   engine-neutral: the Dockerfile text and the files (`apps/common/**`,
//!   `apps/<app_dir>/**`, the cell's launch script `apps/servers/<script>` alone when its
//!   server starts from one, and `bench/ca.pem` when `BuildSettings::ca_bundle` is set), which
//!   the engine packs as its builder needs (Docker: a tar);
//!   `image_inputs` → every file (relative path, bytes) the image of an app directory and
//!   launch script depends on, and `ImageInputs` → their digest for the matrix stage
//!   (`matrix::Inputs`). The build context and the hash use the same listing, so a file
//!   changes the hash exactly when it is in the image (hidden files and Python caches are in
//!   neither): changing one server's launch script re-keys only the cells of that server.
//! - Pure apart from reading files under the root (and the CA bundle): no Docker, no network.
//!   The same inputs give identical output (files sorted by path).
//!
//! Dockerfile layering (see `dockerfiles/Dockerfile.j2`): runtime apt packages (every apt-get
//! with the runtime's `apt_options`), its `setup` commands and the venv first (same text for
//! every cell of a runtime), then the CA bundle, then the server and framework system
//! packages, then pip (pinned packages, `--no-deps` ones, the recorded
//! versions in `/bench/versions.txt` and `/bench/python-version.txt`), the app last.
//!
//! The matrix stage has filled every placeholder of `Launch`/`Compile` and resolved the
//! server's environment (`ImageSpec::env`: `BENCH_APP`, `BENCH_WORKERS` and the matrix's
//! `env`); this stage renders them as given, one `ENV` line per variable in name order.
//! `PORT` is set by whoever starts the container.

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
pub use image_inputs::{ImageInputs, image_inputs};
pub use templates::Templates;
