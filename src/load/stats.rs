//! Statistics of one generator thread, merged into a `LoadSummary` at the end.
//! Contract: nothing is kept per request; memory is constant in run length (HdrHistograms of
//! 1 µs to 1 h at 3 significant figures, and counters) but for the per-second windows
//! (`windows.rs`, a few KiB each). This file never imports hyper.

use std::time::Duration;

use hdrhistogram::Histogram;

use super::summary::{ErrorCounts, LatencySummary, LoadSummary, ThreadRate};
use super::windows::Windows;

/// Lowest and highest latency recorded, microseconds (1 µs to 1 h).
const LOWEST_US: u64 = 1;
const HIGHEST_US: u64 = 3_600_000_000;
const SIGNIFICANT_FIGURES: u8 = 3;

/// How a request failed (a non-2xx status is a completed request, see `record_response`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    Connect,
    Read,
    Write,
    Timeout,
}

/// Counters and histograms of one generator thread.
#[derive(Debug)]
pub struct ThreadStats {
    /// From the actual send to the end of the response body.
    latency: Histogram<u64>,
    /// Open loop only: from the intended send time to the end of the response body.
    corrected: Option<Histogram<u64>>,
    /// Requests per second of this thread, one sample per 100 ms.
    thread_rps: Histogram<u64>,
    pub requests: u64,
    pub ok_requests: u64,
    pub bytes_read: u64,
    pub errors: ErrorCounts,
    pub reconnects: u64,
    pub resent: u64,
    pub in_flight_at_deadline: u64,
    /// Of `in_flight_at_deadline`, answered while the run drained (`LoadConfig::drain`).
    pub drained: u64,
    /// How long this thread's connections took to end after sending ended.
    pub drain_us: u64,
    pub cpu_us: u64,
    /// The same, second by second.
    windows: Windows,
}

/// What `ThreadStats::summarize` needs besides the counts.
pub struct RunFacts<'a> {
    pub url: &'a str,
    pub connections: u32,
    pub threads: u32,
    pub target_rps: Option<u64>,
    pub duration: Duration,
    pub timeout: Duration,
    /// Name of the HTTP/1.1 client that measured.
    pub http_client: &'static str,
    pub warnings: Vec<String>,
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(LOWEST_US, HIGHEST_US, SIGNIFICANT_FIGURES)
        .expect("constant histogram bounds are valid")
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX).max(LOWEST_US)
}

impl ThreadStats {
    pub fn new(open_loop: bool, windows: Windows) -> Self {
        ThreadStats {
            latency: histogram(),
            corrected: open_loop.then(histogram),
            thread_rps: histogram(),
            requests: 0,
            ok_requests: 0,
            bytes_read: 0,
            errors: ErrorCounts::default(),
            reconnects: 0,
            resent: 0,
            in_flight_at_deadline: 0,
            drained: 0,
            drain_us: 0,
            cpu_us: 0,
            windows,
        }
    }

    /// A complete response: `latency` from the actual send, `corrected` from the intended
    /// send (open loop only).
    pub fn record_response(&mut self, ok: bool, latency: Duration, corrected: Option<Duration>) {
        self.requests += 1;
        if ok {
            self.ok_requests += 1;
        } else {
            self.errors.status += 1;
        }
        self.latency.saturating_record(micros(latency));
        if let (Some(histogram), Some(corrected)) = (self.corrected.as_mut(), corrected) {
            histogram.saturating_record(micros(corrected));
        }
    }

    pub fn record_failure(&mut self, failure: Failure) {
        let counter = match failure {
            Failure::Connect => &mut self.errors.connect,
            Failure::Read => &mut self.errors.read,
            Failure::Write => &mut self.errors.write,
            Failure::Timeout => &mut self.errors.timeout,
        };
        *counter += 1;
    }

    /// Ends the current window of the time series (see `windows.rs`): at every second of the
    /// measured period but the last, and once more when the thread is done.
    pub fn close_window(&mut self) {
        let errors = self.errors.total();
        self.windows.close(&self.latency, self.requests, errors);
    }

    /// Whether the window ending `elapsed` into the period is closed by the sampler.
    pub fn window_closes_at(&self, elapsed: Duration) -> bool {
        self.windows.closes_at(elapsed)
    }

    /// One throughput sample: `requests` completed in `window`.
    pub fn record_rate_sample(&mut self, requests: u64, window: Duration) {
        let seconds = window.as_secs_f64();
        if seconds > 0.0 {
            self.thread_rps.saturating_record((requests as f64 / seconds).round() as u64);
        }
    }

    /// Adds another thread's figures to these (CPU times add up).
    pub fn merge(&mut self, other: &ThreadStats) {
        let same_bounds = "histograms share their bounds";
        self.latency.add(&other.latency).expect(same_bounds);
        if let (Some(mine), Some(theirs)) = (self.corrected.as_mut(), other.corrected.as_ref()) {
            mine.add(theirs).expect(same_bounds);
        }
        self.thread_rps.add(&other.thread_rps).expect(same_bounds);
        self.requests += other.requests;
        self.ok_requests += other.ok_requests;
        self.bytes_read += other.bytes_read;
        let (mine, theirs) = (&mut self.errors, &other.errors);
        mine.connect += theirs.connect;
        mine.read += theirs.read;
        mine.write += theirs.write;
        mine.timeout += theirs.timeout;
        mine.status += theirs.status;
        self.reconnects += other.reconnects;
        self.resent += other.resent;
        self.in_flight_at_deadline += other.in_flight_at_deadline;
        self.drained += other.drained;
        // The threads drain at once: the run's drain is its longest.
        self.drain_us = self.drain_us.max(other.drain_us);
        self.cpu_us += other.cpu_us;
        self.windows.merge(&other.windows);
    }

