use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::CliError;
use super::expanded::{ONLY_HELP, selection};
use crate::matrix::Selection;
use crate::report::{self, Comparison, Format, ReportModel};
use crate::store::{CellResult, Store};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Results directory written by `bench run`.
    #[arg(long, value_name = "DIR", default_value = "results")]
    results: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// A minijinja template replacing the shipped one (same data model, see docs/report.md).
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// Keep only matching results (repeatable; see --help for how patterns combine).
    #[arg(long, value_name = "GLOB", long_help = ONLY_HELP)]
    only: Vec<String>,
    /// Write the report to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Rank a table even when its cells were measured on different machines (the table then
    /// says so in a caveat line).
    #[arg(long)]
    allow_mixed: bool,
}

#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// Results directory of the baseline.
    #[arg(value_name = "OLD_DIR")]
    old: PathBuf,
    /// Results directory to compare with the baseline.
    #[arg(value_name = "NEW_DIR")]
    new: PathBuf,
    /// Output format (html is not available for a comparison).
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// Keep only matching results (repeatable; see --help for how patterns combine).
    #[arg(long, value_name = "GLOB", long_help = ONLY_HELP)]
    only: Vec<String>,
    /// A minijinja template replacing the shipped compare template.
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// Write the comparison to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit with status 1 when a figure is judged slower (its interval excludes 1).
    #[arg(long)]
    fail_on_regression: bool,
}

pub fn execute(args: Args) -> Result<ExitCode, CliError> {
    let results = load(&args.results)?;
    let only = selection(&args.only, results.iter().map(|r| r.scenario.as_str()))?;
    let results = keep(results, &only, &args.results)?;
    let template = args.template.as_deref().map(read_template).transpose()?;
    let mut model = ReportModel::build(&results);
    if !args.allow_mixed {
        model.refuse_mixed_machines().map_err(|e| {
            CliError::other(
                e.to_string(),
                Some(
                    "measure each comparison group on one machine (`bench plan` and \
                     `bench run --shard K/N` keep a group on one shard), report the machines \
                     apart with --only, or pass --allow-mixed to rank them anyway with a \
                     caveat on the table"
                        .to_string(),
                ),
            )
        })?;
    }
    let store = Store::open(&args.results).map_err(|e| CliError::other(e.to_string(), None))?;
    let from = args.output.as_deref().and_then(Path::parent).unwrap_or(Path::new(""));
    model.link_profiles(|row| {
        let svg = store.profile_file(&row.result.scenario, &row.name, &row.hash, "svg");
        svg.is_file().then(|| relative_href(from, &svg))
    });
    let bytes = report::render_model(&model, args.format, template.as_deref())
        .map_err(|e| CliError::other(e.to_string(), template_help(args.template.as_deref())))?;
    write_output(args.output.as_deref(), &bytes)?;
    Ok(ExitCode::SUCCESS)
}

