//! The one pass from syntax to model: resolves every name and collects every error.

use std::collections::HashMap;

use kdl::{KdlEntry, KdlNode, KdlValue};
use miette::SourceSpan;

use super::node_reader::{did_you_mean, string_of, wrong_type, NodeReader};
use super::settings::{setting_kind, SettingKind, SettingValue, SETTINGS};
use super::values::{parse_duration, parse_size};
use super::{
    Diagnostic, Extras, Framework, LaunchDef, Matcher, MatrixErrors, Model, Pattern,
    Runtime, Scenario, Server, ServerInterface, Settings, Unsupported, Variant,
};
use crate::config::{Source, Sources};
use crate::matrix::BodyRule;

const TOP: &[&str] = &["import", "defaults", "build", "runtime", "server", "framework", "scenario", "matrix"];
const EXTRAS: &[&str] = &["packages", "packages-no-deps", "system-packages", "pip-args", "env", "unsupported"];
const MATCHER_PROPS: &[&str] = &["row", "framework", "server", "variant", "runtime", "scenario"];

/// Build the model from parsed sources, or every error found.
pub fn analyze(sources: &Sources) -> Result<Model, MatrixErrors> {
    let mut a = Analyzer::default();
    a.collect_names(sources);
    for (index, source) in sources.files.iter().enumerate() {
        for node in source.document.nodes() {
            a.top_level(index, source, node);
        }
    }
    a.matrix(sources);
    if a.errors.is_empty() {
        Ok(a.model)
    } else {
        Err(MatrixErrors { diagnostics: a.errors })
    }
}

#[derive(Default)]
pub(crate) struct Analyzer {
    model: Model,
    errors: Vec<Diagnostic>,
    /// Names defined per kind, over every file (for references in any order).
    names: HashMap<&'static str, Vec<String>>,
    /// (kind, name) → index of the file that first defined it.
    defined_in: HashMap<(&'static str, String), usize>,
}

impl Analyzer {
    fn collect_names(&mut self, sources: &Sources) {
        for source in &sources.files {
            for node in source.document.nodes() {
                let kind = match node.name().value() {
                    "runtime" => "runtime",
                    "server" => "server",
                    "framework" => "framework",
                    "scenario" => "scenario",
                    _ => continue,
                };
                if let Some(name) = node.entries().first().and_then(|e| e.value().as_string()) {
                    let names = self.names.entry(kind).or_default();
                    if !names.iter().any(|n| n == name) {
                        names.push(name.to_string());
                    }
                }
            }
        }
    }

    fn top_level(&mut self, file: usize, source: &Source, node: &KdlNode) {
        match node.name().value() {
            "import" => {} // resolved by config
            "matrix" => {} // after every definition
            "defaults" => {
                let reader = NodeReader::new(source, node, &[]);
                reader.finish(&mut self.errors);
                let mut settings = std::mem::take(&mut self.model.defaults);
                for child in children(node) {
                    if !self.setting(source, child, &mut settings) {
                        self.unknown_child(source, child, "defaults", SETTINGS.iter().map(|s| s.0));
                    }
                }
                self.model.defaults = settings;
            }
            "build" => self.build(source, node),
            "runtime" => self.definition(file, source, node, "runtime"),
            "server" => self.definition(file, source, node, "server"),
            "framework" => self.definition(file, source, node, "framework"),
            "scenario" => self.definition(file, source, node, "scenario"),
            other => self.unknown_child_named(source, node, other, "the top level", TOP.iter().copied()),
        }
    }

