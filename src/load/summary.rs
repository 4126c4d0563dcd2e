use serde::{Deserialize, Serialize};

/// What one load run measured. Units are in the field names. This struct is the load
/// generator's whole output: `bench load --json` prints it, `bench run` stores it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadSummary {
    /// Target URL.
    pub url: String,
    /// Connections asked for.
    pub connections: u32,
    /// Connections of `connections` that could not be opened because the generator had no
    /// file left (its open-files limit): the load came from the others. 0 normally.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub connections_not_opened: u64,
    pub threads: u32,
    /// Open-loop target rate in requests/s; `None` for closed loop.
    pub target_rps: Option<u64>,
    /// Measured wall time (from all connections up to the deadline), microseconds.
    pub duration_us: u64,
    /// Completed requests (responses fully read), whatever their status.
    pub requests: u64,
    /// Completed requests with a 2xx status.
    pub ok_requests: u64,
    /// `requests` per second of `duration_us`.
    pub rps: f64,
    /// `ok_requests` per second: the throughput reports use.
    pub ok_rps: f64,
    /// Response bytes read (head and body).
    pub bytes_read: u64,
    /// Latency of completed requests, from the actual send (closed loop, wrk's figure).
    pub latency: LatencySummary,
    /// Open loop only: latency from the intended send time (coordinated omission corrected);
    /// a connection that opened after its first slot has its slots moved by that much, so the
    /// generator's set-up is not in it.
    pub corrected_latency: Option<LatencySummary>,
    pub errors: ErrorCounts,
    /// Connections re-opened after an error or a server close.
    pub reconnects: u64,
    /// Requests resent once on a new connection because the server had closed the kept-alive
    /// connection before answering them (no response byte read; GET is idempotent). Not
    /// errors; each is also a reconnect.
    #[serde(default)]
    pub resent: u64,
    /// Requests sent but not complete when the deadline came: dropped then with their
    /// connection (never awaited past the deadline), not counted as requests or errors.
    pub in_flight_at_deadline: u64,
    /// A draining run only (`LoadConfig::drain`, the primer and warm-up): of
    /// `in_flight_at_deadline`, the requests awaited and answered after sending ended (not in
    /// `requests`). The others timed out or failed: the server may still be busy with them.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub drained: u64,
    /// A draining run only: how long awaiting the requests in flight took after sending
    /// ended, microseconds (at most about `timeout_us`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub drain_us: u64,
    /// Time spent opening every connection, microseconds (long against a server with a short
    /// listen backlog). As in wrk, it is part of the measured window (`duration_us`), which
    /// opens when the connections are opened.
    #[serde(default)]
    pub setup_us: u64,
    /// CPU time (user + system) the generator's threads used while measuring, microseconds.
    pub generator_cpu_us: u64,
    /// Share of `latency` samples within one standard deviation of the mean, percent
    /// (wrk's "+/- Stdev" column).
    #[serde(default)]
    pub latency_within_stdev_percent: f64,
    /// Completed requests per second of one generator thread, sampled every 100 ms
    /// (wrk's "Req/Sec" row).
    #[serde(default)]
    pub thread_rps: ThreadRate,
    /// Request timeout, microseconds.
    #[serde(default)]
    pub timeout_us: u64,
    /// The HTTP/1.1 client that measured: `lean` (bench's own) or `hyper`. Results
    /// stored before the field existed were measured with hyper.
    #[serde(default = "measured_before_lean")]
    pub http_client: String,
    /// The measured period second by second (the last window shorter when the duration is
    /// not whole seconds): completed requests, errors and latency. The windows' requests add
    /// up to `requests`, their errors to `errors.total()`. Empty in results stored before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<LoadWindow>,
    /// Things a reader of the figures must know: the achieved rate fell short of the
    /// open-loop target, threads were reduced to the number of connections, ...
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// One window of the measured period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadWindow {
    /// Start, from the start of the measured period, microseconds.
    pub start_us: u64,
    pub duration_us: u64,
    /// Requests completed in the window, whatever their status.
    pub requests: u64,
    /// Requests failed in the window, of any kind (status errors included, like the totals).
    pub errors: u64,
    /// Latency of the window's completed requests (from the actual send), within 1%; 0 when
    /// none completed.
    pub p50_us: u64,
    pub p99_us: u64,
}

/// Per-thread throughput samples, requests per second.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ThreadRate {
    pub mean_rps: f64,
    pub stdev_rps: f64,
    pub max_rps: f64,
    /// Share of samples within one standard deviation of the mean, percent.
    pub within_stdev_percent: f64,
}

/// Latency distribution in microseconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencySummary {
    pub mean_us: f64,
    pub stdev_us: f64,
    pub min_us: u64,
    pub max_us: u64,
    pub p50_us: u64,
    pub p75_us: u64,
    pub p90_us: u64,
    pub p99_us: u64,
    pub p999_us: u64,
    pub p9999_us: u64,
}

/// Errors by kind. A request counts in exactly one kind.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorCounts {
    /// The TCP connection could not be made (refused, unreachable).
    pub connect: u64,
    /// Reading the response failed (reset, early close, malformed response).
    pub read: u64,
    /// Writing the request failed.
    pub write: u64,
    /// No complete response within the request timeout.
    pub timeout: u64,
    /// A complete response with a status outside 2xx.
    pub status: u64,
}

impl ErrorCounts {
    pub fn total(&self) -> u64 {
        self.connect + self.read + self.write + self.timeout + self.status
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn measured_before_lean() -> String {
    "hyper".to_string()
}
