use std::path::PathBuf;
use std::process::ExitCode;

use super::CliError;
use super::build_options::BuildOptions;
use super::run::{docker_context, engine_error, engine_facts};
use super::session::{MatrixArgs, Session};
use crate::engine::{Containers, DockerEngine, ctrl_c, until_interrupted};
use crate::matrix::Cell;
use crate::model::Settings;
use crate::run::{Quiet, Smoke, SmokeCheck, SmokeRow};

/// `bench smoke`'s arguments, which `bench profile` takes too (flattened): the matrix and
/// `--only`, the results directory and the build options.
#[derive(clap::Args, Debug)]
// No argument group: flattened into `bench profile`'s own `Args`, a second group of the
// same name would clash.
#[group(skip)]
pub struct Args {
    #[command(flatten)]
    pub matrix: MatrixArgs,
    /// Results directory: build logs go to `DIR/logs`; `bench profile` keeps each profile
    /// beside its cell's results.
    #[arg(long, default_value = "results")]
    pub results: PathBuf,
    #[command(flatten)]
    pub build: BuildOptions,
}

impl Args {
    /// The selected cells, options, store and host, before touching Docker.
    pub fn session(&self) -> Result<Session, CliError> {
        Session::prepare(&self.matrix, &self.results, &self.build, &Settings::default())
    }
}

pub fn execute(args: Args) -> Result<ExitCode, CliError> {
    let Session { expanded, options, store, mut host } = args.session()?;
    let rows = by_row(&expanded.selected);
    let runtime = Session::runtime()?;
    let results = runtime.block_on(async {
        let engine = DockerEngine::connect().await.map_err(engine_error)?;
        let containers = Containers::new();
        // The probe runs under the interrupt too, tracked like the smoke test's containers.
        let work = async {
            let engine_version =
                engine_facts(&engine, &containers, &expanded.selected, &mut host, "bench smoke")
                    .await;
            let ctx = docker_context(
                &engine,
                &containers,
                &Quiet,
                &store,
                &options,
                &host,
                engine_version,
            );
            let mut smoke = Smoke::new(ctx);
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
    // Built cell by cell: with no scenario (every row failed before one ran) the header and
    // the separator still have the same number of columns.
    let header: Vec<&str> =
        ["row", "build s"].into_iter().chain(scenarios.iter().map(String::as_str)).collect();
    let mut out = format!("| {} | result |\n", header.join(" | "));
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
            // One table line: a multi-line message (a build error) would end the row.
            let why = first_failure(r).replace('|', "\\|");
            format!("FAIL: {}", why.split_whitespace().collect::<Vec<_>>().join(" "))
        };
        let cells: Vec<&str> =
            [r.name.as_str(), &build].into_iter().chain(cols.iter().map(String::as_str)).collect();
        out.push_str(&format!("| {} | {result} |\n", cells.join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_stays_markdown_when_rows_fail() {
        let row = |name: &str, checks, error: Option<&str>| SmokeRow {
            name: name.into(),
            build_seconds: None,
            checks,
            error: error.map(String::from),
            log_tail: Vec::new(),
        };
        // Unescaped `|` per line: equal on every line of a valid table.
        let columns = |table: &str| -> Vec<usize> {
            table.lines().map(|l| l.matches('|').count() - l.matches("\\|").count()).collect()
        };
        let broken = row("broken", Vec::new(), Some("build failed:\nstep 3 | exit 1"));
        let alone = table(std::slice::from_ref(&broken));
        assert_eq!(alone.lines().count(), 3, "{alone}");
        assert_eq!(columns(&alone), [4, 4, 4], "{alone}");
        assert!(alone.contains("| FAIL: build failed: step 3 \\| exit 1 |"), "{alone}");
        let fine = row("fine", vec![("hello".into(), SmokeCheck::Pass)], None);
        let both = table(&[fine, broken]);
        assert_eq!(columns(&both), [5, 5, 5, 5], "{both}");
    }
}
