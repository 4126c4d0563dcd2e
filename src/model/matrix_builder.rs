//! The `matrix { ... }` blocks: `scenarios`, `axes`, `include`, `exclude`, `override`.

use std::collections::HashMap;

use kdl::KdlNode;
use miette::SourceSpan;

use super::analyzer::{Analyzer, children};
use super::combo::{Combo, Meeting, compatible, meeting, row_name, shared_interfaces, variant_ref};
use super::node_reader::NodeReader;
use super::qualified;
use super::suggestion::suggest;
use super::{DefinitionKind, ErrorKind, Extras, Layer, Matcher, Override, Row, checks};
use crate::config::{Source, Sources};

const STATEMENTS: &[&str] = &["scenarios", "axes", "include", "exclude", "override"];
const AXES: &[&str] = &["framework", "server", "runtime", "interface", "scenario"];

#[derive(Default)]
pub(crate) struct MatrixBuilder {
    pub rows: Vec<Row>,
    pub overrides: Vec<Override>,
    scenario_order: Vec<String>,
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
        let mut runtimes: Vec<(String, Option<String>)> = Vec::new();
        let mut interfaces: Vec<(String, SourceSpan)> = Vec::new();
        let mut scenarios = None;
        for child in children(node) {
            let mut r = NodeReader::new(source, child, &[]);
            let values = r.strings(&mut a.errors);
            r.finish(&mut a.errors);
            match child.name().value() {
                "framework" => {
                    frameworks.extend(references(a, source, DefinitionKind::Framework, values))
                }
                "scenario" => {
                    scenarios = Some(references(a, source, DefinitionKind::Scenario, values))
                }
                axis @ ("server" | "runtime") => {
                    let (kind, list) = match axis {
                        "server" => (DefinitionKind::Server, &mut servers),
                        _ => (DefinitionKind::Runtime, &mut runtimes),
                    };
                    for (v, span) in values {
                        list.extend(variant_ref(a, source, span, kind, &v, true));
                    }
                }
                "interface" => interfaces.extend(
                    values
                        .into_iter()
                        .filter(|(v, span)| a.check(source, *span, checks::name("interface", v))),
                ),
                _ => a.unknown_node(source, child, "`axes`", AXES),
            }
        }
        if runtimes.is_empty() {
            runtimes.extend(a.model.runtimes.keys().next().map(|r| (r.clone(), None)));
        }
        let scenarios = scenarios.unwrap_or_else(|| self.scenario_order.clone());
        check_axis_interfaces(a, source, &interfaces, &frameworks, &servers);
        let requested: Vec<Option<String>> = if interfaces.is_empty() {
            vec![None]
        } else {
            interfaces.into_iter().map(|(i, _)| Some(i)).collect()
        };
        for framework in &frameworks {
            for (server, variant) in &servers {
                for (runtime, runtime_variant) in &runtimes {
                    for interface in &requested {
                        let combo = Combo {
                            framework: framework.clone(),
                            server: server.clone(),
                            variant: variant.clone(),
                            runtime: runtime.clone(),
                            runtime_variant: runtime_variant.clone(),
                            interface: interface.clone(),
                        };
                        let Ok(shared) = compatible(a, &combo) else { continue };
                        if let Some(meeting) = meeting(&shared, combo.interface.as_deref()) {
                            let span = node.name().span();
                            self.add_row(a, source, span, combo, meeting, None, &scenarios);
                        }
                    }
                }
            }
        }
    }

    fn include(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode) {
        let mut r = NodeReader::new(source, node, &["runtime", "scenario", "name", "interface"]);
        let args: Vec<_> = r.take_all_args();
        let runtime = r.prop_string("runtime", &mut a.errors);
        let scenario = r.prop_string("scenario", &mut a.errors);
        let name = r.prop_string("name", &mut a.errors);
        let interface = r.prop_string("interface", &mut a.errors);
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
        let servers =
            variant_ref(a, source, args[1].span(), DefinitionKind::Server, &server, false);
        ok &= !servers.is_empty();
        if let Some((name, span)) = &name {
            ok &= a.check(source, *span, checks::name("row name", name));
        }
        if let Some((interface, span)) = &interface {
            ok &= a.check(source, *span, checks::name("interface", interface));
        }
        let runtimes = match &runtime {
            Some((rt, span)) => variant_ref(a, source, *span, DefinitionKind::Runtime, rt, false),
            None => vec![(a.model.runtimes.keys().next().cloned().unwrap_or_default(), None)],
        };
        ok &= !runtimes.is_empty();
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
        let (Some((server_name, variant)), Some((runtime_name, runtime_variant))) =
            (servers.into_iter().next(), runtimes.into_iter().next())
        else {
            return;
        };
        let combo = Combo {
            framework: framework.clone(),
            server: server_name,
            variant,
            runtime: runtime_name,
            runtime_variant,
            interface: interface.as_ref().map(|(i, _)| i.clone()),
        };
        let shared = match compatible(a, &combo) {
            Ok(shared) => shared,
            Err(reason) => {
                let include = format!("{framework} {server}");
                a.error(source, node.span(), ErrorKind::Incompatible { include, reason });
                return;
            }
        };
        match (meeting(&shared, combo.interface.as_deref()), interface) {
            (Some(meeting), _) => {
                let name = name.map(|(n, _)| n);
                self.add_row(a, source, node.span(), combo, meeting, name, &scenarios)
            }
            (None, Some((interface, span))) => {
                let known: Vec<&str> = shared.iter().map(String::as_str).collect();
                let help = suggest(
                    &interface,
                    &known,
                    |s| format!("interface={s}"),
                    |known| {
                        format!(
                            "{framework} and {server} share {}: name one of them, or leave \
                             `interface=` out for the first",
                            known.join(", ")
                        )
                    },
                );
                let by = format!("{framework} and {server}");
                a.error(source, span, ErrorKind::InterfaceNotShared { interface, by, help });
            }
            // Without `interface=` the default is always shared.
            (None, None) => {}
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

    /// A row for `combo`, or its scenarios added to the row of the same combination.
    #[allow(clippy::too_many_arguments)]
    fn add_row(
        &mut self,
        a: &mut Analyzer,
        source: &Source,
        span: SourceSpan,
        combo: Combo,
        meeting: Meeting,
        name: Option<String>,
        scenarios: &[String],
    ) {
        let order: Vec<String> = a.model.scenarios.keys().cloned().collect();
        let ordered = |list: &mut Vec<String>| {
            list.sort_by_key(|s| order.iter().position(|o| o == s).unwrap_or(usize::MAX));
        };
        let mut row = Row {
            name: name.unwrap_or_else(|| row_name(a, &combo, &meeting)),
            framework: combo.framework,
            server: combo.server,
            variant: combo.variant,
            runtime: combo.runtime,
            runtime_variant: combo.runtime_variant,
            interface: meeting.interface,
            scenarios: scenarios.to_vec(),
        };
        if let Some(existing) = self.rows.iter_mut().find(|r| r.same_combination(&row)) {
            for s in scenarios {
                if !existing.scenarios.contains(s) {
                    existing.scenarios.push(s.clone());
                }
            }
            ordered(&mut existing.scenarios);
            return;
        }
        if let Some(other) = self.by_name.get(&row.name).map(|&i| &self.rows[i]) {
            let other = format!(
                "`{}` is {} on {} ({}) on {}",
                other.name,
                other.framework,
                qualified(&other.server, other.variant.as_deref()),
                other.interface,
                qualified(&other.runtime, other.runtime_variant.as_deref()),
            );
            a.error(source, span, ErrorKind::DuplicateRowName { name: row.name, other });
            return;
        }
        ordered(&mut row.scenarios);
        self.by_name.insert(row.name.clone(), self.rows.len());
        self.rows.push(row);
    }
}

/// Each interface an `axes` lists must be shared by one of its frameworks and one of its
/// servers: the axes drop the combinations that do not share it, so a misspelt one would
/// otherwise drop every row silently.
fn check_axis_interfaces(
    a: &mut Analyzer,
    source: &Source,
    interfaces: &[(String, SourceSpan)],
    frameworks: &[String],
    servers: &[(String, Option<String>)],
) {
    let mut shared: Vec<String> = Vec::new();
    for framework in frameworks {
        for (server, variant) in servers {
            for i in shared_interfaces(&a.model, framework, server, variant.as_deref()) {
                if !shared.contains(&i) {
                    shared.push(i);
                }
            }
        }
    }
    for (interface, span) in interfaces.iter().filter(|(i, _)| !shared.contains(i)) {
        let known: Vec<&str> = shared.iter().map(String::as_str).collect();
        let help = suggest(interface, &known, str::to_string, |known| match known {
            [] => "the frameworks and servers of these axes share no interface".to_string(),
            _ => format!("they share: {}", known.join(", ")),
        });
        let by = "any framework and server of these axes".to_string();
        let kind = ErrorKind::InterfaceNotShared { interface: interface.clone(), by, help };
        a.error(source, *span, kind);
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
