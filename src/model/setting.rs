//! One definition per setting: its name, value kind, default, allowed range and doc.
//! The analyzer, the built-in defaults, the CLI's overrides and docs/matrix.md's table all
//! derive from these; a typo'd setting is a compile error, not a silent new key.

use std::ops::RangeInclusive;

use kdl::KdlValue;

use super::values::{parse_duration_ms, parse_size};
use super::{ErrorKind, SettingValue, checks};

/// The kind of value a setting takes, and how it is written in KDL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingKind {
    /// A duration string: `"20s"`, `"500ms"`, `"2m"` (whole milliseconds).
    Duration,
    /// A whole number.
    Count,
    /// A number, whole or not (`cpus 1.5`).
    Float,
    /// A size string: `"512MB"` (Docker's convention: 1MB = 2^20 bytes).
    Size,
    /// A cpuset string (`cpuset "1"`, `"0-3,6"`).
    Cpuset,
    /// A name string (`group "all"`), with the characters of definition names.
    Name,
}

/// A setting of the matrix language.
#[derive(Debug)]
pub struct Setting {
    pub name: &'static str,
    pub kind: SettingKind,
    /// The value when no layer sets it; `None`: unset (the runner decides).
    pub default: Option<SettingValue>,
    /// Allowed values, in the kind's unit (milliseconds, bytes, a count, CPUs).
    pub range: RangeInclusive<f64>,
    /// Whether several values make a sweep; run-wide knobs take one value.
    pub sweepable: bool,
    pub doc: &'static str,
}

const DAY_MS: f64 = 86_400_000.0;
const HOUR_MS: f64 = 3_600_000.0;

pub static DURATION: Setting = Setting {
    name: "duration",
    kind: SettingKind::Duration,
    default: Some(SettingValue::Millis(20_000)),
    range: 1.0..=DAY_MS,
    sweepable: true,
    doc: "how long each measurement lasts",
};
pub static WARMUP: Setting = Setting {
    name: "warmup",
    kind: SettingKind::Duration,
    default: Some(SettingValue::Millis(0)),
    range: 0.0..=DAY_MS,
    sweepable: true,
    doc: "load before measuring; its results are discarded",
};
pub static CONNECTIONS: Setting = Setting {
    name: "connections",
    kind: SettingKind::Count,
    default: Some(SettingValue::Count(20)),
    range: 1.0..=1_000_000.0,
    sweepable: true,
    doc: "concurrent connections of the load generator",
};
pub static THREADS: Setting = Setting {
    name: "threads",
    kind: SettingKind::Count,
    default: Some(SettingValue::Count(1)),
    range: 1.0..=1024.0,
    sweepable: true,
    doc: "load generator threads; at most `connections`",
};
pub static RATE: Setting = Setting {
    name: "rate",
    kind: SettingKind::Count,
    default: Some(SettingValue::Count(0)),
    range: 0.0..=100_000_000.0,
    sweepable: true,
    doc: "open-loop target in requests/s (wrk2's `-R`); `0` is closed loop (wrk)",
};
pub static TIMEOUT: Setting = Setting {
    name: "timeout",
    kind: SettingKind::Duration,
    default: Some(SettingValue::Millis(30_000)),
    range: 1.0..=HOUR_MS,
    sweepable: true,
    doc: "deadline of one request",
};
pub static REPEAT: Setting = Setting {
    name: "repeat",
    kind: SettingKind::Count,
    default: Some(SettingValue::Count(1)),
    range: 1.0..=1000.0,
    sweepable: true,
    doc: "repetitions of each measurement",
};
pub static CPUS: Setting = Setting {
    name: "cpus",
    kind: SettingKind::Float,
    default: Some(SettingValue::Float(1.0)),
    range: 0.01..=1024.0,
    sweepable: true,
    doc: "CPUs given to the server container",
};
pub static CPUSET: Setting = Setting {
    name: "cpuset",
    kind: SettingKind::Cpuset,
    default: None,
    range: 0.0..=4095.0,
    sweepable: true,
    doc: "CPUs the server is pinned to (`\"1\"`, `\"0-3\"`); by default `bench run` gives it \
          a dedicated core",
};
pub static MEMORY: Setting = Setting {
    name: "memory",
    kind: SettingKind::Size,
    default: Some(SettingValue::Bytes(512 << 20)),
    // Docker refuses less than 6 MiB.
    range: (6u64 << 20) as f64..=(1u64 << 40) as f64,
    sweepable: true,
    doc: "memory limit of the server container (no swap)",
};
pub static WORKERS: Setting = Setting {
    name: "workers",
    kind: SettingKind::Count,
    default: Some(SettingValue::Count(1)),
    range: 1.0..=1024.0,
    sweepable: true,
    doc: "server worker processes, where the server takes a count (`{workers}`)",
};
pub static PRIMER_DURATION: Setting = Setting {
    name: "primer-duration",
    kind: SettingKind::Duration,
    default: Some(SettingValue::Millis(2_000)),
    range: 0.0..=HOUR_MS,
    sweepable: false,
    doc: "light load before the warmup that checks the server keeps answering; `\"0s\"` skips it",
};
pub static PRIMER_CONNECTIONS: Setting = Setting {
    name: "primer-connections",
    kind: SettingKind::Count,
    default: Some(SettingValue::Count(2)),
    range: 1.0..=10_000.0,
    sweepable: false,
    doc: "connections of the primer (never more than `connections`)",
};
pub static READINESS_TIMEOUT: Setting = Setting {
    name: "readiness-timeout",
    kind: SettingKind::Duration,
    default: Some(SettingValue::Millis(120_000)),
    range: 1_000.0..=HOUR_MS,
    sweepable: false,
    doc: "how long a started server may take to answer its first request",
};
pub static SAMPLE_INTERVAL: Setting = Setting {
    name: "sample-interval",
    kind: SettingKind::Duration,
    default: Some(SettingValue::Millis(1_000)),
    range: 100.0..=60_000.0,
    sweepable: false,
    doc: "how often the server container's CPU and memory are sampled",
};
pub static GROUP: Setting = Setting {
    name: "group",
    kind: SettingKind::Name,
    // Unset: each scenario is its own group (one report table).
    default: None,
    range: 0.0..=0.0,
    sweepable: false,
    doc: "comparison group: cells measured on one machine together (`--shard`, `bench plan`); \
          by default the cell's scenario, one report table",
};

