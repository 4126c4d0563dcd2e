use std::fmt;

/// The named definitions of the matrix language, which rows and matchers refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DefinitionKind {
    Runtime,
    Server,
    Framework,
    Scenario,
}

impl DefinitionKind {
    pub const ALL: [DefinitionKind; 4] =
        [Self::Runtime, Self::Server, Self::Framework, Self::Scenario];

    /// The node name that defines one (`server NAME { ... }`).
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Runtime => "runtime",
            Self::Server => "server",
            Self::Framework => "framework",
            Self::Scenario => "scenario",
        }
    }

    pub fn of_node(name: &str) -> Option<DefinitionKind> {
        Self::ALL.into_iter().find(|k| k.keyword() == name)
    }
}

impl fmt::Display for DefinitionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}
