//! The methodology's machine-speed line: how much the machine's speed varied over the
//! run's executions and which ones stray, per machine.

use super::numbers;
use crate::statistics::SpeedRule;
use crate::store::CellResult;

/// The machine-speed index over the run's executions (`statistics::SpeedRule`): its spread
/// and the executions the rule flags, machine by machine when the results come from several
/// (one machine's cores are not another's: across them every execution of the slower would
/// stray); `None` when no result records a calibration figure.
pub(super) fn speed(results: &[&CellResult]) -> Option<String> {
    let mut machines: Vec<(String, Vec<(String, f64)>)> = Vec::new();
    for r in results {
        let Some(figure) = r.calibration.as_ref().map(|c| c.mops_per_second) else { continue };
        let machine = r.provenance.machine.label();
        let at = match machines.iter().position(|(m, _)| *m == machine) {
            Some(at) => at,
            None => {
                machines.push((machine, Vec::new()));
                machines.len() - 1
            }
        };
        machines[at].1.push((format!("{} repetition {}", r.id, r.repetition), figure));
    }
    match machines.as_slice() {
        [] => None,
        [(_, recorded)] => speed_line(recorded),
        _ => {
            let lines: Vec<String> = machines
                .iter()
                .filter_map(|(machine, recorded)| {
                    speed_line(recorded).map(|line| format!("on {machine}: {line}"))
                })
                .collect();
            Some(lines.join("; "))
        }
    }
}

/// The methodology's speed line from each execution's name and calibration figure.
fn speed_line(recorded: &[(String, f64)]) -> Option<String> {
    let values: Vec<f64> = recorded.iter().map(|(_, v)| *v).collect();
    let index = match SpeedRule::default().index(&values) {
        Ok(index) => index,
        Err(error) => return (!values.is_empty()).then(|| format!("not computed: {error}")),
    };
    let strays: Vec<String> = recorded
        .iter()
        .zip(index.index.iter().zip(&index.flagged))
        .filter(|(_, (_, flagged))| **flagged)
        .map(|((name, _), (i, _))| format!("{name} ({}×)", numbers::fixed(*i, 2)))
        .collect();
    let spread = format!(
        "{} executions, fastest over slowest {}×",
        values.len(),
        numbers::fixed(index.spread, 2)
    );
    Some(if strays.is_empty() {
        format!("{spread}; none strays")
    } else {
        format!("{spread}; strays (treat their figures with care): {}", strays.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Calibration, Machine, MachineFacts};

    #[test]
    fn speed_line_gives_the_spread_and_names_the_strays() {
        assert_eq!(speed_line(&[]), None);
        let run: Vec<(String, f64)> = [100.0, 101.0, 99.0, 100.5, 99.5, 70.0]
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("a/hello repetition {}", i + 1), *v))
            .collect();
        let line = speed_line(&run).unwrap();
        assert!(line.starts_with("6 executions, fastest over slowest 1.44×"), "{line}");
        assert!(
            line.ends_with("strays (treat their figures with care): a/hello repetition 6 (0.70×)"),
            "{line}"
        );
        let quiet = speed_line(&run[..5]).unwrap();
        assert!(quiet.ends_with("none strays"), "{quiet}");
    }

    #[test]
    fn each_machine_is_its_own_run_of_speeds() {
        let on = |cpu: &str, figure: f64, n: u32| {
            let fixture = "tests/fixtures/results-mixed/hello/flask-bjoern/a257f66d1fc3-r1.json";
            let text = std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture),
            );
            let mut r: CellResult = serde_json::from_str(&text.unwrap()).unwrap();
            (r.id, r.repetition) = ("a/hello".into(), n);
            r.provenance.machine = Machine::new(MachineFacts {
                cpu_model: Some(cpu.into()),
                online_cpus: 2,
                ..MachineFacts::default()
            });
            r.calibration = Some(Calibration {
                mops_per_second: figure,
                wall_ms: 0.0,
                cpu_share: 1.0,
                cpus: Vec::new(),
                host_wait: None,
            });
            r
        };
        // A steady AMD and a steady, slower Intel: no execution strays on its own machine.
        let results: Vec<CellResult> = (1..=5)
            .map(|n| on("AMD EPYC", 100.0 + n as f64 * 0.1, n))
            .chain((1..=5).map(|n| on("Intel Xeon", 70.0 + n as f64 * 0.1, n)))
            .collect();
        let refs: Vec<&CellResult> = results.iter().collect();
        let line = speed(&refs).unwrap();
        assert!(line.starts_with("on AMD EPYC, 2 cores: 5 executions"), "{line}");
        assert!(line.contains("; on Intel Xeon, 2 cores: 5 executions"), "{line}");
        assert_eq!(line.matches("none strays").count(), 2, "{line}");
        // One machine: the line as it always was.
        assert!(speed(&refs[..5]).unwrap().starts_with("5 executions, fastest over slowest"));
    }
}
