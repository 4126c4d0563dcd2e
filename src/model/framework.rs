use super::Extras;

/// A web framework (or `plain`, a bare WSGI callable) and the app it serves per interface.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Framework {
    pub name: String,
    /// Name part in row names; empty for the bare WSGI callable.
    pub label: String,
    /// Directory under `apps/` holding the app.
    pub app: String,
    /// `(interface, target)`: `("wsgi", "falcon_app:app")`, in order of preference.
    pub interfaces: Vec<(String, String)>,
    pub extras: Extras,
}

impl Framework {
    pub fn target(&self, interface: &str) -> Option<&str> {
        self.interfaces.iter().find(|(i, _)| i == interface).map(|(_, t)| t.as_str())
    }
}
