use indexmap::IndexMap;
use kdl::KdlNode;

use super::analyzer::{Analyzer, children};
use super::node_reader::NodeReader;
use super::variant_block::{VariantBlock, read_variant};
use super::{DefinitionKind, ErrorKind, Extras, checks};
use crate::config::Source;

/// How a server process starts.
#[derive(Clone, Debug, PartialEq)]
pub enum LaunchDef {
    /// A command line; `{app}`, `{workers}`, `{args}` are filled in, `$PORT` expands at start.
    Command(String),
    /// A script in `apps/servers/`, run by the runtime's interpreter (or compiled).
    Script(String),
}

/// An interface a server (or variant) serves, with the arguments it needs for it.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerInterface {
    pub name: String,
    pub args: String,
}

/// A server: gunicorn, uvicorn, bjoern, ..., or a framework's own (`own`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Server {
    pub name: String,
    /// Name part in row names; empty for the framework's own server.
    pub label: String,
    pub launch: Option<LaunchDef>,
    pub interfaces: Vec<ServerInterface>,
    pub extras: Extras,
    pub variants: IndexMap<String, Variant>,
}

/// A way to run a server (gunicorn's gevent worker, uvicorn with uvloop, bjoern fork).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Variant {
    pub name: String,
    pub label: String,
    /// Replaces the server's launch when set.
    pub launch: Option<LaunchDef>,
    /// Replaces the server's interfaces when not empty.
    pub interfaces: Vec<ServerInterface>,
    pub extras: Extras,
}

impl Server {
    /// The interfaces of the server, or of one of its variants.
    pub fn interfaces_of(&self, variant: Option<&str>) -> &[ServerInterface] {
        match variant.and_then(|v| self.variants.get(v)) {
            Some(v) if !v.interfaces.is_empty() => &v.interfaces,
            _ => &self.interfaces,
        }
    }

    pub fn launch_of(&self, variant: Option<&str>) -> Option<&LaunchDef> {
        variant
            .and_then(|v| self.variants.get(v))
            .and_then(|v| v.launch.as_ref())
            .or(self.launch.as_ref())
    }
}

/// What a server and its variants both declare: how to start, interfaces, shared children.
struct LaunchParts<'p> {
    launch: &'p mut Option<LaunchDef>,
    interfaces: &'p mut Vec<ServerInterface>,
    /// Whether this block restated the interfaces yet (a patch replaces the list).
    interfaces_given: bool,
    extras: &'p mut Extras,
}

impl<'p> LaunchParts<'p> {
    const CHILDREN: &'static [&'static str] = &["command", "script", "interface"];

    fn new(
        launch: &'p mut Option<LaunchDef>,
        interfaces: &'p mut Vec<ServerInterface>,
        extras: &'p mut Extras,
    ) -> LaunchParts<'p> {
        LaunchParts { launch, interfaces, interfaces_given: false, extras }
    }

    /// Read one child; false when it is none of a launch, an interface or a shared child.
    fn read_child(&mut self, a: &mut Analyzer, source: &Source, child: &KdlNode) -> bool {
        match child.name().value() {
            "command" | "script" => {
                let launch = read_launch(a, source, child);
                *self.launch = launch.or(self.launch.take());
            }
            "interface" => {
                if !self.interfaces_given {
                    self.interfaces.clear();
                    self.interfaces_given = true;
                }
                self.interfaces.extend(read_interface(a, source, child));
            }
            _ => return self.extras.read_child(a, source, child),
        }
        true
    }
}

fn read_launch(a: &mut Analyzer, source: &Source, child: &KdlNode) -> Option<LaunchDef> {
    let mut r = NodeReader::new(source, child, &[]);
    let value = r.required_string("a value", &mut a.errors);
    r.finish(&mut a.errors);
    let (value, span) = value?;
    // A value that fails a check is still kept: it was reported, and keeping it spares
    // a second error ("no way to start") about the same line.
    if child.name().value() == "command" {
        a.check(source, span, checks::no_control("the command", &value));
        Some(LaunchDef::Command(value))
    } else {
        if a.check(source, span, checks::relative_file("script", &value)) {
            let what = ("launch script", "add the script under apps/servers/, or fix the name");
            a.check_exists(source, span, &format!("apps/servers/{value}"), false, what);
        }
        Some(LaunchDef::Script(value))
    }
}

fn read_interface(a: &mut Analyzer, source: &Source, child: &KdlNode) -> Option<ServerInterface> {
    let mut r = NodeReader::new(source, child, &["args"]);
    let name = r.required_string("an interface name", &mut a.errors);
    let args = r.prop_string("args", &mut a.errors);
    r.finish(&mut a.errors);
    let (name, span) = name?;
    a.check(source, span, checks::name("interface", &name));
    if let Some((args, span)) = &args {
        a.check(source, *span, checks::no_control("`args`", args));
    }
    Some(ServerInterface { name, args: args.map(|(a, _)| a).unwrap_or_default() })
}

impl Server {
    const CHILDREN: &[&str] = &["command", "script", "interface", "variant"];

    pub(super) fn new(name: &str) -> Server {
        Server { name: name.into(), label: name.into(), ..Server::default() }
    }

    /// Read a `server` block into this server (a fresh one, or one to patch).
    pub(super) fn read(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode) {
        let mut parts = LaunchParts::new(&mut self.launch, &mut self.interfaces, &mut self.extras);
        for child in children(node) {
            if child.name().value() == "variant" {
                read_variant(&mut self.variants, &self.name, a, source, child);
            } else if !parts.read_child(a, source, child) {
                a.unknown_child(source, child, "server", Self::CHILDREN, true);
            }
        }
        let name = self.name.clone();
        if self.launch.is_none() {
            a.error(source, node.name().span(), ErrorKind::NoLaunch { server: name.clone() });
        }
        if self.interfaces.is_empty() && self.variants.values().all(|v| v.interfaces.is_empty()) {
            a.error(source, node.name().span(), ErrorKind::NoInterface { name, framework: false });
        }
    }
}

impl VariantBlock for Variant {
    const OF: DefinitionKind = DefinitionKind::Server;

    fn new(name: &str) -> Variant {
        Variant { name: name.into(), label: name.into(), ..Variant::default() }
    }

    fn label_mut(&mut self) -> &mut String {
        &mut self.label
    }

    fn read_block(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode) {
        let mut parts = LaunchParts::new(&mut self.launch, &mut self.interfaces, &mut self.extras);
        for grandchild in children(node) {
            if !parts.read_child(a, source, grandchild) {
                a.unknown_child(source, grandchild, "variant", LaunchParts::CHILDREN, true);
            }
        }
    }
}
