use std::fmt;

use super::DiagnosticKind;

/// What can go wrong reading matrix files, before any node has a meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigErrorKind {
    /// The KDL parser's own message, label and help.
    Syntax {
        message: String,
        label: Option<String>,
        help: Option<String>,
    },
    ImportWithoutFile,
    ImportNotString,
    /// The files of the cycle, the first one repeated at the end.
    ImportCycle {
        chain: Vec<String>,
    },
    Unreadable {
        path: String,
        error: String,
        not_found: bool,
        imported: bool,
    },
}

impl fmt::Display for ConfigErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax { message, .. } => write!(f, "KDL syntax error: {message}"),
            Self::ImportWithoutFile => write!(f, "`import` needs a file name"),
            Self::ImportNotString => write!(f, "`import` takes a string"),
            Self::ImportCycle { chain } => write!(f, "import cycle: {}", chain.join(" -> ")),
            Self::Unreadable { path, error, .. } => {
                write!(f, "cannot read matrix file {path}: {error}")
            }
        }
    }
}

impl DiagnosticKind for ConfigErrorKind {
    fn label(&self) -> String {
        match self {
            Self::Syntax { label, .. } => label.clone().unwrap_or_else(|| "here".into()),
            Self::ImportWithoutFile => "no file given".into(),
            Self::ImportNotString => "not a string".into(),
            Self::ImportCycle { .. } => "imports a file that is already being imported".into(),
            Self::Unreadable { imported: true, .. } => "imported here".into(),
            Self::Unreadable { .. } => String::new(),
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            Self::Syntax { help: Some(help), .. } => help.clone(),
            Self::Syntax { help: None, .. } => "see docs/matrix.md for the KDL v2 syntax (strings \
                in quotes, #true/#false, `key=value` properties)"
                .into(),
            Self::ImportWithoutFile => {
                "write `import \"other.kdl\"` (a path relative to this file)".into()
            }
            Self::ImportNotString => "write the path in quotes: `import \"other.kdl\"`".into(),
            Self::ImportCycle { .. } => "remove this import; a file may import another only if \
                that one does not import it back"
                .into(),
            Self::Unreadable { not_found: true, .. } => {
                "check the path; `bench expand` reads ./matrix.kdl when no file is given".into()
            }
            Self::Unreadable { .. } => "check the file's permissions".into(),
        })
    }
}