/// Every setting, in the order sweeps are expanded and shown.
pub static SETTINGS: [&Setting; 16] = [
    &DURATION,
    &WARMUP,
    &CONNECTIONS,
    &THREADS,
    &RATE,
    &TIMEOUT,
    &REPEAT,
    &CPUS,
    &CPUSET,
    &MEMORY,
    &WORKERS,
    &PRIMER_DURATION,
    &PRIMER_CONNECTIONS,
    &READINESS_TIMEOUT,
    &SAMPLE_INTERVAL,
    &GROUP,
];

impl Setting {
    pub fn named(name: &str) -> Option<&'static Setting> {
        SETTINGS.iter().copied().find(|s| s.name == name)
    }

    /// Every setting's name (for "allowed here" help).
    pub fn names() -> impl Iterator<Item = &'static str> {
        SETTINGS.iter().map(|s| s.name)
    }

    /// How a value is written, for help lines.
    pub fn example(&self) -> String {
        let name = self.name;
        match self.kind {
            SettingKind::Duration => {
                format!("write a number with a unit, e.g. `{name} \"20s\"` or `{name} \"500ms\"`")
            }
            SettingKind::Size => format!(
                "write a number with a unit, e.g. `{name} \"512MB\"` (KB, MB, GB are powers of \
                 1024, as in Docker)"
            ),
            SettingKind::Count if self.sweepable => {
                format!("write e.g. `{name} 20`, or several values to sweep: `{name} 16 32 64`")
            }
            SettingKind::Count => format!("write e.g. `{name} 2`"),
            SettingKind::Float => format!("write e.g. `{name} 1` or `{name} 0.5`"),
            SettingKind::Cpuset => format!("write e.g. `{name} \"1\"` or `{name} \"0-3,6\"`"),
            SettingKind::Name => format!("write a name, e.g. `{name} \"all\"`"),
        }
    }

    /// The range in the setting's own notation (`1ms` to `24h`, `1` to `1024`).
    pub fn range_text(&self) -> (String, String) {
        let show = |v: f64| match self.kind {
            SettingKind::Duration => SettingValue::Millis(v as u64).display(),
            SettingKind::Size => SettingValue::Bytes(v as u64).display(),
            _ => format!("{v}"),
        };
        (show(*self.range.start()), show(*self.range.end()))
    }
}

