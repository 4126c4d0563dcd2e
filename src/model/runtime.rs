use kdl::KdlNode;

use super::analyzer::{Analyzer, children};
use super::node_reader::NodeReader;
use super::{ErrorKind, Extras, checks};
use crate::config::Source;

/// A Python runtime: CPython, PyPy, Nuitka (CPython with ahead-of-time compilation).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Runtime {
    pub name: String,
    /// Name part in row names; empty for the default runtime (`cpython`).
    pub label: String,
    /// Base image; `None` uses `build { base-image }`.
    pub base_image: Option<String>,
    /// Interpreter that creates the virtualenv (`python3`, `pypy3`).
    pub python: String,
    /// Compile the launch script (`{script}`, `{stem}`, `{module}` are filled in) and the
    /// command that starts the result.
    pub compile: Option<(String, String)>,
    pub extras: Extras,
}

impl Runtime {
    /// Own children of a `runtime` block, besides the shared ones.
    const CHILDREN: &[&str] = &["python", "base-image", "compile"];

    pub(super) fn new(name: &str) -> Runtime {
        Runtime {
            name: name.into(),
            label: name.into(),
            python: "python3".into(),
            ..Runtime::default()
        }
    }

    /// Read a `runtime` block into this runtime (a fresh one, or one to patch).
    pub(super) fn read(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode) {
        for child in children(node) {
            let name = child.name().value();
            match name {
                "python" | "base-image" => {
                    let mut r = NodeReader::new(source, child, &[]);
                    let value = r.required_string("a value", &mut a.errors);
                    r.finish(&mut a.errors);
                    let Some((value, span)) = value else { continue };
                    if name == "python" && a.check(source, span, checks::program(&value)) {
                        self.python = value;
                    } else if name == "base-image" && a.check(source, span, checks::image(&value)) {
                        self.base_image = Some(value);
                    }
                }
                "compile" => self.read_compile(a, source, child),
                _ => {
                    if !self.extras.read_child(a, source, child) {
                        a.unknown_child(source, child, "runtime", Self::CHILDREN, true);
                    }
                }
            }
        }
    }

    fn read_compile(&mut self, a: &mut Analyzer, source: &Source, child: &KdlNode) {
        let mut r = NodeReader::new(source, child, &["run"]);
        let command = r.required_string("the compile command", &mut a.errors);
        let run = r.prop_string("run", &mut a.errors);
        r.finish(&mut a.errors);
        if run.is_none() {
            a.error(source, child.span(), ErrorKind::CompileWithoutRun);
        }
        let (Some((command, command_at)), Some((run, run_at))) = (command, run) else {
            return;
        };
        let command_ok =
            a.check(source, command_at, checks::no_control("the compile command", &command));
        if a.check(source, run_at, checks::no_control("the run command", &run)) && command_ok {
            self.compile = Some((command, run));
        }
    }
}
