use std::collections::HashSet;

use super::shard_plan::ShardPlan;
use crate::matrix::Cell;

/// `--shard K/N`: this machine runs the K-th of N deterministic parts of the matrix: the
/// groups `ShardPlan` gives shard K (all cells of a comparison group on one machine, so
/// every report table compares cells of one machine; `bench plan` prints the split).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("--shard takes K/N with 1 <= K <= N (e.g. 1/4), not `{text}`");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) =
            (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// The cells of this shard, in their order.
    pub fn select(&self, cells: Vec<Cell>) -> Vec<Cell> {
        let plan = ShardPlan::new(&cells, self.count, &[]);
        let mine: HashSet<&str> = plan.cells_of(self.index).collect();
        let keep: Vec<bool> = cells.iter().map(|c| mine.contains(c.id.as_str())).collect();
        cells.into_iter().zip(keep).filter_map(|(c, k)| k.then_some(c)).collect()
    }
}

/// One measurement to make: a cell and its execution number.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub cell: Cell,
    pub repetition: u32,
    /// Position of the cell's row and scenario in the whole matrix (for reports).
    pub row_index: u32,
    pub scenario_index: u32,
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::config::Sources;
    use crate::matrix::{FixedInputs, expand};

    /// Three rows of one server, in two scenarios.
    pub(in crate::run) fn cells() -> Vec<Cell> {
        let text = r#"
            runtime cpython label="" { python "python3"; }
            server s { command "s {app}"; interface wsgi; }
            framework a { interface wsgi "a:app"; }
            framework b { interface wsgi "b:app"; }
            framework c { interface wsgi "c:app"; }
            scenario hello { path "/hello"; }
            scenario io { path "/io"; }
            matrix { axes { framework a b c; server s; } }
        "#;
        let model = crate::model::analyze(&Sources::from_text("m.kdl", text).unwrap()).unwrap();
        expand(&model, &FixedInputs("x".into()))
    }

    #[test]
    fn shards_keep_each_group_whole_and_cover_everything_once() {
        let all = cells();
        let parts: Vec<Vec<String>> = (1..=2)
            .map(|k| {
                Shard::parse(&format!("{k}/2"))
                    .unwrap()
                    .select(all.clone())
                    .iter()
                    .map(|c| c.id.clone())
                    .collect()
            })
            .collect();
        // Two groups of equal time (the scenarios): one a shard, the first to shard 1.
        assert_eq!(parts[0], ["a-s/hello", "b-s/hello", "c-s/hello"]);
        assert_eq!(parts[1], ["a-s/io", "b-s/io", "c-s/io"]);
        assert_eq!(Shard::parse("1/1").unwrap().select(all.clone()).len(), all.len());
        // More shards than groups: the others are empty, nothing is split.
        let third = Shard::parse("3/3").unwrap().select(all.clone());
        assert!(third.is_empty(), "{third:?}");
    }

    #[test]
    fn bad_shards_are_refused() {
        for bad in ["0/2", "3/2", "1/0", "x/2", "2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}
