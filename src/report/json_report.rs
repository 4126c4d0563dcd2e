use serde::Serialize;

use super::export::ExportedResult;
use super::methodology::{LoadDescription, Methodology};
use super::row_report::RowReport;
use super::scenario_report::Footnote;
use super::{ReportError, ReportModel};

/// `bench report --format json`: the parts of the `ReportModel` a script wants (no chart
/// geometry), serialized with serde (documented in `docs/report.md`).
#[derive(Serialize)]
pub struct JsonReport<'a> {
    /// Always `bench-report`: tells this document from a single stored result.
    format: &'static str,
    generated_by: &'a str,
    methodology: &'a Methodology,
    scenarios: Vec<JsonScenario<'a>>,
    /// Every stored result, flagged `median` and `current` as in the CSV export.
    results: &'a [ExportedResult],
}

#[derive(Serialize)]
struct JsonScenario<'a> {
    name: &'a str,
    index: u32,
    description: &'a str,
    settings: &'a LoadDescription,
    footnotes: &'a [Footnote],
    /// Set when the table's rows come from different machines (`--allow-mixed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    machine_caveat: Option<&'a str>,
    /// The table's rows: the median repetition of each cell.
    medians: &'a [RowReport],
}

impl<'a> JsonReport<'a> {
    pub fn of(model: &'a ReportModel) -> JsonReport<'a> {
        JsonReport {
            format: "bench-report",
            generated_by: &model.generated_by,
            methodology: &model.methodology,
            scenarios: model
                .scenarios
                .iter()
                .map(|s| JsonScenario {
                    name: &s.name,
                    index: s.index,
                    description: &s.description,
                    settings: &s.settings,
                    footnotes: &s.footnotes,
                    machine_caveat: s.machine_caveat.as_deref(),
                    medians: &s.rows,
                })
                .collect(),
            results: &model.export.results,
        }
    }

    /// Pretty JSON with a final newline.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ReportError> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(ReportError::Json)?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}