    fn definition(&mut self, file: usize, source: &Source, node: &KdlNode, kind: &'static str) {
        let allowed: &[&str] = if kind == "scenario" { &[] } else { &["label"] };
        let mut reader = NodeReader::new(source, node, allowed);
        let Some(name) = reader.required_string("a name", &mut self.errors) else { return };
        let label = reader.prop_string("label", &mut self.errors);
        reader.finish(&mut self.errors);
        let key = (kind, name.clone());
        let existing = self.defined_in.get(&key).copied();
        if existing == Some(file) {
            self.errors.push(source.error(
                node.entries()[0].span(),
                format!("duplicate {kind} `{name}`"),
                "defined again here",
                Some(format!("rename one of them, or merge the two `{kind} {name}` blocks; a file that imports another may redefine its {kind}s to patch them")),
            ));
            return;
        }
        self.defined_in.entry(key).or_insert(file);
        match kind {
            "runtime" => {
                let fresh = || Runtime { name: name.clone(), label: name.clone(), python: "python3".into(), ..Runtime::default() };
                let mut runtime = patched(&mut self.model.runtimes, &name, label, fresh, |r| &mut r.label);
                self.runtime(source, node, &mut runtime);
                self.model.runtimes.insert(name, runtime);
            }
            "server" => {
                let fresh = || Server { name: name.clone(), label: name.clone(), ..Server::default() };
                let mut server = patched(&mut self.model.servers, &name, label, fresh, |s| &mut s.label);
                self.server(source, node, &mut server);
                if server.launch.is_none() {
                    self.incomplete(source, node, format!("server `{name}` has no way to start"), "needs `command` or `script`",
                        "add `command \"gunicorn --bind 127.0.0.1:$PORT {app}\"` or `script \"my_server.py\"` (a file in apps/servers/)");
                }
                if server.interfaces.is_empty() && server.variants.values().all(|v| v.interfaces.is_empty()) {
                    self.incomplete(source, node, format!("server `{name}` serves no interface"), "needs `interface`",
                        "add e.g. `interface wsgi` (or asgi, aiohttp, own)");
                }
                self.model.servers.insert(name, server);
            }
            "framework" => {
                let fresh = || Framework { name: name.clone(), label: name.clone(), app: name.clone(), ..Framework::default() };
                let mut framework = patched(&mut self.model.frameworks, &name, label, fresh, |f| &mut f.label);
                self.framework(source, node, &mut framework);
                if framework.interfaces.is_empty() {
                    self.incomplete(source, node, format!("framework `{name}` declares no interface"), "needs `interface`",
                        "add e.g. `interface wsgi \"my_app:app\"`");
                }
                self.model.frameworks.insert(name, framework);
            }
            _ => {
                let scenario = self.model.scenarios.shift_remove(&name);
                let scenario = self.scenario(source, node, name.clone(), scenario);
                self.model.scenarios.insert(name, scenario);
            }
        }
    }

    /// A definition that lacks something it needs (reported on the whole node).
    fn incomplete(&mut self, source: &Source, node: &KdlNode, message: String, label: &str, help: &str) {
        self.errors.push(source.error(reader_span(node), message, label, Some(help.to_string())));
    }

    fn build(&mut self, source: &Source, node: &KdlNode) {
        NodeReader::new(source, node, &[]).finish(&mut self.errors);
        for child in children(node) {
            let mut r = NodeReader::new(source, child, &[]);
            let field = match child.name().value() {
                "base-image" => &mut self.model.build.base_image as &mut dyn FieldSet,
                "ca-bundle" => &mut self.model.build.ca_bundle,
                "pip-index-url" => &mut self.model.build.pip_index_url,
                "pip-extra-index-url" => &mut self.model.build.pip_extra_index_url,
                other => {
                    let known = ["base-image", "ca-bundle", "pip-index-url", "pip-extra-index-url"];
                    self.unknown_child_named(source, child, other, "build", known.into_iter());
                    continue;
                }
            };
            if let Some(value) = r.required_string("a value", &mut self.errors) {
                field.set(value);
            }
            r.finish(&mut self.errors);
        }
    }

