use std::path::Path;

use super::ImageError;

/// Name of the Dockerfile template, in `dockerfiles/` under the project root.
pub const DOCKERFILE_TEMPLATE: &str = "Dockerfile.j2";

/// Copies of `dockerfiles/*.j2` embedded in the binary, used when the project root has none.
const EMBEDDED: &[(&str, &str)] =
    &[(DOCKERFILE_TEMPLATE, include_str!("../../dockerfiles/Dockerfile.j2"))];

/// The Dockerfile templates: `dockerfiles/*.j2` of the project root where present, the
/// embedded copies for the others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Templates {
    /// (file name, source), sorted by name.
    sources: Vec<(String, String)>,
}

impl Templates {
    /// The copies built into the binary.
    pub fn embedded() -> Self {
        Templates {
            sources: EMBEDDED.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect(),
        }
    }

    /// `root/dockerfiles/*.j2`, with the embedded copy for each template the directory lacks
    /// (all of them when it does not exist).
    pub fn load(root: &Path) -> Result<Self, ImageError> {
        let dir = root.join("dockerfiles");
        let mut sources: Vec<(String, String)> = Vec::new();
        if dir.is_dir() {
            let entries = std::fs::read_dir(&dir)
                .map_err(|source| ImageError::Read { path: dir.clone(), source })?;
            for entry in entries {
                let entry =
                    entry.map_err(|source| ImageError::Read { path: dir.clone(), source })?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.ends_with(".j2") || !entry.path().is_file() {
                    continue;
                }
                let path = entry.path();
                let text = std::fs::read_to_string(&path)
                    .map_err(|source| ImageError::Read { path, source })?;
                sources.push((name, text));
            }
        }
        for (name, text) in EMBEDDED {
            if !sources.iter().any(|(n, _)| n == name) {
                sources.push((name.to_string(), text.to_string()));
            }
        }
        sources.sort();
        Ok(Templates { sources })
    }

    /// (file name, source) of every template, sorted by name.
    pub fn sources(&self) -> &[(String, String)] {
        &self.sources
    }

    /// A minijinja environment with every template, the `sh` (shell-quote) and `env_value`
    /// (Dockerfile ENV value) filters, strict undefined variables.
    pub(crate) fn environment(&self) -> Result<minijinja::Environment<'static>, ImageError> {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .map_err(|e| ImageError::template(DOCKERFILE_TEMPLATE, &e))?;
        env.set_syntax(syntax);
        env.add_filter("sh", |s: String| shell_quote(&s));
        env.add_filter("env_value", |s: String| env_value(&s));
        for (name, text) in &self.sources {
            env.add_template_owned(name.clone(), text.clone())
                .map_err(|e| ImageError::template(name, &e))?;
        }
        Ok(env)
    }
}

/// `s` as one shell word: unchanged when it has only safe characters, single-quoted otherwise.
pub(crate) fn shell_quote(s: &str) -> String {
    let safe =
        !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_=.,:/+@%".contains(c));
    if safe { s.to_string() } else { format!("'{}'", s.replace('\'', r"'\''")) }
}

/// `s` as a Dockerfile `ENV` value: double-quoted, with `\`, `"` and `$` escaped so that the
/// builder neither splits nor substitutes it.
pub(crate) fn env_value(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if matches!(c, '\\' | '"' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}
