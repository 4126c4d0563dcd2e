//! The `matrix { ... }` blocks: `scenarios`, `axes`, `include`, `exclude`, `override`.

use std::collections::HashMap;

use kdl::KdlNode;
use miette::SourceSpan;

use super::analyzer::{Analyzer, children};
use super::combo::{Combo, compatible, row_name, server_ref};
use super::node_reader::NodeReader;
use super::suggestion::suggest;
use super::{DefinitionKind, ErrorKind, Extras, Layer, Matcher, Override, Row, checks};
use crate::config::{Source, Sources};

const STATEMENTS: &[&str] = &["scenarios", "axes", "include", "exclude", "override"];
const AXES: &[&str] = &["framework", "server", "runtime", "scenario"];

#[derive(Default)]
pub(crate) struct MatrixBuilder {
    pub rows: Vec<Row>,
    pub overrides: Vec<Override>,
    scenario_order: Vec<String>,
    by_combo: HashMap<(String, String, Option<String>, String), usize>,
    by_name: HashMap<String, usize>,
    excludes: Vec<Matcher>,
    /// `row=` names that must exist once every row is known.
    row_refs: Vec<(Source, SourceSpan, String)>,
}

impl Analyzer {
    /// Every `matrix` block of every file, read as one, into the model's rows.
    pub(super) fn matrix(&mut self, sources: &Sources) {
        let mut statements: Vec<(&Source, &KdlNode)> = Vec::new();
        let mut matrix_span: Option<(&Source, SourceSpan)> = None;
        for source in &sources.files {
            for node in source.document.nodes().iter().filter(|n| n.name().value() == "matrix") {
                let r = NodeReader::new(source, node, &["replace"]);
                if r.prop_bool("replace", &mut self.errors) == Some(true) {
                    statements.clear();
                }
                r.finish(&mut self.errors);
                matrix_span = Some((source, node.name().span()));
                statements.extend(children(node).iter().map(|c| (source, c)));
            }
        }
        let mut builder = MatrixBuilder::default();
        builder.run(self, &statements);
        match matrix_span {
            None => self.error(sources.main(), (0, 0).into(), ErrorKind::NoMatrix),
            Some((source, span)) if builder.rows.is_empty() && self.errors.is_empty() => {
                self.error(source, span, ErrorKind::EmptyMatrix)
            }
            _ => {}
        }
        self.model.rows = builder.rows;
        self.model.overrides = builder.overrides;
    }
}

impl MatrixBuilder {
    pub fn run(&mut self, a: &mut Analyzer, statements: &[(&Source, &KdlNode)]) {
        self.scenario_order = a.model.scenarios.keys().cloned().collect();
        for (source, node) in statements.iter().filter(|(_, n)| n.name().value() == "scenarios") {
            let mut r = NodeReader::new(source, node, &[]);
            let names = r.strings(&mut a.errors);
            r.finish(&mut a.errors);
            self.scenario_order = references(a, source, DefinitionKind::Scenario, names);
        }
        for (source, node) in statements {
            match node.name().value() {
                "scenarios" => {}
                "axes" => self.axes(a, source, node),
                "include" => self.include(a, source, node),
                "exclude" => {
                    if let Some(m) = Matcher::read(a, source, node) {
                        self.note_row_ref(source, node);
                        self.excludes.push(m);
                    }
                }
                "override" => self.override_(a, source, node),
                _ => a.unknown_node(source, node, "`matrix`", STATEMENTS),
            }
        }
        for m in &self.excludes {
            for row in &mut self.rows {
                let keep = row.scenarios.iter().filter(|s| !m.matches(row, s)).cloned().collect();
                row.scenarios = keep;
            }
        }
        self.rows.retain(|r| !r.scenarios.is_empty());
        for (source, span, name) in std::mem::take(&mut self.row_refs) {
            if self.rows.iter().any(|r| r.name == name) {
                continue;
            }
            let names: Vec<&str> = self.rows.iter().map(|r| r.name.as_str()).collect();
            let help = suggest(&name, &names, str::to_string, |_| {
                "run `bench expand --format names` to list the rows".to_string()
            });
            a.error(&source, span, ErrorKind::UnknownRow { name, help });
        }
    }

    fn note_row_ref(&mut self, source: &Source, node: &KdlNode) {
        let row = node.entries().iter().find(|e| e.name().map(|n| n.value()) == Some("row"));
        if let Some(entry) = row
            && let Some(text) = entry.value().as_string()
        {
            for part in text.split_whitespace().filter(|p| !p.contains(['*', '?', '['])) {
                self.row_refs.push((source.clone(), entry.span(), part.to_string()));
            }
        }
    }

    fn axes(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode) {
        NodeReader::new(source, node, &[]).finish(&mut a.errors);
        let mut frameworks = Vec::new();
        let mut servers: Vec<(String, Option<String>)> = Vec::new();
        let mut runtimes = Vec::new();
        let mut scenarios = None;
        for child in children(node) {
            let mut r = NodeReader::new(source, child, &[]);
            let values = r.strings(&mut a.errors);
            r.finish(&mut a.errors);
            match child.name().value() {
                "framework" => {
                    frameworks.extend(references(a, source, DefinitionKind::Framework, values))
                }
                "runtime" => {
                    runtimes.extend(references(a, source, DefinitionKind::Runtime, values))
                }
                "scenario" => {
                    scenarios = Some(references(a, source, DefinitionKind::Scenario, values))
                }
                "server" => {
                    for (v, span) in values {
                        servers.extend(server_ref(a, source, span, &v, true));
                    }
                }
                _ => a.unknown_node(source, child, "`axes`", AXES),
            }
        }
        if runtimes.is_empty() {
            runtimes.extend(a.model.runtimes.keys().next().cloned());
        }
        let scenarios = scenarios.unwrap_or_else(|| self.scenario_order.clone());
        for framework in &frameworks {
            for (server, variant) in &servers {
                for runtime in &runtimes {
                    let combo = Combo {
                        framework: framework.clone(),
                        server: server.clone(),
                        variant: variant.clone(),
                        runtime: runtime.clone(),
                    };
                    if let Ok(interface) = compatible(a, &combo) {
                        let span = node.name().span();
                        self.add_row(a, source, span, combo, interface, None, &scenarios);
                    }
                }
            }
        }
    }