    fn runtime(&mut self, source: &Source, node: &KdlNode, runtime: &mut Runtime) {
        for child in children(node) {
            let name = child.name().value();
            match name {
                "python" | "base-image" => {
                    let mut r = NodeReader::new(source, child, &[]);
                    if let Some(v) = r.required_string("a value", &mut self.errors) {
                        if name == "python" {
                            runtime.python = v;
                        } else {
                            runtime.base_image = Some(v);
                        }
                    }
                    r.finish(&mut self.errors);
                }
                "compile" => {
                    let mut r = NodeReader::new(source, child, &["run"]);
                    let command = r.required_string("the compile command", &mut self.errors);
                    let run = r.prop_string("run", &mut self.errors);
                    if run.is_none() {
                        self.errors.push(source.error(
                            child.span(),
                            "`compile` needs `run=`",
                            "no run command",
                            Some("add `run=\"/build/{stem}.dist/{stem}.bin\"`: how the compiled program starts".into()),
                        ));
                    }
                    r.finish(&mut self.errors);
                    if let (Some(c), Some(r)) = (command, run) {
                        runtime.compile = Some((c, r));
                    }
                }
                _ => {
                    if !self.extras_child(source, child, &mut runtime.extras) {
                        let known = ["python", "base-image", "compile"].into_iter().chain(EXTRAS.iter().copied()).chain(SETTINGS.iter().map(|s| s.0));
                        self.unknown_child(source, child, "runtime", known);
                    }
                }
            }
        }
    }

    fn launch(&mut self, source: &Source, child: &KdlNode) -> Option<LaunchDef> {
        let mut r = NodeReader::new(source, child, &[]);
        let value = r.required_string("a value", &mut self.errors);
        r.finish(&mut self.errors);
        let value = value?;
        Some(if child.name().value() == "command" { LaunchDef::Command(value) } else { LaunchDef::Script(value) })
    }

    fn interface(&mut self, source: &Source, child: &KdlNode) -> Option<ServerInterface> {
        let mut r = NodeReader::new(source, child, &["args"]);
        let name = r.required_string("an interface name", &mut self.errors);
        let args = r.prop_string("args", &mut self.errors).unwrap_or_default();
        r.finish(&mut self.errors);
        Some(ServerInterface { name: name?, args })
    }

    fn server(&mut self, source: &Source, node: &KdlNode, server: &mut Server) {
        let mut interfaces_given = false;
        for child in children(node) {
            match child.name().value() {
                "command" | "script" => server.launch = self.launch(source, child).or(server.launch.take()),
                "interface" => {
                    if !interfaces_given {
                        server.interfaces.clear(); // a patch restates the interfaces
                        interfaces_given = true;
                    }
                    if let Some(i) = self.interface(source, child) {
                        server.interfaces.push(i);
                    }
                }
                "variant" => {
                    let mut r = NodeReader::new(source, child, &["label"]);
                    let Some(name) = r.required_string("a variant name", &mut self.errors) else { continue };
                    let label = r.prop_string("label", &mut self.errors);
                    r.finish(&mut self.errors);
                    let mut variant = server.variants.shift_remove(&name).unwrap_or_else(|| Variant {
                        name: name.clone(),
                        label: name.clone(),
                        ..Variant::default()
                    });
                    if let Some(label) = label {
                        variant.label = label;
                    }
                    let mut variant_interfaces = false;
                    for grandchild in children(child) {
                        match grandchild.name().value() {
                            "command" | "script" => variant.launch = self.launch(source, grandchild),
                            "interface" => {
                                if !variant_interfaces {
                                    variant.interfaces.clear();
                                    variant_interfaces = true;
                                }
                                if let Some(i) = self.interface(source, grandchild) {
                                    variant.interfaces.push(i);
                                }
                            }
                            _ => {
                                if !self.extras_child(source, grandchild, &mut variant.extras) {
                                    let known = ["command", "script", "interface"].into_iter().chain(EXTRAS.iter().copied()).chain(SETTINGS.iter().map(|s| s.0));
                                    self.unknown_child(source, grandchild, "variant", known);
                                }
                            }
                        }
                    }
                    server.variants.insert(name, variant);
                }
                _ => {
                    if !self.extras_child(source, child, &mut server.extras) {
                        let known = ["command", "script", "interface", "variant"].into_iter().chain(EXTRAS.iter().copied()).chain(SETTINGS.iter().map(|s| s.0));
                        self.unknown_child(source, child, "server", known);
                    }
                }
            }
        }
    }

