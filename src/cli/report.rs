use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::CliError;
use super::expanded::{ONLY_HELP, selection};
use crate::matrix::Selection;
use crate::profile::{ProfileDiff, ProfilePair};
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
    /// Where the differential flame graphs of cells profiled on both sides (`bench profile`)
    /// go [default: beside -o FILE, in FILE's stem + `-flame-graphs`; without -o,
    /// `compare-flame-graphs` in the current directory].
    #[arg(long, value_name = "DIR")]
    flame_graphs: Option<PathBuf>,
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
    let from = report_dir(args.output.as_deref());
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
    let graphs = args.flame_graphs.clone().unwrap_or_else(|| beside(args.output.as_deref()));
    let from = report_dir(args.output.as_deref());
    diff_profiles(&mut comparison, (args.old.as_path(), args.new.as_path()), &graphs, from)?;
    let bytes = report::render_comparison(&comparison, args.format, template.as_deref())
        .map_err(|e| CliError::other(e.to_string(), template_help(args.template.as_deref())))?;
    write_output(args.output.as_deref(), &bytes)?;
    if args.fail_on_regression && comparison.regressions > 0 {
        eprintln!("{} figure(s) judged slower beyond the noise", comparison.regressions);
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Where the differential flame graphs go without --flame-graphs: beside the comparison
/// (`-o out/compare.md`: `out/compare-flame-graphs`), or `compare-flame-graphs` in the
/// current directory when the comparison goes to standard output.
fn beside(output: Option<&Path>) -> PathBuf {
    let stem = output.and_then(Path::file_stem).map(|s| s.to_string_lossy().into_owned());
    let dir = format!("{}-flame-graphs", stem.as_deref().unwrap_or("compare"));
    match output {
        Some(file) => file.with_file_name(dir),
        None => PathBuf::from(dir),
    }
}

/// Draws a differential flame graph, under `graphs`, for each compared cell with a stored
/// profile (`bench profile`) on both sides, and links it from its row (an href relative to
/// `from`, the comparison's directory); a line on standard error for each cell with a
/// profile on a side at least: the graph's path, or that only one side has a profile. A
/// profile that cannot be read or a graph that cannot be written is a warning.
fn diff_profiles(
    comparison: &mut Comparison,
    (old, new): (&Path, &Path),
    graphs: &Path,
    from: &Path,
) -> Result<(), CliError> {
    let open = |dir: &Path| Store::open(dir).map_err(|e| CliError::other(e.to_string(), None));
    let out = Store::open(graphs).map_err(|_| {
        CliError::other(
            format!("{} is not a directory: differential flame graphs go there", graphs.display()),
            Some("pass another --flame-graphs DIR".to_string()),
        )
    })?;
    let (old_store, new_store) = (open(old)?, open(new)?);
    let diff = ProfileDiff { old: &old_store, new: &new_store, out: &out };
    for scenario in &mut comparison.scenarios {
        for row in &mut scenario.rows {
            // A cell without results on a side may still have a profile there: a profile
            // needs no measurement, so it is looked for by the other side's hash.
            let [old_hash, new_hash] =
                [&row.old, &row.new].map(|side| side.as_ref().map(|s| s.hash.as_str()));
            let (old_hash, new_hash) = (old_hash.or(new_hash), new_hash.or(old_hash));
            match diff.cell(&scenario.name, &row.name, &row.id, old_hash, new_hash) {
                Ok(ProfilePair::Graph(path)) => {
                    eprintln!("{}: differential flame graph {}", row.id, path.display());
                    row.flame_graph = Some(relative_href(from, &path));
                }
                Ok(ProfilePair::OneSide(side)) => {
                    let (with, other, without) =
                        if side == "old" { (old, "new", new) } else { (new, "old", old) };
                    eprintln!(
                        "{}: profiled in {side} ({}) only, not in {other} ({}): no differential \
                         flame graph",
                        row.id,
                        with.display(),
                        without.display()
                    );
                }
                Ok(ProfilePair::Neither) => {}
                Err(why) => eprintln!("warning: {}: no differential flame graph: {why}", row.id),
            }
        }
    }
    Ok(())
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
    let dir = report_dir(Some(path));
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

/// The directory a report is written in: -o FILE's, or the current directory for a bare
/// file name or standard output (an empty path would make `relative_href` keep the root, a
/// `//tmp/...` link).
fn report_dir(output: Option<&Path>) -> &Path {
    match output.and_then(Path::parent) {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
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
    fn differential_flame_graphs_go_beside_the_comparison() {
        let beside_file = beside(Some(Path::new("out/compare.md")));
        assert_eq!(beside_file, Path::new("out/compare-flame-graphs"));
        assert_eq!(beside(Some(Path::new("diff.md"))), Path::new("diff-flame-graphs"));
        assert_eq!(beside(None), Path::new("compare-flame-graphs"), "standard output");
    }

    #[test]
    fn a_flame_graph_is_linked_relative_to_the_report() {
        let svg = Path::new("/r/cpu/flask/0123.profile.svg");
        assert_eq!(relative_href(Path::new("/r"), svg), "cpu/flask/0123.profile.svg");
        assert_eq!(
            relative_href(Path::new("/out/html"), svg),
            "../../r/cpu/flask/0123.profile.svg"
        );
    }

    #[test]
    fn a_report_in_the_current_directory_links_from_it() {
        let here = std::env::current_dir().unwrap();
        let svg = here.join("diff-flame-graphs/cpu/flask/0123.profile-diff.svg");
        for output in [Some(Path::new("diff.md")), None] {
            let from = report_dir(output);
            assert_eq!(from, Path::new("."), "{output:?}");
            assert_eq!(
                relative_href(from, &svg),
                "diff-flame-graphs/cpu/flask/0123.profile-diff.svg"
            );
        }
        assert_eq!(report_dir(Some(Path::new("out/diff.md"))), Path::new("out"));
        // Elsewhere on the disk: up to the root, never a root-relative `//...` link. A top
        // directory no checkout lives under (a clone under /tmp shared /tmp with the old
        // target, so the link rightly went up one level only and the test failed).
        let target = Path::new("/no-checkout-lives-here/rv/x.svg");
        let elsewhere = relative_href(report_dir(None), target);
        let ups = here.components().count() - 1;
        assert_eq!(elsewhere, format!("{}no-checkout-lives-here/rv/x.svg", "../".repeat(ups)));
    }
}
