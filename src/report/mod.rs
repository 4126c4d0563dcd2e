//! Stage 9, report: pure functions from stored results to bytes: markdown, HTML and CSV from
//! one template each (`report-templates/`, shipped inside the binary), JSON serialized from
//! the data model (`JsonReport`); a user's template may replace any of them.
//!
//! Contract: `render(&[CellResult], Format, Option<&str>) -> Result<Vec<u8>, ReportError>`
//! builds a `ReportModel` (serde-serializable, documented in `docs/report.md`) and renders
//! the format with it; `render_comparison` does the same for `bench compare`'s
//! `Comparison`. No I/O here: the CLI reads the results and writes the bytes.
//! A table ranks its rows against each other, so each `ScenarioReport` records the machines
//! its rows were measured on (`TableMachines`); `ReportModel::refuse_mixed_machines` is the
//! refusal `bench report` applies unless `--allow-mixed`, and a mixed table shown anyway
//! carries a caveat line, as does one whose machines differ only in a noted fact (memory,
//! kernel, Docker version).

mod cell_statistics;
pub mod charts;
mod comparison;
mod export;
mod format;
mod host_lines;
mod json_report;
mod methodology;
mod precision_line;
mod speed_line;
/// Number formatting lives below every stage (`crate::numbers`): checks written by `run`
/// and the report's tables print the same figure the same way.
pub use crate::numbers;
mod report_error;
mod report_model;
mod row_report;
mod scenario_report;
mod table_machines;
mod templates;

pub use cell_statistics::{CellStatistics, NO_INTERVAL};
pub use comparison::{Comparison, FigureChange, RowComparison, ScenarioComparison, Side};
pub use export::{Export, ExportedResult};
pub use format::Format;
pub use json_report::JsonReport;
pub use methodology::{LoadDescription, Methodology, Setting};
pub use report_error::ReportError;
pub use report_model::ReportModel;
pub use row_report::RowReport;
pub use scenario_report::{Footnote, ScenarioCharts, ScenarioReport, SweepCharts};
pub use table_machines::{NotedFact, TableMachine, TableMachines};
pub use templates::{escape_markdown, quote_csv};

use crate::store::CellResult;

/// The shipped `bench compare` templates (markdown, CSV).
pub const COMPARE_TEMPLATE: &str = include_str!("../../report-templates/compare.md.j2");
pub const COMPARE_CSV_TEMPLATE: &str = include_str!("../../report-templates/compare.csv.j2");

/// Render `results` as `format`, with the shipped template or `template` (its source).
pub fn render(
    results: &[CellResult],
    format: Format,
    template: Option<&str>,
) -> Result<Vec<u8>, ReportError> {
    let model = ReportModel::build(results);
    render_model(&model, format, template)
}

/// Render an already built model (lets tests and tools inspect the model first).
pub fn render_model(
    model: &ReportModel,
    format: Format,
    template: Option<&str>,
) -> Result<Vec<u8>, ReportError> {
    let Some(source) = template.or(format.shipped_template()) else {
        return JsonReport::of(model).to_bytes();
    };
    let name = format.template_name();
    let env = templates::environment(name, source)?;
    templates::render(&env, name, minijinja::Value::from(minijinja::value::Serde(model)))
}

/// Render a comparison as `format` (HTML is refused) with the shipped template or
/// `template`; JSON without a template is the `Comparison` serialized.
pub fn render_comparison(
    comparison: &Comparison,
    format: Format,
    template: Option<&str>,
) -> Result<Vec<u8>, ReportError> {
    let (name, shipped) = match format {
        Format::Markdown => ("compare.md", COMPARE_TEMPLATE),
        Format::Csv => ("compare.csv", COMPARE_CSV_TEMPLATE),
        Format::Json if template.is_none() => {
            let mut bytes = serde_json::to_vec_pretty(comparison).map_err(ReportError::Json)?;
            bytes.push(b'\n');
            return Ok(bytes);
        }
        Format::Json => ("compare.json", ""),
        Format::Html => return Err(ReportError::Unsupported("bench compare --format html")),
    };
    let env = templates::environment(name, template.unwrap_or(shipped))?;
    templates::render(&env, name, minijinja::Value::from(minijinja::value::Serde(comparison)))
}
