use indexmap::IndexMap;

use super::{Framework, Override, Row, Runtime, Scenario, Server, Settings};

/// The validated matrix: every name resolved, rows in matrix order.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// `defaults { ... }`: the bottom settings layer.
    pub defaults: Settings,
    pub build: BuildConfig,
    pub runtimes: IndexMap<String, Runtime>,
    pub servers: IndexMap<String, Server>,
    pub frameworks: IndexMap<String, Framework>,
    pub scenarios: IndexMap<String, Scenario>,
    pub rows: Vec<Row>,
    pub overrides: Vec<Override>,
}

/// `build { ... }`: image build settings shared by every cell.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildConfig {
    pub base_image: String,
    /// CA bundle copied into builds for pip (corporate TLS proxies).
    pub ca_bundle: Option<String>,
    pub pip_index_url: Option<String>,
    pub pip_extra_index_url: Option<String>,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            base_image: "debian:bookworm-slim".into(),
            ca_bundle: None,
            pip_index_url: None,
            pip_extra_index_url: None,
        }
    }
}
