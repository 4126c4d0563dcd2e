use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use super::ExportError;
use crate::matrix::Cell;
use crate::run::ShardPlan;

/// Allowance for building one image from scratch (pip installs, Nuitka compiles).
const BUILD_ALLOWANCE: Duration = Duration::from_secs(6 * 60);
/// Added to twice the longest shard's budget for the CI time limit: set-up and uploads.
const LIMIT_MARGIN: Duration = Duration::from_secs(30 * 60);

/// What each of N shards may take: `run::ShardPlan`'s split and estimates (the rule
/// `bench run --shard K/N` applies, so the export and the run agree), plus the images each
/// shard builds, as budgets for the engines' time limits.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardBudgets {
    pub shards: Vec<ShardBudget>,
}

/// One shard's share: its cells, executions, images to build and a time budget.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardBudget {
    /// 1-based, as `--shard K/N` takes it.
    pub index: u32,
    pub cells: usize,
    /// Executions to measure (N/A cells have none).
    pub executions: u64,
    /// Distinct images the shard builds.
    pub images: usize,
    /// The plan's estimate of its executions plus every image built from scratch.
    pub budget: Duration,
}

impl ShardBudgets {
    /// The budgets of `cells` (the selection) over `count` shards; an error when a shard would
    /// get nothing, since a job that measures nothing is a mistake in the export.
    pub fn new(cells: &[Cell], count: u32) -> Result<ShardBudgets, ExportError> {
        if count == 0 {
            return Err(ExportError::Option("--shards takes a count of 1 or more".into()));
        }
        let plan = ShardPlan::new(cells, count, &[]);
        let by_id: HashMap<&str, &Cell> = cells.iter().map(|c| (c.id.as_str(), c)).collect();
        let shards: Vec<ShardBudget> = plan
            .shards
            .iter()
            .map(|shard| {
                let measured: Vec<&Cell> = shard
                    .groups
                    .iter()
                    .flat_map(|g| &g.cells)
                    .filter_map(|id| by_id.get(id.as_str()).copied())
                    .filter(|c| c.na.is_none())
                    .collect();
                let images: BTreeSet<&str> =
                    measured.iter().map(|c| c.image_hash.as_str()).collect();
                ShardBudget {
                    index: shard.shard,
                    cells: shard.cells,
                    executions: measured.iter().map(|c| u64::from(c.load.repeat.max(1))).sum(),
                    images: images.len(),
                    budget: Duration::from_secs(shard.estimate_seconds)
                        + BUILD_ALLOWANCE * images.len() as u32,
                }
            })
            .collect();
        let empty: Vec<String> =
            shards.iter().filter(|s| s.cells == 0).map(|s| s.index.to_string()).collect();
        if !empty.is_empty() {
            let groups: BTreeSet<&str> = cells.iter().map(|c| c.group.as_str()).collect();
            return Err(ExportError::EmptyShard {
                shards: count,
                groups: groups.len(),
                empty: empty.join(", "),
            });
        }
        Ok(ShardBudgets { shards })
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{BUILD_ALLOWANCE, ShardBudgets};
    use crate::config::Sources;
    use crate::export::ExportError;
    use crate::matrix::{FixedInputs, expand};
    use crate::run::ShardPlan;

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
        let cells = cells();
        let budgets = ShardBudgets::new(&cells, 2).unwrap();
        let plan = ShardPlan::new(&cells, 2, &[]);
        // Split by comparison group (the scenario): hello's three rows on one shard, io's on
        // the other, where a-u is N/A: no executions and no image to build.
        let first = &budgets.shards[0];
        assert_eq!((first.index, first.cells, first.executions, first.images), (1, 3, 6, 3));
        let second = &budgets.shards[1];
        assert_eq!((second.index, second.cells, second.executions, second.images), (2, 3, 4, 2));
        for (budget, planned) in budgets.shards.iter().zip(&plan.shards) {
            let estimate = Duration::from_secs(planned.estimate_seconds);
            assert!(planned.estimate_seconds > 0);
            assert_eq!(budget.budget, estimate + BUILD_ALLOWANCE * budget.images as u32);
        }
        assert_eq!(budgets.limit_minutes(), (first.budget * 2).as_secs().div_ceil(60) + 30);
    }

    #[test]
    fn a_shard_with_nothing_to_do_is_refused() {
        let err = ShardBudgets::new(&cells(), 3).unwrap_err();
        assert!(
            matches!(&err, ExportError::EmptyShard { shards: 3, groups: 2, empty } if empty == "3"),
            "{err}"
        );
        assert!(ShardBudgets::new(&cells(), 0).is_err());
    }
}
