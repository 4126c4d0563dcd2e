//! The `matrix { ... }` block: `scenarios`, `axes`, `include`, `exclude`, `override`.

use std::collections::HashMap;

use kdl::KdlNode;
use miette::SourceSpan;

use super::{children, entry_string, matcher, Analyzer, EXTRAS, MATCHER_PROPS};
use crate::config::Source;
use crate::model::node_reader::NodeReader;
use crate::model::settings::SETTINGS;
use crate::model::{Extras, Matcher, Override, Row};

const STATEMENTS: &[&str] = &["scenarios", "axes", "include", "exclude", "override"];

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

/// One candidate row before compatibility is checked.
struct Combo {
    framework: String,
    server: String,
    variant: Option<String>,
    runtime: String,
}

impl MatrixBuilder {
    pub fn run(&mut self, a: &mut Analyzer, statements: &[(&Source, &KdlNode)]) {
        self.scenario_order = a.model.scenarios.keys().cloned().collect();
        for (source, node) in statements.iter().filter(|(_, n)| n.name().value() == "scenarios") {
            let mut r = NodeReader::new(source, node, &[]);
            let names = r.strings(&mut a.errors);
            r.finish(&mut a.errors);
            let entries: Vec<_> = node.entries().iter().filter(|e| e.name().is_none()).collect();
            let mut order = Vec::new();
            for (name, entry) in names.iter().zip(entries) {
                if a.check_reference(source, entry.span(), "scenario", name) {
                    order.push(name.clone());
                }
            }
            self.scenario_order = order;
        }
        for (source, node) in statements {
            match node.name().value() {
                "scenarios" => {}
                "axes" => self.axes(a, source, node),
                "include" => self.include(a, source, node),
                "exclude" => {
                    let r = NodeReader::new(source, node, MATCHER_PROPS);
                    r.finish(&mut a.errors);
                    if let Some(m) = matcher(a, source, node) {
                        self.note_row_ref(source, node);
                        self.excludes.push(m);
                    }
                }
                "override" => self.override_(a, source, node),
                other => a.unknown_child_named(source, node, other, "`matrix`", STATEMENTS.iter().copied()),
            }
        }
        for m in &self.excludes {
            for row in &mut self.rows {
                let keep: Vec<String> = row.scenarios.iter().filter(|s| !m.matches(row, s)).cloned().collect();
                row.scenarios = keep;
            }
        }
        self.rows.retain(|r| !r.scenarios.is_empty());
        for (source, span, name) in std::mem::take(&mut self.row_refs) {
            if !self.rows.iter().any(|r| r.name == name) {
                let names: Vec<&str> = self.rows.iter().map(|r| r.name.as_str()).collect();
                let help = match crate::model::node_reader::did_you_mean(&name, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "run `bench expand --format names` to list the rows".to_string(),
                };
                a.errors.push(source.error(span, format!("no row is named `{name}`"), "unknown row", Some(help)));
            }
        }
    }

    fn note_row_ref(&mut self, source: &Source, node: &KdlNode) {
        if let Some(entry) = node.entries().iter().find(|e| e.name().map(|n| n.value()) == Some("row"))
            && let Some(text) = entry.value().as_string() {
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
            let entries: Vec<_> = child.entries().iter().filter(|e| e.name().is_none()).collect();
            let pairs = values.into_iter().zip(entries);
            match child.name().value() {
                "framework" => {
                    for (v, e) in pairs {
                        if a.check_reference(source, e.span(), "framework", &v) {
                            frameworks.push(v);
                        }
                    }
                }
                "runtime" => {
                    for (v, e) in pairs {
                        if a.check_reference(source, e.span(), "runtime", &v) {
                            runtimes.push(v);
                        }
                    }
                }
                "scenario" => {
                    let mut list = Vec::new();
                    for (v, e) in pairs {
                        if a.check_reference(source, e.span(), "scenario", &v) {
                            list.push(v);
                        }
                    }
                    scenarios = Some(list);
                }
                "server" => {
                    for (v, e) in pairs {
                        servers.extend(server_ref(a, source, e.span(), &v, true));
                    }
                }
                other => a.unknown_child_named(source, child, other, "`axes`", ["framework", "server", "runtime", "scenario"].into_iter()),
            }
        }
        if runtimes.is_empty() {
            runtimes.extend(a.model.runtimes.keys().next().cloned());
        }
        let scenarios = scenarios.unwrap_or_else(|| self.scenario_order.clone());
        for framework in &frameworks {
            for (server, variant) in &servers {
                for runtime in &runtimes {
                    let combo = Combo { framework: framework.clone(), server: server.clone(), variant: variant.clone(), runtime: runtime.clone() };
                    if let Ok(interface) = compatible(a, &combo) {
                        self.add_row(a, source, node.name().span(), combo, interface, None, &scenarios);
                    }
                }
            }
        }
    }

