use crate::matrix::Cell;

/// `--shard K/N`: this machine runs the K-th of N deterministic parts of the matrix.
/// Cells are split by row (all scenarios of a row stay together, so an image is built on
/// one machine only), rows dealt round-robin in matrix order.
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

    pub fn select(&self, cells: Vec<Cell>) -> Vec<Cell> {
        let mut rows: Vec<&str> = Vec::new();
        for c in &cells {
            if !rows.contains(&c.name.as_str()) {
                rows.push(&c.name);
            }
        }
        let mine: Vec<String> = rows
            .iter()
            .enumerate()
            .filter(|(i, _)| (*i as u32) % self.count == self.index - 1)
            .map(|(_, r)| r.to_string())
            .collect();
        cells.into_iter().filter(|c| mine.contains(&c.name)).collect()
    }
}

/// One measurement to make: a cell and a repetition.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub cell: Cell,
    pub repetition: u32,
    /// Position of the cell's row and scenario in the whole matrix (for reports).
    pub row_index: u32,
    pub scenario_index: u32,
}

/// The jobs for `cells` (the whole expanded matrix, in order), minus those `done` says are
/// stored already. N/A cells get one job (recorded, not measured). Returns the jobs and how
/// many were skipped.
pub fn jobs(
    all: &[Cell],
    selected: &[Cell],
    done: impl Fn(&str, u32) -> bool,
) -> (Vec<Job>, usize) {
    let mut rows: Vec<&str> = Vec::new();
    let mut scenarios: Vec<&str> = Vec::new();
    for c in all {
        if !rows.contains(&c.name.as_str()) {
            rows.push(&c.name);
        }
        if !scenarios.contains(&c.scenario.as_str()) {
            scenarios.push(&c.scenario);
        }
    }
    let mut jobs = Vec::new();
    let mut skipped = 0;
    for cell in selected {
        let repeat = if cell.na.is_some() { 1 } else { cell.load.repeat.max(1) };
        for repetition in 1..=repeat {
            if done(&cell.hash, repetition) {
                skipped += 1;
                continue;
            }
            jobs.push(Job {
                cell: cell.clone(),
                repetition,
                row_index: rows.iter().position(|r| *r == cell.name).unwrap_or(0) as u32,
                scenario_index: scenarios.iter().position(|s| *s == cell.scenario).unwrap_or(0)
                    as u32,
            });
        }
    }
    (jobs, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Sources;
    use crate::matrix::{FixedInputs, expand};

    fn cells() -> Vec<Cell> {
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
    fn shards_split_rows_round_robin_and_cover_everything_once() {
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
        assert_eq!(parts[0], ["a-s/hello", "a-s/io", "c-s/hello", "c-s/io"]);
        assert_eq!(parts[1], ["b-s/hello", "b-s/io"]);
        assert_eq!(Shard::parse("1/1").unwrap().select(all.clone()).len(), all.len());
    }

    #[test]
    fn bad_shards_are_refused() {
        for bad in ["0/2", "3/2", "1/0", "x/2", "2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn jobs_skip_stored_results_and_repeat() {
        let mut all = cells();
        all[0].load.repeat = 2;
        let stored = all[1].hash.clone();
        let (jobs, skipped) = jobs(&all, &all, |h, r| h == stored && r == 1);
        assert_eq!(skipped, 1);
        assert_eq!(jobs.len(), all.len() + 1 - 1);
        assert_eq!((jobs[0].repetition, jobs[1].repetition), (1, 2));
        assert_eq!(
            (jobs[2].cell.id.as_str(), jobs[2].row_index, jobs[2].scenario_index),
            ("b-s/hello", 1, 0)
        );
    }
}