impl Setting {
    /// One written value of this setting, normalized (milliseconds, bytes) and checked
    /// against the setting's range.
    pub fn parse(&self, value: &KdlValue) -> Result<SettingValue, ErrorKind> {
        let (number, parsed) = match (self.kind, value) {
            (SettingKind::Duration, KdlValue::String(s)) => {
                let ms = parse_duration_ms(s).map_err(|reason| self.invalid(reason))?;
                (ms as f64, SettingValue::Millis(ms))
            }
            (SettingKind::Size, KdlValue::String(s)) => {
                let bytes =
                    parse_size(s).map_err(|e| self.invalid(format!("invalid size `{s}`: {e}")))?;
                (bytes as f64, SettingValue::Bytes(bytes))
            }
            (SettingKind::Count, KdlValue::Integer(n)) => {
                (*n as f64, SettingValue::Count(u64::try_from(*n).unwrap_or(0)))
            }
            (SettingKind::Float, KdlValue::Integer(n)) => {
                (*n as f64, SettingValue::Float(*n as f64))
            }
            (SettingKind::Float, KdlValue::Float(f)) => (*f, SettingValue::Float(*f)),
            (SettingKind::Cpuset, KdlValue::String(s)) => {
                checks::cpuset(s, *self.range.end() as u64)?;
                return Ok(SettingValue::Text(s.clone()));
            }
            (SettingKind::Name, KdlValue::String(s)) => {
                checks::name(self.name, s)?;
                return Ok(SettingValue::Text(s.clone()));
            }
            _ => {
                let (expected, found) = (self.expected(), found(value));
                return Err(ErrorKind::SettingWrongType {
                    expected,
                    found,
                    example: self.example(),
                });
            }
        };
        if !self.range.contains(&number) {
            let (min, max) = self.range_text();
            let value = match value {
                KdlValue::String(s) => s.clone(),
                other => other.to_string(),
            };
            return Err(ErrorKind::OutOfRange {
                what: format!("`{}`", self.name),
                value,
                min,
                max,
            });
        }
        Ok(parsed)
    }

    fn invalid(&self, reason: String) -> ErrorKind {
        ErrorKind::InvalidSettingValue { setting: self.name, reason, example: self.example() }
    }

    fn expected(&self) -> &'static str {
        match self.kind {
            SettingKind::Duration => "a duration string",
            SettingKind::Size => "a size string",
            SettingKind::Count => "a whole number",
            SettingKind::Float => "a number",
            SettingKind::Cpuset | SettingKind::Name => "a string",
        }
    }
}

/// How a value's type is named in messages.
pub fn found(value: &KdlValue) -> &'static str {
    match value {
        KdlValue::String(_) => "a string",
        KdlValue::Integer(_) => "a whole number",
        KdlValue::Float(_) => "a number",
        KdlValue::Bool(_) => "a boolean",
        KdlValue::Null => "#null",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_is_a_name_string() {
        let parse = |value: KdlValue| GROUP.parse(&value);
        assert_eq!(
            parse(KdlValue::String("io-only".into())),
            Ok(SettingValue::Text("io-only".into()))
        );
        let wrong = parse(KdlValue::Integer(3)).unwrap_err();
        assert!(
            matches!(wrong, ErrorKind::SettingWrongType { expected: "a string", .. }),
            "{wrong:?}"
        );
        let spaced = parse(KdlValue::String("two words".into())).unwrap_err();
        assert!(spaced.to_string().contains("two words"), "{spaced}");
        assert!(!GROUP.sweepable && GROUP.default.is_none());
    }
}
