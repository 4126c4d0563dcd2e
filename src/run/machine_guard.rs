//! A table measured on two machines cannot be ranked (`bench report` refuses it), so a run
//! that would add executions to a table begun on another machine — a measurement resumed in
//! a later session on a different machine — is stopped before it spends hours on figures
//! that cannot be published together. In: the cells to measure, the stored results and this
//! machine; out: the tables begun elsewhere, each with its machine and execution count.

use std::collections::{HashMap, HashSet};

use crate::matrix::Cell;
use crate::store::{Machine, ResultIndex};

/// One comparison group with stored executions from another machine than this one.
#[derive(Debug, Clone, PartialEq)]
pub struct BegunElsewhere {
    /// The group (`Cell::group`: a table, or a sweep's curve).
    pub group: String,
    /// The other machine, as a reader tells it apart (`Machine::label`), with its fingerprint.
    pub machine: String,
    /// Stored executions of the group measured there.
    pub executions: usize,
}

/// The groups of `to_measure` whose stored results (`stored`, looked up by the cells of
/// `cells` in the same group) come from a machine other than `here`. N/A results measured
/// nothing and do not count; results stored before machines were recorded cannot be told
/// apart and do not either (`bench report` names them).
pub fn begun_elsewhere(
    cells: &[Cell],
    to_measure: &[Cell],
    stored: &ResultIndex,
    here: &Machine,
) -> Vec<BegunElsewhere> {
    let here_key = here.key();
    let measuring: HashSet<&str> = to_measure.iter().map(|c| c.group.as_str()).collect();
    let group_of: HashMap<&str, &str> =
        cells.iter().map(|c| (c.hash.as_str(), c.group.as_str())).collect();
    let mut found: Vec<BegunElsewhere> = Vec::new();
    // Every stored execution, re-measures beyond the setting included.
    for result in stored.iter() {
        let Some(&group) = group_of.get(result.hash.as_str()) else { continue };
        if !measuring.contains(group) {
            continue;
        }
        let Some(machine) = result.measured_on() else { continue };
        let Some(key) = machine.key().filter(|key| Some(key) != here_key.as_ref()) else {
            continue;
        };
        let machine = format!("{} (fingerprint {key})", machine.label());
        match found.iter_mut().find(|b| b.group == group && b.machine == machine) {
            Some(b) => b.executions += 1,
            None => found.push(BegunElsewhere { group: group.to_string(), machine, executions: 1 }),
        }
    }
    found.sort_by(|a, b| (&a.group, &a.machine).cmp(&(&b.group, &b.machine)));
    found
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::config::Sources;
    use crate::matrix::{FixedInputs, expand};
    use crate::run::provenance::blank_result;
    use crate::run::{HostFacts, Job, RunOptions};
    use crate::store::{CellResult, MachineFacts, Outcome};

    fn machine(cpu: &str) -> Machine {
        Machine::new(MachineFacts {
            cpu_model: Some(cpu.to_string()),
            online_cpus: 2,
            ..MachineFacts::default()
        })
    }

    /// Two rows (a-s, b-s) in two tables (io, cpu), in the order a-s/io, a-s/cpu, b-s/io, b-s/cpu.
    fn cells() -> Vec<Cell> {
        let text = r#"
            runtime cpython label="" { python "python3"; }
            server s { command "s {app}"; interface wsgi; }
            framework a { interface wsgi "a:app"; }
            framework b { interface wsgi "b:app"; }
            scenario io { path "/io"; }
            scenario cpu { path "/cpu"; }
            matrix { axes { framework a b; server s; } }
        "#;
        let model = crate::model::analyze(&Sources::from_text("m.kdl", text).unwrap()).unwrap();
        let mut cells = expand(&model, &FixedInputs("x".into()));
        cells.sort_by_key(|c| (c.name.clone(), c.scenario != "io"));
        assert_eq!(
            cells.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["a-s/io", "a-s/cpu", "b-s/io", "b-s/cpu"]
        );
        cells
    }

    fn result(cell: &Cell, repetition: u32, on: &Machine, outcome: Outcome) -> CellResult {
        let job = Job { cell: cell.clone(), repetition, row_index: 0, scenario_index: 0 };
        let options = RunOptions::new(".".into(), "m.kdl".into(), std::path::Path::new("r"));
        let mut r = blank_result(&job, &options, &HostFacts::default(), None, SystemTime::now());
        r.provenance.machine = on.clone();
        r.outcome = outcome;
        r
    }

    #[test]
    fn a_table_with_executions_from_another_machine_is_found_with_their_count() {
        let (amd, intel) = (machine("AMD EPYC"), machine("Intel Xeon"));
        let cells = cells();
        let (a_io, a_cpu, b_io) = (&cells[0], &cells[1], &cells[2]);
        let stored = ResultIndex::new(vec![
            result(a_io, 1, &amd, Outcome::Ok),
            result(b_io, 1, &amd, Outcome::Failed),
            result(b_io, 2, &intel, Outcome::Ok),
            result(a_cpu, 1, &intel, Outcome::Ok),
        ]);
        let found = begun_elsewhere(&cells, &cells, &stored, &intel);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].group.as_str(), found[0].executions), ("io", 2));
        assert!(found[0].machine.starts_with("AMD EPYC, 2 cores (fingerprint "), "{found:?}");
        // Measuring one cell of the table is enough to be in the way.
        assert_eq!(begun_elsewhere(&cells, std::slice::from_ref(a_io), &stored, &intel), found);
        // From the AMD's side, the Intel's executions are in the way of both tables.
        let from_amd = begun_elsewhere(&cells, &cells, &stored, &amd);
        assert_eq!(from_amd.iter().map(|b| b.executions).sum::<usize>(), 2, "{from_amd:?}");
    }

    #[test]
    fn tables_not_measured_now_and_na_results_are_not_in_the_way() {
        let (amd, intel) = (machine("AMD EPYC"), machine("Intel Xeon"));
        let cells = cells();
        let (a_io, a_cpu, b_io) = (&cells[0], &cells[1], &cells[2]);
        let stored = ResultIndex::new(vec![
            result(a_io, 1, &amd, Outcome::Na),
            result(a_cpu, 1, &amd, Outcome::Ok),
        ]);
        // io's only stored result is N/A; cpu, begun on the AMD, is not being measured.
        let io = [a_io.clone(), b_io.clone()];
        assert_eq!(begun_elsewhere(&cells, &io, &stored, &intel), vec![]);
        // Results stored before machines were recorded cannot be told apart.
        let old = ResultIndex::new(vec![result(a_io, 1, &Machine::default(), Outcome::Ok)]);
        assert_eq!(begun_elsewhere(&cells, &cells, &old, &intel), vec![]);
    }
}
