use crate::model::Pattern;

use super::Cell;

/// `--only GLOB` (repeatable): a cell is kept when any pattern matches its row name, its
/// scenario, or its id (`flask-*`, `io`, `falcon/hello`). No pattern keeps everything.
pub struct Selection {
    patterns: Vec<Pattern>,
}

impl Selection {
    pub fn new(globs: &[String]) -> Result<Selection, String> {
        let patterns = globs
            .iter()
            .map(|g| Pattern::new(g).map_err(|e| format!("invalid --only pattern `{g}`: {e}")))
            .collect::<Result<_, _>>()?;
        Ok(Selection { patterns })
    }

    pub fn keeps(&self, cell: &Cell) -> bool {
        self.patterns.is_empty()
            || self.patterns.iter().any(|p| {
                p.is_match(&cell.name)
                    || p.is_match(&cell.scenario)
                    || p.is_match(&cell.id)
                    || p.is_match(&format!("{}/{}", cell.name, cell.scenario))
            })
    }

    pub fn apply(&self, cells: Vec<Cell>) -> Vec<Cell> {
        cells.into_iter().filter(|c| self.keeps(c)).collect()
    }
}
