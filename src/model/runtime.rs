use kdl::KdlNode;

use super::analyzer::{Analyzer, children};
use super::node_reader::NodeReader;
use super::values::merge_unique;
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
    /// apt configuration items (`Acquire::Check-Valid-Until=false`) that every `apt-get` of
    /// the runtime's images takes as `-o ITEM`: they go with the base image's suite.
    pub apt_options: Vec<String>,
    /// Shell commands run after the runtime's system packages and before the virtualenv,
    /// e.g. building the interpreter that `python` names.
    pub setup: Vec<String>,
    pub extras: Extras,
}

impl Runtime {
    /// Own children of a `runtime` block, besides the shared ones.
    const CHILDREN: &[&str] = &["python", "base-image", "compile", "apt-options", "setup"];

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
                "apt-options" | "setup" => self.read_image_steps(a, source, child),
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

    /// `apt-options` adds to the runtime's list, as `system-packages` does, so a patching
    /// file can add one; `setup` replaces the commands, which only make sense as a whole.
    fn read_image_steps(&mut self, a: &mut Analyzer, source: &Source, child: &KdlNode) {
        let name = child.name().value();
        let mut r = NodeReader::new(source, child, &[]);
        let given = r.args().next().is_some();
        let values = r.strings(&mut a.errors);
        r.finish(&mut a.errors);
        let setup = name == "setup";
        if !given {
            let what = if setup { "a command" } else { "an item such as `Acquire::Retries=3`" };
            a.error(
                source,
                child.span(),
                ErrorKind::MissingValue { node: name.into(), what: what.into() },
            );
            return;
        }
        let mut accepted = Vec::new();
        for (value, span) in values {
            let check = match setup {
                true => checks::setup_command(&value),
                false => checks::apt_option(&value),
            };
            if a.check(source, span, check) {
                accepted.push(value);
            }
        }
        match setup {
            true => self.setup = accepted,
            false => merge_unique(&mut self.apt_options, &accepted),
        }
    }
}
