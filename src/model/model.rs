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

impl Model {
    /// The settings of `row` in `scenario`, every layer applied: built-in defaults,
    /// `defaults`, runtime, server, variant, framework, scenario, then matching overrides.
    pub fn settings_of(&self, row: &Row, scenario: &str) -> Settings {
        let mut settings = Settings::builtin();
        settings.overlay(&self.defaults);
        let server = self.servers.get(&row.server);
        let variant = row.variant.as_ref().and_then(|v| server?.variants.get(v));
        let layers = [
            self.runtimes.get(&row.runtime).map(|r| &r.extras.settings),
            server.map(|s| &s.extras.settings),
            variant.map(|v| &v.extras.settings),
            self.frameworks
                .get(&row.framework)
                .map(|f| &f.extras.settings),
            self.scenarios.get(scenario).map(|s| &s.settings),
        ];
        for layer in layers.into_iter().flatten() {
            settings.overlay(layer);
        }
        for o in self
            .overrides
            .iter()
            .filter(|o| o.matcher.matches(row, scenario))
        {
            settings.overlay(&o.extras.settings);
        }
        settings
    }
}
