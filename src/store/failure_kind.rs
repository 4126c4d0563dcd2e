use serde::{Deserialize, Serialize};

use super::Outcome;

/// Why a cell was not measured, as far as retrying it goes: a resumed run measures again the
/// kinds whose cause can pass (`is_transient`) and keeps the others unless asked
/// (`bench run --retry-failed`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// The engine could not be reached, stopped answering or failed on its side (HTTP 5xx),
    /// or a container or image it had was gone (HTTP 404: something else removed it).
    /// Transient.
    Engine,
    /// The engine refused because of another object (a container name in use, HTTP 409).
    /// Transient.
    Conflict,
    /// The run was stopped by a signal. Transient.
    Signal,
    /// The load generator failed (not the server). Transient.
    Generator,
    /// The image did not build from the same inputs. Deterministic.
    Build,
    /// The server answered, but wrong. Deterministic.
    Invalid,
    /// The server did not start (the engine refused to start its command), crashed, ran out
    /// of memory or stopped answering. Deterministic.
    Server,
    /// The engine refused to create the cell's container (HTTP 4xx at create), or bench could
    /// not make the request (a `cpuset` outside the engine's CPUs): the matrix or the machine
    /// must change.
    /// Deterministic.
    Request,
}

impl FailureKind {
    /// Whether the same cell can succeed when measured again with the same inputs.
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            FailureKind::Engine
                | FailureKind::Conflict
                | FailureKind::Signal
                | FailureKind::Generator
        )
    }

    /// The kind of a result stored before `failure_kind` existed, guessed from its outcome
    /// and reason; `None` for `ok` and N/A. `bench run` never guesses: each place that fails
    /// a cell says its kind (`run::failure`).
    pub fn classify(outcome: Outcome, reason: Option<&str>) -> Option<FailureKind> {
        let reason = reason.unwrap_or_default();
        let has = |text: &str| reason.contains(text);
        Some(match outcome {
            Outcome::Ok | Outcome::Na => return None,
            Outcome::Invalid => FailureKind::Invalid,
            Outcome::Failed if has("cannot reach the Docker engine") => FailureKind::Engine,
            Outcome::Failed if has("(HTTP 409)") => FailureKind::Conflict,
            Outcome::Failed if has("interrupted") => FailureKind::Signal,
            Outcome::Failed if has("load generator:") || has(" load failed: ") => {
                FailureKind::Generator
            }
            Outcome::Failed if has("building image") || has("build context:") => FailureKind::Build,
            // Earlier bench stored every other engine answer as a server failure; a daemon's
            // own error (5xx) may pass, so it is measured again.
            Outcome::Failed if has("(HTTP 5") => FailureKind::Engine,
            Outcome::Failed => FailureKind::Server,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_classify_into_kinds() {
        let kind = |outcome, reason: &str| FailureKind::classify(outcome, Some(reason));
        let conflict = "the server container did not start: docker: create container x failed: \
                        Conflict. The container name \"/x\" is already in use (HTTP 409)";
        assert_eq!(kind(Outcome::Failed, conflict), Some(FailureKind::Conflict));
        let gone = "cannot look up image t: cannot reach the Docker engine: inspect image t (io)";
        assert_eq!(kind(Outcome::Failed, gone), Some(FailureKind::Engine));
        let generator = "load generator: cannot open connections";
        assert_eq!(kind(Outcome::Failed, generator), Some(FailureKind::Generator));
        let build = "building image bench-x failed: exit 1 (full log: l)";
        assert_eq!(kind(Outcome::Failed, build), Some(FailureKind::Build));
        let crash = "the server exited during the measurement (exit code 1)";
        assert_eq!(kind(Outcome::Failed, crash), Some(FailureKind::Server));
        let daemon = "the server container did not start: docker: start container x failed: \
                      containerd: context deadline exceeded (HTTP 500)";
        assert_eq!(kind(Outcome::Failed, daemon), Some(FailureKind::Engine));
        assert_eq!(kind(Outcome::Invalid, "GET /: status 500"), Some(FailureKind::Invalid));
        assert_eq!(kind(Outcome::Ok, ""), None);
        assert_eq!(kind(Outcome::Na, "not for pypy"), None);
        let transient: Vec<bool> = [conflict, gone, generator, build, crash, daemon]
            .iter()
            .map(|r| kind(Outcome::Failed, r).unwrap().is_transient())
            .collect();
        assert_eq!(transient, [true, true, true, false, false, true]);
        assert!(!FailureKind::Request.is_transient());
        assert_eq!(serde_json::to_value(FailureKind::Request).unwrap(), "request");
    }
}