    fn include(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode) {
        let r = NodeReader::new(source, node, &["runtime", "scenario", "name"]);
        let args: Vec<_> = r.args().collect();
        let runtime = r.prop_string("runtime", &mut a.errors);
        let scenario = r.prop_string("scenario", &mut a.errors);
        let name = r.prop_string("name", &mut a.errors);
        let mut r = r;
        let _ = r.take_all_args();
        r.finish(&mut a.errors);
        if args.len() != 2 {
            a.errors.push(source.error(
                node.span(),
                "`include` takes a framework and a server",
                if args.len() < 2 { "missing framework or server" } else { "too many arguments" },
                Some("write `include FRAMEWORK SERVER` or `include FRAMEWORK SERVER:VARIANT runtime=RUNTIME`".into()),
            ));
            return;
        }
        let (Some(framework), Some(server)) = (
            entry_string(a, source, args[0], "a framework name"),
            entry_string(a, source, args[1], "a server name"),
        ) else {
            return;
        };
        let mut ok = a.check_reference(source, args[0].span(), "framework", &framework);
        let servers = server_ref(a, source, args[1].span(), &server, false);
        ok &= !servers.is_empty();
        let runtime = match runtime {
            Some(rt) => {
                let span = node.entries().iter().find(|e| e.name().map(|n| n.value()) == Some("runtime")).map(|e| e.span()).unwrap_or(node.span());
                ok &= a.check_reference(source, span, "runtime", &rt);
                rt
            }
            None => a.model.runtimes.keys().next().cloned().unwrap_or_default(),
        };
        let scenarios = match scenario {
            Some(list) => {
                let span = node.entries().iter().find(|e| e.name().map(|n| n.value()) == Some("scenario")).map(|e| e.span()).unwrap_or(node.span());
                let mut out = Vec::new();
                for s in list.split_whitespace() {
                    ok &= a.check_reference(source, span, "scenario", s);
                    out.push(s.to_string());
                }
                out
            }
            None => self.scenario_order.clone(),
        };
        if !ok {
            return;
        }
        for (server, variant) in servers {
            let combo = Combo { framework: framework.clone(), server, variant, runtime: runtime.clone() };
            match compatible(a, &combo) {
                Ok(interface) => self.add_row(a, source, node.span(), combo, interface, name.clone(), &scenarios),
                Err(reason) => a.errors.push(source.error(
                    node.span(),
                    format!("`include {} {}` names an incompatible combination", framework, args[1].value().as_string().unwrap_or_default()),
                    reason,
                    Some("pick a server that serves one of the framework's interfaces on this runtime, or mark the cells N/A with `override row=... { na \"reason\" }` on a row that builds".into()),
                )),
            }
        }
    }

    fn override_(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode) {
        let r = NodeReader::new(source, node, MATCHER_PROPS);
        r.finish(&mut a.errors);
        let Some(m) = matcher(a, source, node) else { return };
        self.note_row_ref(source, node);
        let mut extras = Extras::default();
        let mut na = None;
        for child in children(node) {
            if child.name().value() == "na" {
                let mut r = NodeReader::new(source, child, &[]);
                na = r.required_string("the reason", &mut a.errors);
                r.finish(&mut a.errors);
            } else if !a.extras_child(source, child, &mut extras) {
                let known = ["na"].into_iter().chain(EXTRAS.iter().copied()).chain(SETTINGS.iter().map(|s| s.0));
                a.unknown_child(source, child, "override", known);
            }
        }
        self.overrides.push(Override { matcher: m, extras, na });
    }

