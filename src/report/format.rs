use serde::Serialize;

/// An output format of `bench report`: markdown, HTML and CSV are rendered by a shipped
/// template, JSON is the report's data model serialized with serde.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Markdown,
    Html,
    Csv,
    Json,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 4] = [Format::Markdown, Format::Html, Format::Csv, Format::Json];

    /// The name users give (`--format markdown`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// The template's name; its extension picks the escaping (`.html`: HTML, `.md`:
    /// markdown, `.csv`: CSV quoting, `.json`: none, use the `tojson` filter).
    pub fn template_name(self) -> &'static str {
        match self {
            Format::Markdown => "report.md",
            Format::Html => "report.html",
            Format::Csv => "report.csv",
            Format::Json => "report.json",
        }
    }

    /// The template shipped inside the binary (`report-templates/<name>.j2`); `None` for
    /// JSON, which is serialized (a user's template may still render it).
    pub fn shipped_template(self) -> Option<&'static str> {
        match self {
            Format::Markdown => Some(include_str!("../../report-templates/report.md.j2")),
            Format::Html => Some(include_str!("../../report-templates/report.html.j2")),
            Format::Csv => Some(include_str!("../../report-templates/report.csv.j2")),
            Format::Json => None,
        }
    }

    /// The usual file extension of the output.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}
