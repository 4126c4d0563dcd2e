use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::RunKnobs;

pub use crate::model::BodyRule;

/// One measurable unit: a row (framework + server and its variant + runtime and its variant,
/// meeting on an interface) in one scenario, with one value of each swept setting. Everything
/// a later stage needs is resolved here: no stage after `matrix` looks at the KDL model again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The row name, built by the naming rule (`falcon-bjoern-pypy`) or given with `name=`.
    pub name: String,
    /// The scenario name (`hello`, `json`, `cpu`, `io`).
    pub scenario: String,
    /// The comparison group: cells measured on one machine together (`--shard`); the
    /// `group` setting, by default the scenario. Out of the hash.
    #[serde(default)]
    pub group: String,
    /// Swept settings of this cell, in declaration order, e.g. `[("connections", "64")]`.
    pub sweep: Vec<(String, String)>,
    /// `name/scenario` plus `[key=value,...]` when swept: unique within a matrix.
    pub id: String,
    /// Framework name (the bare framework too, e.g. `plain`).
    pub framework: String,
    pub server: String,
    /// Server variant, `None` for the server's base variant.
    pub variant: Option<String>,
    pub runtime: String,
    /// Runtime variant (`lto` of `nuitka:lto`), `None` for the runtime itself.
    #[serde(default)]
    pub runtime_variant: Option<String>,
    /// The interface the framework and server meet on (`wsgi`, `asgi`, `own`, ...).
    pub interface: String,
    /// Content hash of the whole cell (image inputs, load and resource settings, request).
    pub hash: String,
    /// Content hash of the image inputs alone: cells that share it share one image.
    pub image_hash: String,
    pub image: ImageSpec,
    pub load: LoadSettings,
    /// Primer, readiness timeout and sampling: out of the hash (see `RunKnobs`).
    #[serde(default)]
    pub knobs: RunKnobs,
    pub resources: Resources,
    pub request: RequestSpec,
    /// Set when the matrix marks this cell as not applicable: the reason shown as N/A.
    pub na: Option<String>,
    /// The scenario keeps the server's CPU busy (`bound "cpu"`, the default) rather than
    /// waiting (`bound "io"`): the `server-busy` honesty check applies.
    pub cpu_bound: bool,
}

/// What the Dockerfile template renders from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageSpec {
    pub base_image: String,
    /// Debian packages of the runtime (a shared layer for all cells of the runtime).
    pub runtime_system_packages: Vec<String>,
    /// apt configuration items every `apt-get` of the image takes as `-o ITEM` (the runtime's
    /// `apt-options`). Left out when empty, so a spec without them serializes as before
    /// (stored cells, `bench expand --format json`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apt_options: Vec<String>,
    /// Debian packages the server, variant and framework add.
    pub system_packages: Vec<String>,
    /// Shell commands run before the virtualenv is made (the runtime's `setup`), in one step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setup: Vec<String>,
    /// Interpreter used to create the virtualenv: `python3`, `pypy3`.
    pub python: String,
    /// Pip requirements, pinned (`falcon==4.4.0`), installed in one `pip install`.
    pub packages: Vec<String>,
    /// Requirements installed afterwards with `--no-deps` (meinheld's stale greenlet pin).
    pub packages_no_deps: Vec<String>,
    /// Extra `pip install` arguments (`--only-binary pydantic-core`).
    pub pip_args: Vec<String>,
    /// Directory under `apps/` with the framework's application.
    pub app_dir: String,
    /// Application target as `module:attribute` (or a module for `own`).
    pub app: String,
    /// How the server starts.
    pub launch: Launch,
    /// Runtime compiles the launch script ahead of time (Nuitka).
    pub compile: Option<Compile>,
    /// Environment of the server process (besides `PORT`).
    pub env: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Launch {
    /// A shell command line run in the virtualenv (`gunicorn --bind 127.0.0.1:$PORT ...`).
    Command { command: String },
    /// A Python script under `apps/servers/` started with the runtime's interpreter
    /// (or compiled by the runtime); it reads `PORT`, `BENCH_APP` and its settings from env.
    Script { script: String, args: Vec<String> },
}

/// Ahead-of-time compilation of the launch script (Nuitka).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Compile {
    /// Command that compiles `{script}` into a standalone program, run at build time.
    pub command: String,
    /// Command that starts the compiled program.
    pub run: String,
}

/// Load generator settings of a cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadSettings {
    pub duration_ms: u64,
    pub warmup_ms: u64,
    pub connections: u32,
    pub threads: u32,
    pub timeout_ms: u64,
    /// Open-loop target rate (requests/s); `None` for closed loop.
    pub rate: Option<u64>,
    pub repeat: u32,
}

/// Container limits of a cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resources {
    pub cpus: f64,
    /// Explicit cpuset (`"1"`); `None` lets the runner pick a dedicated core.
    pub cpuset: Option<String>,
    pub memory_bytes: u64,
    /// Server worker processes where the server takes a count (gunicorn, uwsgi, bjoern fork).
    pub workers: u32,
}

/// The request a scenario sends and what a valid answer looks like.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestSpec {
    pub path: String,
    pub description: String,
    pub expect_status: u16,
    pub expect_content_type: String,
    pub body: BodyRule,
}
