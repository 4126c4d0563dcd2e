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
    /// A Docker API call failed; `action` says which one and on what.
    #[error("docker: {action} failed: {detail}")]
    Api { action: String, detail: String },
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
            EngineError::Api { .. } | EngineError::FileNotFound { .. } | EngineError::Interrupted { .. } => None,
        }
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

    /// A failed API call, from a bollard error. Connection failures become `Unreachable`.
    pub(crate) fn api(action: impl Into<String>, error: bollard::errors::Error) -> Self {
        use bollard::errors::Error as B;
        match error {
            B::DockerResponseServerError { status_code: 409, message } => EngineError::Conflict {
                action: action.into(),
                detail: format!("{message} (HTTP 409)"),
            },
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
