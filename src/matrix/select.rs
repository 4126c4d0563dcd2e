use crate::model::Pattern;

use super::Cell;

/// `--only GLOB` (repeatable), the one selection rule of every command that picks cells
/// (`expand`, `smoke`, `run`) or stored results (`report`, `compare`).
///
/// A pattern that matches one of the known scenario names is a *scenario pattern*; any other
/// pattern is a *row pattern*, matched against the row name, the cell id and
/// `name/scenario` (`flask-*`, `falcon/hello`, `*connections=64*`). Patterns of one kind OR
/// together; when both kinds are given a cell must match both: `--only bjoern --only hello`
/// is the one cell `bjoern/hello`, `--only 'flask-*' --only io --only json` is every flask row
/// in io and json. No pattern keeps everything.
#[derive(Debug)]
pub struct Selection {
    rows: Vec<Pattern>,
    scenarios: Vec<Pattern>,
}

impl Selection {
    /// The selection of `globs`, with `scenarios` the scenario names the patterns are told
    /// apart by (the matrix's, or those of the stored results).
    pub fn new<'a>(
        globs: &[String],
        scenarios: impl IntoIterator<Item = &'a str> + Clone,
    ) -> Result<Selection, String> {
        let mut selection = Selection { rows: Vec::new(), scenarios: Vec::new() };
        for glob in globs {
            let pattern = Pattern::new(glob)
                .map_err(|e| format!("--only {glob:?} is not a valid glob: {e}"))?;
            if scenarios.clone().into_iter().any(|s| pattern.is_match(s)) {
                selection.scenarios.push(pattern);
            } else {
                selection.rows.push(pattern);
            }
        }
        Ok(selection)
    }

    /// No pattern was given: everything is kept.
    pub fn is_everything(&self) -> bool {
        self.rows.is_empty() && self.scenarios.is_empty()
    }

    /// Whether the cell (or stored result) with this row name, scenario and id is selected.
    pub fn matches(&self, name: &str, scenario: &str, id: &str) -> bool {
        let row_ok = self.rows.is_empty()
            || self.rows.iter().any(|p| {
                p.is_match(name) || p.is_match(id) || p.is_match(&format!("{name}/{scenario}"))
            });
        let scenario_ok =
            self.scenarios.is_empty() || self.scenarios.iter().any(|p| p.is_match(scenario));
        row_ok && scenario_ok
    }

    pub fn keeps(&self, cell: &Cell) -> bool {
        self.matches(&cell.name, &cell.scenario, &cell.id)
    }

    pub fn apply(&self, cells: Vec<Cell>) -> Vec<Cell> {
        cells.into_iter().filter(|c| self.keeps(c)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Selection;

    const SCENARIOS: [&str; 4] = ["hello", "json", "cpu", "io"];

    fn selected(globs: &[&str]) -> Vec<&'static str> {
        let globs: Vec<String> = globs.iter().map(|g| g.to_string()).collect();
        let selection = Selection::new(&globs, SCENARIOS).unwrap();
        let cells = [
            ("bjoern", "hello", "bjoern/hello"),
            ("bjoern", "io", "bjoern/io"),
            ("flask-bjoern", "hello", "flask-bjoern/hello"),
            ("flask-bjoern", "json", "flask-bjoern/json"),
            ("aiohttp", "io", "aiohttp/io[connections=16]"),
        ];
        cells.iter().filter(|(n, s, id)| selection.matches(n, s, id)).map(|c| c.2).collect()
    }

    #[test]
    fn rows_and_scenarios_each_or_together_and_the_two_kinds_and() {
        assert_eq!(selected(&[]).len(), 5);
        assert_eq!(selected(&["bjoern", "hello"]), ["bjoern/hello"]);
        assert_eq!(
            selected(&["bjoern", "flask-*"]),
            ["bjoern/hello", "bjoern/io", "flask-bjoern/hello", "flask-bjoern/json"]
        );
        assert_eq!(
            selected(&["hello", "json"]),
            ["bjoern/hello", "flask-bjoern/hello", "flask-bjoern/json"]
        );
        assert_eq!(selected(&["*bjoern", "json", "io"]), ["bjoern/io", "flask-bjoern/json"]);
        assert_eq!(
            selected(&["bjoern/io", "*connections=16*"]),
            ["bjoern/io", "aiohttp/io[connections=16]"]
        );
        assert_eq!(selected(&["*/io*"]), ["bjoern/io", "aiohttp/io[connections=16]"]);
        assert!(selected(&["bjoern", "json"]).is_empty());
    }

    #[test]
    fn a_bad_glob_says_which() {
        let err = Selection::new(&["a[b".to_string()], SCENARIOS).unwrap_err();
        assert!(err.contains("--only \"a[b\" is not a valid glob"), "{err}");
    }
}
