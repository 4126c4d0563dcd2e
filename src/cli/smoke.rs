use std::path::PathBuf;
use std::process::ExitCode;

use super::CliError;
use super::build_options::BuildOptions;
use super::run::engine_error;
use super::session::{MatrixArgs, Session};
use crate::engine::{Containers, DockerEngine, ctrl_c, until_interrupted};
use crate::matrix::Cell;
use crate::model::Settings;
use crate::run::{Quiet, RealHttp, RunContext, Smoke, SmokeCheck, SmokeRow, SystemClock};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub matrix: MatrixArgs,
    /// Where build logs go (`DIR/logs`).
    #[arg(long, default_value = "results")]
    pub results: PathBuf,
    #[command(flatten)]
    pub build: BuildOptions,
}

pub fn execute(args: Args) -> Result<ExitCode, CliError> {
    let Session { expanded, options, store, host } =
        Session::prepare(&args.matrix, &args.results, &args.build, &Settings::default())?;
    let rows = by_row(&expanded.selected);
    let runtime = Session::runtime()?;
    let results = runtime.block_on(async {
        let engine = DockerEngine::connect().await.map_err(engine_error)?;
        let containers = Containers::new();
        let mut smoke = Smoke::new(RunContext {
            engine: &engine,
            http: &RealHttp,
            clock: &SystemClock,
            containers: &containers,
            store: &store,
            progress: &Quiet,
            options: &options,
            host: &host,
            engine_version: None, // nothing is stored
        });
        let work = async {
            let mut out = Vec::new();
            for (i, cells) in rows.iter().enumerate() {
                eprintln!("[{}/{}] {}", i + 1, rows.len(), cells[0].name);
                let row = smoke.row(cells).await;
                eprintln!(
                    "    {}",
                    if row.passed() {
                        "pass".to_string()
                    } else {
                        format!("FAIL {}", first_failure(&row))
                    }
                );
                out.push(row);
            }
            out
        };
        until_interrupted(&engine, &containers, work, ctrl_c()).await.map_err(engine_error)
    })?;
    print!("{}", table(&results));
    let failed = results.iter().filter(|r| !r.passed()).count();
    for r in results.iter().filter(|r| !r.passed() && !r.log_tail.is_empty()) {
        eprintln!("--- {}: last log lines ---", r.name);
        for line in &r.log_tail {
            eprintln!("{line}");
        }
    }
    eprintln!(
        "bench smoke: {} row(s), {} passed, {failed} failed",
        results.len(),
        results.len() - failed
    );
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The selected cells grouped by row, rows in matrix order.
fn by_row(cells: &[Cell]) -> Vec<Vec<Cell>> {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for c in cells {
        match rows.iter_mut().find(|r| r[0].name == c.name) {
            Some(r) => r.push(c.clone()),
            None => rows.push(vec![c.clone()]),
        }
    }
    rows
}

fn first_failure(row: &SmokeRow) -> String {
    row.error.clone().unwrap_or_else(|| {
        row.checks
            .iter()
            .find_map(|(s, c)| match c {
                SmokeCheck::Fail(why) => Some(format!("{s}: {why}")),
                _ => None,
            })
            .unwrap_or_default()
    })
}

/// `row | build s | hello | json | ... | result`, as markdown.
pub fn table(rows: &[SmokeRow]) -> String {
    let mut scenarios: Vec<String> = Vec::new();
    for r in rows {
        for (s, _) in &r.checks {
            if !scenarios.contains(s) {
                scenarios.push(s.clone());
            }
        }
    }
    let mut out = format!("| row | build s | {} | result |\n", scenarios.join(" | "));
    out.push_str(&format!("|---|---:|{}---|\n", "---|".repeat(scenarios.len())));
    for r in rows {
        let build = r.build_seconds.map(|s| format!("{s:.0}")).unwrap_or_else(|| "cached".into());
        let cols: Vec<String> = scenarios
            .iter()
            .map(|s| match r.checks.iter().find(|(n, _)| n == s).map(|(_, c)| c) {
                Some(SmokeCheck::Pass) => "pass".into(),
                Some(SmokeCheck::Fail(_)) => "FAIL".into(),
                Some(SmokeCheck::Na(_)) => "N/A".into(),
                None if r.error.is_some() => "-".into(),
                None => "".into(),
            })
            .collect();
        let result = if r.passed() {
            match r.checks.iter().find_map(|(_, c)| {
                if let SmokeCheck::Na(why) = c { Some(why.clone()) } else { None }
            }) {
                Some(why) => format!("pass (N/A: {why})"),
                None => "pass".into(),
            }
        } else {
            format!("FAIL: {}", first_failure(r).replace('|', "\\|"))
        };
        out.push_str(&format!("| {} | {build} | {} | {result} |\n", r.name, cols.join(" | ")));
    }
    out
}
