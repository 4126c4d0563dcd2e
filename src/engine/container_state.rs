/// What a container is doing, as the engine reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContainerState {
    pub running: bool,
    /// The exit code once the container has stopped; `None` while it runs.
    pub exit_code: Option<i64>,
    /// The kernel OOM killer killed a process of the container.
    pub oom_killed: bool,
    pub restart_count: i64,
}
