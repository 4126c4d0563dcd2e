//! The text report, laid out like wrk's (people read it by habit), plus bench's extra lines.

use std::fmt::Write;

use super::summary::{LatencySummary, LoadSummary};

/// wrk's unit tables: scale, base unit, larger units.
struct Units {
    scale: f64,
    base: &'static str,
    larger: &'static [&'static str],
}

const TIME_US: Units = Units { scale: 1000.0, base: "us", larger: &["ms", "s"] };
const TIME_S: Units = Units { scale: 60.0, base: "s", larger: &["m", "h"] };
const BINARY: Units = Units { scale: 1024.0, base: "", larger: &["K", "M", "G", "T", "P"] };
const METRIC: Units = Units { scale: 1000.0, base: "", larger: &["k", "M", "G", "T", "P"] };

/// wrk's `format_units`: divides while the amount is at least 85% of the next unit.
fn format_units(amount: f64, units: &Units, precision: usize) -> String {
    let (mut amount, mut unit) = (amount, units.base);
    let mut i = 0;
    while i + 1 < units.larger.len() && amount >= units.scale * 0.85 {
        amount /= units.scale;
        unit = units.larger[i];
        i += 1;
    }
    format!("{amount:.precision$}{unit}")
}

fn format_time_us(us: f64) -> String {
    if us >= 1_000_000.0 {
        format_units(us / 1_000_000.0, &TIME_S, 2)
    } else {
        format_units(us, &TIME_US, 2)
    }
}

fn format_binary(bytes: f64) -> String {
    format_units(bytes, &BINARY, 2)
}

fn format_metric(n: f64) -> String {
    format_units(n, &METRIC, 2)
}

/// wrk's `print_units`: right-aligned in `width`, unitless figures padded to line up.
fn units_cell(text: String, width: usize) -> String {
    let bytes = text.as_bytes();
    let mut pad = 2usize;
    if bytes.last().is_some_and(u8::is_ascii_alphabetic) {
        pad -= 1;
    }
    if bytes.len() >= 2 && bytes[bytes.len() - 2].is_ascii_alphabetic() {
        pad -= 1;
    }
    format!("{text:>w$}{}", &"  "[..pad], w = width - pad)
}

fn stats_row(out: &mut String, name: &str, cells: [String; 3], within: f64) {
    let _ = writeln!(
        out,
        "    {name:<10}{}{}{}{within:>8.2}%",
        units_cell(cells[0].clone(), 8),
        units_cell(cells[1].clone(), 10),
        units_cell(cells[2].clone(), 9),
    );
}

fn distribution(out: &mut String, title: &str, latency: &LatencySummary) {
    let _ = writeln!(out, "  {title}");
    let rows = [
        ("50", latency.p50_us),
        ("75", latency.p75_us),
        ("90", latency.p90_us),
        ("99", latency.p99_us),
        ("99.9", latency.p999_us),
        ("99.99", latency.p9999_us),
    ];
    for (percent, us) in rows {
        let _ = writeln!(out, "{percent:>7}%{}", units_cell(format_time_us(us as f64), 10));
    }
}

