use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::CliError;
use super::expanded::Expanded;
use super::run::MeasureArgs;
use super::session::MatrixArgs;
use crate::run::{ASSUMED_OVERHEAD, ShardPlan};
use crate::statistics::Remeasure;
use crate::store::{CellResult, Store, StoreError};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub matrix: MatrixArgs,
    /// Split the matrix over this many machines (`bench run --shard K/N` runs part K).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub shards: u32,
    /// Results directory whose stored timings refine the estimates (not the split); a
    /// missing directory leaves the estimates to the settings.
    #[arg(long, value_name = "DIR", default_value = "results")]
    pub results: PathBuf,
    #[command(flatten)]
    pub measure: MeasureArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub fn execute(args: Args) -> Result<ExitCode, CliError> {
    let matrix = &args.matrix;
    let cells =
        Expanded::load(&matrix.file.path, &matrix.only, &args.measure.overrides())?.selected;
    let history = history(&args.results)?;
    let plan = ShardPlan::new(&cells, args.shards, &history);
    let out = match args.format {
        Format::Json => serde_json::to_string_pretty(&plan).expect("a plan serializes") + "\n",
        Format::Text => text(&plan, &args),
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// The stored results of `dir`; none when it does not exist.
fn history(dir: &std::path::Path) -> Result<Vec<CellResult>, CliError> {
    let store = Store::open(dir).map_err(|e| CliError::other(e.to_string(), None))?;
    match store.load() {
        Ok(loaded) => {
            loaded.warn();
            Ok(loaded.results)
        }
        Err(StoreError::Missing { .. }) => Ok(Vec::new()),
        Err(e) => Err(CliError::other(e.to_string(), None)),
    }
}

/// One line per shard, one per group under it.
fn text(plan: &ShardPlan, args: &Args) -> String {
    let shards = plan.shards.len();
    let groups: usize = plan.shards.iter().map(|s| s.groups.len()).sum();
    let cells: usize = plan.shards.iter().map(|s| s.cells).sum();
    let executions: usize = plan.shards.iter().map(|s| s.executions).sum();
    let source = match plan.timed_executions {
        0 => format!(
            "from the settings (warm-up at its bound + duration + {} s per execution; a watched \
             warm-up ends sooner once steady, or later while a slow server's requests drain; no \
             timed execution in {}: --results DIR of an earlier run gives estimates from its \
             timings)",
            ASSUMED_OVERHEAD.as_secs_f64(),
            args.results.display()
        ),
        n => format!("from {n} timed execution(s) in {}", args.results.display()),
    };
    let remeasure = Remeasure::default();
    let extra = remeasure.budget(executions).min(remeasure.per_cell * cells);
    let mut out = format!(
        "{groups} group(s), {cells} cell(s), {executions} execution(s) on {shards} shard(s); \
         estimates {source}; image builds not included; nor are re-measures (`bench run \
         --remeasure {}` may add up to {extra} execution(s))\n",
        remeasure.per_cell
    );
    for shard in &plan.shards {
        let what = counts(shard.cells, shard.executions, shard.estimate_seconds);
        let (number, groups) = (shard.shard, shard.groups.len());
        out.push_str(&format!("\nshard {number}/{shards}: {groups} group(s), {what}\n"));
        for group in &shard.groups {
            let what = counts(group.cells.len(), group.executions, group.estimate_seconds);
            out.push_str(&format!("  {}: {what}\n", group.name));
        }
    }
    out
}

/// `8 cell(s), 8 execution(s), about 4m 6s`.
fn counts(cells: usize, executions: usize, seconds: u64) -> String {
    let time = humantime::format_duration(Duration::from_secs(seconds));
    format!("{cells} cell(s), {executions} execution(s), about {time}")
}
