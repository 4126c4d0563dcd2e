use std::path::PathBuf;
use std::sync::Arc;

use kdl::KdlDocument;
use miette::{NamedSource, SourceSpan};

use super::{Diagnostic, DiagnosticKind};

/// One parsed matrix file: its text, display name and KDL document (with spans).
#[derive(Debug, Clone)]
pub struct Source {
    /// Path as given or resolved from an import.
    pub path: PathBuf,
    /// Name shown in diagnostics (the path as the user wrote it).
    pub name: String,
    pub text: Arc<String>,
    pub document: KdlDocument,
}

impl Source {
    /// The file as miette shows it in a diagnostic.
    pub fn named(&self) -> NamedSource<Arc<String>> {
        NamedSource::new(&self.name, self.text.clone()).with_language("kdl")
    }

    /// A diagnostic of `kind` pointing at `span` of this file.
    pub fn error(&self, span: SourceSpan, kind: impl DiagnosticKind) -> Diagnostic {
        Diagnostic { kind: Box::new(kind), span: Some(span), source_code: self.named() }
    }
}