pub fn compare(args: CompareArgs) -> Result<ExitCode, CliError> {
    if args.format == Format::Html {
        return Err(CliError::usage(
            "bench compare has no HTML output".to_string(),
            Some("pass --format markdown, csv or json".to_string()),
        ));
    }
    let (old, new) = (load(&args.old)?, load(&args.new)?);
    let only = selection(&args.only, old.iter().chain(&new).map(|r| r.scenario.as_str()))?;
    let old = keep(old, &only, &args.old)?;
    let new = keep(new, &only, &args.new)?;
    let mut comparison = Comparison::build(&old, &new);
    comparison.old_label = format!("{} ({} results)", args.old.display(), old.len());
    comparison.new_label = format!("{} ({} results)", args.new.display(), new.len());
    if let Some(warning) = &comparison.machine_warning {
        eprintln!("warning: {warning}");
    }
    let template = args.template.as_deref().map(read_template).transpose()?;
    let bytes = report::render_comparison(&comparison, args.format, template.as_deref())
        .map_err(|e| CliError::other(e.to_string(), template_help(args.template.as_deref())))?;
    write_output(args.output.as_deref(), &bytes)?;
    if args.fail_on_regression && comparison.regressions > 0 {
        eprintln!("{} figure(s) judged slower beyond the noise", comparison.regressions);
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Every readable result of `dir` (unreadable files are warned about).
fn load(dir: &Path) -> Result<Vec<CellResult>, CliError> {
    let store = Store::open(dir).map_err(|e| CliError::other(e.to_string(), None))?;
    let loaded = store.load().map_err(|e| CliError::other(e.to_string(), None))?;
    for skipped in &loaded.skipped {
        eprintln!("warning: {skipped}");
    }
    Ok(loaded.results)
}

/// The results `only` selects (told apart by the scenarios of the results it was made
/// from); an error saying why when none is left.
fn keep(
    results: Vec<CellResult>,
    only: &Selection,
    dir: &Path,
) -> Result<Vec<CellResult>, CliError> {
    let total = results.len();
    let results: Vec<CellResult> =
        results.into_iter().filter(|r| only.matches(&r.name, &r.scenario, &r.id)).collect();
    if results.is_empty() {
        let message = if total == 0 {
            format!("no results in {}", dir.display())
        } else {
            format!("none of the {total} results in {} matches --only", dir.display())
        };
        return Err(CliError::other(
            message,
            Some("run `bench run` to measure, pass --results DIR, or widen --only".to_string()),
        ));
    }
    Ok(results)
}

/// `--format`'s values are the report's formats (clap stays in the CLI).
impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &Format::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

fn read_template(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| {
        CliError::other(
            format!("cannot read template {}: {e}", path.display()),
            Some(
                "pass a readable minijinja file, or leave out --template for the shipped one"
                    .to_string(),
            ),
        )
    })
}

fn template_help(template: Option<&Path>) -> Option<String> {
    Some(match template {
        Some(path) => format!("fix {} against the data model in docs/report.md", path.display()),
        None => "this is a bug in a shipped template: please report it".to_string(),
    })
}

fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), CliError> {
    match path {
        Some(path) => write_atomically(path, bytes).map_err(|e| {
            CliError::other(
                format!("cannot write {}: {e}", path.display()),
                Some(
                    "check the directory exists, is writable and has space; any earlier \
                     file there is left as it was"
                        .to_string(),
                ),
            )
        }),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|_| out.flush()).or_else(|e| {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    Ok(())
                } else {
                    Err(CliError::other(format!("cannot write to standard output: {e}"), None))
                }
            })
        }
    }
}

/// Write `bytes` to a temporary file beside `path`, flush it to disk, then rename it over
/// `path`: a reader (or a full disk) never sees a truncated report, only the old file or the
/// whole new one. The temporary file is removed when any step fails.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "the output path names no file")
    })?;
    let temp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)?;
        // The rename itself is durable once the directory is synced; not every file system
        // lets a directory be opened for that, and the report is complete either way.
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// `target` as a link from a report written in the directory `from` (the flame graphs stay
/// files of the results directory; see docs/profiling.md).
fn relative_href(from: &Path, target: &Path) -> String {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (from, target) = (absolute(from), absolute(target));
    let common = from.components().zip(target.components()).take_while(|(a, b)| a == b).count();
    let ups = from.components().count() - common;
    let parts: Vec<String> = std::iter::repeat_n("..".to_string(), ups)
        .chain(target.components().skip(common).map(|c| c.as_os_str().to_string_lossy().into()))
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flame_graph_is_linked_relative_to_the_report() {
        let svg = Path::new("/r/cpu/flask/0123.profile.svg");
        assert_eq!(relative_href(Path::new("/r"), svg), "cpu/flask/0123.profile.svg");
        assert_eq!(
            relative_href(Path::new("/out/html"), svg),
            "../../r/cpu/flask/0123.profile.svg"
        );
    }
}
