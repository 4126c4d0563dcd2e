use super::samples::OtherCpu;
use crate::load::LoadSummary;
use crate::numbers;
use crate::store::{Check, Usage};

/// What the checks need besides the measurement.
#[derive(Clone, Debug)]
pub struct CheckInput<'a> {
    pub load: &'a LoadSummary,
    pub usage: Option<&'a Usage>,
    /// CPUs the server container may use.
    pub server_cpus: f64,
    /// Cores the generator threads could run on.
    pub generator_cores: usize,
    /// The scenario keeps the server's CPU busy (not an io wait).
    pub cpu_bound: bool,
    /// CPU (in cores, averaged over the measurement) used by everything on the host other
    /// than the server container and the generator, the hypervisor's steal included;
    /// `None` if unknown.
    pub other_cores: Option<OtherCpu>,
}

/// Other processes may use this much CPU (in cores) before the host counts as busy.
pub const QUIET_CORES: f64 = 0.1;

/// The check that nothing else took CPU from the measured window.
pub const HOST_QUIET: &str = "host-quiet";

/// The host took CPU from the measured window: the `host-quiet` check failed (other
/// processes and the hypervisor's steal together took more than `QUIET_CORES`). It reads
/// the host's counters around the window, not the server's figures, so choosing executions
/// by it favours no outcome (`statistics::Exclusion`), and it earns the cell a re-measure
/// (`statistics::Remeasure`). Without the check (the reading was unavailable, or an older
/// result): not disturbed, as nothing says so.
pub fn host_disturbed(checks: &[Check]) -> bool {
    checks.iter().any(|c| c.name == HOST_QUIET && !c.passed)
}

/// Thresholds of the honesty checks.
pub const MAX_ERROR_RATE: f64 = 0.01;
pub const LITTLE_TOLERANCE: f64 = 0.2;
pub const BUSY_SHARE: f64 = 0.9;

