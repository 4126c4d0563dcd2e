//! The one pass from syntax to model: resolves every name and collects every error.
//! Each definition's reader lives next to its type (`Runtime::read`, `Server::read`, ...);
//! this file holds the pass itself and what every reader shares.

use std::collections::HashMap;
use std::path::PathBuf;

use indexmap::IndexMap;
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
        let block = Block { name, label, source, node };
        match kind {
            DefinitionKind::Runtime => self.patch(
                block,
                |m| &mut m.runtimes,
                Runtime::new,
                |r| Some(&mut r.label),
                Runtime::read,
            ),
            DefinitionKind::Server => self.patch(
                block,
                |m| &mut m.servers,
                Server::new,
                |s| Some(&mut s.label),
                Server::read,
            ),
            DefinitionKind::Framework => self.patch(
                block,
                |m| &mut m.frameworks,
                Framework::new,
                |f| Some(&mut f.label),
                Framework::read,
            ),
            DefinitionKind::Scenario => {
                self.patch(block, |m| &mut m.scenarios, Scenario::new, |_| None, Scenario::read)
            }
        }
    }

    /// Read a block into its definition: the one an imported file made, patched where it
    /// stands, or a fresh one appended. Declaration order is the first definition's, whoever
    /// patches it later: rows naming no runtime take the first runtime, and rows list their
    /// scenarios in that order.
    fn patch<T>(
        &mut self,
        block: Block,
        definitions: fn(&mut Model) -> &mut IndexMap<String, T>,
        fresh: fn(&str) -> T,
        label_of: fn(&mut T) -> Option<&mut String>,
        read: fn(&mut T, &mut Self, &Source, &KdlNode),
    ) {
        let Block { name, label, source, node } = block;
        // Taken out while read, since the reader borrows the analyzer.
        let map = definitions(&mut self.model);
        let (index, mut definition) = match map.shift_remove_full(&name) {
            Some((index, _, definition)) => (index, definition),
            None => (map.len(), fresh(&name)),
        };
        if let (Some(label), Some(to)) = (label, label_of(&mut definition)) {
            *to = label;
        }
        read(&mut definition, self, source, node);
        let map = definitions(&mut self.model);
        map.shift_insert(index.min(map.len()), name, definition);
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

/// A definition's block: its name, the `label` it gives, and where it stands.
struct Block<'a> {
    name: String,
    label: Option<String>,
    source: &'a Source,
    node: &'a KdlNode,
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
