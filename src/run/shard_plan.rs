use std::collections::HashMap;

use serde::Serialize;

use super::eta::Eta;
use super::run_plan::RunPlan;
use crate::matrix::Cell;
use crate::store::{CellResult, ResultIndex};

/// How `--shard K/N` splits the selected cells over N machines: by comparison group
/// (`Cell::group`), never inside one, so every table is measured on one machine. Groups are
/// dealt longest first, each to the shard with the least time so far (longest-processing-time
/// greedy; ties to the lower shard).
///
/// The split is decided from the matrix alone (each execution's warm-up and duration plus
/// `ASSUMED_OVERHEAD`), never from stored timings: every machine of a sharded run computes it
/// from its own, usually empty, results directory, and must agree on it. Stored timings only
/// refine the estimates shown (`Eta`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShardPlan {
    pub shards: Vec<PlannedShard>,
    /// Stored executions whose timings the estimates learned from.
    pub timed_executions: usize,
}

/// One shard: its groups in matrix order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlannedShard {
    /// 1-based, as `--shard K/N` names it.
    pub shard: u32,
    pub groups: Vec<PlannedGroup>,
    pub cells: usize,
    pub executions: usize,
    /// Estimated time of its executions (image builds not included), seconds.
    pub estimate_seconds: u64,
}

/// One comparison group: its cells (ids, matrix order) and executions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlannedGroup {
    pub name: String,
    pub cells: Vec<String>,
    pub executions: usize,
    pub estimate_seconds: u64,
}

impl ShardPlan {
    /// The plan of `cells` over `count` shards; `history` (stored results) refines the
    /// estimates shown, not the split.
    pub fn new(cells: &[Cell], count: u32, history: &[CellResult]) -> ShardPlan {
        let shown = estimates(cells, history);
        let split = estimates(cells, &[]);
        // Each group with its time for the split and its time shown, in milliseconds.
        let mut groups: Vec<(PlannedGroup, f64, f64)> = Vec::new();
        for cell in cells {
            let at = match groups.iter().position(|(g, _, _)| g.name == cell.group) {
                Some(at) => at,
                None => {
                    let group = PlannedGroup {
                        name: cell.group.clone(),
                        cells: Vec::new(),
                        executions: 0,
                        estimate_seconds: 0,
                    };
                    groups.push((group, 0.0, 0.0));
                    groups.len() - 1
                }
            };
            let (group, split_ms, shown_ms) = &mut groups[at];
            let (executions, ms) = shown.get(&cell.id).copied().unwrap_or_default();
            group.cells.push(cell.id.clone());
            group.executions += executions;
            *shown_ms += ms;
            *split_ms += split.get(&cell.id).map_or(0.0, |(_, ms)| *ms);
        }
        for (group, _, shown_ms) in &mut groups {
            group.estimate_seconds = (*shown_ms / 1000.0).ceil() as u64;
        }
        let count = count.max(1) as usize;
        let mut order: Vec<usize> = (0..groups.len()).collect();
        // Longest first; a stable sort keeps matrix order among equals.
        order.sort_by(|&a, &b| groups[b].1.total_cmp(&groups[a].1));
        let mut load = vec![0.0f64; count];
        let mut shard_of = vec![0; groups.len()];
        for g in order {
            let least = (0..count).min_by(|&a, &b| load[a].total_cmp(&load[b])).unwrap_or(0);
            load[least] += groups[g].1;
            shard_of[g] = least;
        }
        let mut shards: Vec<PlannedShard> = (0..count)
            .map(|i| PlannedShard {
                shard: i as u32 + 1,
                groups: Vec::new(),
                cells: 0,
                executions: 0,
                estimate_seconds: 0,
            })
            .collect();
        for ((group, _, _), shard) in groups.into_iter().zip(shard_of) {
            let s = &mut shards[shard];
            s.cells += group.cells.len();
            s.executions += group.executions;
            s.estimate_seconds += group.estimate_seconds;
            s.groups.push(group);
        }
        let timed_executions =
            history.iter().filter(|r| !r.provenance.phases_ms.is_empty()).count();
        ShardPlan { shards, timed_executions }
    }

    /// The ids of the cells of shard `index` (1-based).
    pub fn cells_of(&self, index: u32) -> impl Iterator<Item = &str> {
        self.shards
            .iter()
            .filter(move |s| s.shard == index)
            .flat_map(|s| &s.groups)
            .flat_map(|g| &g.cells)
            .map(String::as_str)
    }
}

