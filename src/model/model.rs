use indexmap::IndexMap;

use super::{DefinitionKind, Framework, Layer, Override, Row, Runtime, Scenario, Server, Settings};

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
    /// The settings layers of `row` in `scenario` above the built-in defaults, in the
    /// order they apply: `defaults`, runtime, runtime variant, server, server variant,
    /// framework, scenario, then the matching overrides in file order.
    pub fn layers_of(&self, row: &Row, scenario: &str) -> Vec<(Layer, &Settings)> {
        let definition = |kind, name: &str| Layer::Definition(kind, name.to_string());
        let variant_layer = |kind, name: &str, variant: &str| Layer::Variant {
            kind,
            name: name.to_string(),
            variant: variant.to_string(),
        };
        let runtime = self.runtimes.get(&row.runtime);
        let runtime_variant =
            row.runtime_variant.as_ref().and_then(|v| Some((v, runtime?.variants.get(v)?)));
        let server = self.servers.get(&row.server);
        let variant = row.variant.as_ref().and_then(|v| Some((v, server?.variants.get(v)?)));
        let layers = [
            Some((Layer::Defaults, &self.defaults)),
            runtime.map(|r| (definition(DefinitionKind::Runtime, &r.name), &r.extras.settings)),
            runtime_variant.map(|(name, v)| {
                let layer = variant_layer(DefinitionKind::Runtime, &row.runtime, name);
                (layer, &v.patch.extras.settings)
            }),
            server.map(|s| (definition(DefinitionKind::Server, &s.name), &s.extras.settings)),
            variant.map(|(name, v)| {
                (variant_layer(DefinitionKind::Server, &row.server, name), &v.extras.settings)
            }),
            self.frameworks
                .get(&row.framework)
                .map(|f| (definition(DefinitionKind::Framework, &f.name), &f.extras.settings)),
            self.scenarios
                .get(scenario)
                .map(|s| (definition(DefinitionKind::Scenario, &s.name), &s.settings)),
        ];
        let overrides = self.overrides.iter().enumerate();
        let matching = overrides.filter(|(_, o)| o.matcher.matches(row, scenario));
        layers
            .into_iter()
            .flatten()
            .chain(matching.map(|(i, o)| (Layer::Override(i), &o.extras.settings)))
            .collect()
    }

    /// The settings of `row` in `scenario`: the built-in defaults, then every layer.
    pub fn settings_of(&self, row: &Row, scenario: &str) -> Settings {
        let mut settings = Settings::builtin();
        for (_, layer) in self.layers_of(row, scenario) {
            settings.overlay(layer);
        }
        settings
    }
}
