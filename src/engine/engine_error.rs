use std::path::PathBuf;
use std::time::Duration;

/// Every way an engine operation can fail. `Display` says what failed and where; `help()`
/// says what to do about it (the CLI prints it as `help:`).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The Docker engine cannot be reached (socket missing, daemon down, API refused).
    #[error("cannot reach the Docker engine: {detail}")]
    Unreachable { detail: String },
    /// `DOCKER_HOST` names a connection this build cannot make.
    #[error("DOCKER_HOST={host} is not supported: {reason}")]
    UnsupportedHost { host: String, reason: String },
    /// A Docker API call failed without an HTTP status to judge it by (the engine sent
    /// nothing, a request bench could not form); `action` says which one and on what.
    #[error("docker: {action} failed: {detail}")]
    Api { action: String, detail: String },
    /// The engine refused the request as made (HTTP 4xx other than 404 and 409): a value
    /// bench sent for the cell (a cpuset the engine does not have), so the same request
    /// fails again.
    #[error("docker refused to {action}: {detail}")]
    Rejected { action: String, detail: String, status: u16 },
    /// The container was made but its command could not be run (HTTP 4xx on start: the
    /// executable missing or not executable in the image): the server's fault, not the
    /// request's.
    #[error("docker could not {action}: {detail}")]
    NotRunnable { action: String, detail: String, status: u16 },
    /// The container or image a call names is not there (HTTP 404): removed meanwhile by
    /// someone else (`docker rm`, a prune), or the engine restarted without it.
    #[error("docker: {action} failed, it is gone: {detail}")]
    Gone { action: String, detail: String },
    /// The engine failed on its side (HTTP 5xx): the daemon's own trouble, which may pass.
    #[error("docker: {action} failed inside the engine: {detail}")]
    Daemon { action: String, detail: String, status: u16 },
    /// The engine refused a call because another object holds the name (HTTP 409): a
    /// container left by another run, or one being removed.
    #[error("docker: {action} failed: {detail}")]
    Conflict { action: String, detail: String },
    /// An image build failed: the daemon's message, and the end of the build log.
    #[error("building image {tag} failed: {message} (full log: {})", log_path.display())]
    BuildFailed { tag: String, message: String, log_path: PathBuf, log_tail: Vec<String> },
    /// The build context could not be laid out for the engine's builder.
    #[error("cannot pack the build context of image {tag}: {source}")]
    BuildContext { tag: String, source: std::io::Error },
    /// The build log file could not be written.
    #[error("cannot write the build log {}: {source}", path.display())]
    BuildLog { path: PathBuf, source: std::io::Error },
    /// The container stopped while it was expected to serve.
    #[error("container {container} exited with code {exit_code}{} before it was ready", if *oom_killed { " (killed: out of memory)" } else { "" })]
    ContainerExited { container: String, exit_code: i64, oom_killed: bool, log_tail: Vec<String> },
    /// Nothing accepted connections on the port within the timeout.
    #[error("container {container} did not accept connections on 127.0.0.1:{port} within {}", humantime::format_duration(*waited))]
    NotReady { container: String, port: u16, waited: Duration, log_tail: Vec<String> },
    /// `read_file` found no regular file at the path.
    #[error("container {container} has no file {path}")]
    FileNotFound { container: String, path: String },
    /// A base image is missing and cannot be made here.
    #[error("base image {name} is missing and no registry can be reached")]
    BaseImageMissing { name: String },
    /// The script that makes the base image failed.
    #[error("making base image {name} with {} failed: {detail}", script.display())]
    BaseImageScript { name: String, script: PathBuf, detail: String, output_tail: Vec<String> },
    /// The run was interrupted (Ctrl-C); `removed` containers were cleaned up.
    #[error("interrupted: removed {removed} container(s){}", if failed.is_empty() { String::new() } else { format!(", could not remove {}", failed.join(", ")) })]
    Interrupted { removed: usize, failed: Vec<String> },
}

