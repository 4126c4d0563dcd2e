/// Where the server container and the load generator run, within the CPUs each may use:
/// bench's own (its affinity, `HostFacts::bench_cpus`) for the generator, the engine's
/// (`engine::EngineFacts::cpus`, the CPUs its containers get) for the server.
///
/// - Both the same set (one machine): the server gets the last CPU and the generator's
///   threads the others, so they never compete.
/// - Different sets (an engine with CPUs of its own: Docker-in-Docker in a pod whose
///   containers the CPU manager gives exclusive cores): the server gets the last of the
///   engine's CPUs that bench does not run on (else the last of the engine's), the generator
///   every other CPU of bench's.
/// - A cell's own `cpuset` wins when the engine has all of its CPUs; when it does not, the
///   cell cannot be placed (the engine would refuse the container, or put it on a core the
///   run does not own). When the engine's CPUs are unknown (its probe failed), the cell's
///   `cpuset` goes to the engine as written, and the engine answers for it: refusing it then
///   is the engine's word, not a guess from bench's own CPUs.
/// - With a single CPU for both, nothing is pinned.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// `cpuset_cpus` of the server container.
    pub server_cpuset: Option<String>,
    /// CPUs the generator threads are pinned to (round robin); `None` leaves them free.
    pub generator_cpus: Option<Vec<usize>>,
    /// Where the machine-speed calibration runs (`run::Calibrate`): the server's CPUs when
    /// bench may run there, else the generator's (the engine's own CPUs are out of bench's
    /// reach); empty: wherever it runs.
    pub calibration_cpus: Vec<usize>,
}

impl Placement {
    /// The placement of a cell with the optional `cell_cpuset` when bench runs on `bench`
    /// and the engine's containers get `engine` (`None`: unknown, placed as if they were
    /// bench's). `Err` says why the cell cannot be placed and what to do.
    pub fn plan(
        bench: &[usize],
        engine: Option<&[usize]>,
        cell_cpuset: Option<&str>,
    ) -> Result<Placement, String> {
        let server: Vec<usize> = match (cell_cpuset, engine) {
            // Unknown engine CPUs: the engine checks the set when it makes the container.
            (Some(set), None) => parse_cpuset(set),
            (Some(set), Some(engine)) => {
                let wanted = parse_cpuset(set);
                let outside: Vec<usize> =
                    wanted.iter().filter(|c| !engine.contains(c)).copied().collect();
                if !outside.is_empty() {
                    return Err(format!(
                        "the cell's cpuset `{set}` asks for CPU {} but the Docker engine's \
                         containers can only run on CPU {}: set `cpuset` in the matrix within \
                         {}, or remove it and let bench place the server",
                        cpu_list(&outside),
                        cpu_list(engine),
                        cpu_list(engine)
                    ));
                }
                wanted
            }
            (None, engine) => {
                let engine = engine.unwrap_or(bench);
                let apart = engine.iter().rev().find(|c| !bench.contains(c));
                match apart.or(engine.last()) {
                    Some(&cpu) => vec![cpu],
                    None => return Ok(Placement::unpinned()),
                }
            }
        };
        let generator: Vec<usize> = bench.iter().filter(|c| !server.contains(c)).copied().collect();
        if cell_cpuset.is_none() && generator.is_empty() {
            // One CPU for everything: pinning would separate nothing.
            return Ok(Placement::unpinned());
        }
        let calibration_cpus = match server.iter().all(|c| bench.contains(c)) {
            true => server.clone(),
            false => generator.clone(),
        };
        Ok(Placement {
            server_cpuset: Some(cell_cpuset.map_or_else(|| cpu_list(&server), str::to_string)),
            generator_cpus: (!generator.is_empty()).then_some(generator),
            calibration_cpus,
        })
    }

    fn unpinned() -> Placement {
        Placement { server_cpuset: None, generator_cpus: None, calibration_cpus: Vec::new() }
    }
}

/// `"1"`, `"0-2"`, `"0,3"` → CPU numbers.
fn parse_cpuset(set: &str) -> Vec<usize> {
    // The matrix validated the cpuset; one that does not parse pins nothing.
    crate::engine::parse_cpu_list(set).unwrap_or_default()
}

