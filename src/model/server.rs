use indexmap::IndexMap;

use super::Extras;

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