    fn framework(&mut self, source: &Source, node: &KdlNode, framework: &mut Framework) {
        let mut interfaces_given = false;
        for child in children(node) {
            match child.name().value() {
                "app" => {
                    let mut r = NodeReader::new(source, child, &[]);
                    if let Some(app) = r.required_string("a directory under apps/", &mut self.errors) {
                        framework.app = app;
                    }
                    r.finish(&mut self.errors);
                }
                "interface" => {
                    if !interfaces_given {
                        framework.interfaces.clear();
                        interfaces_given = true;
                    }
                    let mut r = NodeReader::new(source, child, &[]);
                    let values = r.strings(&mut self.errors);
                    r.finish(&mut self.errors);
                    match values.as_slice() {
                        [iface, target] => framework.interfaces.push((iface.clone(), target.clone())),
                        _ => self.errors.push(source.error(
                            child.span(),
                            "`interface` in a framework takes an interface and the app's target",
                            "expected two strings",
                            Some("write `interface wsgi \"my_app:app\"` (for `own`, the module with `serve(host, port)`)".into()),
                        )),
                    }
                }
                _ => {
                    if !self.extras_child(source, child, &mut framework.extras) {
                        let known = ["app", "interface"].into_iter().chain(EXTRAS.iter().copied()).chain(SETTINGS.iter().map(|s| s.0));
                        self.unknown_child(source, child, "framework", known);
                    }
                }
            }
        }
    }

    fn scenario(&mut self, source: &Source, node: &KdlNode, name: String, base: Option<Scenario>) -> Scenario {
        let mut scenario = base.unwrap_or(Scenario {
            name,
            description: String::new(),
            path: String::new(),
            expect_status: 200,
            expect_content_type: "text/plain".into(),
            body: BodyRule::Exact { text: "Hello World".into() },
            cpu_bound: true,
            settings: Settings::default(),
        });
        let mut has_path = !scenario.path.is_empty();
        for child in children(node) {
            match child.name().value() {
                "bound" => {
                    let mut r = NodeReader::new(source, child, &[]);
                    match r.required_string("\"cpu\" or \"io\"", &mut self.errors).as_deref() {
                        Some("cpu") => scenario.cpu_bound = true,
                        Some("io") => scenario.cpu_bound = false,
                        Some(other) => self.errors.push(source.error(
                            child.entries()[0].span(),
                            format!("unknown bound `{other}`"),
                            "not cpu or io",
                            Some("write `bound \"cpu\"` (the server should be busy) or `bound \"io\"` (it mostly waits)".into()),
                        )),
                        None => {}
                    }
                    r.finish(&mut self.errors);
                }
                "description" | "path" => {
                    let mut r = NodeReader::new(source, child, &[]);
                    if let Some(v) = r.required_string("a value", &mut self.errors) {
                        if child.name().value() == "path" {
                            if !v.starts_with('/') {
                                self.errors.push(source.error(
                                    child.entries()[0].span(),
                                    format!("path `{v}` does not start with `/`"),
                                    "not an absolute path",
                                    Some(format!("write `path \"/{v}\"`")),
                                ));
                            }
                            scenario.path = v;
                            has_path = true;
                        } else {
                            scenario.description = v;
                        }
                    }
                    r.finish(&mut self.errors);
                }
                "expect" => {
                    let r = NodeReader::new(source, child, &["status", "content-type", "body", "json", "min-bytes"]);
                    if let Some(entry) = r.prop("status") {
                        match entry.value().as_integer() {
                            Some(s @ 100..=599) => scenario.expect_status = s as u16,
                            _ => self.errors.push(source.error(entry.span(), "`status` must be an HTTP status code (100-599)", "not a status code", Some("write e.g. `status=200`".into()))),
                        }
                    }
                    if let Some(ct) = r.prop_string("content-type", &mut self.errors) {
                        scenario.expect_content_type = ct;
                    }
                    if let Some(body) = r.prop_string("body", &mut self.errors) {
                        scenario.body = BodyRule::Exact { text: body };
                    }
                    if r.prop_bool("json", &mut self.errors) == Some(true) {
                        let min_bytes = match r.prop("min-bytes") {
                            Some(e) => match e.value().as_integer() {
                                Some(n) if n >= 0 => n as u64,
                                _ => {
                                    self.errors.push(wrong_type(source, e, "a whole number of bytes", e.value()));
                                    0
                                }
                            },
                            None => 0,
                        };
                        scenario.body = BodyRule::Json { min_bytes };
                    }
                    r.finish(&mut self.errors);
                }
                _ => {
                    if !self.setting(source, child, &mut scenario.settings) {
                        let known = ["description", "path", "expect", "bound"].into_iter().chain(SETTINGS.iter().map(|s| s.0));
                        self.unknown_child(source, child, "scenario", known);
                    }
                }
            }
        }
        if !has_path {
            self.errors.push(source.error(
                reader_span(node),
                format!("scenario `{}` has no path", scenario.name),
                "needs `path`",
                Some("add `path \"/hello\"`: the URL path the load generator requests".into()),
            ));
        }
        scenario
    }

