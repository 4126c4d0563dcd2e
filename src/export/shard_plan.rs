use std::collections::BTreeSet;
use std::time::Duration;

use super::ExportError;
use crate::matrix::Cell;
use crate::run::Shard;

/// Allowance for starting a container, waiting for it to answer and verifying it, each
/// execution: a budget for the job time limit, not a measurement.
const START_ALLOWANCE: Duration = Duration::from_secs(20);
/// Allowance for building one image from scratch (pip installs, Nuitka compiles).
const BUILD_ALLOWANCE: Duration = Duration::from_secs(6 * 60);
/// Added to twice the longest shard's estimate for the CI time limit: set-up and uploads.
const LIMIT_MARGIN: Duration = Duration::from_secs(30 * 60);

/// What each of N shards measures, split by the rule `bench run --shard K/N` applies.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardPlan {
    pub shards: Vec<ShardLoad>,
}

/// One shard's share: its cells, executions, images to build and a time budget.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardLoad {
    /// 1-based, as `--shard K/N` takes it.
    pub index: u32,
    pub cells: usize,
    /// Executions to measure (N/A cells have none).
    pub executions: u64,
    /// Distinct images the shard builds.
    pub images: usize,
    /// Upper budget: every image built from scratch, every execution's primer, warm-up,
    /// measurement and start-up allowance.
    pub budget: Duration,
}

impl ShardPlan {
    /// The plan of `cells` (the selection) over `count` shards; an error when a shard would
    /// get nothing, since a job that measures nothing is a mistake in the export.
    pub fn new(cells: &[Cell], count: u32) -> Result<ShardPlan, ExportError> {
        if count == 0 {
            return Err(ExportError::Option("--shards takes a count of 1 or more".into()));
        }
        let shards: Vec<ShardLoad> = (1..=count)
            .map(|index| ShardLoad::of(index, &Shard { index, count }.select(cells.to_vec())))
            .collect();
        let empty: Vec<String> =
            shards.iter().filter(|s| s.cells == 0).map(|s| s.index.to_string()).collect();
        if !empty.is_empty() {
            let rows: BTreeSet<&str> = cells.iter().map(|c| c.name.as_str()).collect();
            return Err(ExportError::EmptyShard {
                shards: count,
                rows: rows.len(),
                empty: empty.join(", "),
            });
        }
        Ok(ShardPlan { shards })
    }

    pub fn count(&self) -> u32 {
        self.shards.len() as u32
    }

    /// A time limit for one shard's job: twice the longest budget plus a margin for set-up,
    /// in whole minutes, so a hung run ends but a slow machine does not.
    pub fn limit_minutes(&self) -> u64 {
        let longest = self.shards.iter().map(|s| s.budget).max().unwrap_or_default();
        (longest * 2 + LIMIT_MARGIN).as_secs().div_ceil(60)
    }
}

impl ShardLoad {
    fn of(index: u32, cells: &[Cell]) -> ShardLoad {
        let measured: Vec<&Cell> = cells.iter().filter(|c| c.na.is_none()).collect();
        let executions: u64 = measured.iter().map(|c| u64::from(c.load.repeat.max(1))).sum();
        let images: BTreeSet<&str> = measured.iter().map(|c| c.image_hash.as_str()).collect();
        let measuring: Duration = measured
            .iter()
            .map(|c| {
                let one = Duration::from_millis(c.knobs.primer_ms + c.load.warmup_ms)
                    + Duration::from_millis(c.load.duration_ms)
                    + START_ALLOWANCE;
                one * c.load.repeat.max(1)
            })
            .sum();
        ShardLoad {
            index,
            cells: cells.len(),
            executions,
            images: images.len(),
            budget: measuring + BUILD_ALLOWANCE * images.len() as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{BUILD_ALLOWANCE, START_ALLOWANCE, ShardPlan};
    use crate::config::Sources;
    use crate::export::ExportError;
    use crate::matrix::{FixedInputs, expand};

    /// Three rows in two scenarios, 3 s of primer + warm-up + measurement, 2 executions;
    /// row a-u is N/A in io.
    fn cells() -> Vec<crate::matrix::Cell> {
        let text = r#"
            runtime cpython label="" { python "python3"; }
            server s { command "s {app}"; interface wsgi; }
            server t { command "t {app}"; interface wsgi; }
            server u { command "u {app}"; interface wsgi; }
            framework a { interface wsgi "a:app"; }
            scenario hello { path "/hello"; }
            scenario io { path "/io"; }
            defaults { duration "1s"; warmup "1s"; primer-duration "1s"; repeat 2; }
            matrix {
                axes { framework a; server s t u; }
                override row=a-u scenario=io { na "not this one"; }
            }
        "#;
        let model = crate::model::analyze(&Sources::from_text("m.kdl", text).unwrap()).unwrap();
        expand(&model, &FixedInputs("x".into()))
    }

    #[test]
    fn each_shard_counts_its_cells_executions_images_and_budget() {
        let plan = ShardPlan::new(&cells(), 2).unwrap();
        let per_execution = Duration::from_secs(3) + START_ALLOWANCE;
        // Rows dealt round robin: a-s and a-u, then a-t; a-u's io cell is N/A and takes no time.
        let first = &plan.shards[0];
        assert_eq!((first.index, first.cells, first.executions, first.images), (1, 4, 6, 2));
        assert_eq!(first.budget, per_execution * 6 + BUILD_ALLOWANCE * 2);
        let second = &plan.shards[1];
        assert_eq!((second.cells, second.executions, second.images), (2, 4, 1));
        assert_eq!(second.budget, per_execution * 4 + BUILD_ALLOWANCE);
        assert_eq!(plan.limit_minutes(), (first.budget * 2).as_secs().div_ceil(60) + 30);
    }

    #[test]
    fn a_shard_with_nothing_to_do_is_refused() {
        let err = ShardPlan::new(&cells(), 4).unwrap_err();
        assert!(
            matches!(&err, ExportError::EmptyShard { shards: 4, rows: 3, empty } if empty == "4"),
            "{err}"
        );
        assert!(ShardPlan::new(&cells(), 0).is_err());
    }
}
