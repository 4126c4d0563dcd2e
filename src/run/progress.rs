use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::store::{CellResult, Outcome};

/// What the orchestrator tells the person watching.
pub trait Progress: Send + Sync {
    fn started(&self, jobs: usize, skipped: usize);
    fn cell(&self, index: usize, id: &str, repetition: u32, repeat: u32);
    /// A precision round of `jobs` more executions begins.
    fn round(&self, _round: u32, _jobs: usize) {}
    fn phase(&self, phase: &str);
    fn live_rps(&self, rps: f64);
    fn finished(&self, result: &CellResult);
    fn done(&self);
}

/// An indicatif bar on a terminal, plain lines otherwise.
pub struct Display {
    bar: Option<ProgressBar>,
    state: std::sync::Mutex<State>,
}

#[derive(Default)]
struct State {
    total: usize,
    done: usize,
    failed: usize,
    current: String,
    started: Option<Instant>,
}

impl Display {
    pub fn new() -> Display {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg} (ETA {eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Display { bar, state: std::sync::Mutex::new(State::default()) }
    }

    fn line(&self, text: String) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for Display {
    fn default() -> Self {
        Display::new()
    }
}

impl Progress for Display {
    fn started(&self, jobs: usize, skipped: usize) {
        let mut s = self.state();
        s.total = jobs;
        s.started = Some(Instant::now());
        if let Some(bar) = &self.bar {
            bar.set_length(jobs as u64);
        }
        drop(s);
        self.line(format!(
            "bench run: {jobs} measurement(s) to do, {skipped} already stored (use --force to redo)"
        ));
    }

    fn cell(&self, index: usize, id: &str, repetition: u32, repeat: u32) {
        let mut s = self.state();
        s.current = if repeat > 1 { format!("{id} #{repetition}") } else { id.to_string() };
        let total = s.total;
        drop(s);
        if self.bar.is_none() {
            eprintln!(
                "[{}/{}] {id}{}",
                index + 1,
                total,
                if repeat > 1 {
                    format!(" (execution {repetition}/{repeat})")
                } else {
                    String::new()
                }
            );
        }
    }

    fn round(&self, round: u32, jobs: usize) {
        let mut s = self.state();
        s.total += jobs;
        if let Some(bar) = &self.bar {
            bar.set_length(s.total as u64);
        }
        drop(s);
        self.line(format!(
            "bench run: precision round {round}: {jobs} more execution(s) of the cells whose interval is still too wide"
        ));
    }

    fn phase(&self, phase: &str) {
        let s = self.state();
        let msg = format!(
            "{}: {phase} | done {} failed {} left {}",
            s.current,
            s.done,
            s.failed,
            s.total - s.done
        );
        drop(s);
        match &self.bar {
            Some(bar) => bar.set_message(msg),
            None => eprintln!("    {phase}"),
        }
    }

    fn live_rps(&self, rps: f64) {
        if let Some(bar) = &self.bar {
            let s = self.state();
            bar.set_message(format!(
                "{}: measuring, {rps:.0} req/s | done {} failed {} left {}",
                s.current,
                s.done,
                s.failed,
                s.total - s.done
            ));
        }
    }

    fn finished(&self, r: &CellResult) {
        let mut s = self.state();
        s.done += 1;
        if matches!(r.outcome, Outcome::Failed | Outcome::Invalid) {
            s.failed += 1;
        }
        drop(s);
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
        let text = match (&r.outcome, &r.load) {
            (Outcome::Ok, Some(l)) => {
                let warn: Vec<&str> =
                    r.checks.iter().filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
                format!(
                    "    ok: {:.0} req/s (2xx), mean {:.2} ms, p99 {:.2} ms{}",
                    l.ok_rps,
                    l.latency.mean_us / 1000.0,
                    l.latency.p99_us as f64 / 1000.0,
                    if warn.is_empty() {
                        String::new()
                    } else {
                        format!("; checks failed: {}", warn.join(", "))
                    }
                )
            }
            (outcome, _) => format!(
                "    {}: {}",
                format!("{outcome:?}").to_lowercase(),
                r.reason.as_deref().unwrap_or("")
            ),
        };
        self.line(format!("{} {}", r.id, text.trim_start()));
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        let s = self.state();
        let took = s
            .started
            .map(|t| {
                humantime::format_duration(Duration::from_secs(t.elapsed().as_secs())).to_string()
            })
            .unwrap_or_default();
        eprintln!(
            "bench run: {} measurement(s) done, {} failed or invalid, in {took}",
            s.done, s.failed
        );
    }
}

/// Discards everything: for `bench smoke`, which prints its own lines, and tests.
pub struct Quiet;

impl Progress for Quiet {
    fn started(&self, _: usize, _: usize) {}
    fn cell(&self, _: usize, _: &str, _: u32, _: u32) {}
    fn phase(&self, _: &str) {}
    fn live_rps(&self, _: f64) {}
    fn finished(&self, _: &CellResult) {}
    fn done(&self) {}
}
