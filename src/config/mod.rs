//! Stage 1, config: reads a matrix file and the files it imports, and parses each into
//! a KDL v2 document that keeps spans (the syntax layer).
//! Input: a path. Output: `Sources`, the documents in import order (imports first, the
//! named file last), or `MatrixErrors` (unreadable file, KDL syntax error, import cycle).
//! No meaning is given to nodes here other than top-level `import "FILE"`.
//! `Diagnostic` (a kind at a span of a file) and `MatrixErrors` live here, the lowest
//! stage that reports errors; each stage brings its own kind type (`ConfigErrorKind`
//! here, `model::ErrorKind` in the model).

mod config_error_kind;
mod diagnostic;
mod matrix_errors;
mod source;
mod sources;

pub use config_error_kind::ConfigErrorKind;
pub use diagnostic::{Diagnostic, DiagnosticKind};
pub use matrix_errors::MatrixErrors;
pub use source::Source;
pub use sources::{Sources, project_root};
