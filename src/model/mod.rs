//! Stage 2, model: the span-free, validated matrix.
//! Input: `config::Sources` (parsed KDL documents with spans).
//! Output: `Model`, every name resolved, every value checked and every row built by the
//! naming rule, or `MatrixErrors` with every error of the files: each a `Diagnostic` of an
//! `ErrorKind` at the span of the offending text. `analyze` is the one pass between the
//! two; each definition's reader sits next to its type (the `variant`s of servers and
//! runtimes share one reader, `variant_block`), each setting's definition (name, default,
//! range, doc) in `setting`.

mod analyzer;
mod body_rule;
pub mod checks;
mod combo;
mod definition_kind;
mod error_kind;
mod extras;
mod framework;
mod layer;
mod matrix_builder;
#[allow(clippy::module_inception)]
mod model;
pub mod node_reader;
mod row;
mod runtime;
mod scenario;
mod server;
pub mod setting;
pub mod settings;
mod suggestion;
pub mod values;
mod variant_block;

pub use analyzer::analyze;
pub use body_rule::BodyRule;
pub use combo::qualified;
pub use definition_kind::DefinitionKind;
pub use error_kind::ErrorKind;
pub use extras::{Extras, Unsupported};
pub use framework::Framework;
pub use layer::Layer;
pub use model::{BuildConfig, Model};
pub use row::{Matcher, Override, Pattern, Row};
pub use runtime::{Runtime, RuntimePatch, RuntimeVariant};
pub use scenario::Scenario;
pub use server::{LaunchDef, Server, ServerInterface, Variant};
pub use setting::{Setting, SettingKind};
pub use settings::{SettingValue, Settings};
pub use suggestion::did_you_mean;
// The error types live in config, the lowest stage that reports errors.
pub use crate::config::{Diagnostic, MatrixErrors};

/// Read, parse and validate a matrix file.
pub fn load(path: &std::path::Path) -> Result<Model, MatrixErrors> {
    let sources = crate::config::Sources::load(path)?;
    analyze(&sources)
}
