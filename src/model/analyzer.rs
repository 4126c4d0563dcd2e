//! The one pass from syntax to model: resolves every name and collects every error.
//! Each definition's reader lives next to its type (`Runtime::read`, `Server::read`, ...);
//! this file holds the pass itself and what every reader shares.

use std::collections::HashMap;
use std::path::PathBuf;

use kdl::KdlNode;
use miette::SourceSpan;

use super::extras::EXTRAS;
use super::node_reader::NodeReader;
use super::setting::{CONNECTIONS, Setting, THREADS};
use super::suggestion::suggest;
use super::{
    DefinitionKind, ErrorKind, Framework, Layer, Model, Runtime, Scenario, Server, SettingValue,
    Settings, checks,
};
use crate::config::{Diagnostic, MatrixErrors, Source, Sources};

const TOP: &[&str] =
    &["import", "defaults", "build", "runtime", "server", "framework", "scenario", "matrix"];
const BUILD: &[&str] = &["base-image", "ca-bundle", "pip-index-url", "pip-extra-index-url"];

/// Build the model from parsed sources, or every error found.
pub fn analyze(sources: &Sources) -> Result<Model, MatrixErrors> {
    let mut a = Analyzer { root: sources.root.clone(), ..Analyzer::default() };
    a.collect_names(sources);
    for (index, source) in sources.files.iter().enumerate() {
        for node in source.document.nodes() {
            a.top_level(index, source, node);
        }
    }
    a.matrix(sources);
    a.check_layers();
    if a.errors.is_empty() { Ok(a.model) } else { Err(MatrixErrors { diagnostics: a.errors }) }
}

#[derive(Default)]
pub(crate) struct Analyzer {
    pub(super) model: Model,
    pub(super) errors: Vec<Diagnostic>,
    /// The directory holding `apps/`; files the matrix names are checked under it.
    pub(super) root: Option<PathBuf>,
    /// Names defined per kind, over every file (for references in any order).
    names: HashMap<DefinitionKind, Vec<String>>,
    /// (kind, name) → index of the file that first defined it.
    defined_in: HashMap<(DefinitionKind, String), usize>,
    /// The block being read, whose settings layer a setting lands in.
    pub(super) layer: Layer,
    /// Where each layer set `threads` (see `check_layers`); a later entry of a layer
    /// replaces an earlier one, as a patch does.
    pub(super) threads_at: Vec<(Layer, Source, SourceSpan, u64)>,
}

impl Analyzer {
    pub(super) fn error(&mut self, source: &Source, span: SourceSpan, kind: ErrorKind) {
        self.errors.push(source.error(span, kind));
    }

    /// Report `check`'s error, if any, at `span`; true when the value passed.
    pub(super) fn check(
        &mut self,
        source: &Source,
        span: SourceSpan,
        check: Result<(), ErrorKind>,
    ) -> bool {
        match check {
            Ok(()) => true,
            Err(kind) => {
                self.error(source, span, kind);
                false
            }
        }
    }

