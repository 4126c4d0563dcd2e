//! Rules on single values: characters, pins, paths, cpusets. Each returns the error kind
//! the analyzer reports at the value's span.

use std::str::FromStr;

use hyper::http::HeaderValue;
use hyper::http::uri::PathAndQuery;

use super::ErrorKind;

/// Names that become ids, file names and image tags.
pub const NAME_CHARS: &str = "letters, digits, `.`, `_` and `-`";
const GLOB_CHARS: &str = "letters, digits, `.`, `_`, `-`, `:` and the glob characters `*?[]!`";
const FILE_CHARS: &str = "letters, digits, `.`, `_`, `-` and `/` in a relative path without `..`";
const PROGRAM_CHARS: &str = "letters, digits, `.`, `_`, `-` and `/`";
const DEBIAN_CHARS: &str = "lowercase letters, digits, `+`, `.` and `-` (a Debian package name)";
const ENV_CHARS: &str = "letters, digits and `_`, not starting with a digit";
const IMAGE_CHARS: &str = "letters, digits and `.`, `_`, `-`, `/`, `:`, `@`";
const TARGET_CHARS: &str = "letters, digits, `.`, `_` and `:` (`module:attribute`)";

fn only(
    what: &str,
    value: &str,
    ok: impl Fn(char) -> bool,
    allowed: &'static str,
) -> Result<(), ErrorKind> {
    if !value.is_empty() && value.chars().all(ok) {
        return Ok(());
    }
    Err(ErrorKind::UnsafeText {
        what: what.into(),
        value: value.escape_debug().to_string(),
        allowed,
    })
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// A definition name, variant, interface or row name (they reach cell ids).
pub fn name(what: &str, value: &str) -> Result<(), ErrorKind> {
    only(what, value, name_char, NAME_CHARS)
}

/// A label may be empty (it then leaves its part out of row names).
pub fn label(value: &str) -> Result<(), ErrorKind> {
    if value.is_empty() { Ok(()) } else { name("label", value) }
}

pub fn glob(value: &str) -> Result<(), ErrorKind> {
    let ok = |c: char| name_char(c) || matches!(c, '*' | '?' | '[' | ']' | '!' | ':');
    only("pattern", value, ok, GLOB_CHARS)
}

/// A file or directory under `apps/`.
pub fn relative_file(what: &str, value: &str) -> Result<(), ErrorKind> {
    let traverses = value.starts_with('/') || value.split('/').any(|p| p == ".." || p.is_empty());
    let ok = |c: char| !traverses && (name_char(c) || c == '/');
    only(what, value, ok, FILE_CHARS)
}

/// A program run by name or path (`python3`, `/opt/pypy/bin/pypy3`).
pub fn program(value: &str) -> Result<(), ErrorKind> {
    let ok = |c: char| name_char(c) || c == '/';
    only("program", value, ok, PROGRAM_CHARS)
}

pub fn debian_package(value: &str) -> Result<(), ErrorKind> {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '+' | '.' | '-');
    only("system package", value, ok, DEBIAN_CHARS)
}

pub fn env_key(value: &str) -> Result<(), ErrorKind> {
    let leading_digit = value.starts_with(|c: char| c.is_ascii_digit());
    let ok = |c: char| !leading_digit && (c.is_ascii_alphanumeric() || c == '_');
    only("environment variable", value, ok, ENV_CHARS)
}

pub fn image(value: &str) -> Result<(), ErrorKind> {
    let ok = |c: char| name_char(c) || matches!(c, '/' | ':' | '@');
    only("image", value, ok, IMAGE_CHARS)
}

pub fn app_target(value: &str) -> Result<(), ErrorKind> {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':');
    only("app target", value, ok, TARGET_CHARS)
}

/// Text that reaches a Dockerfile or a shell command line.
pub fn no_control(what: &str, value: &str) -> Result<(), ErrorKind> {
    match value.chars().any(char::is_control) {
        true => Err(ErrorKind::ControlCharacter { what: what.into() }),
        false => Ok(()),
    }
}

/// A command of a runtime's `setup`: one shell line, not blank.
pub fn setup_command(value: &str) -> Result<(), ErrorKind> {
    no_control("a set-up command", value)?;
    match value.trim().is_empty() {
        true => Err(ErrorKind::MissingValue { node: "setup".into(), what: "a command".into() }),
        false => Ok(()),
    }
}

