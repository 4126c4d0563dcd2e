use serde::Serialize;

/// An output format of `bench report`, each rendered by one template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Markdown,
    Html,
    Csv,
    Json,
}

impl Format {
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

    /// The template shipped inside the binary (`report-templates/<name>.j2`).
    pub fn shipped_template(self) -> &'static str {
        match self {
            Format::Markdown => include_str!("../../report-templates/report.md.j2"),
            Format::Html => include_str!("../../report-templates/report.html.j2"),
            Format::Csv => include_str!("../../report-templates/report.csv.j2"),
            Format::Json => include_str!("../../report-templates/report.json.j2"),
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