/// CPU numbers → a cpuset as Docker and the kernel write it: `0-3,6` (sorted, runs joined).
pub fn cpu_list(cpus: &[usize]) -> String {
    let mut sorted = cpus.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for cpu in sorted {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == cpu => *end = cpu,
            _ => runs.push((cpu, cpu)),
        }
    }
    let run = |&(start, end): &(usize, usize)| match start == end {
        true => start.to_string(),
        false => format!("{start}-{end}"),
    };
    runs.iter().map(run).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(server: &str, generator: &[usize], calibration: &[usize]) -> Placement {
        Placement {
            server_cpuset: Some(server.into()),
            generator_cpus: Some(generator.to_vec()),
            calibration_cpus: calibration.to_vec(),
        }
    }

    #[test]
    fn one_set_dedicates_its_last_cpu_to_the_server() {
        assert_eq!(Placement::plan(&[0, 1], Some(&[0, 1]), None), Ok(placed("1", &[0], &[1])));
        assert_eq!(
            Placement::plan(&[0, 1, 2, 3], Some(&[0, 1, 2, 3]), None),
            Ok(placed("3", &[0, 1, 2], &[3]))
        );
        // The CPUs a pod was given, numbered as the node numbers them.
        assert_eq!(Placement::plan(&[4, 9], Some(&[4, 9]), None), Ok(placed("9", &[4], &[9])));
        assert_eq!(Placement::plan(&[0], Some(&[0]), None), Ok(Placement::unpinned()));
    }

    #[test]
    fn an_engine_with_cpus_of_its_own_runs_the_server_there_and_bench_keeps_its_own() {
        // Docker-in-Docker with exclusive CPUs 6 and 7, bench with 2 and 3: the calibration
        // cannot reach the server's CPU, so it runs where the generator does.
        assert_eq!(
            Placement::plan(&[2, 3], Some(&[6, 7]), None),
            Ok(placed("7", &[2, 3], &[2, 3]))
        );
        // One CPU each is enough to keep them apart.
        assert_eq!(Placement::plan(&[2], Some(&[5]), None), Ok(placed("5", &[2], &[2])));
        // The node's engine sees every CPU: the server goes to one bench does not use.
        assert_eq!(
            Placement::plan(&[1, 2], Some(&[0, 1, 2, 3]), None),
            Ok(placed("3", &[1, 2], &[1, 2]))
        );
        // An engine within bench's CPUs: its last one, taken from the generator.
        assert_eq!(
            Placement::plan(&[0, 1, 2], Some(&[1, 2]), None),
            Ok(placed("2", &[0, 1], &[2]))
        );
    }

    #[test]
    fn a_cells_cpuset_wins_within_the_engines_cpus() {
        assert_eq!(
            Placement::plan(&[0, 1, 2, 3], Some(&[0, 1, 2, 3]), Some("0-1")),
            Ok(placed("0-1", &[2, 3], &[0, 1]))
        );
        assert_eq!(
            Placement::plan(&[2, 3], Some(&[6, 7]), Some("6")),
            Ok(placed("6", &[2, 3], &[2, 3]))
        );
        assert_eq!(parse_cpuset("0,2-3"), vec![0, 2, 3]);
    }

    #[test]
    fn a_cells_cpuset_goes_to_the_engine_as_written_when_its_cpus_are_unknown() {
        // Bench runs on 0-1; the engine may well have CPU 5: it, not bench, says.
        assert_eq!(Placement::plan(&[0, 1], None, Some("5")), Ok(placed("5", &[0, 1], &[0, 1])));
        assert_eq!(Placement::plan(&[0, 1], None, Some("1")), Ok(placed("1", &[0], &[1])));
        // Without a cpuset, the server is placed as if the engine had bench's CPUs.
        assert_eq!(Placement::plan(&[0, 1], None, None), Ok(placed("1", &[0], &[1])));
    }

    #[test]
    fn a_cells_cpuset_outside_the_engines_cpus_is_refused_naming_both() {
        let refused = Placement::plan(&[0, 1], Some(&[4, 5]), Some("1-2")).unwrap_err();
        assert!(refused.contains("cpuset `1-2` asks for CPU 1-2"), "{refused}");
        assert!(refused.contains("can only run on CPU 4-5"), "{refused}");
        assert!(refused.contains("set `cpuset` in the matrix within 4-5"), "{refused}");
        let partly = Placement::plan(&[0, 1, 2, 3], Some(&[0, 1, 2, 3]), Some("3,8")).unwrap_err();
        assert!(partly.contains("asks for CPU 8 but"), "{partly}");
    }

    #[test]
    fn cpu_lists_join_runs() {
        assert_eq!(cpu_list(&[3, 0, 1, 2, 6, 8, 9]), "0-3,6,8-9");
        assert_eq!(cpu_list(&[5]), "5");
        assert_eq!(cpu_list(&[]), "");
    }
}