    fn collect_names(&mut self, sources: &Sources) {
        for node in sources.files.iter().flat_map(|s| s.document.nodes()) {
            let Some(kind) = DefinitionKind::of_node(node.name().value()) else {
                continue;
            };
            if let Some(name) = node.entries().first().and_then(|e| e.value().as_string()) {
                let names = self.names.entry(kind).or_default();
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_string());
                }
            }
        }
    }

    fn top_level(&mut self, file: usize, source: &Source, node: &KdlNode) {
        match node.name().value() {
            "import" | "matrix" => {} // imports: resolved by config; matrix: after definitions
            "defaults" => {
                self.layer = Layer::Defaults;
                NodeReader::new(source, node, &[]).finish(&mut self.errors);
                let mut settings = std::mem::take(&mut self.model.defaults);
                for child in children(node) {
                    if !settings.read_child(self, source, child) {
                        self.unknown_child(source, child, "defaults", &[], false);
                    }
                }
                self.model.defaults = settings;
            }
            "build" => self.build(source, node),
            name => match DefinitionKind::of_node(name) {
                Some(kind) => self.definition(file, source, node, kind),
                None => self.unknown_node(source, node, "the top level", TOP),
            },
        }
    }

    fn definition(&mut self, file: usize, source: &Source, node: &KdlNode, kind: DefinitionKind) {
        let allowed: &[&str] = if kind == DefinitionKind::Scenario { &[] } else { &["label"] };
        let mut reader = NodeReader::new(source, node, allowed);
        let Some((name, span)) = reader.required_string("a name", &mut self.errors) else {
            return;
        };
        let label = reader.prop_string("label", &mut self.errors);
        reader.finish(&mut self.errors);
        self.check(source, span, checks::name(&format!("{kind} name"), &name));
        if let Some((label, span)) = &label {
            self.check(source, *span, checks::label(label));
        }
        let label = label.map(|(l, _)| l);
        let key = (kind, name.clone());
        if self.defined_in.get(&key) == Some(&file) {
            self.error(source, span, ErrorKind::DuplicateDefinition { kind, name });
            return;
        }
        self.defined_in.entry(key).or_insert(file);
        self.layer = Layer::Definition(kind, name.clone());
        match kind {
            DefinitionKind::Runtime => {
                let runtimes = &mut self.model.runtimes;
                let mut runtime = patched(runtimes, &name, label, Runtime::new, |r| &mut r.label);
                runtime.read(self, source, node);
                self.model.runtimes.insert(name, runtime);
            }
            DefinitionKind::Server => {
                let servers = &mut self.model.servers;
                let mut server = patched(servers, &name, label, Server::new, |s| &mut s.label);
                server.read(self, source, node);
                self.model.servers.insert(name, server);
            }
            DefinitionKind::Framework => {
                let frameworks = &mut self.model.frameworks;
                let mut framework =
                    patched(frameworks, &name, label, Framework::new, |f| &mut f.label);
                framework.read(self, source, node);
                self.model.frameworks.insert(name, framework);
            }
            DefinitionKind::Scenario => {
                let scenarios = &mut self.model.scenarios;
                let mut scenario =
                    scenarios.shift_remove(&name).unwrap_or_else(|| Scenario::new(&name));
                scenario.read(self, source, node);
                self.model.scenarios.insert(name, scenario);
            }
        }
    }

    fn build(&mut self, source: &Source, node: &KdlNode) {
        NodeReader::new(source, node, &[]).finish(&mut self.errors);
        for child in children(node) {
            let mut r = NodeReader::new(source, child, &[]);
            let name = child.name().value();
            if !BUILD.contains(&name) {
                self.unknown_node(source, child, "`build`", BUILD);
                continue;
            }
            let value = r.required_string("a value", &mut self.errors);
            r.finish(&mut self.errors);
            let Some((value, span)) = value else { continue };
            let check = match name {
                "base-image" => checks::image(&value),
                _ => checks::no_control(&format!("`{name}`"), &value),
            };
            if !self.check(source, span, check) {
                continue;
            }
            let build = &mut self.model.build;
            match name {
                "base-image" => build.base_image = value,
                "ca-bundle" => build.ca_bundle = Some(value),
                "pip-index-url" => build.pip_index_url = Some(value),
                _ => build.pip_extra_index_url = Some(value),
            }
        }
    }

    /// Whether `name` is a defined `kind`; reports it at `span` when not.
    pub(super) fn check_reference(
        &mut self,
        source: &Source,
        span: SourceSpan,
        kind: DefinitionKind,
        name: &str,
    ) -> bool {
        let known = self.names.get(&kind).cloned().unwrap_or_default();
        if known.iter().any(|k| k == name) {
            return true;
        }
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        let help = suggest(name, &known, str::to_string, |known| match known {
            [] => format!("no {kind} is defined: add `{kind} {name} {{ ... }}`"),
            _ => format!("known {kind}s: {}", known.join(", ")),
        });
        self.error(source, span, ErrorKind::UnknownReference { kind, name: name.into(), help });
        false
    }

    /// An unknown child of `parent`, which takes `own` children, the shared children
    /// (packages, env, ...) when `shared`, and every setting.
    pub(super) fn unknown_child(
        &mut self,
        source: &Source,
        child: &KdlNode,
        parent: &str,
        own: &[&'static str],
        shared: bool,
    ) {
        let mut known: Vec<&str> = own.to_vec();
        if shared {
            known.extend(EXTRAS);
        }
        known.extend(Setting::names());
        self.unknown_node(source, child, &format!("`{parent}`"), &known);
    }

    pub(super) fn unknown_node(
        &mut self,
        source: &Source,
        node: &KdlNode,
        parent: &str,
        known: &[&str],
    ) {
        let name = node.name().value();
        let help = suggest(name, known, str::to_string, |known| {
            format!("allowed here: {}", known.join(", "))
        });
        let kind = ErrorKind::UnknownNode { name: name.into(), parent: parent.into(), help };
        self.error(source, node.name().span(), kind);
    }

    /// A file the matrix names under the project root (when there is one) must exist.
    pub(super) fn check_exists(
        &mut self,
        source: &Source,
        span: SourceSpan,
        path: &str,
        dir: bool,
        (what, fix): (&'static str, &'static str),
    ) {
        let Some(root) = &self.root else { return };
        let full = root.join(path);
        if (dir && full.is_dir()) || (!dir && full.is_file()) {
            return;
        }
        self.error(source, span, ErrorKind::MissingFile { what, path: path.into(), fix });
    }
}

