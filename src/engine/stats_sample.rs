/// One reading of a container's resource counters (a one-shot stats call).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatsSample {
    /// CPU time the container has used, in nanoseconds, since it started.
    pub cpu_total_ns: u64,
    /// CPU time the whole host has used, in nanoseconds (all CPUs).
    pub system_cpu_ns: u64,
    /// CPUs online on the host.
    pub online_cpus: u32,
    /// Memory in use, page cache excluded (as `docker stats` shows it).
    pub memory_bytes: u64,
}

/// CPU use between two samples, in percent of one CPU (100.0 = one core busy), computed
/// as `docker stats` does. `None` when the samples do not span any host CPU time.
pub fn cpu_percent(before: &StatsSample, after: &StatsSample) -> Option<f64> {
    let container = after.cpu_total_ns.checked_sub(before.cpu_total_ns)?;
    let system = after.system_cpu_ns.checked_sub(before.system_cpu_ns)?;
    if system == 0 || after.online_cpus == 0 {
        return None;
    }
    Some(container as f64 / system as f64 * f64::from(after.online_cpus) * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(cpu: u64, system: u64) -> StatsSample {
        StatsSample { cpu_total_ns: cpu, system_cpu_ns: system, online_cpus: 2, memory_bytes: 0 }
    }

    #[test]
    fn one_busy_core_of_two_is_100_percent() {
        // 1 s of container CPU while the 2-CPU host accounted 2 s: one core fully used.
        let p = cpu_percent(&sample(0, 10_000_000_000), &sample(1_000_000_000, 12_000_000_000))
            .unwrap();
        assert!((p - 100.0).abs() < 1e-9, "{p}");
    }

    #[test]
    fn half_a_core() {
        let p = cpu_percent(&sample(5, 1_000), &sample(255, 2_000)).unwrap();
        assert!((p - 50.0).abs() < 1e-9, "{p}");
    }

    #[test]
    fn no_elapsed_host_time_or_counter_reset_gives_none() {
        assert_eq!(cpu_percent(&sample(0, 100), &sample(10, 100)), None);
        assert_eq!(cpu_percent(&sample(50, 100), &sample(10, 200)), None);
    }
}