/// An apt configuration item as `apt-get -o` takes it: `Scope::Name=value`, the name's parts
/// (letters, digits, `.`, `_`, `-`) joined by `::`. apt itself would only fail at build time.
pub fn apt_option(value: &str) -> Result<(), ErrorKind> {
    no_control("an apt option", value)?;
    let fail = |reason: &str| ErrorKind::InvalidAptOption {
        option: value.to_string(),
        reason: reason.into(),
    };
    if value.starts_with('-') {
        return Err(fail("write the item alone: bench puts `-o` before it"));
    }
    let Some((name, _)) = value.split_once('=') else {
        return Err(fail("it has no `=VALUE`"));
    };
    let part_ok = |p: &str| !p.is_empty() && p.chars().all(name_char);
    if !name.split("::").all(part_ok) {
        return Err(fail(
            "its name is not parts of letters, digits, `.`, `_` and `-` joined by `::`",
        ));
    }
    Ok(())
}

/// A pip requirement pinned to one version: `name[extras]==VERSION` (an environment
/// marker after `;` is allowed).
pub fn pinned_requirement(value: &str) -> Result<(), ErrorKind> {
    no_control("a requirement", value)?;
    let spec = value.split(';').next().unwrap_or_default().trim();
    let name_end = spec.find(|c: char| !(name_char(c) || c == '[' || c == ']' || c == ','));
    let (name, rest) = spec.split_at(name_end.unwrap_or(spec.len()));
    let version = rest.strip_prefix("==").map(str::trim);
    let pinned = version.is_some_and(|v| {
        !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '!' | '-' | '_'))
    });
    if pinned && !name.is_empty() {
        return Ok(());
    }
    let bare = name.split('[').next().unwrap_or(name);
    let operator = rest.starts_with(['=', '>', '<', '~', '!']);
    let version = rest.trim_start_matches(['=', '>', '<', '~', '!']).trim();
    let hint = (operator && !version.is_empty()).then(|| {
        format!(
            "use == to pin one version: `\"{bare}=={version}\"` (`=` is no pip operator; `>=`, \
             `~=` and the like let other versions in)"
        )
    });
    Err(ErrorKind::UnpinnedRequirement { requirement: value.into(), hint })
}

/// The request target of a scenario: an origin-form path (RFC 9112 section 3.2.1).
pub fn request_path(value: &str) -> Result<(), ErrorKind> {
    let fail = |reason: &str| ErrorKind::InvalidPath {
        path: value.escape_debug().to_string(),
        reason: reason.into(),
    };
    if !value.starts_with('/') {
        return Err(fail("it does not start with `/`"));
    }
    if value.contains('#') {
        return Err(fail("a fragment (`#`) is never sent"));
    }
    match PathAndQuery::from_str(value) {
        Ok(parsed) if parsed.as_str() == value => Ok(()),
        _ => Err(fail(
            "it has characters a request line cannot carry (spaces, control characters, quotes)",
        )),
    }
}

pub fn content_type(value: &str) -> Result<(), ErrorKind> {
    let media = value.split(';').next().unwrap_or_default().trim();
    let valid_media = media.split_once('/').is_some_and(|(t, s)| {
        let token = |p: &str| {
            !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
        };
        token(t) && token(s)
    });
    match HeaderValue::from_str(value) {
        Ok(_) if valid_media => Ok(()),
        _ => Err(ErrorKind::InvalidContentType { value: value.escape_debug().to_string() }),
    }
}

/// Docker's `--cpuset-cpus`: CPU numbers and ranges separated by commas, each at most `max`;
/// the CPUs it names, in order. The one cpuset parser: the run stage reads validated cpusets
/// with it too.
pub fn cpuset(value: &str, max: u64) -> Result<Vec<usize>, ErrorKind> {
    let fail = |reason: String| ErrorKind::InvalidCpuset {
        text: value.escape_debug().to_string(),
        reason,
    };
    let number = |t: &str| -> Result<u64, ErrorKind> {
        if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
            return Err(fail(format!("`{t}` is not a CPU number")));
        }
        match t.parse::<u64>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(fail(format!("CPU {t} is beyond {max}"))),
        }
    };
    let mut cpus = Vec::new();
    for part in value.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (number(a)?, number(b)?);
                if a > b {
                    return Err(fail(format!("the range {a}-{b} runs backwards")));
                }
                cpus.extend(a as usize..=b as usize);
            }
            None => cpus.push(number(part)? as usize),
        }
    }
    Ok(cpus)
}
