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
}
