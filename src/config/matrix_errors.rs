use std::fmt;

use super::Diagnostic;

/// All the problems found in a matrix file and its imports.
#[derive(Debug, Default)]
pub struct MatrixErrors {
    pub diagnostics: Vec<Diagnostic>,
}

impl MatrixErrors {
    pub fn single(diagnostic: Diagnostic) -> Self {
        MatrixErrors { diagnostics: vec![diagnostic] }
    }

    /// Every diagnostic rendered as miette renders it, without colours, then a count.
    pub fn render(&self) -> String {
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(100);
        let mut out = String::new();
        for diagnostic in &self.diagnostics {
            let _ = handler.render_report(&mut out, diagnostic);
        }
        let n = self.diagnostics.len();
        let plural = if n == 1 { "" } else { "s" };
        out.push_str(&format!("error: the matrix has {n} error{plural}\n"));
        out
    }
}

impl fmt::Display for MatrixErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} error(s) in the matrix", self.diagnostics.len())
    }
}

impl std::error::Error for MatrixErrors {}
