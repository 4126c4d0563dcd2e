use crate::store::{CellResult, Outcome};

/// Why a cell stopped short of a good measurement: `Failed` (the server or the tooling let it
/// down) or `Invalid` (the server answered wrong), with the server's last log lines.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Failure {
    pub outcome: Outcome,
    pub reason: String,
    pub log_tail: Vec<String>,
}

impl Failure {
    pub fn failed(reason: String, log_tail: Vec<String>) -> Failure {
        Failure { outcome: Outcome::Failed, reason, log_tail }
    }

    pub fn invalid(reason: String, log_tail: Vec<String>) -> Failure {
        Failure { outcome: Outcome::Invalid, reason, log_tail }
    }

    /// Marks `result` with this failure; whatever it measured stays.
    pub fn record(self, result: &mut CellResult) {
        result.outcome = self.outcome;
        result.reason = Some(self.reason);
        result.log_tail = self.log_tail;
    }
}
