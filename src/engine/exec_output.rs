/// How a command run inside a container (`Engine::exec`) ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecOutput {
    /// Its exit code; `None` when the engine could not say.
    pub exit_code: Option<i64>,
    /// Its stdout and stderr, interleaved as they came.
    pub output: String,
}

impl ExecOutput {
    pub fn succeeded(&self) -> bool {
        self.exit_code == Some(0)
    }
}