    /// Parse a child common to runtimes, servers, variants, frameworks and overrides.
    fn extras_child(&mut self, source: &Source, child: &KdlNode, extras: &mut Extras) -> bool {
        let name = child.name().value();
        match name {
            "packages" | "packages-no-deps" | "system-packages" | "pip-args" => {
                let mut r = NodeReader::new(source, child, &[]);
                let values = r.strings(&mut self.errors);
                r.finish(&mut self.errors);
                let mut patch = Extras::default();
                match name {
                    "packages" => patch.packages = values,
                    "packages-no-deps" => patch.packages_no_deps = values,
                    "system-packages" => patch.system_packages = values,
                    _ => patch.pip_args = values,
                }
                extras.overlay(&patch);
                true
            }
            "env" => {
                let allowed: Vec<&str> = child.entries().iter().filter_map(|e| e.name().map(|n| n.value())).collect();
                let r = NodeReader::new(source, child, &allowed);
                for entry in child.entries() {
                    match entry.name() {
                        Some(key) => {
                            if let Some(v) = string_of(source, entry, "the value as a string", &mut self.errors) {
                                extras.env.insert(key.value().to_string(), v);
                            }
                        }
                        None => self.errors.push(source.error(entry.span(), "`env` takes KEY=\"value\" properties", "not a property", Some("write `env BENCH_LOOP=\"uvloop\"`".into()))),
                    }
                }
                let mut r = r;
                let _ = r.take_all_args();
                r.finish(&mut self.errors);
                true
            }
            "unsupported" => {
                let mut r = NodeReader::new(source, child, &["reason"]);
                let runtime = r.required_string("a runtime name", &mut self.errors);
                let reason = r.prop_string("reason", &mut self.errors);
                r.finish(&mut self.errors);
                if let Some(runtime) = runtime {
                    self.check_reference(source, child.entries()[0].span(), "runtime", &runtime);
                    match reason {
                        Some(reason) => extras.unsupported.push(Unsupported { runtime, reason }),
                        None => self.errors.push(source.error(child.span(), "`unsupported` needs `reason=`", "no reason given", Some("say why, e.g. `reason=\"uvloop does not import on PyPy\"`: it is shown where the cell would be".into()))),
                    }
                }
                true
            }
            _ => self.setting(source, child, &mut extras.settings),
        }
    }

    /// Parse a setting node (`connections 20`, `duration "20s"`, a sweep `connections 16 32`).
    fn setting(&mut self, source: &Source, child: &KdlNode, settings: &mut Settings) -> bool {
        let name = child.name().value();
        let Some(kind) = setting_kind(name) else { return false };
        let key = SETTINGS.iter().find(|s| s.0 == name).map(|s| s.0).unwrap_or("");
        let mut r = NodeReader::new(source, child, &[]);
        let entries = r.take_all_args();
        r.finish(&mut self.errors);
        if entries.is_empty() {
            self.errors.push(source.error(child.span(), format!("`{name}` needs a value"), "value missing", Some(example(kind, name))));
            return true;
        }
        let values: Vec<SettingValue> = entries.iter().filter_map(|e| self.setting_value(source, e, kind, name)).collect();
        if values.len() == entries.len() {
            settings.set(key, values);
        }
        true
    }

