use std::process::ExitCode;

use serde::Serialize;

use super::CliError;
use super::expanded::Expanded;
use super::session::MatrixArgs;
use crate::matrix::Cell;
use crate::model::{Settings, qualified};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub matrix: MatrixArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Names,
}

pub fn execute(args: Args) -> Result<ExitCode, CliError> {
    let matrix = &args.matrix;
    let cells = Expanded::load(&matrix.file.path, &matrix.only, &Settings::default())?.selected;
    let out = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&cells.iter().map(JsonCell::from).collect::<Vec<_>>())
                .expect("cells serialize")
                + "\n"
        }
        Format::Names => names(&cells),
        Format::Table => table(&cells),
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// The row names, once each, in matrix order.
fn names(cells: &[Cell]) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    for c in cells.iter().filter(|c| seen.insert(c.name.as_str())) {
        out.push_str(&c.name);
        out.push('\n');
    }
    out
}

fn table(cells: &[Cell]) -> String {
    let header = [
        "#",
        "cell",
        "framework",
        "server",
        "runtime",
        "iface",
        "conns",
        "duration",
        "cpus",
        "memory",
        "hash",
    ];
    let rows: Vec<Vec<String>> = cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                (i + 1).to_string(),
                c.id.clone() + if c.na.is_some() { " (N/A)" } else { "" },
                c.framework.clone(),
                qualified(&c.server, c.variant.as_deref()),
                qualified(&c.runtime, c.runtime_variant.as_deref()),
                c.interface.clone(),
                c.load.connections.to_string(),
                format!("{}s", c.load.duration_ms as f64 / 1000.0),
                format!("{}", c.resources.cpus),
                format!("{}MiB", c.resources.memory_bytes >> 20),
                c.hash[..12].to_string(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| rows.iter().map(|r| r[i].len()).chain([header[i].len()]).max().unwrap_or(0))
        .collect();
    let line = |cols: Vec<&str>| {
        cols.iter()
            .enumerate()
            .map(|(i, c)| format!("{:<w$}", c, w = widths[i]))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
            + "\n"
    };
    let mut out = line(header.to_vec());
    for r in &rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    let row_count = names(cells).lines().count();
    out.push_str(&format!("{} cells in {} rows\n", cells.len(), row_count));
    out
}

/// `bench expand --format json`: the cell as users script against it.
#[derive(Serialize)]
struct JsonCell<'a> {
    name: &'a str,
    scenario: &'a str,
    id: &'a str,
    framework: &'a str,
    server: &'a str,
    variant: Option<&'a str>,
    runtime: &'a str,
    runtime_variant: Option<&'a str>,
    interface: &'a str,
    hash: &'a str,
    image_hash: &'a str,
    sweep: &'a [(String, String)],
    load: &'a crate::matrix::LoadSettings,
    resources: &'a crate::matrix::Resources,
    request: &'a crate::matrix::RequestSpec,
    image: &'a crate::matrix::ImageSpec,
    na: Option<&'a str>,
}

impl<'a> From<&'a Cell> for JsonCell<'a> {
    fn from(c: &'a Cell) -> Self {
        JsonCell {
            name: &c.name,
            scenario: &c.scenario,
            id: &c.id,
            framework: &c.framework,
            server: &c.server,
            variant: c.variant.as_deref(),
            runtime: &c.runtime,
            runtime_variant: c.runtime_variant.as_deref(),
            interface: &c.interface,
            hash: &c.hash,
            image_hash: &c.image_hash,
            sweep: &c.sweep,
            load: &c.load,
            resources: &c.resources,
            request: &c.request,
            image: &c.image,
            na: c.na.as_deref(),
        }
    }
}