/// The whole report.
pub fn render_text(summary: &LoadSummary) -> String {
    let mut out = String::new();
    let seconds = summary.duration_us as f64 / 1e6;
    // wrk states whole seconds; a sub-second run keeps its unit.
    let length = if seconds >= 1.0 {
        format_units(seconds, &TIME_S, 0)
    } else {
        format_time_us(summary.duration_us as f64)
    };
    let _ = writeln!(out, "Running {length} test @ {}", summary.url);
    let _ = write!(out, "  {} threads and {} connections", summary.threads, summary.connections);
    if summary.connections_not_opened > 0 {
        let open = u64::from(summary.connections) - summary.connections_not_opened;
        let _ = write!(out, " ({open} open: out of files for the others)");
    }
    out.push('\n');
    if let Some(rate) = summary.target_rps {
        let _ = writeln!(
            out,
            "  open loop: {rate} requests/s target, latency also from the intended send"
        );
    }
    let _ =
        writeln!(out, "  Thread Stats{:>6}{:>11}{:>8}{:>12}", "Avg", "Stdev", "Max", "+/- Stdev");
    let latency = &summary.latency;
    stats_row(
        &mut out,
        "Latency",
        [
            format_time_us(latency.mean_us),
            format_time_us(latency.stdev_us),
            format_time_us(latency.max_us as f64),
        ],
        summary.latency_within_stdev_percent,
    );
    let rate = &summary.thread_rps;
    stats_row(
        &mut out,
        "Req/Sec",
        [format_metric(rate.mean_rps), format_metric(rate.stdev_rps), format_metric(rate.max_rps)],
        rate.within_stdev_percent,
    );
    if let Some(corrected) = &summary.corrected_latency {
        distribution(
            &mut out,
            "Latency Distribution (from the intended send, coordinated omission corrected)",
            corrected,
        );
        distribution(&mut out, "Latency Distribution (from the actual send)", latency);
    } else {
        distribution(&mut out, "Latency Distribution", latency);
    }
    let _ = writeln!(
        out,
        "  {} requests in {}, {}B read",
        summary.requests,
        format_time_us(summary.duration_us as f64),
        format_binary(summary.bytes_read as f64)
    );
    let errors = &summary.errors;
    if errors.connect + errors.read + errors.write + errors.timeout > 0 {
        let _ = writeln!(
            out,
            "  Socket errors: connect {}, read {}, write {}, timeout {}",
            errors.connect, errors.read, errors.write, errors.timeout
        );
    }
    if errors.status > 0 {
        let _ = writeln!(out, "  Non-2xx or 3xx responses: {}", errors.status);
    }
    let _ = writeln!(out, "Requests/sec: {:>9.2}", summary.rps);
    let _ = writeln!(
        out,
        "Transfer/sec: {:>10}B",
        format_binary(ratio(summary.bytes_read as f64, seconds))
    );
    // bench's own lines.
    let _ = writeln!(out, "2xx requests/sec: {:.2}", summary.ok_rps);
    let _ = writeln!(
        out,
        "Errors: connect {}, read {}, write {}, timeout {}, non-2xx {}",
        errors.connect, errors.read, errors.write, errors.timeout, errors.status
    );
    let _ = writeln!(
        out,
        "Reconnects: {}, resent after a server close: {}, in flight at the deadline (dropped): {}",
        summary.reconnects, summary.resent, summary.in_flight_at_deadline
    );
    let cpu_seconds = summary.generator_cpu_us as f64 / 1e6;
    let _ = writeln!(
        out,
        "Generator CPU: {cpu_seconds:.2}s ({:.0}% of one core), {:.0} requests per CPU-second ({} client)",
        100.0 * ratio(cpu_seconds, seconds),
        ratio(summary.requests as f64, cpu_seconds),
        summary.http_client
    );
    for warning in &summary.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    out
}

/// `amount / per`, or 0 when `per` is not positive (an empty run).
fn ratio(amount: f64, per: f64) -> f64 {
    if per > 0.0 { amount / per } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_like_wrk() {
        assert_eq!(format_time_us(635.91), "635.91us");
        assert_eq!(format_time_us(890.0), "0.89ms");
        assert_eq!(format_time_us(12_920.0), "12.92ms");
        assert_eq!(format_time_us(10_000_000.0), "10.00s");
        assert_eq!(format_units(10.0, &TIME_S, 0), "10s");
        assert_eq!(format_metric(56_200.0), "56.20k");
        assert_eq!(format_binary(109.8 * 1024.0 * 1024.0), "109.80M");
        assert_eq!(units_cell("635.91us".into(), 8), "635.91us");
        assert_eq!(units_cell("12.92ms".into(), 9), "  12.92ms");
        assert_eq!(units_cell("93.50".into(), 9), "  93.50  ");
    }

    #[test]
    fn connections_left_unopened_are_said_on_the_connections_line() {
        let summary = LoadSummary {
            url: "http://127.0.0.1:1/".into(),
            threads: 1,
            connections: 200,
            connections_not_opened: 146,
            duration_us: 1_000_000,
            ..Default::default()
        };
        let text = render_text(&summary);
        let line = text.lines().nth(1).expect("a second line");
        assert_eq!(line, "  1 threads and 200 connections (54 open: out of files for the others)");
    }
}
