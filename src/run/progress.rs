use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use super::eta::Eta;
use super::run_plan::Planned;
use crate::store::{CellResult, Outcome};

/// What the orchestrator tells the person watching.
pub trait Progress: Send + Sync {
    fn started(&self, jobs: usize, skipped: usize);
    /// The executions of a round, before it starts; with round 1, the results this results
    /// directory held already (for the ETA).
    fn schedule(&self, _batch: &[Planned], _history: &[CellResult]) {}
    fn cell(&self, index: usize, id: &str, repetition: u32, repeat: u32);
    /// A later round of `jobs` more executions begins, `remeasures` of them replacing
    /// executions the host disturbed (the others for the precision target).
    fn round(&self, _round: u32, _jobs: usize, _remeasures: usize) {}
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
    eta: Eta,
    /// The execution under way (id, execution number) and when it began.
    running: Option<(String, u32, Instant)>,
}

impl State {
    /// The ETA's estimate less the time the execution under way has taken already (at most
    /// its own estimate, so that an overrun does not eat the others' time).
    fn eta_text(&self) -> String {
        let mut left = self.eta.remaining();
        if let Some((id, repetition, began)) = &self.running {
            let own = self.eta.estimate_of(id, *repetition).unwrap_or_default();
            left = left.saturating_sub(began.elapsed().min(own));
        }
        let left = Duration::from_secs(left.as_secs());
        format!("ETA {}", humantime::format_duration(left))
    }
}

impl Display {
    pub fn new() -> Display {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg}")
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
        s.running = Some((id.to_string(), repetition, Instant::now()));
        let (total, eta) = (s.total, s.eta_text());
        drop(s);
        if self.bar.is_none() {
            eprintln!(
                "[{}/{}] {id}{} ({eta})",
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

    fn schedule(&self, batch: &[Planned], history: &[CellResult]) {
        let mut s = self.state();
        s.eta.learn(history);
        s.eta.schedule(batch);
    }

    fn round(&self, round: u32, jobs: usize, remeasures: usize) {
        let mut s = self.state();
        s.total += jobs;
        if let Some(bar) = &self.bar {
            bar.set_length(s.total as u64);
        }
        drop(s);
        let wide = jobs - remeasures.min(jobs);
        let mut why = Vec::new();
        if wide > 0 {
            why.push(format!("{wide} for cells whose interval is still too wide"));
        }
        if remeasures > 0 {
            why.push(format!("{remeasures} replacing executions the host disturbed"));
        }
        self.line(format!(
            "bench run: round {round}: {jobs} more execution(s): {}",
            why.join(", ")
        ));
    }

    fn phase(&self, phase: &str) {
        let s = self.state();
        let msg = format!(
            "{}: {phase} | done {} failed {} left {} | {}",
            s.current,
            s.done,
            s.failed,
            s.total - s.done,
            s.eta_text()
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
                "{}: measuring, {rps:.0} req/s | done {} failed {} left {} | {}",
                s.current,
                s.done,
                s.failed,
                s.total - s.done,
                s.eta_text()
            ));
        }
    }

    fn finished(&self, r: &CellResult) {
        let mut s = self.state();
        s.done += 1;
        s.eta.finished(r);
        s.running = None;
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
