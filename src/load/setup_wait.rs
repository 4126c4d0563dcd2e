//! What the caller's wait for the connections' first attempts found (`run_watched`): the
//! setup failure that stops the run, or a warning when the wait ended at its bound.

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::LoadError;
use super::os::FilesLimit;
use super::worker::Setup;

/// The wait for the connections' first attempts, as it ended.
pub struct SetupWait {
    /// Whether every expected connection arrived before the bound.
    pub all_tried: bool,
    /// Connections of the threads that could be started.
    pub expected: u64,
    /// The bound, from the window's start: the run's duration plus one first connect.
    pub waited: Duration,
    pub files: Option<FilesLimit>,
    pub addr: String,
}

impl SetupWait {
    /// The failure that stops the run (a thread's own, none open); else a warning when the
    /// wait reached its bound with connections still untried. The threads make every
    /// connection arrive before the bound (none opens past the deadline, a first connect
    /// takes one connect limit at most), so such a thread is stuck, and nothing it has not
    /// done yet is taken for what the server did.
    pub fn outcome(&self, setup: &Setup, connections: u32) -> Result<Option<String>, LoadError> {
        if let Some(failure) =
            setup.failures.lock().unwrap_or_else(|p| p.into_inner()).drain(..).next()
        {
            return Err(failure);
        }
        let tried = setup.gate.arrived();
        let established = setup.established.load(Ordering::Relaxed);
        let connect_error = setup.connect_error.lock().unwrap_or_else(|p| p.into_inner()).take();
        if established > 0 {
            return Ok((!self.all_tried).then(|| {
                format!(
                    "only {tried} of the {} connections had tried to open {:.1} s into the run \
                     (its duration plus one connect): a generator thread was still setting up; \
                     the figures are for the connections that opened",
                    self.expected,
                    self.waited.as_secs_f64()
                )
            }));
        }
        // A refusal or a timeout tells more about the server than a want of files.
        if setup.out_of_files.load(Ordering::Relaxed) == u64::from(connections) {
            return Err(LoadError::OutOfFiles { connections, limit: self.files });
        }
        match connect_error {
            Some(source) => Err(LoadError::Connect { addr: self.addr.clone(), source }),
            None if !self.all_tried => Err(LoadError::SetupTimedOut {
                tried,
                expected: self.expected,
                waited: self.waited,
            }),
            None => Err(LoadError::Connect {
                addr: self.addr.clone(),
                source: std::io::Error::other("the run ended before any connection had opened"),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait(all_tried: bool) -> SetupWait {
        SetupWait {
            all_tried,
            expected: 4,
            waited: Duration::from_millis(2500),
            files: None,
            addr: "127.0.0.1:9".to_string(),
        }
    }

    #[test]
    fn a_wait_that_reached_its_bound_says_so() {
        let setup = Setup::default();
        setup.gate.arrive(1);
        // None open, none refused: the set-up did not end, which is not a server that
        // refuses nor a run that ended first.
        match wait(false).outcome(&setup, 4) {
            Err(err @ LoadError::SetupTimedOut { tried: 1, expected: 4, .. }) => {
                let message = err.to_string();
                assert!(message.contains("only 1 of the 4 connections"), "{message}");
                assert!(message.contains("2.5 s into the run"), "{message}");
            }
            other => panic!("expected a set-up timeout, got {other:?}"),
        }
        // Some open: the run goes on, with a warning.
        setup.established.store(1, Ordering::Relaxed);
        let warning = wait(false).outcome(&setup, 4).unwrap().expect("a warning");
        assert!(warning.contains("only 1 of the 4 connections had tried"), "{warning}");
        assert_eq!(wait(true).outcome(&setup, 4).unwrap(), None, "all tried: no warning");
    }

    #[test]
    fn a_wait_that_ended_in_time_with_none_open_is_a_connect_error() {
        let setup = Setup::default();
        setup.gate.arrive(4);
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        *setup.connect_error.lock().unwrap() = Some(refused);
        match wait(true).outcome(&setup, 4) {
            Err(LoadError::Connect { source, .. }) => {
                assert_eq!(source.kind(), std::io::ErrorKind::ConnectionRefused)
            }
            other => panic!("expected a connect error, got {other:?}"),
        }
        match wait(true).outcome(&setup, 4) {
            Err(LoadError::Connect { source, .. }) => {
                assert!(source.to_string().contains("the run ended before"), "{source}")
            }
            other => panic!("expected a connect error, got {other:?}"),
        }
        setup.out_of_files.store(4, Ordering::Relaxed);
        assert!(matches!(wait(true).outcome(&setup, 4), Err(LoadError::OutOfFiles { .. })));
    }
}
