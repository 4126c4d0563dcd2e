//! `bench run`'s check before it builds or measures: a table is ranked on one machine, so a
//! resumed run does not add executions to a table begun on another (`run::begun_elsewhere`).

use std::path::Path;

use super::CliError;
use crate::matrix::Cell;
use crate::run::{HostFacts, begun_elsewhere, host_machine};
use crate::store::ResultIndex;

/// Stops a run that would add executions to a table begun on another machine, before it
/// builds or measures anything; with --allow-mixed, warns and goes on.
pub fn refuse_other_machine(
    all: &[Cell],
    to_measure: &[Cell],
    stored: &ResultIndex,
    host: &HostFacts,
    allow_mixed: bool,
    results: &Path,
) -> Result<(), CliError> {
    let here = host_machine(host, None);
    let found = begun_elsewhere(all, to_measure, stored, &here);
    if found.is_empty() {
        return Ok(());
    }
    let tables: Vec<String> = found
        .iter()
        .map(|b| {
            format!("table `{}` has {} execution(s) from {}", b.group, b.executions, b.machine)
        })
        .collect();
    let message = format!(
        "{}; this machine is {} (fingerprint {}), and a table is ranked on one machine",
        tables.join("; "),
        here.label(),
        here.key().unwrap_or_default()
    );
    if allow_mixed {
        eprintln!(
            "warning: {message}; going on (--allow-mixed): its report needs --allow-mixed too"
        );
        return Ok(());
    }
    Err(CliError::other(
        message,
        Some(format!(
            "finish the table on that machine; or move its stored results out of {} and measure \
             it whole here; or pass --allow-mixed to go on (`bench report --allow-mixed` then \
             ranks it with a caveat)",
            results.display()
        )),
    ))
}
