use kdl::{KdlEntry, KdlNode, KdlValue};
use miette::SourceSpan;

use crate::config::Source;
use crate::model::Diagnostic;

/// Reads one KDL node for the analyzer: typed access to arguments and properties, each
/// mistake recorded as a diagnostic, and unknown properties reported by `finish`.
pub struct NodeReader<'a> {
    pub source: &'a Source,
    pub node: &'a KdlNode,
    /// Properties this node may carry.
    allowed: &'a [&'a str],
    /// How many positional arguments the caller consumed.
    args_used: usize,
    /// Whether the caller takes any number of arguments.
    args_any: bool,
}

impl<'a> NodeReader<'a> {
    pub fn new(source: &'a Source, node: &'a KdlNode, allowed: &'a [&'a str]) -> Self {
        NodeReader { source, node, allowed, args_used: 0, args_any: false }
    }

    pub fn name(&self) -> &'a str {
        self.node.name().value()
    }

    pub fn whole_span(&self) -> SourceSpan {
        self.node.span()
    }

    pub fn args(&self) -> impl Iterator<Item = &'a KdlEntry> + 'a {
        self.node.entries().iter().filter(|e| e.name().is_none())
    }

    pub fn prop(&self, key: &str) -> Option<&'a KdlEntry> {
        self.node
            .entries()
            .iter()
            .rev()
            .find(|e| e.name().map(|n| n.value()) == Some(key))
    }

    /// The first argument as a string, required.
    pub fn required_string(&mut self, what: &str, errors: &mut Vec<Diagnostic>) -> Option<String> {
        self.args_used = self.args_used.max(1);
        match self.args().next() {
            None => {
                errors.push(self.source.error(
                    self.whole_span(),
                    format!("`{}` needs {what}", self.name()),
                    format!("{what} missing"),
                    Some(format!("write it after the node name: `{} \"...\"`", self.name())),
                ));
                None
            }
            Some(entry) => string_of(self.source, entry, what, errors),
        }
    }

    /// Every argument as a string (a list node such as `packages "a" "b"`).
    pub fn strings(&mut self, errors: &mut Vec<Diagnostic>) -> Vec<String> {
        self.args_any = true;
        self.args().filter_map(|e| string_of(self.source, e, "a string", errors)).collect()
    }

    /// All arguments as entries, for typed parsing by the caller.
    pub fn take_all_args(&mut self) -> Vec<&'a KdlEntry> {
        self.args_any = true;
        self.args().collect()
    }

    pub fn prop_string(&self, key: &str, errors: &mut Vec<Diagnostic>) -> Option<String> {
        let entry = self.prop(key)?;
        string_of(self.source, entry, &format!("`{key}` as a string"), errors)
    }

    pub fn prop_bool(&self, key: &str, errors: &mut Vec<Diagnostic>) -> Option<bool> {
        let entry = self.prop(key)?;
        match entry.value() {
            KdlValue::Bool(b) => Some(*b),
            other => {
                errors.push(wrong_type(self.source, entry, "#true or #false", other));
                None
            }
        }
    }

    /// Report unknown properties and unexpected extra arguments.
    pub fn finish(self, errors: &mut Vec<Diagnostic>) {
        for entry in self.node.entries() {
            match entry.name() {
                Some(key) if !self.allowed.contains(&key.value()) => {
                    let help = match did_you_mean(key.value(), self.allowed.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None if self.allowed.is_empty() => {
                            format!("`{}` takes no properties", self.name())
                        }
                        None => format!("`{}` takes: {}", self.name(), self.allowed.join(", ")),
                    };
                    errors.push(self.source.error(
                        key.span(),
                        format!("unknown property `{}` on `{}`", key.value(), self.name()),
                        "unknown property",
                        Some(help),
                    ));
                }
                _ => {}
            }
        }
        if !self.args_any {
            for entry in self.args().skip(self.args_used) {
                errors.push(self.source.error(
                    entry.span(),
                    format!("unexpected argument to `{}`", self.name()),
                    "not expected here",
                    Some(format!("`{}` takes {} argument{}", self.name(), self.args_used, if self.args_used == 1 { "" } else { "s" })),
                ));
            }
        }
    }
}

pub fn string_of(source: &Source, entry: &KdlEntry, what: &str, errors: &mut Vec<Diagnostic>) -> Option<String> {
    match entry.value() {
        KdlValue::String(s) => Some(s.clone()),
        other => {
            errors.push(wrong_type(source, entry, what, other));
            None
        }
    }
}

pub fn wrong_type(source: &Source, entry: &KdlEntry, expected: &str, found: &KdlValue) -> Diagnostic {
    let found_kind = match found {
        KdlValue::String(_) => "a string",
        KdlValue::Integer(_) => "a whole number",
        KdlValue::Float(_) => "a number",
        KdlValue::Bool(_) => "a boolean",
        KdlValue::Null => "#null",
    };
    source.error(
        entry.span(),
        format!("expected {expected}, found {found_kind}"),
        format!("this is {found_kind}"),
        Some(match expected {
            e if e.contains("string") => "put the value in double quotes".to_string(),
            e => format!("write {e} here"),
        }),
    )
}

/// The closest known name, if close enough to be a likely typo.
pub fn did_you_mean<'n>(name: &str, known: impl Iterator<Item = &'n str>) -> Option<&'n str> {
    known
        .map(|k| (strsim::jaro_winkler(name, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}
