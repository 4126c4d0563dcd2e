//! Stage 2, model: the span-free, validated matrix.
//! Input: `config::Sources` (parsed KDL documents with spans).
//! Output: `Model`, every name resolved, or `MatrixErrors` with every error of the files,
//! each a miette diagnostic with the file name, a labelled span and a help line.

mod errors;

pub use errors::{Diagnostic, MatrixErrors};