    fn include(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode) {
        let mut r = NodeReader::new(source, node, &["runtime", "scenario", "name"]);
        let args: Vec<_> = r.take_all_args();
        let runtime = r.prop_string("runtime", &mut a.errors);
        let scenario = r.prop_string("scenario", &mut a.errors);
        let name = r.prop_string("name", &mut a.errors);
        r.finish(&mut a.errors);
        if args.len() != 2 {
            let kind = ErrorKind::IncludeArity { too_many: args.len() > 2 };
            a.error(source, node.span(), kind);
            return;
        }
        let what = ["a framework name", "a server name"];
        let [Some(framework), Some(server)] =
            [0, 1].map(|i| super::node_reader::string_of(source, args[i], what[i], &mut a.errors))
        else {
            return;
        };
        let mut ok =
            a.check_reference(source, args[0].span(), DefinitionKind::Framework, &framework);
        let servers = server_ref(a, source, args[1].span(), &server, false);
        ok &= !servers.is_empty();
        if let Some((name, span)) = &name {
            ok &= a.check(source, *span, checks::name("row name", name));
        }
        let runtime = match runtime {
            Some((rt, span)) => {
                ok &= a.check_reference(source, span, DefinitionKind::Runtime, &rt);
                rt
            }
            None => a.model.runtimes.keys().next().cloned().unwrap_or_default(),
        };
        let scenarios = match scenario {
            Some((list, span)) => {
                let names = list.split_whitespace().map(|s| (s.to_string(), span)).collect();
                let found = references(a, source, DefinitionKind::Scenario, names);
                ok &= found.len() == list.split_whitespace().count();
                found
            }
            None => self.scenario_order.clone(),
        };
        if !ok {
            return;
        }
        for (server_name, variant) in servers {
            let combo = Combo {
                framework: framework.clone(),
                server: server_name,
                variant,
                runtime: runtime.clone(),
            };
            match compatible(a, &combo) {
                Ok(interface) => {
                    let name = name.as_ref().map(|(n, _)| n.clone());
                    self.add_row(a, source, node.span(), combo, interface, name, &scenarios)
                }
                Err(reason) => {
                    let include = format!("{framework} {server}");
                    a.error(source, node.span(), ErrorKind::Incompatible { include, reason })
                }
            }
        }
    }

    fn override_(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode) {
        let Some(m) = Matcher::read(a, source, node) else {
            return;
        };
        self.note_row_ref(source, node);
        a.layer = Layer::Override(self.overrides.len());
        let mut extras = Extras::default();
        let mut na = None;
        for child in children(node) {
            if child.name().value() == "na" {
                let mut r = NodeReader::new(source, child, &[]);
                na = r.required_string("the reason", &mut a.errors).map(|(n, _)| n);
                r.finish(&mut a.errors);
            } else if !extras.read_child(a, source, child) {
                a.unknown_child(source, child, "override", &["na"], true);
            }
        }
        self.overrides.push(Override { matcher: m, extras, na });
    }

    #[allow(clippy::too_many_arguments)]
    fn add_row(
        &mut self,
        a: &mut Analyzer,
        source: &Source,
        span: SourceSpan,
        combo: Combo,
        interface: String,
        name: Option<String>,
        scenarios: &[String],
    ) {
        let key = (
            combo.framework.clone(),
            combo.server.clone(),
            combo.variant.clone(),
            combo.runtime.clone(),
        );
        let name = name.unwrap_or_else(|| row_name(a, &combo));
        let order: Vec<String> = a.model.scenarios.keys().cloned().collect();
        let ordered = |list: &mut Vec<String>| {
            list.sort_by_key(|s| order.iter().position(|o| o == s).unwrap_or(usize::MAX));
        };
        if let Some(&i) = self.by_combo.get(&key) {
            let row = &mut self.rows[i];
            for s in scenarios {
                if !row.scenarios.contains(s) {
                    row.scenarios.push(s.clone());
                }
            }
            ordered(&mut row.scenarios);
            return;
        }
        if let Some(other) = self.by_name.get(&name).map(|&i| &self.rows[i]) {
            let other = format!(
                "`{}` is {} on {} on {}",
                other.name, other.framework, other.server, other.runtime
            );
            a.error(source, span, ErrorKind::DuplicateRowName { name, other });
            return;
        }
        let mut list = scenarios.to_vec();
        ordered(&mut list);
        self.by_combo.insert(key, self.rows.len());
        self.by_name.insert(name.clone(), self.rows.len());
        self.rows.push(Row {
            name,
            framework: combo.framework,
            server: combo.server,
            variant: combo.variant,
            runtime: combo.runtime,
            interface,
            scenarios: list,
        });
    }
}

/// The names among `values` that are defined `kind`s (each other one reported).
fn references(
    a: &mut Analyzer,
    source: &Source,
    kind: DefinitionKind,
    values: Vec<(String, SourceSpan)>,
) -> Vec<String> {
    values
        .into_iter()
        .filter(|(name, span)| a.check_reference(source, *span, kind, name))
        .map(|(n, _)| n)
        .collect()
}
