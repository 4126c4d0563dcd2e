/// Where the server container and the load generator run. By default the server gets one
/// dedicated core (the last one) and the generator's threads are pinned to the others, so
/// they never compete; a cell's own `cpuset` wins.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// `cpuset_cpus` of the server container.
    pub server_cpuset: Option<String>,
    /// CPUs the generator threads are pinned to (round robin); `None` leaves them free.
    pub generator_cpus: Option<Vec<usize>>,
}

impl Placement {
    pub fn plan(online_cpus: usize, cell_cpuset: Option<&str>) -> Placement {
        if let Some(set) = cell_cpuset {
            let server: Vec<usize> = parse_cpuset(set);
            let generator: Vec<usize> = (0..online_cpus).filter(|c| !server.contains(c)).collect();
            return Placement {
                server_cpuset: Some(set.to_string()),
                generator_cpus: (!generator.is_empty()).then_some(generator),
            };
        }
        if online_cpus < 2 {
            return Placement { server_cpuset: None, generator_cpus: None };
        }
        let server = online_cpus - 1;
        Placement {
            server_cpuset: Some(server.to_string()),
            generator_cpus: Some((0..server).collect()),
        }
    }
}

/// `"1"`, `"0-2"`, `"0,3"` → CPU numbers.
pub fn parse_cpuset(set: &str) -> Vec<usize> {
    // The matrix validated the cpuset (`model::checks::cpuset`); a Docker-style set the
    // matrix did not write (the host's own) that does not parse pins nothing.
    crate::model::checks::cpuset(set.trim(), u64::from(u16::MAX)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedicates_the_last_core_to_the_server() {
        assert_eq!(
            Placement::plan(2, None),
            Placement { server_cpuset: Some("1".into()), generator_cpus: Some(vec![0]) }
        );
        assert_eq!(
            Placement::plan(4, None),
            Placement { server_cpuset: Some("3".into()), generator_cpus: Some(vec![0, 1, 2]) }
        );
        assert_eq!(
            Placement::plan(1, None),
            Placement { server_cpuset: None, generator_cpus: None }
        );
    }

    #[test]
    fn a_cells_cpuset_wins() {
        assert_eq!(
            Placement::plan(4, Some("0-1")),
            Placement { server_cpuset: Some("0-1".into()), generator_cpus: Some(vec![2, 3]) }
        );
        assert_eq!(parse_cpuset("0,2-3"), vec![0, 2, 3]);
    }
}
