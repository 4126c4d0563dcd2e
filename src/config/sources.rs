use std::path::{Path, PathBuf};
use std::sync::Arc;

use kdl::KdlDocument;
use miette::{NamedSource, SourceSpan};

use super::Source;
use crate::model::{Diagnostic, MatrixErrors};

/// A matrix file and everything it imports, imports first.
#[derive(Debug, Clone)]
pub struct Sources {
    pub files: Vec<Source>,
}

impl Sources {
    /// Read and parse `path` and, depth first, every file it imports.
    /// Collects every syntax error of every file before giving up.
    pub fn load(path: &Path) -> Result<Sources, MatrixErrors> {
        let mut loader = Loader::default();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) => {
                return Err(MatrixErrors::single(unreadable(path, &err, None)));
            }
        };
        loader.add(path.to_path_buf(), path.display().to_string(), text);
        if loader.errors.diagnostics.is_empty() {
            Ok(Sources { files: loader.files })
        } else {
            Err(loader.errors)
        }
    }

    /// Parse one in-memory file (tests, generated matrices). Imports are resolved relative
    /// to the current directory.
    pub fn from_text(name: &str, text: &str) -> Result<Sources, MatrixErrors> {
        let mut loader = Loader::default();
        loader.add(PathBuf::from(name), name.to_string(), text.to_string());
        if loader.errors.diagnostics.is_empty() {
            Ok(Sources { files: loader.files })
        } else {
            Err(loader.errors)
        }
    }

    /// The file given by the user (the last one).
    pub fn main(&self) -> &Source {
        self.files.last().expect("sources always hold the main file")
    }
}

#[derive(Default)]
struct Loader {
    files: Vec<Source>,
    /// Canonical paths and display names of the files being loaded, outermost first
    /// (cycle detection).
    stack: Vec<(PathBuf, String)>,
    errors: MatrixErrors,
}

impl Loader {
    fn add(&mut self, path: PathBuf, name: String, text: String) {
        let text = Arc::new(text);
        let document = match KdlDocument::parse_v2(&text) {
            Ok(document) => document,
            Err(err) => {
                let named = NamedSource::new(&name, text.clone()).with_language("kdl");
                for d in err.diagnostics {
                    let message = d.message.unwrap_or_else(|| "invalid KDL".to_string());
                    self.errors.diagnostics.push(Diagnostic {
                        message: format!("KDL syntax error: {message}"),
                        source_code: named.clone(),
                        span: Some(d.span),
                        label: d.label.unwrap_or_else(|| "here".to_string()),
                        help: Some(d.help.unwrap_or_else(|| {
                            "see docs/matrix.md for the KDL v2 syntax (strings in quotes, #true/#false, `key=value` properties)".to_string()
                        })),
                    });
                }
                return;
            }
        };
        let source = Source { path: path.clone(), name, text, document };
        let canonical = std::fs::canonicalize(&path).unwrap_or(path.clone());
        self.stack.push((canonical, source.name.clone()));
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for node in source.document.nodes() {
            if node.name().value() != "import" {
                continue;
            }
            let Some(entry) = node.entries().first().filter(|e| e.name().is_none()) else {
                self.errors.diagnostics.push(source.error(
                    node.span(),
                    "`import` needs a file name",
                    "no file given",
                    Some("write `import \"other.kdl\"` (a path relative to this file)".into()),
                ));
                continue;
            };
            let Some(relative) = entry.value().as_string() else {
                self.errors.diagnostics.push(source.error(
                    entry.span(),
                    "`import` takes a string",
                    "not a string",
                    Some("write the path in quotes: `import \"other.kdl\"`".into()),
                ));
                continue;
            };
            let target = base.join(relative);
            let target_canonical = std::fs::canonicalize(&target).unwrap_or(target.clone());
            if let Some(start) = self.stack.iter().position(|(p, _)| *p == target_canonical) {
                let chain: Vec<String> = self.stack[start..]
                    .iter()
                    .map(|(_, name)| name.clone())
                    .chain(std::iter::once(self.stack[start].1.clone()))
                    .collect();
                self.errors.diagnostics.push(source.error(
                    entry.span(),
                    format!("import cycle: {}", chain.join(" -> ")),
                    "imports a file that is already being imported",
                    Some("remove this import; a file may import another only if that one does not import it back".into()),
                ));
                continue;
            }
            if self
                .files
                .iter()
                .any(|f| std::fs::canonicalize(&f.path).unwrap_or(f.path.clone()) == target_canonical)
            {
                continue; // already imported through another path: import once
            }
            match std::fs::read_to_string(&target) {
                Ok(text) => self.add(target.clone(), target.display().to_string(), text),
                Err(err) => self.errors.diagnostics.push(unreadable(&target, &err, Some((&source, entry.span())))),
            }
        }
        self.stack.pop();
        self.files.push(source);
    }
}

fn unreadable(path: &Path, err: &std::io::Error, at: Option<(&Source, SourceSpan)>) -> Diagnostic {
    let message = format!("cannot read matrix file {}: {err}", path.display());
    let help = Some(match err.kind() {
        std::io::ErrorKind::NotFound => {
            "check the path; `bench expand` reads ./matrix.kdl when no file is given".to_string()
        }
        _ => "check the file's permissions".to_string(),
    });
    match at {
        Some((source, span)) => source.error(span, message, "imported here", help),
        None => Diagnostic {
            message,
            source_code: NamedSource::new(path.display().to_string(), Arc::new(String::new())),
            span: None,
            label: String::new(),
            help,
        },
    }
}
