use std::path::PathBuf;

/// Why a Dockerfile could not be rendered or a build context not be gathered.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the app directory `apps/{app_dir}` does not exist under {root}: create it or fix `app` in the framework's definition"
    )]
    AppDirMissing { app_dir: String, root: PathBuf },
    #[error(
        "the launch script `apps/servers/{script}` does not exist under {root}: add it or fix `script` in the server's definition"
    )]
    ScriptMissing { script: String, root: PathBuf },
    #[error("invalid {what} `{value}` in cell `{cell}`: {why}")]
    Invalid { cell: String, what: &'static str, value: String, why: &'static str },
    #[error("the CA bundle {path} given in the build settings cannot be read: {source}")]
    CaBundle {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("Dockerfile template `{name}`: {message}")]
    Template { name: String, message: String },
}

impl ImageError {
    /// A template error with minijinja's full explanation (line, cause chain).
    pub(crate) fn template(name: &str, error: &minijinja::Error) -> Self {
        let mut message = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            message.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        ImageError::Template { name: name.to_string(), message }
    }
}
