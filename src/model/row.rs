use kdl::KdlNode;

use super::analyzer::Analyzer;
use super::combo::variant_ref;
use super::node_reader::{NodeReader, string_of};
use super::{DefinitionKind, ErrorKind, Extras, checks};
use crate::config::Source;

/// One row of the matrix: a framework on a server (variant) on a runtime (variant), meeting
/// on an interface, in scenarios.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub name: String,
    pub framework: String,
    pub server: String,
    pub variant: Option<String>,
    pub runtime: String,
    /// The runtime's variant (`lto` of `nuitka:lto`), `None` for the runtime itself.
    pub runtime_variant: Option<String>,
    /// The interface the framework and server meet on.
    pub interface: String,
    /// Scenario names, in the matrix's scenario order.
    pub scenarios: Vec<String>,
}

impl Row {
    /// Whether `other` is the same combination (whatever its name and scenarios).
    pub fn same_combination(&self, other: &Row) -> bool {
        self.framework == other.framework
            && self.server == other.server
            && self.variant == other.variant
            && self.runtime == other.runtime
            && self.runtime_variant == other.runtime_variant
            && self.interface == other.interface
    }
}

/// Which cells a rule (`exclude`, `override`) applies to: every given field must match.
/// `server` and `runtime` match the name, or `NAME:VARIANT` on a variant's rows.
#[derive(Clone, Debug, Default)]
pub struct Matcher {
    pub row: Option<Pattern>,
    pub framework: Option<Pattern>,
    pub server: Option<Pattern>,
    pub variant: Option<Pattern>,
    pub runtime: Option<Pattern>,
    pub interface: Option<Pattern>,
    /// Any of these scenario patterns.
    pub scenarios: Vec<Pattern>,
}

/// A shell-style glob (`*`, `?`, `[...]`) matched against a whole name.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub text: String,
    matcher: globset::GlobMatcher,
}

impl Pattern {
    pub fn new(text: &str) -> Result<Pattern, String> {
        let glob = globset::Glob::new(text).map_err(|e| e.kind().to_string())?;
        Ok(Pattern { text: text.to_string(), matcher: glob.compile_matcher() })
    }

    pub fn is_match(&self, value: &str) -> bool {
        self.matcher.is_match(value)
    }

    /// True when the pattern has no glob characters (it names one thing).
    pub fn is_literal(&self) -> bool {
        !self.text.contains(['*', '?', '['])
    }
}

/// `override MATCHER { ... }`: settings, packages, env, or `na "reason"` for some cells.
#[derive(Clone, Debug)]
pub struct Override {
    pub matcher: Matcher,
    pub extras: Extras,
    /// Marks the matched cells not applicable, with the reason shown as N/A.
    pub na: Option<String>,
}

impl Matcher {
    pub fn matches(&self, row: &Row, scenario: &str) -> bool {
        fn glob(pattern: &Option<Pattern>, value: &str) -> bool {
            pattern.as_ref().is_none_or(|p| p.is_match(value))
        }
        /// The name matches, or `NAME:VARIANT` does on a variant's row.
        fn named(pattern: &Option<Pattern>, name: &str, variant: Option<&str>) -> bool {
            pattern.as_ref().is_none_or(|p| {
                p.is_match(name) || variant.is_some_and(|v| p.is_match(&format!("{name}:{v}")))
            })
        }
        glob(&self.row, &row.name)
            && glob(&self.framework, &row.framework)
            && named(&self.server, &row.server, row.variant.as_deref())
            && glob(&self.variant, row.variant.as_deref().unwrap_or(""))
            && named(&self.runtime, &row.runtime, row.runtime_variant.as_deref())
            && glob(&self.interface, &row.interface)
            && (self.scenarios.is_empty() || self.scenarios.iter().any(|p| p.is_match(scenario)))
    }
}

impl Matcher {
    /// The properties an `exclude` or `override` matches on.
    const PROPS: &[&str] =
        &["row", "framework", "server", "variant", "runtime", "interface", "scenario"];

    /// The matcher props of an `exclude`/`override` node, resolved and checked: a name
    /// without glob characters must be defined (a server's or runtime's `NAME:VARIANT`
    /// too).
    pub(super) fn read(a: &mut Analyzer, source: &Source, node: &KdlNode) -> Option<Matcher> {
        NodeReader::new(source, node, Self::PROPS).finish(&mut a.errors);
        let mut m = Matcher::default();
        let mut ok = true;
        for key in Self::PROPS {
            let Some(entry) =
                node.entries().iter().find(|e| e.name().map(|n| n.value()) == Some(key))
            else {
                continue;
            };
            let Some(text) =
                string_of(source, entry, &format!("`{key}` as a string"), &mut a.errors)
            else {
                ok = false;
                continue;
            };
            let mut patterns = Vec::new();
            for part in text.split_whitespace() {
                if !a.check(source, entry.span(), checks::glob(part)) {
                    ok = false;
                    continue;
                }
                match Pattern::new(part) {
                    Ok(p) => {
                        let span = entry.span();
                        ok &= match DefinitionKind::of_node(key).filter(|_| p.is_literal()) {
                            Some(kind @ (DefinitionKind::Server | DefinitionKind::Runtime)) => {
                                !variant_ref(a, source, span, kind, part, false).is_empty()
                            }
                            Some(kind) => a.check_reference(source, span, kind, part),
                            None => true,
                        };
                        patterns.push(p);
                    }
                    Err(reason) => {
                        let kind = ErrorKind::InvalidPattern { pattern: part.into(), reason };
                        a.error(source, entry.span(), kind);
                        ok = false;
                    }
                }
            }
            let first = || patterns.first().cloned();
            match *key {
                "row" => m.row = first(),
                "framework" => m.framework = first(),
                "server" => m.server = first(),
                "variant" => m.variant = first(),
                "runtime" => m.runtime = first(),
                "interface" => m.interface = first(),
                _ => m.scenarios = patterns,
            }
        }
        ok.then_some(m)
    }
}
