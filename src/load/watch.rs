//! A live view of a run's per-second windows and a way to end the run early: what a caller
//! needs to stop a warm-up once its throughput is steady (`run::Execution`).
//!
//! Each generator thread reports the requests of every window it closes (`windows.rs`); a
//! window is complete once every thread has reported it. `stop` is seen by the threads'
//! samplers within one sampling interval (100 ms); they then drop their connections, like
//! at the deadline (a draining run awaits their requests in flight first), and the run's
//! summary covers the time until the stop.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Shared between the caller and a load run (`load::run_watched`).
#[derive(Debug, Default)]
pub struct LoadWatch {
    state: Mutex<WatchState>,
    stop: AtomicBool,
}

#[derive(Debug, Default)]
struct WatchState {
    threads: usize,
    /// Per window: completed requests so far, and how many threads reported it.
    windows: Vec<(u64, usize)>,
}

impl LoadWatch {
    /// Completed requests of each whole window every thread has closed, in order.
    pub fn windows(&self) -> Vec<u64> {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let threads = state.threads.max(1);
        state.windows.iter().take_while(|(_, seen)| *seen >= threads).map(|(r, _)| *r).collect()
    }

    /// Ends the run early (within 100 ms); requests in flight are dropped, as at the deadline
    /// (or awaited, in a draining run).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// A run of `threads` generator threads (or a fake generator's one) begins.
    pub fn begin(&self, threads: usize) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).threads = threads;
    }

    /// One thread closed window `index` with `requests` completed in it.
    pub fn report(&self, index: usize, requests: u64) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.windows.len() <= index {
            state.windows.resize(index + 1, (0, 0));
        }
        let window = &mut state.windows[index];
        window.0 += requests;
        window.1 += 1;
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::load::{LoadConfig, run_watched};

    /// A keep-alive HTTP/1.1 server on 127.0.0.1 answering `ok` to every request; its URL.
    fn server() -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || {
                    let (mut stream, mut buf) = (stream, [0u8; 4096]);
                    while let Ok(n @ 1..) = stream.read(&mut buf) {
                        let requests = buf[..n].windows(4).filter(|w| w == b"\r\n\r\n").count();
                        let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
                        if (0..requests).any(|_| stream.write_all(answer).is_err()) {
                            return;
                        }
                    }
                });
            }
        });
        url
    }

    #[test]
    fn a_real_run_shows_its_windows_and_ends_when_told() {
        let config = LoadConfig {
            connections: 2,
            threads: 2,
            duration: Duration::from_secs(60),
            ..LoadConfig::new(server())
        };
        let watch = Arc::new(LoadWatch::default());
        let shared = watch.clone();
        let run = std::thread::spawn(move || run_watched(&config, shared));
        while watch.windows().is_empty() {
            assert!(!run.is_finished(), "the run ended before its first window");
            std::thread::sleep(Duration::from_millis(20));
        }
        watch.stop();
        let summary = run.join().unwrap().unwrap();
        assert!(summary.duration_us < 60_000_000, "stopped long before its 60 s: {summary:?}");
        assert!(summary.windows.len() >= 2, "a whole window, then the rest: {:?}", summary.windows);
        let windowed: u64 = summary.windows.iter().map(|w| w.requests).sum();
        assert_eq!(windowed, summary.requests);
        assert_eq!(
            summary.windows[0].requests,
            watch.windows()[0],
            "the watch saw the same window"
        );
    }

    #[test]
    fn a_window_is_complete_once_every_thread_reported_it() {
        let watch = LoadWatch::default();
        watch.begin(2);
        watch.report(0, 10);
        assert!(watch.windows().is_empty());
        watch.report(1, 7);
        watch.report(0, 5);
        assert_eq!(watch.windows(), [15]);
        watch.report(1, 3);
        assert_eq!(watch.windows(), [15, 10]);
        assert!(!watch.stopped());
        watch.stop();
        assert!(watch.stopped());
    }
}