    #[allow(clippy::too_many_arguments)]
    fn add_row(&mut self, a: &mut Analyzer, source: &Source, span: SourceSpan, combo: Combo, interface: String, name: Option<String>, scenarios: &[String]) {
        let key = (combo.framework.clone(), combo.server.clone(), combo.variant.clone(), combo.runtime.clone());
        let name = name.unwrap_or_else(|| row_name(a, &combo));
        let ordered = |list: &mut Vec<String>, order: &[String]| {
            list.sort_by_key(|s| order.iter().position(|o| o == s).unwrap_or(usize::MAX));
        };
        if let Some(&i) = self.by_combo.get(&key) {
            let row = &mut self.rows[i];
            for s in scenarios {
                if !row.scenarios.contains(s) {
                    row.scenarios.push(s.clone());
                }
            }
            let order = a.model.scenarios.keys().cloned().collect::<Vec<_>>();
            ordered(&mut row.scenarios, &order);
            return;
        }
        if let Some(other) = self.by_name.get(&name).map(|&i| &self.rows[i]) {
            a.errors.push(source.error(
                span,
                format!("duplicate row name `{name}`"),
                "a different combination already has this name",
                Some(format!(
                    "`{}` is {} on {} on {}; give this one its own name with `name=\"...\"`, or change a `label`",
                    other.name, other.framework, other.server, other.runtime
                )),
            ));
            return;
        }
        let mut list = scenarios.to_vec();
        let order = a.model.scenarios.keys().cloned().collect::<Vec<_>>();
        ordered(&mut list, &order);
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

/// `server`, `server:variant` or `server:*` → (server, variant) pairs, checked.
fn server_ref(a: &mut Analyzer, source: &Source, span: SourceSpan, text: &str, allow_star: bool) -> Vec<(String, Option<String>)> {
    let (server, variant) = match text.split_once(':') {
        Some((s, v)) => (s, Some(v)),
        None => (text, None),
    };
    if !a.check_reference(source, span, "server", server) {
        return Vec::new();
    }
    let Some(def) = a.model.servers.get(server) else { return Vec::new() };
    match variant {
        None => vec![(server.to_string(), None)],
        Some("*") if allow_star => std::iter::once((server.to_string(), None))
            .chain(def.variants.keys().map(|v| (server.to_string(), Some(v.clone()))))
            .collect(),
        Some(v) if def.variants.contains_key(v) => vec![(server.to_string(), Some(v.to_string()))],
        Some(v) => {
            let known: Vec<&str> = def.variants.keys().map(String::as_str).collect();
            let help = match crate::model::node_reader::did_you_mean(v, known.iter().copied()) {
                Some(s) => format!("did you mean `{server}:{s}`?"),
                None if known.is_empty() => format!("server `{server}` has no variants"),
                None => format!("variants of `{server}`: {}", known.join(", ")),
            };
            a.errors.push(source.error(span, format!("unknown variant `{v}` of server `{server}`"), "no such variant", Some(help)));
            Vec::new()
        }
    }
}

/// The interface a combination meets on, or why it cannot run.
fn compatible(a: &Analyzer, c: &Combo) -> Result<String, String> {
    let m = &a.model;
    let (Some(framework), Some(server), Some(runtime)) = (m.frameworks.get(&c.framework), m.servers.get(&c.server), m.runtimes.get(&c.runtime)) else {
        return Err("an unknown name".into());
    };
    let server_ifaces = server.interfaces_of(c.variant.as_deref());
    let interface = framework
        .interfaces
        .iter()
        .map(|(i, _)| i)
        .find(|i| server_ifaces.iter().any(|s| &s.name == *i))
        .ok_or_else(|| {
            let f: Vec<&str> = framework.interfaces.iter().map(|(i, _)| i.as_str()).collect();
            let s: Vec<&str> = server_ifaces.iter().map(|i| i.name.as_str()).collect();
            format!("{} serves {}; {} takes {}", c.framework, f.join(", "), server_label(c), s.join(", "))
        })?;
    let variant = c.variant.as_deref().and_then(|v| server.variants.get(v));
    for extras in [Some(&framework.extras), Some(&server.extras), variant.map(|v| &v.extras)].into_iter().flatten() {
        if let Some(reason) = extras.unsupported_on(&c.runtime) {
            return Err(format!("not on {}: {reason}", c.runtime));
        }
    }
    if runtime.compile.is_some()
        && let Some(super::LaunchDef::Command(_)) = server.launch_of(c.variant.as_deref()) {
            return Err(format!("runtime {} compiles a launch script, and {} starts from a command", c.runtime, server_label(c)));
        }
    Ok(interface.clone())
}

fn server_label(c: &Combo) -> String {
    match &c.variant {
        Some(v) => format!("{}:{}", c.server, v),
        None => c.server.clone(),
    }
}

/// The naming rule: the non-empty labels of framework, server, variant and runtime,
/// joined by `-` (`falcon` + `bjoern` + `` + `pypy` → `falcon-bjoern-pypy`).
fn row_name(a: &Analyzer, c: &Combo) -> String {
    let m = &a.model;
    let parts = [
        m.frameworks.get(&c.framework).map(|f| f.label.as_str()),
        m.servers.get(&c.server).map(|s| s.label.as_str()),
        c.variant.as_deref().and_then(|v| m.servers.get(&c.server).and_then(|s| s.variants.get(v))).map(|v| v.label.as_str()),
        m.runtimes.get(&c.runtime).map(|r| r.label.as_str()),
    ];
    parts.into_iter().flatten().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-")
}
