use super::Extras;

/// A Python runtime: CPython, PyPy, Nuitka (CPython with ahead-of-time compilation).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Runtime {
    pub name: String,
    /// Name part in row names; empty for the default runtime (`cpython`).
    pub label: String,
    /// Base image; `None` uses `build { base-image }`.
    pub base_image: Option<String>,
    /// Interpreter that creates the virtualenv (`python3`, `pypy3`).
    pub python: String,
    /// Compile the launch script (`{script}`, `{stem}`, `{module}` are filled in) and the
    /// command that starts the result.
    pub compile: Option<(String, String)>,
    pub extras: Extras,
}
