use indexmap::IndexMap;
use serde::Serialize;

/// The kind of value a setting takes, and how it is written in KDL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingKind {
    /// A duration string: `"20s"`, `"500ms"`, `"2m"`.
    Duration,
    /// A positive whole number.
    Count,
    /// A positive number, whole or not (`cpus 1.5`).
    Float,
    /// A size string: `"512MB"` (Docker's convention: 1MB = 2^20 bytes).
    Size,
    /// A string (`cpuset "1"`).
    Text,
}

/// Every setting, in the order sweeps are expanded and shown.
pub const SETTINGS: &[(&str, SettingKind, &str)] = &[
    ("duration", SettingKind::Duration, "how long each measurement lasts"),
    ("warmup", SettingKind::Duration, "load before measuring, results discarded"),
    ("connections", SettingKind::Count, "concurrent connections of the load generator"),
    ("threads", SettingKind::Count, "load generator threads"),
    ("rate", SettingKind::Count, "open-loop target in requests/s (wrk2's -R); 0 for closed loop"),
    ("timeout", SettingKind::Duration, "deadline of one request"),
    ("repeat", SettingKind::Count, "repetitions of each measurement"),
    ("cpus", SettingKind::Float, "CPUs given to the server container"),
    ("cpuset", SettingKind::Text, "CPUs the server container is pinned to (`\"1\"`)"),
    ("memory", SettingKind::Size, "memory limit of the server container (no swap)"),
    ("workers", SettingKind::Count, "server worker processes, where the server takes a count"),
];

pub fn setting_kind(key: &str) -> Option<SettingKind> {
    SETTINGS.iter().find(|(k, _, _)| *k == key).map(|(_, kind, _)| *kind)
}

/// One value of a setting, normalized (milliseconds, bytes).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum SettingValue {
    Millis(u64),
    Count(u64),
    Float(f64),
    Bytes(u64),
    Text(String),
}

impl SettingValue {
    /// As written in cell ids and tables: `20s`, `64`, `512MiB`.
    pub fn display(&self) -> String {
        match self {
            SettingValue::Millis(ms) if ms % 1000 == 0 => format!("{}s", ms / 1000),
            SettingValue::Millis(ms) => format!("{ms}ms"),
            SettingValue::Count(n) => n.to_string(),
            SettingValue::Float(f) => format!("{f}"),
            SettingValue::Bytes(b) if b % (1 << 30) == 0 => format!("{}GiB", b >> 30),
            SettingValue::Bytes(b) if b % (1 << 20) == 0 => format!("{}MiB", b >> 20),
            SettingValue::Bytes(b) => format!("{b}B"),
            SettingValue::Text(t) => t.clone(),
        }
    }
}

/// A layer of settings (defaults, a runtime, a server, a scenario, an override).
/// A key with several values is a sweep: each value becomes its own cell.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    pub values: IndexMap<&'static str, Vec<SettingValue>>,
}

impl Settings {
    /// Later layers win, key by key.
    pub fn overlay(&mut self, other: &Settings) {
        for (key, values) in &other.values {
            self.values.insert(key, values.clone());
        }
    }

    pub fn set(&mut self, key: &'static str, values: Vec<SettingValue>) {
        self.values.insert(key, values);
    }
}