/// The honesty checks of one measurement; each says what it saw, failed or not.
pub fn honesty_checks(input: &CheckInput) -> Vec<Check> {
    let l = input.load;
    let mut checks = Vec::new();
    let secs = l.duration_us as f64 / 1e6;
    let server_share =
        input.usage.map(|u| u.cpu_percent_mean / 100.0 / input.server_cpus.max(0.01));

    // 1. The generator must not be the bottleneck.
    if secs > 0.0 {
        let gen_share =
            l.generator_cpu_us as f64 / 1e6 / secs / input.generator_cores.max(1) as f64;
        // A generator this busy may hold the figure down whatever the server does, and its
        // latencies include its own queueing: the figure needs the caveat either way.
        let saturated = gen_share >= BUSY_SHARE;
        checks.push(Check {
            name: "generator-saturated".into(),
            passed: !saturated,
            detail: format!(
                "generator used {:.0}% of {} core{}, server {}",
                gen_share * 100.0,
                input.generator_cores,
                if input.generator_cores == 1 { "" } else { "s" },
                match server_share {
                    Some(s) => format!("{:.0}% of its {} CPU", s * 100.0, input.server_cpus),
                    None => "not sampled".into(),
                }
            ),
        });
    }

    // 2. Little's law (closed loop): connections ≈ throughput × mean latency.
    if l.target_rps.is_none() && l.requests > 0 && l.connections > 0 {
        let in_flight = l.rps * l.latency.mean_us / 1e6;
        let ratio = in_flight / l.connections as f64;
        checks.push(Check {
            name: "littles-law".into(),
            passed: (ratio - 1.0).abs() <= LITTLE_TOLERANCE,
            detail: format!(
                "{} connections; {} req/s x {:.2} ms = {:.1} in flight ({:.0}%)",
                l.connections,
                numbers::int(l.rps),
                l.latency.mean_us / 1000.0,
                in_flight,
                ratio * 100.0
            ),
        });
    }

    // 3. Errors: throughput counts 2xx only; many errors make the figure meaningless.
    let transport = l.errors.connect + l.errors.read + l.errors.write + l.errors.timeout;
    let attempts = l.requests + transport;
    let failed = (l.requests - l.ok_requests.min(l.requests)) + transport;
    let rate = if attempts == 0 { 1.0 } else { failed as f64 / attempts as f64 };
    checks.push(Check {
        name: "error-rate".into(),
        passed: attempts > 0 && rate <= MAX_ERROR_RATE,
        detail: if attempts == 0 {
            format!("no request completed ({} in flight at the deadline)", l.in_flight_at_deadline)
        } else {
            format!(
            "{failed} of {attempts} requests failed ({:.2}%): connect {}, read {}, write {}, timeout {}, non-2xx {}",
            rate * 100.0,
            l.errors.connect,
            l.errors.read,
            l.errors.write,
            l.errors.timeout,
            l.errors.status
        )
        },
    });

    // 4. A CPU-bound scenario should keep the server busy.
    if input.cpu_bound
        && let Some(s) = server_share
    {
        checks.push(Check {
            name: "server-busy".into(),
            passed: s >= BUSY_SHARE,
            detail: format!(
                "server used {:.0}% of its {} CPU (expected at least {:.0}%)",
                s * 100.0,
                input.server_cpus,
                BUSY_SHARE * 100.0
            ),
        });
    }

    // 5. The server ran the whole time, and so did its workers: a master that respawns
    // dying workers keeps the container up while the figure drops.
    if let Some(u) = input.usage {
        let deaths = u.worker_deaths.unwrap_or(0);
        checks.push(Check {
            name: "server-stable".into(),
            passed: !u.oom_killed && u.restarts == 0 && deaths == 0,
            detail: format!(
                "{}{}; peak memory {:.1} MiB",
                if u.oom_killed {
                    "OOM-killed".to_string()
                } else {
                    format!("{} restarts", u.restarts)
                },
                match u.worker_deaths {
                    Some(n) => format!(", {n} worker death{}", if n == 1 { "" } else { "s" }),
                    None => String::new(),
                },
                u.memory_bytes_max as f64 / (1 << 20) as f64
            ),
        });
    }

    // 6. Nothing else competed for the CPUs.
    // The steal is named apart: a neighbour of this virtual machine took it, not a process
    // here, and no amount of quiet on this host brings it back.
    if let Some(OtherCpu { cores, steal }) = input.other_cores {
        let processes = cores - steal;
        checks.push(Check {
            name: HOST_QUIET.into(),
            passed: cores <= QUIET_CORES,
            detail: format!("other processes used {processes:.2} cores and the hypervisor stole {steal:.2} while measuring (at most {QUIET_CORES} together expected; kernel interrupt work not counted)"),
        });
    }

    // 7. Open loop: the target rate was reached.
    if let Some(target) = l.target_rps {
        checks.push(Check {
            name: "rate-achieved".into(),
            passed: l.rps >= 0.95 * target as f64,
            detail: format!(
                "{} req/s of {} targeted",
                numbers::int(l.rps),
                numbers::int(target as f64)
            ),
        });
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{ErrorCounts, LatencySummary};

    fn load(rps: f64, mean_ms: f64, connections: u32) -> LoadSummary {
        let secs = 10.0;
        let requests = (rps * secs) as u64;
        LoadSummary {
            connections,
            threads: 1,
            duration_us: (secs * 1e6) as u64,
            requests,
            ok_requests: requests,
            rps,
            ok_rps: rps,
            latency: LatencySummary { mean_us: mean_ms * 1000.0, ..Default::default() },
            generator_cpu_us: 3_000_000,
            ..Default::default()
        }
    }

    fn usage(cpu: f64) -> Usage {
        Usage {
            cpu_percent_mean: cpu,
            cpu_percent_max: cpu,
            memory_bytes_max: 50 << 20,
            samples: 10,
            oom_killed: false,
            restarts: 0,
            worker_deaths: Some(0),
            steal_cores: None,
        }
    }

    fn check<'a>(checks: &'a [Check], name: &str) -> &'a Check {
        checks.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no {name} check"))
    }

    #[test]
    fn a_clean_measurement_passes_everything() {
        let l = load(2000.0, 10.0, 20);
        let u = usage(99.0);
        let checks = honesty_checks(&CheckInput {
            load: &l,
            usage: Some(&u),
            server_cpus: 1.0,
            generator_cores: 1,
            cpu_bound: true,
            other_cores: None,
        });
        assert!(checks.iter().all(|c| c.passed), "{checks:?}");
        assert_eq!(
            check(&checks, "littles-law").detail,
            "20 connections; 2,000 req/s x 10.00 ms = 20.0 in flight (100%)"
        );
        assert_eq!(
            check(&checks, "generator-saturated").detail,
            "generator used 30% of 1 core, server 99% of its 1 CPU"
        );
    }

    #[test]
    fn flags_a_saturated_generator() {
        let mut l = load(2000.0, 10.0, 20);
        l.generator_cpu_us = 9_800_000;
        let u = usage(55.0);
        let checks = honesty_checks(&CheckInput {
            load: &l,
            usage: Some(&u),
            server_cpus: 1.0,
            generator_cores: 1,
            cpu_bound: true,
            other_cores: None,
        });
        assert!(!check(&checks, "generator-saturated").passed);
        assert!(!check(&checks, "server-busy").passed);
    }

    #[test]
    fn a_generator_busy_past_the_threshold_is_flagged_even_when_the_server_is_busy_too() {
        let mut l = load(100_000.0, 0.2, 20);
        l.generator_cpu_us = 9_700_000;
        let u = usage(100.0);
        let input = |usage| CheckInput {
            load: &l,
            usage,
            server_cpus: 1.0,
            generator_cores: 1,
            cpu_bound: true,
            other_cores: None,
        };
        assert!(!check(&honesty_checks(&input(Some(&u))), "generator-saturated").passed);
        assert!(!check(&honesty_checks(&input(None)), "generator-saturated").passed);
    }

    #[test]
    fn flags_littles_law_mismatch_and_errors() {
        let mut l = load(100.0, 10.0, 300); // 1 in flight of 300
        l.errors = ErrorCounts { timeout: 50, ..Default::default() };
        l.ok_requests = l.requests - 20;
        l.errors.status = 20;
        let checks = honesty_checks(&CheckInput {
            load: &l,
            usage: None,
            server_cpus: 1.0,
            generator_cores: 1,
            cpu_bound: false,
            other_cores: None,
        });
        assert!(!check(&checks, "littles-law").passed);
        let errors = check(&checks, "error-rate");
        assert!(!errors.passed);
        assert_eq!(
            errors.detail,
            "70 of 1050 requests failed (6.67%): connect 0, read 0, write 0, timeout 50, non-2xx 20"
        );
        assert!(checks.iter().all(|c| c.name != "server-busy"), "io-bound: no busy check");
    }

    #[test]
    fn flags_a_busy_host() {
        let l = load(2000.0, 10.0, 20);
        let input = |cores, steal| CheckInput {
            load: &l,
            usage: None,
            server_cpus: 1.0,
            generator_cores: 1,
            cpu_bound: false,
            other_cores: Some(OtherCpu { cores, steal }),
        };
        let quiet = honesty_checks(&input(0.02, 0.01));
        assert!(check(&quiet, "host-quiet").passed);
        let busy = honesty_checks(&input(0.85, 0.60));
        assert_eq!(
            check(&busy, "host-quiet").detail,
            "other processes used 0.25 cores and the hypervisor stole 0.60 while measuring (at most 0.1 together expected; kernel interrupt work not counted)"
        );
        assert!(!check(&busy, "host-quiet").passed);
        // Steal alone makes a busy host too.
        assert!(!check(&honesty_checks(&input(0.4, 0.4)), "host-quiet").passed);
        // The reading that earns a re-measure and may leave the execution out of its figure.
        assert!(host_disturbed(&busy) && !host_disturbed(&quiet));
        assert!(!host_disturbed(&[]), "no reading: nothing says the host was busy");
    }

    #[test]
    fn records_oom_and_open_loop_shortfall() {
        let mut l = load(800.0, 1.0, 10);
        l.target_rps = Some(1000);
        let mut u = usage(99.0);
        u.oom_killed = true;
        let checks = honesty_checks(&CheckInput {
            load: &l,
            usage: Some(&u),
            server_cpus: 1.0,
            generator_cores: 1,
            cpu_bound: true,
            other_cores: None,
        });
        assert!(!check(&checks, "server-stable").passed);
        assert!(!check(&checks, "rate-achieved").passed);
        assert!(checks.iter().all(|c| c.name != "littles-law"), "no Little's law in open loop");
    }

    #[test]
    fn workers_that_died_fail_server_stable_with_their_count() {
        let l = load(2000.0, 10.0, 20);
        let mut u = usage(99.0);
        let stable = |u: &Usage| {
            check(
                &honesty_checks(&CheckInput {
                    load: &l,
                    usage: Some(u),
                    server_cpus: 1.0,
                    generator_cores: 1,
                    cpu_bound: true,
                    other_cores: None,
                }),
                "server-stable",
            )
            .clone()
        };
        assert!(stable(&u).passed);
        assert_eq!(stable(&u).detail, "0 restarts, 0 worker deaths; peak memory 50.0 MiB");
        u.worker_deaths = Some(3);
        assert!(!stable(&u).passed);
        assert_eq!(stable(&u).detail, "0 restarts, 3 worker deaths; peak memory 50.0 MiB");
        u.worker_deaths = None;
        assert_eq!(stable(&u).detail, "0 restarts; peak memory 50.0 MiB", "unseen: not claimed");
    }
}
