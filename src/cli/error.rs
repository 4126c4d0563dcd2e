use std::process::ExitCode;

use crate::model::MatrixErrors;

/// Every way a command can fail, rendered for a person.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The matrix file has errors: each is its own diagnostic.
    #[error(transparent)]
    Matrix(#[from] MatrixErrors),
    /// Bad command-line usage that clap cannot see (an unknown row, a bad glob).
    #[error("{message}")]
    Usage { message: String, help: Option<String> },
    /// Anything else, with what to do about it.
    #[error("{message}")]
    Other { message: String, help: Option<String> },
}

impl CliError {
    pub fn usage(message: impl Into<String>, help: impl Into<Option<String>>) -> Self {
        CliError::Usage { message: message.into(), help: help.into() }
    }

    pub fn other(message: impl Into<String>, help: impl Into<Option<String>>) -> Self {
        CliError::Other { message: message.into(), help: help.into() }
    }

    /// Print the error on stderr and give the exit code.
    pub fn report(self) -> ExitCode {
        match self {
            CliError::Matrix(errors) => {
                eprint!("{}", errors.render());
                ExitCode::from(2)
            }
            CliError::Usage { message, help } => {
                print_plain(&message, help.as_deref());
                ExitCode::from(2)
            }
            CliError::Other { message, help } => {
                print_plain(&message, help.as_deref());
                ExitCode::from(1)
            }
        }
    }
}

fn print_plain(message: &str, help: Option<&str>) {
    eprintln!("error: {message}");
    if let Some(help) = help {
        eprintln!("  help: {help}");
    }
}
