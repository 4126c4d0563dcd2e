//! The measured period as a time series: one window per second (the last one shorter when the
//! duration is not whole seconds) with its completed requests, errors and latency p50/p99.
//!
//! Nothing is done per request: each generator thread's sampler closes a window at every
//! second (`Windows::close`, with the thread's running totals), the window being the
//! difference from the last close; the thread closes its last window at the end, and the
//! threads' windows are merged window by window like the rest of their statistics. A window
//! is thus as long as the sampler's second (a request is in the window its thread's sampler
//! saw it in), and the windows add up to the totals exactly.
//!
//! A window keeps its latencies in an HdrHistogram of 2 significant figures (p50 and p99
//! within 1%) up to the request timeout, which no completed request exceeds: a few KiB per
//! window and thread.

use std::time::Duration;

use hdrhistogram::Histogram;

use super::summary::LoadWindow;

/// The length of a window.
pub const WINDOW: Duration = Duration::from_secs(1);

const SIGNIFICANT_FIGURES: u8 = 2;

/// One thread's windows over the measured period, or a merge of several threads'.
#[derive(Debug)]
pub struct Windows {
    duration: Duration,
    /// How many windows the duration makes.
    count: usize,
    /// Highest latency a window's histogram holds, microseconds.
    highest_us: u64,
    closed: Vec<Window>,
    /// The running totals at the last close.
    last: Totals,
}

#[derive(Debug, Default)]
struct Totals {
    latency: Option<Histogram<u64>>,
    requests: u64,
    errors: u64,
}

#[derive(Debug, Default)]
struct Window {
    requests: u64,
    errors: u64,
    latency: Option<Histogram<u32>>,
}

impl Windows {
    /// The windows of a period of `duration`, for latencies up to `timeout`.
    pub fn new(duration: Duration, timeout: Duration) -> Self {
        Windows {
            duration,
            count: duration.as_nanos().div_ceil(WINDOW.as_nanos()).max(1) as usize,
            highest_us: (timeout.as_micros() as u64).max(2),
            closed: Vec::new(),
            last: Totals::default(),
        }
    }

    /// Whether the window ending `elapsed` into the period is one the sampler closes (every
    /// whole second before the end; the last window is closed when the thread is done).
    pub fn closes_at(&self, elapsed: Duration) -> bool {
        elapsed < self.duration && elapsed.subsec_nanos() == 0 && elapsed >= WINDOW
    }

    /// Ends the current window, given the thread's running totals: its latency histogram,
    /// completed requests and errors. Closed past the last window (a thread that ran late),
    /// it adds to the last one.
    pub fn close(&mut self, latency: &Histogram<u64>, requests: u64, errors: u64) {
        let mut delta = latency.clone();
        if let Some(last) = &self.last.latency {
            delta.subtract(last).expect("a running histogram only grows");
        }
        let mut window = Window {
            requests: requests - self.last.requests,
            errors: errors - self.last.errors,
            latency: None,
        };
        if !delta.is_empty() {
            let mut small = histogram(self.highest_us);
            for value in delta.iter_recorded() {
                let count = u32::try_from(value.count_at_value()).unwrap_or(u32::MAX);
                small.saturating_record_n(value.value_iterated_to(), count);
            }
            window.latency = Some(small);
        }
        self.last = Totals { latency: Some(latency.clone()), requests, errors };
        if self.closed.len() < self.count {
            self.closed.push(window);
        } else if let Some(end) = self.closed.last_mut() {
            end.add(&window, self.highest_us);
        }
    }

    /// Adds another thread's windows to these, window by window.
    pub fn merge(&mut self, other: &Windows) {
        if self.closed.len() < other.closed.len() {
            self.closed.resize_with(other.closed.len(), Window::default);
        }
        for (mine, theirs) in self.closed.iter_mut().zip(&other.closed) {
            mine.add(theirs, self.highest_us);
        }
    }

    pub fn summarize(&self) -> Vec<LoadWindow> {
        let window_us = WINDOW.as_micros() as u64;
        let total_us = self.duration.as_micros() as u64;
        self.closed
            .iter()
            .zip(0u64..)
            .map(|(window, i)| {
                let start_us = i * window_us;
                let at = |percentile| {
                    window.latency.as_ref().map_or(0, |h| h.value_at_percentile(percentile))
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

impl Window {
    fn add(&mut self, other: &Window, highest_us: u64) {
        self.requests += other.requests;
        self.errors += other.errors;
        if let Some(theirs) = &other.latency {
            let mine = self.latency.get_or_insert_with(|| histogram(highest_us.max(theirs.high())));
            mine.add(theirs).expect("a window holds every latency of the timeout");
        }
    }
}

fn histogram(highest_us: u64) -> Histogram<u32> {
    Histogram::new_with_bounds(1, highest_us.max(2), SIGNIFICANT_FIGURES)
        .expect("1 us up to at least 2 us is a valid histogram range")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A running latency histogram like a thread's, with `values` recorded.
    fn running(values: &[u64]) -> Histogram<u64> {
        let mut histogram = Histogram::new_with_bounds(1, 3_600_000_000, 3).expect("bounds");
        for &value in values {
            histogram.record(value).expect("in range");
        }
        histogram
    }

    #[test]
    fn a_part_second_gets_its_own_shorter_window() {
        let windows = Windows::new(Duration::from_millis(2500), Duration::from_secs(2));
        let second = Duration::from_secs(1);
        let closes: Vec<_> = (1..=25)
            .map(|tenth| second * tenth / 10)
            .filter(|&elapsed| windows.closes_at(elapsed))
            .collect();
        assert_eq!(closes, [second, second * 2]);
        let mut windows = windows;
        for _ in 0..3 {
            windows.close(&running(&[]), 0, 0);
        }
        let shape: Vec<_> =
            windows.summarize().iter().map(|w| (w.start_us, w.duration_us)).collect();
        assert_eq!(shape, [(0, 1_000_000), (1_000_000, 1_000_000), (2_000_000, 500_000)]);
        let whole = Windows::new(second * 2, second);
        assert!(!whole.closes_at(second * 2), "the end is closed by the thread");
    }

    #[test]
    fn windows_are_differences_of_running_totals_merged_by_window() {
        let (duration, timeout) = (Duration::from_secs(2), Duration::from_secs(1));
        let mut a = Windows::new(duration, timeout);
        let mut b = Windows::new(duration, timeout);
        a.close(&running(&[1_000, 3_000]), 2, 1);
        a.close(&running(&[1_000, 3_000, 500_000]), 3, 1);
        // Closed late, past the last window: added to it.
        a.close(&running(&[1_000, 3_000, 500_000, 2_000]), 4, 2);
        b.close(&running(&[]), 0, 0);
        b.close(&running(&[100]), 1, 0);
        a.merge(&b);
        let summary = a.summarize();
        let counts: Vec<_> = summary.iter().map(|w| (w.requests, w.errors)).collect();
        assert_eq!(counts, [(2, 1), (3, 1)]);
        assert!((990..=1_010).contains(&summary[0].p50_us), "{summary:?}");
        assert!((2_970..=3_030).contains(&summary[0].p99_us), "{summary:?}");
        // The second window: 500 ms and the late 2 ms (a), 100 us (b).
        assert!((1_980..=2_020).contains(&summary[1].p50_us), "{summary:?}");
        assert!((495_000..=505_000).contains(&summary[1].p99_us), "{summary:?}");
    }
}
