use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::CliError;
use crate::report::{self, Comparison, Format};
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
    /// Keep only rows whose name or cell id matches this glob (repeatable): `falcon*`, `*/hello`.
    #[arg(long, value_name = "GLOB")]
    only: Vec<String>,
    /// Write the report to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// Results directory of the baseline.
    #[arg(value_name = "OLD_DIR")]
    old: PathBuf,
    /// Results directory to compare with the baseline.
    #[arg(value_name = "NEW_DIR")]
    new: PathBuf,
    /// Change in percent flagged when the spread across repetitions is unknown.
    #[arg(long, value_name = "PERCENT", default_value_t = 10.0)]
    threshold: f64,
    /// Keep only rows whose name or cell id matches this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    only: Vec<String>,
    /// A minijinja template replacing the shipped compare template.
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// Write the comparison to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit with status 1 when a change for the worse is flagged.
    #[arg(long)]
    fail_on_regression: bool,
}

pub fn execute(args: Args) -> Result<ExitCode, CliError> {
    let only = globs(&args.only)?;
    let results = load(&args.results, only.as_ref())?;
    let template = args.template.as_deref().map(read_template).transpose()?;
    let bytes = report::render(&results, args.format, template.as_deref())
        .map_err(|e| CliError::other(e.to_string(), template_help(args.template.as_deref())))?;
    write_output(args.output.as_deref(), &bytes)?;
    Ok(ExitCode::SUCCESS)
}

pub fn compare(args: CompareArgs) -> Result<ExitCode, CliError> {
    if !(args.threshold.is_finite() && args.threshold >= 0.0) {
        return Err(CliError::usage(
            format!("--threshold {} is not a percentage", args.threshold),
            Some("give a number of percent, e.g. --threshold 10".to_string()),
        ));
    }
    let only = globs(&args.only)?;
    let old = load(&args.old, only.as_ref())?;
    let new = load(&args.new, only.as_ref())?;
    let mut comparison = Comparison::build(&old, &new, args.threshold);
    comparison.old_label = format!("{} ({} results)", args.old.display(), old.len());
    comparison.new_label = format!("{} ({} results)", args.new.display(), new.len());
    let template = args.template.as_deref().map(read_template).transpose()?;
    let bytes = report::render_comparison(&comparison, template.as_deref())
        .map_err(|e| CliError::other(e.to_string(), template_help(args.template.as_deref())))?;
    write_output(args.output.as_deref(), &bytes)?;
    if args.fail_on_regression && comparison.regressions > 0 {
        eprintln!("{} change(s) for the worse flagged", comparison.regressions);
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn globs(patterns: &[String]) -> Result<Option<GlobSet>, CliError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|e| {
            CliError::usage(
                format!("--only {pattern:?} is not a valid glob: {e}"),
                Some("use * and ? wildcards, e.g. --only 'falcon*'".to_string()),
            )
        })?;
        builder.add(glob);
    }
    builder.build().map(Some).map_err(|e| CliError::usage(format!("--only: {e}"), None))
}

/// Every readable result of `dir` (unreadable files are warned about), filtered.
fn load(dir: &Path, only: Option<&GlobSet>) -> Result<Vec<CellResult>, CliError> {
    let store = Store::open(dir).map_err(|e| CliError::other(e.to_string(), None))?;
    let loaded = store.load().map_err(|e| CliError::other(e.to_string(), None))?;
    for skipped in &loaded.skipped {
        eprintln!("warning: {skipped}");
    }
    let total = loaded.results.len();
    let results: Vec<CellResult> = loaded
        .results
        .into_iter()
        .filter(|r| only.is_none_or(|set| set.is_match(&r.name) || set.is_match(&r.id)))
        .collect();
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

fn read_template(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| {
        CliError::other(
            format!("cannot read template {}: {e}", path.display()),
            Some("pass a readable minijinja file, or leave out --template for the shipped one".to_string()),
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
        Some(path) => std::fs::write(path, bytes).map_err(|e| {
            CliError::other(
                format!("cannot write {}: {e}", path.display()),
                Some("check the directory exists and is writable".to_string()),
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
