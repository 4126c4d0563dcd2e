use kdl::{KdlEntry, KdlNode, KdlValue};
use miette::SourceSpan;

use super::ErrorKind;
pub use super::suggestion::did_you_mean;
use super::suggestion::suggest;
use crate::config::{Diagnostic, Source};

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
        self.node.entries().iter().rev().find(|e| e.name().map(|n| n.value()) == Some(key))
    }

    /// The first argument as a string, required, with its span.
    pub fn required_string(
        &mut self,
        what: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<(String, SourceSpan)> {
        self.args_used = self.args_used.max(1);
        match self.args().next() {
            None => {
                let kind = ErrorKind::MissingValue { node: self.name().into(), what: what.into() };
                errors.push(self.source.error(self.whole_span(), kind));
                None
            }
            Some(entry) => string_of(self.source, entry, what, errors).map(|s| (s, entry.span())),
        }
    }

    /// Every argument as a string with its span (a list node such as `packages "a" "b"`).
    pub fn strings(&mut self, errors: &mut Vec<Diagnostic>) -> Vec<(String, SourceSpan)> {
        self.args_any = true;
        self.args()
            .filter_map(|e| string_of(self.source, e, "a string", errors).map(|s| (s, e.span())))
            .collect()
    }

    /// All arguments as entries, for typed parsing by the caller.
    pub fn take_all_args(&mut self) -> Vec<&'a KdlEntry> {
        self.args_any = true;
        self.args().collect()
    }

    /// A property as a string, with its span.
    pub fn prop_string(
        &self,
        key: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<(String, SourceSpan)> {
        let entry = self.prop(key)?;
        string_of(self.source, entry, &format!("`{key}` as a string"), errors)
            .map(|s| (s, entry.span()))
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

    /// A property as a whole number within `range`.
    pub fn prop_int(
        &self,
        key: &str,
        range: std::ops::RangeInclusive<i128>,
        what: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<i128> {
        let entry = self.prop(key)?;
        let Some(n) = entry.value().as_integer() else {
            errors.push(wrong_type(self.source, entry, what, entry.value()));
            return None;
        };
        if range.contains(&n) {
            return Some(n);
        }
        let kind = ErrorKind::OutOfRange {
            what: format!("`{key}`"),
            value: n.to_string(),
            min: range.start().to_string(),
            max: range.end().to_string(),
        };
        errors.push(self.source.error(entry.span(), kind));
        None
    }

    /// Report unknown properties and unexpected extra arguments.
    pub fn finish(self, errors: &mut Vec<Diagnostic>) {
        for key in self.node.entries().iter().filter_map(|e| e.name()) {
            if self.allowed.contains(&key.value()) {
                continue;
            }
            let node = self.name();
            let help = suggest(key.value(), self.allowed, str::to_string, |allowed| {
                if allowed.is_empty() {
                    format!("`{node}` takes no properties")
                } else {
                    format!("`{node}` takes: {}", allowed.join(", "))
                }
            });
            let kind =
                ErrorKind::UnknownProperty { key: key.value().into(), node: node.into(), help };
            errors.push(self.source.error(key.span(), kind));
        }
        if !self.args_any {
            for entry in self.args().skip(self.args_used) {
                let kind = ErrorKind::UnexpectedArgument {
                    node: self.name().into(),
                    takes: self.args_used,
                };
                errors.push(self.source.error(entry.span(), kind));
            }
        }
    }
}

pub fn string_of(
    source: &Source,
    entry: &KdlEntry,
    what: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    match entry.value() {
        KdlValue::String(s) => Some(s.clone()),
        other => {
            errors.push(wrong_type(source, entry, what, other));
            None
        }
    }
}

pub fn wrong_type(
    source: &Source,
    entry: &KdlEntry,
    expected: &str,
    found: &KdlValue,
) -> Diagnostic {
    let found = super::setting::found(found);
    source.error(entry.span(), ErrorKind::WrongType { expected: expected.into(), found })
}
