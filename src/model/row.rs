use super::Extras;

/// One row of the matrix: a framework on a server (variant) on a runtime, in scenarios.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub name: String,
    pub framework: String,
    pub server: String,
    pub variant: Option<String>,
    pub runtime: String,
    /// The interface the framework and server meet on.
    pub interface: String,
    /// Scenario names, in the matrix's scenario order.
    pub scenarios: Vec<String>,
}

/// Which cells a rule (`exclude`, `override`) applies to: every given field must match.
#[derive(Clone, Debug, Default)]
pub struct Matcher {
    pub row: Option<Pattern>,
    pub framework: Option<Pattern>,
    pub server: Option<Pattern>,
    pub variant: Option<Pattern>,
    pub runtime: Option<Pattern>,
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
        glob(&self.row, &row.name)
            && glob(&self.framework, &row.framework)
            && glob(&self.server, &row.server)
            && glob(&self.variant, row.variant.as_deref().unwrap_or(""))
            && glob(&self.runtime, &row.runtime)
            && (self.scenarios.is_empty() || self.scenarios.iter().any(|p| p.is_match(scenario)))
    }
}

