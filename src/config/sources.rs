use std::path::{Path, PathBuf};
use std::sync::Arc;

use kdl::KdlDocument;
use miette::{NamedSource, SourceSpan};

use super::{ConfigErrorKind, Diagnostic, MatrixErrors, Source};

/// A matrix file and everything it imports, imports first.
#[derive(Debug, Clone)]
pub struct Sources {
    pub files: Vec<Source>,
    /// The directory holding `apps/` and `dockerfiles/`; `None` for a matrix read from
    /// memory or outside a project (then the files it names are not checked).
    pub root: Option<PathBuf>,
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
            let root = project_root(path);
            Ok(Sources { files: loader.files, root })
        } else {
            Err(loader.errors)
        }
    }

    /// Parse one in-memory file (tests, generated matrices). Imports are resolved relative
    /// to the current directory; it has no project root, so the files it names are not
    /// checked.
    pub fn from_text(name: &str, text: &str) -> Result<Sources, MatrixErrors> {
        let mut loader = Loader::default();
        loader.add(PathBuf::from(name), name.to_string(), text.to_string());
        if loader.errors.diagnostics.is_empty() {
            Ok(Sources { files: loader.files, root: None })
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
                    let kind = ConfigErrorKind::Syntax {
                        message: d.message.unwrap_or_else(|| "invalid KDL".to_string()),
                        label: d.label,
                        help: d.help,
                    };
                    self.errors.diagnostics.push(Diagnostic {
                        kind: Box::new(kind),
                        span: Some(d.span),
                        source_code: named.clone(),
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
                let error = source.error(node.span(), ConfigErrorKind::ImportWithoutFile);
                self.errors.diagnostics.push(error);
                continue;
            };
            let Some(relative) = entry.value().as_string() else {
                let error = source.error(entry.span(), ConfigErrorKind::ImportNotString);
                self.errors.diagnostics.push(error);
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
                let error = source.error(entry.span(), ConfigErrorKind::ImportCycle { chain });
                self.errors.diagnostics.push(error);
                continue;
            }
            let canonical = |f: &Source| std::fs::canonicalize(&f.path).unwrap_or(f.path.clone());
            if self.files.iter().any(|f| canonical(f) == target_canonical) {
                continue; // already imported through another path: import once
            }
            match std::fs::read_to_string(&target) {
                Ok(text) => self.add(target.clone(), target.display().to_string(), text),
                Err(err) => {
                    let at = Some((&source, entry.span()));
                    self.errors.diagnostics.push(unreadable(&target, &err, at));
                }
            }
        }
        self.stack.pop();
        self.files.push(source);
    }
}

fn unreadable(path: &Path, err: &std::io::Error, at: Option<(&Source, SourceSpan)>) -> Diagnostic {
    let kind = ConfigErrorKind::Unreadable {
        path: path.display().to_string(),
        error: err.to_string(),
        not_found: err.kind() == std::io::ErrorKind::NotFound,
        imported: at.is_some(),
    };
    match at {
        Some((source, span)) => source.error(span, kind),
        None => Diagnostic {
            kind: Box::new(kind),
            span: None,
            source_code: NamedSource::new(path.display().to_string(), Arc::new(String::new())),
        },
    }
}

/// The directory holding `apps/` and `dockerfiles/`: the matrix file's directory, or the
/// nearest ancestor of it that has `apps/` (for matrices under `examples/`); `None` when
/// there is none.
pub fn project_root(matrix: &Path) -> Option<PathBuf> {
    let dir = match matrix.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    dir.ancestors().find(|d| d.join("apps").is_dir()).map(Path::to_path_buf)
}
