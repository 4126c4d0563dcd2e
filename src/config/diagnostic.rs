use std::any::Any;
use std::fmt;
use std::sync::Arc;

use miette::{LabeledSpan, NamedSource, SourceSpan};

/// What went wrong, as one stage's error kind: the message is its `Display`, and the
/// label and help come from the same kind, so each message has one home.
pub trait DiagnosticKind: fmt::Display + fmt::Debug + Send + Sync + Any {
    /// The short text under the offending span.
    fn label(&self) -> String;
    /// What to do about it.
    fn help(&self) -> Option<String>;
}

/// One problem in a matrix file: a kind at a span of a file.
#[derive(Debug)]
pub struct Diagnostic {
    pub kind: Box<dyn DiagnosticKind>,
    /// `None` when there is no text to point at (a file that cannot be read).
    pub span: Option<SourceSpan>,
    pub source_code: NamedSource<Arc<String>>,
}

impl Diagnostic {
    /// The kind, when it is of the stage's kind type `K` (tests assert on it).
    pub fn kind<K: DiagnosticKind>(&self) -> Option<&K> {
        let any: &dyn Any = self.kind.as_ref();
        any.downcast_ref::<K>()
    }

    /// The span as `(offset, length)`.
    pub fn range(&self) -> Option<(usize, usize)> {
        self.span.map(|s| (s.offset(), s.len()))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source_code)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        let label = LabeledSpan::new_with_span(Some(self.kind.label()), span);
        Some(Box::new(std::iter::once(label)))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.kind.help().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
}