/// The definition `name` to patch: the one an imported file made, or `fresh(name)`;
/// relabelled when the new block gives a `label`. The caller reads the block into it and
/// puts it back.
fn patched<T>(
    definitions: &mut indexmap::IndexMap<String, T>,
    name: &str,
    label: Option<String>,
    fresh: impl FnOnce(&str) -> T,
    label_of: impl FnOnce(&mut T) -> &mut String,
) -> T {
    let mut definition = definitions.shift_remove(name).unwrap_or_else(|| fresh(name));
    if let Some(label) = label {
        *label_of(&mut definition) = label;
    }
    definition
}

pub(super) fn children(node: &KdlNode) -> &[KdlNode] {
    node.children().map(|d| d.nodes()).unwrap_or(&[])
}

impl Analyzer {
    /// Rules across layers: in every cell, the generator has at most one thread per
    /// connection. Checked on the layered settings, since `threads` and `connections`
    /// may come from different blocks; reported at the `threads` the cell got.
    fn check_layers(&mut self) {
        let mut reported: Vec<SourceSpan> = Vec::new();
        for row in &self.model.rows {
            for scenario in &row.scenarios {
                let settings = self.model.settings_of(row, scenario);
                let max_threads = counts(&settings, &THREADS).max();
                let min_connections = counts(&settings, &CONNECTIONS).min();
                let (Some(threads), Some(connections)) = (max_threads, min_connections) else {
                    continue;
                };
                if threads <= connections {
                    continue;
                }
                let layers = self.model.layers_of(row, scenario);
                let Some((layer, _)) = layers.iter().rev().find(|(_, s)| s.get(&THREADS).is_some())
                else {
                    continue;
                };
                let at =
                    self.threads_at.iter().rev().find(|(l, _, _, t)| l == layer && *t == threads);
                let Some((_, source, span, _)) =
                    at.filter(|(_, _, span, _)| !reported.contains(span))
                else {
                    continue;
                };
                reported.push(*span);
                let kind = ErrorKind::ThreadsOverConnections { threads, connections };
                self.errors.push(source.error(*span, kind));
            }
        }
    }
}

fn counts<'s>(settings: &'s Settings, setting: &Setting) -> impl Iterator<Item = u64> + 's {
    let values = settings.get(setting).unwrap_or_default();
    values.iter().filter_map(|v| match v {
        SettingValue::Count(n) => Some(*n),
        _ => None,
    })
}