/// Per cell id: its planned executions and their estimated time in milliseconds (`Eta`,
/// having learned from `history`).
fn estimates(cells: &[Cell], history: &[CellResult]) -> HashMap<String, (usize, f64)> {
    let jobs = RunPlan::new(cells, cells, &ResultIndex::default(), 0, None).first_round();
    let mut eta = Eta::default();
    eta.learn(history);
    eta.schedule(&jobs);
    let mut out: HashMap<String, (usize, f64)> = HashMap::new();
    for planned in &jobs {
        let job = &planned.job;
        let ms = eta.estimate_of(&job.cell.id, job.repetition).unwrap_or_default();
        let entry = out.entry(job.cell.id.clone()).or_default();
        entry.0 += 1;
        entry.1 += ms.as_millis() as f64;
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::config::Sources;
    use crate::matrix::{FixedInputs, expand};
    use crate::run::provenance::blank_result;
    use crate::run::{ASSUMED_OVERHEAD, HostFacts, Job, RunOptions};

    /// One row in four scenarios of 60, 30, 30 and 20 s, `c` and `d` in one group when
    /// `grouped`.
    fn cells(grouped: bool) -> Vec<Cell> {
        let group = if grouped { r#"group "cd";"# } else { "" };
        let text = format!(
            r#"
            runtime cpython label="" {{ python "python3"; }}
            server s {{ command "s {{app}}"; interface wsgi; }}
            framework f {{ interface wsgi "f:app"; }}
            scenario a {{ path "/a"; duration "60s"; }}
            scenario b {{ path "/b"; duration "30s"; }}
            scenario c {{ path "/c"; duration "30s"; {group} }}
            scenario d {{ path "/d"; duration "20s"; {group} }}
            matrix {{ axes {{ framework f; server s; }} }}
        "#
        );
        let model = crate::model::analyze(&Sources::from_text("m.kdl", &text).unwrap()).unwrap();
        expand(&model, &FixedInputs("x".into()))
    }

    fn groups(plan: &ShardPlan) -> Vec<Vec<&str>> {
        plan.shards.iter().map(|s| s.groups.iter().map(|g| g.name.as_str()).collect()).collect()
    }

    #[test]
    fn the_longest_group_goes_to_the_least_loaded_shard() {
        let plan = ShardPlan::new(&cells(false), 2, &[]);
        // a (60 s) to 1; b (30 s) to 2; c (30 s) to 2; d (20 s) to 1 (tied at 60 s + overhead).
        assert_eq!(groups(&plan), [vec!["a", "d"], vec!["b", "c"]]);
        let overhead = ASSUMED_OVERHEAD.as_secs_f64();
        let group = |settings: f64| (settings + overhead).ceil() as u64;
        let seconds: Vec<u64> = plan.shards.iter().map(|s| s.estimate_seconds).collect();
        assert_eq!(seconds, [group(60.0) + group(20.0), group(30.0) + group(30.0)]);
        assert_eq!(plan.shards[0].executions, 2);
    }

    #[test]
    fn a_group_setting_keeps_its_cells_on_one_shard() {
        let plan = ShardPlan::new(&cells(true), 2, &[]);
        assert_eq!(groups(&plan), [vec!["a"], vec!["b", "cd"]]);
        let ids: Vec<&str> = plan.cells_of(2).collect();
        assert_eq!(ids, ["f-s/b", "f-s/c", "f-s/d"]);
    }

    #[test]
    fn stored_timings_change_the_estimates_shown_but_not_the_split() {
        let cells = cells(false);
        let job = Job { cell: cells[1].clone(), repetition: 1, row_index: 0, scenario_index: 1 };
        let options = RunOptions::new(".".into(), "m.kdl".into(), std::path::Path::new("r"));
        let mut slow = blank_result(&job, &options, &HostFacts::default(), None, SystemTime::now());
        slow.outcome = crate::store::Outcome::Ok;
        // b's execution took 100 s more than its settings: the overhead learned.
        slow.provenance.phases_ms.insert("measure".into(), 30_000);
        slow.provenance.phases_ms.insert("start".into(), 100_000);
        let plan = ShardPlan::new(&cells, 2, &[slow]);
        assert_eq!(groups(&plan), [vec!["a", "d"], vec!["b", "c"]]);
        assert_eq!(plan.timed_executions, 1);
        let b = &plan.shards[1].groups[0];
        assert_eq!((b.name.as_str(), b.estimate_seconds), ("b", 130));
    }

    /// A stored execution of `cell` whose warm-up took `warmup_ms`, after a wait of
    /// `waited_ms` for a quiet host; its other phases are its duration and 1 s to start.
    fn timed(cell: &Cell, warmup_ms: u64, waited_ms: u64) -> CellResult {
        let job = Job { cell: cell.clone(), repetition: 1, row_index: 0, scenario_index: 0 };
        let options = RunOptions::new(".".into(), "m.kdl".into(), std::path::Path::new("r"));
        let mut result =
            blank_result(&job, &options, &HostFacts::default(), None, SystemTime::now());
        result.outcome = crate::store::Outcome::Ok;
        let phases = &mut result.provenance.phases_ms;
        phases.extend(
            [("warmup", warmup_ms), ("measure", cell.load.duration_ms), ("start", 1_000)]
                .map(|(phase, ms)| (phase.to_string(), ms)),
        );
        let host_wait =
            crate::store::HostWait { waited_ms, busy_cores: 0.0, steal_cores: 0.0, quiet: true };
        result.calibration = Some(crate::store::Calibration {
            mops_per_second: 1.0,
            wall_ms: 0.0,
            cpu_share: 1.0,
            cpus: Vec::new(),
            host_wait: Some(host_wait),
        });
        result
    }

    #[test]
    fn a_scenario_teaches_its_warm_up_and_the_quiet_wait_counts() {
        // Rows a, b and c in scenarios hello and io.
        let cells = crate::run::plan::tests::cells();
        let find = |id: &str| cells.iter().find(|c| c.id == id).unwrap();
        // a's watched warm-up ended at 2 s in hello; in io it ran to 25 s (requests
        // draining), and the run waited 3 s for a quiet host first.
        let history = [timed(find("a-s/hello"), 2_000, 0), timed(find("a-s/io"), 25_000, 3_000)];
        let plan = ShardPlan::new(&cells, 1, &history);
        let group = |name: &str| plan.shards[0].groups.iter().find(|g| g.name == name).unwrap();
        let seconds = cells[0].load.duration_ms / 1000;
        // Per execution, for a as measured and for b and c, never measured, from their
        // scenario: hello 2 s + duration + 1 s; io 25 s + duration + 1 s + 3 s.
        let (hello, io) = (group("hello"), group("io"));
        assert_eq!(hello.estimate_seconds, hello.executions as u64 * (2 + seconds + 1));
        assert_eq!(io.estimate_seconds, io.executions as u64 * (25 + seconds + 1 + 3));
        assert_eq!(hello.cells.len(), 3);
    }
}