    pub fn summarize(&self, facts: RunFacts<'_>) -> LoadSummary {
        let seconds = facts.duration.as_secs_f64();
        let per_second = |count: u64| {
            if seconds > 0.0 { count as f64 / seconds } else { 0.0 }
        };
        let rps = per_second(self.requests);
        let mut warnings = facts.warnings;
        if let Some(target) = facts.target_rps {
            // wrk2 warns too: below 95% of the target, the schedule was not kept.
            if rps < 0.95 * target as f64 {
                warnings.push(format!(
                    "achieved {rps:.1} requests/s, {:.0}% of the {target} requests/s target: the \
                     server (or the generator) could not keep up; corrected latency includes the \
                     backlog. Lower -R or add connections.",
                    100.0 * rps / target as f64
                ));
            }
        }
        LoadSummary {
            url: facts.url.to_string(),
            connections: facts.connections,
            // Filled in by `run`, which knows how many could not be opened.
            connections_not_opened: 0,
            threads: facts.threads,
            target_rps: facts.target_rps,
            duration_us: micros(facts.duration),
            requests: self.requests,
            ok_requests: self.ok_requests,
            rps,
            ok_rps: per_second(self.ok_requests),
            bytes_read: self.bytes_read,
            latency: latency_summary(&self.latency),
            corrected_latency: self.corrected.as_ref().map(latency_summary),
            errors: self.errors.clone(),
            reconnects: self.reconnects,
            resent: self.resent,
            in_flight_at_deadline: self.in_flight_at_deadline,
            drained: self.drained,
            drain_us: self.drain_us,
            // Filled in by `run`, which knows when the measured window began.
            setup_us: 0,
            generator_cpu_us: self.cpu_us,
            latency_within_stdev_percent: within_stdev_percent(&self.latency),
            thread_rps: ThreadRate {
                mean_rps: self.thread_rps.mean(),
                stdev_rps: self.thread_rps.stdev(),
                max_rps: self.thread_rps.max() as f64,
                within_stdev_percent: within_stdev_percent(&self.thread_rps),
            },
            timeout_us: micros(facts.timeout),
            http_client: facts.http_client.to_string(),
            windows: self.windows.summarize(),
            warnings,
        }
    }
}

fn latency_summary(histogram: &Histogram<u64>) -> LatencySummary {
    if histogram.is_empty() {
        return LatencySummary::default();
    }
    let at = |percentile: f64| histogram.value_at_percentile(percentile);
    LatencySummary {
        mean_us: histogram.mean(),
        stdev_us: histogram.stdev(),
        min_us: histogram.min(),
        max_us: histogram.max(),
        p50_us: at(50.0),
        p75_us: at(75.0),
        p90_us: at(90.0),
        p99_us: at(99.0),
        p999_us: at(99.9),
        p9999_us: at(99.99),
    }
}

/// Share of samples within one standard deviation of the mean, percent (0 when empty).
fn within_stdev_percent(histogram: &Histogram<u64>) -> f64 {
    if histogram.is_empty() {
        return 0.0;
    }
    let (mean, stdev) = (histogram.mean(), histogram.stdev());
    let low = (mean - stdev).max(0.0).ceil() as u64;
    let high = (mean + stdev).floor() as u64;
    if high < low {
        return 0.0;
    }
    100.0 * histogram.count_between(low, high) as f64 / histogram.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Statistics of a 1 s period.
    fn stats() -> ThreadStats {
        let second = Duration::from_secs(1);
        ThreadStats::new(true, Windows::new(second, second))
    }

    #[test]
    fn merge_adds_counts_and_histograms() {
        let (mut a, mut b) = (stats(), stats());
        a.record_response(true, Duration::from_millis(1), Some(Duration::from_millis(2)));
        b.record_response(false, Duration::from_millis(3), Some(Duration::from_millis(4)));
        b.record_failure(Failure::Timeout);
        a.close_window();
        b.close_window();
        a.merge(&b);
        let summary = a.summarize(RunFacts {
            url: "http://127.0.0.1:1/",
            connections: 2,
            threads: 2,
            target_rps: None,
            duration: Duration::from_secs(1),
            timeout: Duration::from_secs(1),
            http_client: "lean",
            warnings: Vec::new(),
        });
        assert_eq!((summary.requests, summary.ok_requests), (2, 1));
        assert_eq!((summary.errors.status, summary.errors.timeout), (1, 1));
        assert!((summary.latency.mean_us - 2000.0).abs() < 5.0, "{:?}", summary.latency);
        let corrected = summary.corrected_latency.expect("open loop keeps corrected latency");
        assert!((corrected.mean_us - 3000.0).abs() < 5.0, "{corrected:?}");
        let window = &summary.windows[..];
        assert_eq!(window.len(), 1, "{window:?}");
        assert_eq!((window[0].requests, window[0].errors), (2, 2));
    }

    #[test]
    fn short_rate_warns() {
        let mut stats = stats();
        stats.record_response(true, Duration::from_millis(1), Some(Duration::from_millis(1)));
        let facts = |target| RunFacts {
            url: "u",
            connections: 1,
            threads: 1,
            target_rps: Some(target),
            duration: Duration::from_secs(1),
            timeout: Duration::from_secs(1),
            http_client: "lean",
            warnings: Vec::new(),
        };
        assert_eq!(stats.summarize(facts(1)).warnings.len(), 0);
        assert_eq!(stats.summarize(facts(100)).warnings.len(), 1);
    }
}