    fn setting_value(&mut self, source: &Source, entry: &KdlEntry, kind: SettingKind, name: &str) -> Option<SettingValue> {
        let value = entry.value();
        let result = match (kind, value) {
            (SettingKind::Duration, KdlValue::String(s)) => parse_duration(s).map(SettingValue::Millis).map_err(|e| format!("invalid duration `{s}`: {e}")),
            (SettingKind::Size, KdlValue::String(s)) => parse_size(s).map(SettingValue::Bytes).map_err(|e| format!("invalid size `{s}`: {e}")),
            (SettingKind::Count, KdlValue::Integer(n)) if *n >= 0 => Ok(SettingValue::Count(*n as u64)),
            (SettingKind::Float, KdlValue::Integer(n)) if *n > 0 => Ok(SettingValue::Float(*n as f64)),
            (SettingKind::Float, KdlValue::Float(f)) if *f > 0.0 => Ok(SettingValue::Float(*f)),
            (SettingKind::Text, KdlValue::String(s)) => Ok(SettingValue::Text(s.clone())),
            _ => {
                let expected = match kind {
                    SettingKind::Duration => "a duration string",
                    SettingKind::Size => "a size string",
                    SettingKind::Count => "a whole number (0 or more)",
                    SettingKind::Float => "a positive number",
                    SettingKind::Text => "a string",
                };
                let mut d = wrong_type(source, entry, expected, value);
                d.help = Some(example(kind, name));
                self.errors.push(d);
                return None;
            }
        };
        match result {
            Ok(v) => Some(v),
            Err(message) => {
                self.errors.push(source.error(entry.span(), message, "not understood", Some(example(kind, name))));
                None
            }
        }
    }

    fn check_reference(&mut self, source: &Source, span: SourceSpan, kind: &'static str, name: &str) -> bool {
        let known = self.names.get(kind).cloned().unwrap_or_default();
        if known.iter().any(|k| k == name) {
            return true;
        }
        let help = match did_you_mean(name, known.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None if known.is_empty() => format!("no {kind} is defined: add `{kind} {name} {{ ... }}`"),
            None => format!("known {kind}s: {}", known.join(", ")),
        };
        self.errors.push(source.error(span, format!("unknown {kind} `{name}`"), format!("no {kind} of this name"), Some(help)));
        false
    }

    fn unknown_child<'k>(&mut self, source: &Source, child: &KdlNode, parent: &str, known: impl Iterator<Item = &'k str>) {
        self.unknown_child_named(source, child, child.name().value(), &format!("`{parent}`"), known)
    }

    fn unknown_child_named<'k>(&mut self, source: &Source, child: &KdlNode, name: &str, parent: &str, known: impl Iterator<Item = &'k str>) {
        let known: Vec<&str> = known.collect();
        let help = match did_you_mean(name, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("allowed here: {}", known.join(", ")),
        };
        self.errors.push(source.error(child.name().span(), format!("unknown node `{name}` in {parent}"), "unknown node", Some(help)));
    }
}

/// A settable build field (string or optional string).
trait FieldSet {
    fn set(&mut self, value: String);
}
impl FieldSet for String {
    fn set(&mut self, value: String) {
        *self = value;
    }
}
impl FieldSet for Option<String> {
    fn set(&mut self, value: String) {
        *self = Some(value);
    }
}

fn example(kind: SettingKind, name: &str) -> String {
    match kind {
        SettingKind::Duration => format!("write a number with a unit, e.g. `{name} \"20s\"` or `{name} \"500ms\"`"),
        SettingKind::Size => format!("write a number with a unit, e.g. `{name} \"512MB\"` (KB, MB, GB are powers of 1024, as in Docker)"),
        SettingKind::Count => format!("write e.g. `{name} 20`, or several values to sweep: `{name} 16 32 64`"),
        SettingKind::Float => format!("write e.g. `{name} 1` or `{name} 0.5`"),
        SettingKind::Text => format!("write e.g. `{name} \"1\"`"),
    }
}