impl EngineError {
    /// What the user can do about it, when there is something to say.
    pub fn help(&self) -> Option<String> {
        match self {
            EngineError::Unreachable { .. } => Some(
                "is dockerd running? start it with `dockerd &` or `systemctl start docker`, and check `docker info` \
                 (on `permission denied`: run as root or join the `docker` group)"
                    .to_string(),
            ),
            EngineError::UnsupportedHost { .. } => Some(
                "use unix:///var/run/docker.sock, tcp://HOST:2375 or http://HOST:2375 (for a \
                 TLS-protected engine, forward its socket, e.g. `ssh -L /tmp/docker.sock:/var/run/docker.sock HOST`, \
                 and set DOCKER_HOST=unix:///tmp/docker.sock)"
                    .to_string(),
            ),
            EngineError::BuildFailed { log_tail, .. } => {
                Some(format!("fix the Dockerfile or its inputs; last lines of the build log:\n{}", indent(log_tail)))
            }
            EngineError::BuildContext { .. } => {
                Some("the context's paths must be relative, without `..`".to_string())
            }
            EngineError::BuildLog { .. } => Some("check that the results directory is writable".to_string()),
            EngineError::ContainerExited { oom_killed: true, log_tail, .. } => Some(format!(
                "the process used more memory than the container limit; last log lines:\n{}",
                indent(log_tail)
            )),
            EngineError::ContainerExited { log_tail, .. } => {
                Some(format!("check the server command; last log lines:\n{}", indent(log_tail)))
            }
            EngineError::NotReady { port, log_tail, .. } => Some(format!(
                "the server must listen on 127.0.0.1:$PORT ({port}); last log lines:\n{}",
                indent(log_tail)
            )),
            EngineError::BaseImageMissing { name } if name.starts_with("debian:") => Some(format!(
                "make it with `scripts/make-base-image.sh {name}` (it pulls the image, or debootstraps the Debian suite the tag names), or import it yourself (`docker load` or `docker import`)"
            )),
            EngineError::BaseImageMissing { name } => Some(format!(
                "import {name} first (`docker load` or `docker import`); `scripts/make-base-image.sh` makes Debian ones (`debian:SUITE-slim`)"
            )),
            EngineError::BaseImageScript { output_tail, .. } => Some(format!(
                "the script pulls the image when a registry answers, else makes it with debootstrap, which needs root and a Debian mirror; its last output lines:\n{}",
                indent(output_tail)
            )),
            EngineError::Conflict { .. } => Some(
                "another container holds the name: `bench sweep` removes those of runs that are gone, then run again"
                    .to_string(),
            ),
            EngineError::Rejected { .. } => Some(
                "the engine refused what bench asked for this cell: check the value it names (the cell's \
                 `cpuset`, `cpus` or `memory`) against this engine; if the matrix is right, \
                 report it as a bench bug"
                    .to_string(),
            ),
            EngineError::NotRunnable { .. } => Some(
                "the container was made but its command could not run: check that the server's \
                 command exists in the image and is executable (`docker run --rm IMAGE` shows the \
                 same error)"
                    .to_string(),
            ),
            EngineError::Gone { .. } => Some(
                "something removed it while bench used it (`docker rm`, `docker system prune`, \
                 another tool, or the daemon restarted): keep other tools off bench's containers; \
                 the next `bench run` measures the cell again"
                    .to_string(),
            ),
            EngineError::Daemon { .. } => Some(
                "the Docker daemon failed on its side; the failure counts as transient, so the next \
                 `bench run` measures the cell again; if it repeats, read the daemon's log \
                 (`journalctl -u docker`)"
                    .to_string(),
            ),
            EngineError::Api { .. } | EngineError::FileNotFound { .. } | EngineError::Interrupted { .. } => None,
        }
    }

    /// Whether the same call may succeed if made again: the engine unreachable for a moment
    /// (a connection reset, a restarting daemon) or failing on its side (HTTP 5xx).
    pub fn is_transient(&self) -> bool {
        matches!(self, EngineError::Unreachable { .. } | EngineError::Daemon { .. })
    }

