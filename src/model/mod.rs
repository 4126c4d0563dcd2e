//! Stage 2, model: the span-free, validated matrix.
//! Input: `config::Sources` (parsed KDL documents with spans).
//! Output: `Model`, every name resolved and every row built by the naming rule, or
//! `MatrixErrors` with every error of the files, each a miette diagnostic with the file
//! name, a labelled span and a help line. `analyze` is the one pass between the two.

mod analyzer;
mod errors;
mod extras;
mod framework;
#[allow(clippy::module_inception)]
mod model;
pub mod node_reader;
mod row;
mod runtime;
mod scenario;
mod server;
pub mod settings;
pub mod values;

pub use analyzer::analyze;
pub use errors::{Diagnostic, MatrixErrors};
pub use extras::{Extras, Unsupported};
pub use framework::Framework;
pub use model::{BuildConfig, Model};
pub use row::{Matcher, Override, Pattern, Row};
pub use runtime::Runtime;
pub use scenario::Scenario;
pub use server::{LaunchDef, Server, ServerInterface, Variant};
pub use settings::{SettingValue, Settings};

/// Read, parse and validate a matrix file.
pub fn load(path: &std::path::Path) -> Result<Model, MatrixErrors> {
    let sources = crate::config::Sources::load(path)?;
    analyze(&sources)
}
