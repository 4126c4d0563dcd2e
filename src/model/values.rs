//! Parsing of the unit-bearing values of the matrix language.

use std::time::Duration;

/// The one duration parser, for the matrix language and the command line alike: `"20s"`,
/// `"1.5s"`, `"500ms"`, `"2m"`; a bare whole number is seconds, as wrk's `-d 10`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    humantime::parse_duration(text)
        .map_err(|e| format!("invalid duration `{text}`: {e} (write it like 20s or 500ms)"))
}

/// `parse_duration` in milliseconds; a value that is not a whole number of milliseconds is
/// refused rather than rounded.
pub fn parse_duration_ms(text: &str) -> Result<u64, String> {
    let d = parse_duration(text)?;
    if d.subsec_nanos() % 1_000_000 != 0 {
        return Err(format!("invalid duration `{text}`: not a whole number of milliseconds"));
    }
    u64::try_from(d.as_millis()).map_err(|_| format!("invalid duration `{text}`: too long"))
}

/// `"512MB"`, `"512m"`, `"1GiB"`, `"65536"` → bytes. As Docker reads `--memory`,
/// k/m/g (with or without `B`, with or without `i`) are powers of 1024. A fraction of a
/// byte or more than 2^64 bytes is refused rather than truncated.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: f64 = number.parse().map_err(|_| format!("`{t}` does not start with a number"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}`")),
    };
    let bytes = number * factor as f64;
    if bytes.fract() != 0.0 {
        return Err("not a whole number of bytes".into());
    }
    if bytes >= u64::MAX as f64 {
        return Err("too large".into());
    }
    Ok(bytes as u64)
}
/// The project name of a pip requirement: `gunicorn[gevent]==23.0.0` → `gunicorn`,
/// normalized as PEP 503 does (lowercase, `_` and `.` as `-`).
pub fn project_name(requirement: &str) -> String {
    let end = requirement
        .find(['[', '=', '<', '>', '!', '~', ';', ' ', '@'])
        .unwrap_or(requirement.len());
    requirement[..end].to_ascii_lowercase().replace(['_', '.'], "-")
}

/// Merge pip requirements: a later requirement of the same project replaces the earlier.
pub fn merge_requirements(into: &mut Vec<String>, more: &[String]) {
    for req in more {
        let name = project_name(req);
        match into.iter().position(|r| project_name(r) == name) {
            Some(i) => into[i] = req.clone(),
            None => into.push(req.clone()),
        }
    }
}

/// Append the items not yet present.
pub fn merge_unique(into: &mut Vec<String>, more: &[String]) {
    for item in more {
        if !into.contains(item) {
            into.push(item.clone());
        }
    }
}
