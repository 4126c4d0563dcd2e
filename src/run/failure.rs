use crate::engine::EngineError;
use crate::store::{CellResult, FailureKind, Outcome};

/// Why a cell stopped short of a good measurement: `Failed` (the server or the tooling let it
/// down) or `Invalid` (the server answered wrong), of the `FailureKind` its source knows, with
/// the server's last log lines. Each constructor is one kind, so a resumed run never has to
/// guess from the message (`FailureKind::classify` is only for results stored without one).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Failure {
    pub outcome: Outcome,
    pub kind: FailureKind,
    pub reason: String,
    pub log_tail: Vec<String>,
}

impl Failure {
    fn new(outcome: Outcome, kind: FailureKind, reason: String) -> Failure {
        Failure { outcome, kind, reason, log_tail: Vec::new() }
    }

    /// The server did not start, died, stopped answering or completed nothing.
    pub fn server(reason: String) -> Failure {
        Failure::new(Outcome::Failed, FailureKind::Server, reason)
    }

    /// The load generator failed while the server still ran.
    pub fn generator(reason: String) -> Failure {
        Failure::new(Outcome::Failed, FailureKind::Generator, reason)
    }

    /// The image cannot be made from these inputs.
    pub fn build(reason: String) -> Failure {
        Failure::new(Outcome::Failed, FailureKind::Build, reason)
    }

    /// The server answered, but wrong.
    pub fn invalid(reason: String) -> Failure {
        Failure::new(Outcome::Invalid, FailureKind::Invalid, reason)
    }

    /// The engine cannot be asked for what the cell needs (a cpuset outside its CPUs).
    pub fn request(reason: String) -> Failure {
        Failure::new(Outcome::Failed, FailureKind::Request, reason)
    }

    /// An engine call failed while `doing` something: the kind follows the error (the engine
    /// gone or failing on its side, a container removed under the run, a name conflict, a
    /// request it refused at create, a command that could not run at start, a build, a
    /// container that exited or never listened), with the log lines the error carries. The
    /// errors whose cause is not in the message itself say what to check.
    pub fn engine(doing: &str, error: &EngineError) -> Failure {
        let kind = match error {
            EngineError::Unreachable { .. }
            | EngineError::UnsupportedHost { .. }
            | EngineError::Daemon { .. }
            | EngineError::Gone { .. } => FailureKind::Engine,
            EngineError::Rejected { .. } => FailureKind::Request,
            EngineError::Conflict { .. } => FailureKind::Conflict,
            EngineError::Interrupted { .. } => FailureKind::Signal,
            EngineError::BuildFailed { .. }
            | EngineError::BuildContext { .. }
            | EngineError::BuildLog { .. }
            | EngineError::BaseImageMissing { .. }
            | EngineError::BaseImageScript { .. } => FailureKind::Build,
            EngineError::Api { .. }
            | EngineError::NotRunnable { .. }
            | EngineError::ContainerExited { .. }
            | EngineError::NotReady { .. }
            | EngineError::FileNotFound { .. } => FailureKind::Server,
        };
        let reason = match (error, error.help()) {
            (
                EngineError::Rejected { .. }
                | EngineError::NotRunnable { .. }
                | EngineError::Gone { .. },
                Some(help),
            ) => format!("{doing}: {error}; {help}"),
            _ => format!("{doing}: {error}"),
        };
        Failure::new(Outcome::Failed, kind, reason).with_log(error.log_tail().to_vec())
    }

    /// This failure with the server's last log lines.
    pub fn with_log(self, log_tail: Vec<String>) -> Failure {
        Failure { log_tail, ..self }
    }

    /// Marks `result` with this failure; whatever it measured stays.
    pub fn record(self, result: &mut CellResult) {
        result.outcome = self.outcome;
        result.failure_kind = Some(self.kind);
        result.reason = Some(self.reason);
        result.log_tail = self.log_tail;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(action: &str, detail: &str) -> EngineError {
        EngineError::Api { action: action.into(), detail: detail.into() }
    }

    #[test]
    fn engine_errors_give_their_kind_and_log() {
        let kind = |e: &EngineError| Failure::engine("doing", e).kind;
        let gone = EngineError::Unreachable { detail: "inspect (io)".into() };
        assert_eq!(kind(&gone), FailureKind::Engine);
        let conflict =
            EngineError::Conflict { action: "create".into(), detail: "x (HTTP 409)".into() };
        assert_eq!(kind(&conflict), FailureKind::Conflict);
        let exited = EngineError::ContainerExited {
            container: "c".into(),
            exit_code: 3,
            oom_killed: false,
            log_tail: vec!["Traceback".into()],
        };
        let failure = Failure::engine("the server never became ready", &exited);
        assert_eq!(failure.kind, FailureKind::Server);
        assert_eq!(failure.log_tail, ["Traceback"]);
        assert!(failure.reason.starts_with("the server never became ready: container c exited"));
        assert_eq!(kind(&api("read the stats of container c", "no sample")), FailureKind::Server);
        let refused = EngineError::Rejected {
            action: "create container c".into(),
            detail: "Requested CPUs are not available (HTTP 400)".into(),
            status: 400,
        };
        let failure = Failure::engine("the server container did not start", &refused);
        assert_eq!(failure.kind, FailureKind::Request);
        assert!(failure.reason.contains("(HTTP 400); the engine refused"), "{}", failure.reason);
        assert!(!failure.kind.is_transient());
        let not_runnable = EngineError::NotRunnable {
            action: "start container c".into(),
            detail: "exec: \"/no/such/binary\": no such file or directory (HTTP 400)".into(),
            status: 400,
        };
        let failure = Failure::engine("the server container did not start", &not_runnable);
        assert_eq!(failure.kind, FailureKind::Server);
        assert!(failure.reason.contains("check that the server's command exists"));
        assert!(!failure.reason.contains("cpuset"), "{}", failure.reason);
        let gone = EngineError::Gone {
            action: "inspect container c".into(),
            detail: "No such container: c (HTTP 404)".into(),
        };
        let failure = Failure::engine("the server's state is unknown", &gone);
        assert_eq!(failure.kind, FailureKind::Engine);
        assert!(failure.kind.is_transient(), "a resumed run measures it again");
        assert!(failure.reason.contains("something removed it"), "{}", failure.reason);
        let daemon = EngineError::Daemon {
            action: "start container c".into(),
            detail: "containerd: deadline exceeded (HTTP 500)".into(),
            status: 500,
        };
        assert_eq!(kind(&daemon), FailureKind::Engine);
        assert!(kind(&daemon).is_transient(), "a resumed run measures it again");
        let build = EngineError::BuildFailed {
            tag: "t".into(),
            message: "exit 1".into(),
            log_path: "l".into(),
            log_tail: Vec::new(),
        };
        assert_eq!(kind(&build), FailureKind::Build);
        let signal = EngineError::Interrupted { removed: 1, failed: Vec::new() };
        assert_eq!(kind(&signal), FailureKind::Signal);
    }
}
