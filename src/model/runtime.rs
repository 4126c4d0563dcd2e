use indexmap::IndexMap;
use kdl::KdlNode;

use super::analyzer::{Analyzer, children};
use super::node_reader::NodeReader;
use super::values::merge_unique;
use super::variant_block::{VariantBlock, read_variant};
use super::{DefinitionKind, ErrorKind, Extras, checks};
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
    /// Other builds of this runtime (Nuitka's compile options); rows name one
    /// `runtime=nuitka:lto`.
    pub variants: IndexMap<String, RuntimeVariant>,
}

/// A variant of a runtime: its block is read as a runtime's own, and what it gives
/// replaces (`python`, `base-image`, `compile`) or adds to (packages, env, settings) the
/// runtime's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuntimeVariant {
    pub name: String,
    pub label: String,
    pub patch: RuntimePatch,
}

/// What one `runtime` block, or one of its variants, gives besides its name, label and
/// variants: `None` where it gave nothing. A runtime's own block applies to the runtime
/// at once (so an importing file patches it); a variant's applies when a row uses it, on
/// top of the runtime as every file left it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuntimePatch {
    pub base_image: Option<String>,
    pub python: Option<String>,
    pub compile: Option<(String, String)>,
    /// Added to the runtime's (as `system-packages` are).
    pub apt_options: Vec<String>,
    /// Replaces the runtime's commands (they only make sense as a whole).
    pub setup: Option<Vec<String>>,
    pub extras: Extras,
}

impl Runtime {
    /// Own children of a `runtime` block, besides the shared ones.
    const CHILDREN: &[&str] =
        &["python", "base-image", "compile", "apt-options", "setup", "variant"];

    pub(super) fn new(name: &str) -> Runtime {
        Runtime {
            name: name.into(),
            label: name.into(),
            python: "python3".into(),
            ..Runtime::default()
        }
    }

    /// This runtime with `variant`'s block applied (itself for `None`).
    pub fn with_variant(&self, variant: Option<&str>) -> Runtime {
        let mut runtime = self.clone();
        if let Some(v) = variant.and_then(|v| self.variants.get(v)) {
            runtime.apply(&v.patch);
        }
        runtime
    }

    fn apply(&mut self, patch: &RuntimePatch) {
        if let Some(python) = &patch.python {
            self.python = python.clone();
        }
        if let Some(image) = &patch.base_image {
            self.base_image = Some(image.clone());
        }
        if let Some(compile) = &patch.compile {
            self.compile = Some(compile.clone());
        }
        merge_unique(&mut self.apt_options, &patch.apt_options);
        if let Some(setup) = &patch.setup {
            self.setup = setup.clone();
        }
        self.extras.overlay(&patch.extras);
    }

    /// Read a `runtime` block into this runtime (a fresh one, or one to patch).
    pub(super) fn read(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode) {
        let mut patch = RuntimePatch::default();
        for child in children(node) {
            if child.name().value() == "variant" {
                read_variant(&mut self.variants, &self.name, a, source, child);
            } else if !patch.read_child(a, source, child) {
                a.unknown_child(source, child, "runtime", Self::CHILDREN, true);
            }
        }
        self.apply(&patch);
    }
}

impl RuntimePatch {
    /// Own children of a runtime variant, besides the shared ones.
    const CHILDREN: &[&str] = &["python", "base-image", "compile", "apt-options", "setup"];

    /// Read one child; false when it is none of a runtime's children.
    fn read_child(&mut self, a: &mut Analyzer, source: &Source, child: &KdlNode) -> bool {
        let name = child.name().value();
        match name {
            "python" | "base-image" => {
                let mut r = NodeReader::new(source, child, &[]);
                let value = r.required_string("a value", &mut a.errors);
                r.finish(&mut a.errors);
                let Some((value, span)) = value else { return true };
                if name == "python" && a.check(source, span, checks::program(&value)) {
                    self.python = Some(value);
                } else if name == "base-image" && a.check(source, span, checks::image(&value)) {
                    self.base_image = Some(value);
                }
            }
            "compile" => self.read_compile(a, source, child),
            "apt-options" | "setup" => self.read_image_steps(a, source, child),
            _ => return self.extras.read_child(a, source, child),
        }
        true
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
            true => self.setup = Some(accepted),
            false => merge_unique(&mut self.apt_options, &accepted),
        }
    }
}

impl VariantBlock for RuntimeVariant {
    const OF: DefinitionKind = DefinitionKind::Runtime;

    fn new(name: &str) -> RuntimeVariant {
        RuntimeVariant { name: name.into(), label: name.into(), ..RuntimeVariant::default() }
    }

    fn label_mut(&mut self) -> &mut String {
        &mut self.label
    }

    fn read_block(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode) {
        for grandchild in children(node) {
            if !self.patch.read_child(a, source, grandchild) {
                a.unknown_child(source, grandchild, "variant", RuntimePatch::CHILDREN, true);
            }
        }
    }
}
