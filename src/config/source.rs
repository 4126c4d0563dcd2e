use std::path::PathBuf;
use std::sync::Arc;

use kdl::KdlDocument;
use miette::{NamedSource, SourceSpan};

use crate::model::Diagnostic;

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

    /// A diagnostic pointing at `span` of this file.
    pub fn error(
        &self,
        span: SourceSpan,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            source_code: self.named(),
            span: Some(span),
            label: label.into(),
            help,
        }
    }
}
