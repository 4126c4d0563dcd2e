use std::collections::BTreeSet;

use crate::engine::{ContainerId, Engine};

/// Log lines a server's master writes when one of its workers died, each given by the
/// pieces the line contains: gunicorn's arbiter (killed by a signal, or a non-zero exit),
/// uWSGI's master, uvicorn's supervisor. Boot lines are not counted: a server with many
/// workers may still be booting some when the measurement starts.
const DEATH_LINES: &[&[&str]] = &[
    &["Worker (pid:", ") was sent "],
    &["Worker (pid:", ") exited with code"],
    &["DAMN ! worker", " died"],
    &["Child process [", "] died"],
];

/// Watches a server container for workers that die while it is measured, even when a
/// master replaces them and the container runs on: by its processes (a pid there when the
/// measurement starts and gone when it ends) and by its master's log lines after the start
/// (`DEATH_LINES`). The count is the larger of the two; either alone can miss deaths.
pub(super) struct WorkerWatch {
    pids: Option<BTreeSet<u32>>,
    log_lines: Option<usize>,
}

impl WorkerWatch {
    /// Notes the container's processes and how long its log is, as the measurement starts.
    pub async fn start<E: Engine>(engine: &E, id: &ContainerId) -> WorkerWatch {
        let pids = engine.processes(id).await.ok().map(BTreeSet::from_iter);
        let log_lines = engine.logs(id).await.ok().map(|log| log.lines().count());
        WorkerWatch { pids, log_lines }
    }

    /// The workers that died since `start`; `None` when neither processes nor log could be
    /// read both times.
    pub async fn deaths<E: Engine>(&self, engine: &E, id: &ContainerId) -> Option<u32> {
        let gone = match (&self.pids, engine.processes(id).await) {
            (Some(before), Ok(now)) => {
                let now: BTreeSet<u32> = now.into_iter().collect();
                Some(before.difference(&now).count() as u32)
            }
            _ => None,
        };
        let logged = match (self.log_lines, engine.logs(id).await) {
            (Some(skip), Ok(log)) => Some(deaths_logged(log.lines().skip(skip))),
            _ => None,
        };
        gone.max(logged)
    }
}

/// How many of `lines` say a worker died.
fn deaths_logged<'a>(lines: impl Iterator<Item = &'a str>) -> u32 {
    let died =
        |line: &str| DEATH_LINES.iter().any(|pieces| pieces.iter().all(|p| line.contains(p)));
    lines.filter(|line| died(line)).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_death_lines_of_gunicorn_uwsgi_and_uvicorn() {
        let log = "\
[2026-12-02 00:40:01 +0000] [7] [ERROR] Worker (pid:9) was sent SIGKILL! Perhaps out of memory?
[2026-12-02 00:40:01 +0000] [12] [INFO] Booting worker with pid: 12
[2026-12-02 00:40:02 +0000] [7] [ERROR] Worker (pid:12) exited with code 1
DAMN ! worker 1 (pid: 20) died, killed by signal 9 :( trying respawn ...
Respawned uWSGI worker 1 (new pid: 31)
INFO:     Child process [40] died
INFO:     Started server process [41]
GET /hello 200
Child process [50] started";
        assert_eq!(deaths_logged(log.lines()), 4);
        assert_eq!(deaths_logged("GET / 200\nBooting worker with pid: 3\n".lines()), 0);
    }
}