    /// The last log lines this error carries (build log or container log), if any.
    pub fn log_tail(&self) -> &[String] {
        match self {
            EngineError::BuildFailed { log_tail, .. }
            | EngineError::ContainerExited { log_tail, .. }
            | EngineError::NotReady { log_tail, .. } => log_tail,
            EngineError::BaseImageScript { output_tail, .. } => output_tail,
            _ => &[],
        }
    }

    /// This error as the answer to starting a container already made: a refusal there is
    /// the container's command failing to run (`NotRunnable`), not the request.
    pub(crate) fn at_start(self) -> Self {
        match self {
            EngineError::Rejected { action, detail, status } => {
                EngineError::NotRunnable { action, detail, status }
            }
            other => other,
        }
    }

    /// A failed API call, from a bollard error. Connection failures become `Unreachable`.
    pub(crate) fn api(action: impl Into<String>, error: bollard::errors::Error) -> Self {
        use bollard::errors::Error as B;
        match error {
            B::DockerResponseServerError { status_code: 409, message } => EngineError::Conflict {
                action: action.into(),
                detail: format!("{message} (HTTP 409)"),
            },
            B::DockerResponseServerError { status_code: 404, message } => {
                EngineError::Gone { action: action.into(), detail: format!("{message} (HTTP 404)") }
            }
            B::DockerResponseServerError { status_code, message } if status_code >= 500 => {
                EngineError::Daemon {
                    action: action.into(),
                    detail: format!("{message} (HTTP {status_code})"),
                    status: status_code,
                }
            }
            B::DockerResponseServerError { status_code, message } if status_code >= 400 => {
                EngineError::Rejected {
                    action: action.into(),
                    detail: format!("{message} (HTTP {status_code})"),
                    status: status_code,
                }
            }
            B::DockerResponseServerError { status_code, message } => EngineError::Api {
                action: action.into(),
                detail: format!("{message} (HTTP {status_code})"),
            },
            B::HyperLegacyError { .. }
            | B::SocketNotFoundError(_)
            | B::IOError { .. }
            | B::RequestTimeoutError => {
                EngineError::Unreachable { detail: format!("{} ({error})", action.into()) }
            }
            other => EngineError::Api { action: action.into(), detail: other.to_string() },
        }
    }
}

fn indent(lines: &[String]) -> String {
    if lines.is_empty() {
        return "    (no output)".to_string();
    }
    lines.iter().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::EngineError;
    use bollard::errors::Error as B;

    fn answered(status_code: u16) -> EngineError {
        let message = format!("status {status_code}");
        EngineError::api("start container c", B::DockerResponseServerError { status_code, message })
    }

    #[test]
    fn the_http_status_decides_whose_fault_and_whether_it_may_pass() {
        assert!(matches!(answered(500), EngineError::Daemon { status: 500, .. }));
        assert!(matches!(answered(503), EngineError::Daemon { status: 503, .. }));
        assert!(matches!(answered(400), EngineError::Rejected { status: 400, .. }));
        assert!(matches!(answered(404), EngineError::Gone { .. }));
        assert!(answered(404).help().unwrap().contains("something removed it"));
        assert!(matches!(answered(400).at_start(), EngineError::NotRunnable { status: 400, .. }));
        assert!(answered(400).at_start().help().unwrap().contains("server's command"));
        assert!(matches!(answered(404).at_start(), EngineError::Gone { .. }));
        assert!(matches!(answered(409), EngineError::Conflict { .. }));
        assert!(answered(500).is_transient());
        assert!(!answered(400).is_transient());
        assert!(!answered(409).is_transient());
        let reset = EngineError::api("inspect container c", B::RequestTimeoutError);
        assert!(matches!(reset, EngineError::Unreachable { .. }) && reset.is_transient());
        let refused = answered(400);
        assert_eq!(
            refused.to_string(),
            "docker refused to start container c: status 400 (HTTP 400)"
        );
        assert!(refused.help().unwrap().contains("`cpuset`"), "{:?}", refused.help());
        assert!(answered(502).help().unwrap().contains("next `bench run`"));
    }
}
