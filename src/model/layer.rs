use super::DefinitionKind;

/// The block a settings layer comes from, to point at the value a cell got from it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Layer {
    #[default]
    Defaults,
    Definition(DefinitionKind, String),
    /// `variant` of the server or runtime `name`.
    Variant {
        kind: DefinitionKind,
        name: String,
        variant: String,
    },
    /// The n-th `override` of the matrix.
    Override(usize),
}
