use kdl::KdlNode;

use super::analyzer::{Analyzer, children};
use super::node_reader::NodeReader;
use super::{ErrorKind, Extras, checks};
use crate::config::Source;

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

impl Framework {
    const CHILDREN: &[&str] = &["app", "interface"];

    pub(super) fn new(name: &str) -> Framework {
        Framework {
            name: name.into(),
            label: name.into(),
            app: name.into(),
            ..Framework::default()
        }
    }

    /// Read a `framework` block into this framework (a fresh one, or one to patch).
    pub(super) fn read(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode) {
        let mut interfaces_given = false;
        let mut app_at = node.entries().first().map_or(node.name().span(), |e| e.span());
        for child in children(node) {
            match child.name().value() {
                "app" => {
                    let mut r = NodeReader::new(source, child, &[]);
                    let app = r.required_string("a directory under apps/", &mut a.errors);
                    r.finish(&mut a.errors);
                    if let Some((app, span)) = app
                        && a.check(source, span, checks::relative_file("app directory", &app))
                    {
                        self.app = app;
                        app_at = span;
                    }
                }
                "interface" => {
                    if !interfaces_given {
                        self.interfaces.clear();
                        interfaces_given = true;
                    }
                    self.read_interface(a, source, child);
                }
                _ => {
                    if !self.extras.read_child(a, source, child) {
                        a.unknown_child(source, child, "framework", Self::CHILDREN, true);
                    }
                }
            }
        }
        if self.interfaces.is_empty() {
            let kind = ErrorKind::NoInterface { name: self.name.clone(), framework: true };
            a.error(source, node.name().span(), kind);
        }
        let what = ("app directory", "create it, or name an existing one with `app \"DIR\"`");
        let path = format!("apps/{}", self.app);
        a.check_exists(source, app_at, &path, true, what);
    }

    fn read_interface(&mut self, a: &mut Analyzer, source: &Source, child: &KdlNode) {
        let mut r = NodeReader::new(source, child, &[]);
        let values = r.strings(&mut a.errors);
        r.finish(&mut a.errors);
        match values.as_slice() {
            [(interface, interface_at), (target, target_at)] => {
                a.check(source, *interface_at, checks::name("interface", interface));
                a.check(source, *target_at, checks::app_target(target));
                self.interfaces.push((interface.clone(), target.clone()));
            }
            _ => a.error(source, child.span(), ErrorKind::FrameworkInterfaceArity),
        }
    }
}
