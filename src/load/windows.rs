//! The measured period as a time series: one window per second (the last one shorter when the
//! duration is not whole seconds) with its completed requests, errors and latency p50/p99.
//! Each generator thread keeps its own windows (nothing shared per request), merged at the
//! end like the rest of its statistics.
//!
//! A window's latencies go to an HdrHistogram of 2 significant figures (p50 and p99 within
//! 1%) up to the request timeout, which no completed request exceeds: a few KiB per window
//! and thread, allocated when the window sees its first response.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use super::summary::LoadWindow;

/// The length of a window.
pub const WINDOW: Duration = Duration::from_secs(1);

const SIGNIFICANT_FIGURES: u8 = 2;

/// One thread's windows over the measured period, or a merge of several threads'.
#[derive(Debug)]
pub struct Windows {
    start: Instant,
    duration: Duration,
    /// Highest latency a window's histogram holds, microseconds.
    highest_us: u64,
    windows: Vec<Window>,
}

#[derive(Debug, Default)]
struct Window {
    requests: u64,
    errors: u64,
    latency: Option<Histogram<u32>>,
}

impl Windows {
    /// Windows of the period of `duration` from `start`, for latencies up to `timeout`.
    pub fn new(start: Instant, duration: Duration, timeout: Duration) -> Self {
        let count = duration.as_nanos().div_ceil(WINDOW.as_nanos()).max(1) as usize;
        Windows {
            start,
            duration,
            highest_us: (timeout.as_micros() as u64).max(2),
            windows: (0..count).map(|_| Window::default()).collect(),
        }
    }

    /// The window of instant `at`; an instant at or past the end counts in the last one.
    fn at(&mut self, at: Instant) -> &mut Window {
        let index = at.saturating_duration_since(self.start).as_secs() as usize;
        let last = self.windows.len() - 1;
        &mut self.windows[index.min(last)]
    }

    /// A completed response, ended at `done` after `latency_us`; `ok` false (a status outside
    /// 2xx) also counts it an error, as the totals do.
    pub fn record_response(&mut self, done: Instant, latency_us: u64, ok: bool) {
        let highest_us = self.highest_us;
        let window = self.at(done);
        window.requests += 1;
        window.errors += u64::from(!ok);
        window
            .latency
            .get_or_insert_with(|| histogram(highest_us))
            .saturating_record(latency_us);
    }

    /// A failed request (or connect), seen failing at `at`.
    pub fn record_error(&mut self, at: Instant) {
        self.at(at).errors += 1;
    }

    /// Adds another thread's windows to these, window by window.
    pub fn merge(&mut self, other: &Windows) {
        if self.windows.len() < other.windows.len() {
            self.windows
                .resize_with(other.windows.len(), Window::default);
        }
        let highest_us = self.highest_us;
        for (mine, theirs) in self.windows.iter_mut().zip(&other.windows) {
            mine.requests += theirs.requests;
            mine.errors += theirs.errors;
            if let Some(theirs) = &theirs.latency {
                let mine = mine
                    .latency
                    .get_or_insert_with(|| histogram(highest_us.max(theirs.high())));
                mine.add(theirs)
                    .expect("a window holds every latency of the timeout");
            }
        }
    }

    pub fn summarize(&self) -> Vec<LoadWindow> {
        let window_us = WINDOW.as_micros() as u64;
        let total_us = self.duration.as_micros() as u64;
        self.windows
            .iter()
            .zip(0u64..)
            .map(|(window, i)| {
                let start_us = i * window_us;
                let at = |percentile| {
                    window
                        .latency
                        .as_ref()
                        .map_or(0, |h| h.value_at_percentile(percentile))
                };
                LoadWindow {
                    start_us,
                    duration_us: window_us.min(total_us.saturating_sub(start_us)),
                    requests: window.requests,
                    errors: window.errors,
                    p50_us: at(50.0),
                    p99_us: at(99.0),
                }
            })
            .collect()
    }
}

fn histogram(highest_us: u64) -> Histogram<u32> {
    Histogram::new_with_bounds(1, highest_us.max(2), SIGNIFICANT_FIGURES)
        .expect("1 us up to at least 2 us is a valid histogram range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_second_gets_its_own_shorter_window() {
        let start = Instant::now();
        let windows = Windows::new(start, Duration::from_millis(2500), Duration::from_secs(2));
        let summary = windows.summarize();
        let shape: Vec<_> = summary
            .iter()
            .map(|w| (w.start_us, w.duration_us))
            .collect();
        assert_eq!(
            shape,
            [(0, 1_000_000), (1_000_000, 1_000_000), (2_000_000, 500_000)]
        );
        let whole = Windows::new(start, Duration::from_secs(2), Duration::from_secs(2));
        assert_eq!(whole.summarize().len(), 2);
    }

    #[test]
    fn threads_merge_window_by_window_and_the_end_counts_in_the_last() {
        let start = Instant::now();
        let (duration, timeout) = (Duration::from_secs(2), Duration::from_secs(1));
        let mut a = Windows::new(start, duration, timeout);
        let mut b = Windows::new(start, duration, timeout);
        a.record_response(start + Duration::from_millis(10), 1_000, true);
        a.record_response(start + Duration::from_millis(20), 3_000, false);
        b.record_response(start + Duration::from_millis(1500), 500_000, true);
        b.record_error(start + duration);
        a.merge(&b);
        let summary = a.summarize();
        let counts: Vec<_> = summary.iter().map(|w| (w.requests, w.errors)).collect();
        assert_eq!(counts, [(2, 1), (1, 1)]);
        assert!((990..=1_010).contains(&summary[0].p50_us), "{summary:?}");
        assert!((2_970..=3_030).contains(&summary[0].p99_us), "{summary:?}");
        assert!(
            (495_000..=505_000).contains(&summary[1].p99_us),
            "{summary:?}"
        );
    }
}