/// The definition `name` to patch: the one an imported file made, or `fresh()`; relabelled
/// when the new block gives a `label`. The caller reads the block into it and puts it back.
fn patched<T>(
    definitions: &mut indexmap::IndexMap<String, T>,
    name: &str,
    label: Option<String>,
    fresh: impl FnOnce() -> T,
    label_of: impl FnOnce(&mut T) -> &mut String,
) -> T {
    let mut definition = definitions.shift_remove(name).unwrap_or_else(fresh);
    if let Some(label) = label {
        *label_of(&mut definition) = label;
    }
    definition
}

fn children(node: &KdlNode) -> &[KdlNode] {
    node.children().map(|d| d.nodes()).unwrap_or(&[])
}

fn reader_span(node: &KdlNode) -> SourceSpan {
    node.name().span()
}

pub(super) use self::matrix_impl::MatrixBuilder;

#[path = "matrix_statements.rs"]
mod matrix_impl;

impl Analyzer {
    fn matrix(&mut self, sources: &Sources) {
        let mut builder = MatrixBuilder::default();
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
        builder.run(self, &statements);
        match matrix_span {
            None => {
                let main = sources.main();
                self.errors.push(main.error(
                    (0, 0).into(),
                    "the file has no `matrix`",
                    "the matrix would be empty",
                    Some("add `matrix { include FRAMEWORK SERVER }` or `matrix { axes { ... } }`; see docs/matrix.md".into()),
                ));
            }
            Some((source, span)) if builder.rows.is_empty() && self.errors.is_empty() => {
                self.errors.push(source.error(
                    span,
                    "the matrix is empty",
                    "no cell is left",
                    Some("no row was included, or every cell was excluded or incompatible; check `axes`, `include` and `exclude`".into()),
                ));
            }
            _ => {}
        }
        self.model.rows = builder.rows;
        self.model.overrides = builder.overrides;
    }
}

/// Matcher props of an `exclude`/`override` node, resolved and checked.
fn matcher(a: &mut Analyzer, source: &Source, node: &KdlNode) -> Option<Matcher> {
    let mut m = Matcher::default();
    let mut ok = true;
    for key in MATCHER_PROPS {
        let Some(entry) = node.entries().iter().find(|e| e.name().map(|n| n.value()) == Some(key)) else { continue };
        let Some(text) = string_of(source, entry, &format!("`{key}` as a string"), &mut a.errors) else {
            ok = false;
            continue;
        };
        let mut patterns = Vec::new();
        for part in text.split_whitespace() {
            match Pattern::new(part) {
                Ok(p) => {
                    let kind = match *key {
                        "framework" => Some("framework"),
                        "server" => Some("server"),
                        "runtime" => Some("runtime"),
                        "scenario" => Some("scenario"),
                        _ => None,
                    };
                    if let Some(kind) = kind.filter(|_| p.is_literal()) {
                        ok &= a.check_reference(source, entry.span(), kind, part);
                    }
                    patterns.push(p);
                }
                Err(e) => {
                    a.errors.push(source.error(entry.span(), format!("invalid pattern `{part}`: {e}"), "bad glob", Some("use `*` for any text, `?` for one character".into())));
                    ok = false;
                }
            }
        }
        match *key {
            "scenario" => m.scenarios = patterns,
            _ => {
                let p = patterns.into_iter().next();
                match *key {
                    "row" => m.row = p,
                    "framework" => m.framework = p,
                    "server" => m.server = p,
                    "variant" => m.variant = p,
                    _ => m.runtime = p,
                }
            }
        }
    }
    ok.then_some(m)
}

fn entry_string(a: &mut Analyzer, source: &Source, entry: &KdlEntry, what: &str) -> Option<String> {
    string_of(source, entry, what, &mut a.errors)
}
