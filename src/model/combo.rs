//! A candidate row: its references, compatibility, interface and name.

use miette::SourceSpan;

use super::analyzer::Analyzer;
use super::suggestion::suggest;
use super::{DefinitionKind, ErrorKind, LaunchDef, Model};
use crate::config::Source;

/// One candidate row before compatibility is checked.
pub(super) struct Combo {
    pub framework: String,
    pub server: String,
    pub variant: Option<String>,
    pub runtime: String,
    pub runtime_variant: Option<String>,
    /// The interface asked for (`include … interface=asgi`, an `interface` axis); `None`
    /// takes the default.
    pub interface: Option<String>,
}

/// The interface a row meets on, and whether the row's name says so: only when it is not
/// the default, the framework's first interface the server also serves (so every row that
/// names no interface keeps its name and hashes).
pub(super) struct Meeting {
    pub interface: String,
    pub named: bool,
}

/// `NAME`, `NAME:VARIANT` or, with `allow_star`, `NAME:*` (the definition and all its
/// variants) of a server or a runtime → (name, variant) pairs, checked.
pub(super) fn variant_ref(
    a: &mut Analyzer,
    source: &Source,
    span: SourceSpan,
    kind: DefinitionKind,
    text: &str,
    allow_star: bool,
) -> Vec<(String, Option<String>)> {
    let (name, variant) = match text.split_once(':') {
        Some((n, v)) => (n, Some(v)),
        None => (text, None),
    };
    if !a.check_reference(source, span, kind, name) {
        return Vec::new();
    }
    let Some(known) = variant_names(&a.model, kind, name) else {
        return Vec::new();
    };
    let pair = |v: Option<&str>| (name.to_string(), v.map(String::from));
    match variant {
        None => vec![pair(None)],
        Some("*") if allow_star => {
            std::iter::once(None).chain(known.iter().map(|v| Some(v.as_str()))).map(pair).collect()
        }
        Some(v) if known.iter().any(|k| k == v) => vec![pair(Some(v))],
        Some(v) => {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            let help = suggest(
                v,
                &known,
                |s| format!("{name}:{s}"),
                |known| match known {
                    [] => format!("{kind} `{name}` has no variants"),
                    _ => format!("variants of `{name}`: {}", known.join(", ")),
                },
            );
            let error =
                ErrorKind::UnknownVariant { kind, name: name.into(), variant: v.into(), help };
            a.error(source, span, error);
            Vec::new()
        }
    }
}

/// The variants of the server or runtime `name`, when it is defined.
fn variant_names(m: &Model, kind: DefinitionKind, name: &str) -> Option<Vec<String>> {
    match kind {
        DefinitionKind::Server => m.servers.get(name).map(|s| s.variants.keys().cloned().collect()),
        DefinitionKind::Runtime => {
            m.runtimes.get(name).map(|r| r.variants.keys().cloned().collect())
        }
        DefinitionKind::Framework | DefinitionKind::Scenario => None,
    }
}

/// The interfaces a combination can meet on, the framework's preferred first, or why it
/// cannot run.
pub(super) fn compatible(a: &Analyzer, c: &Combo) -> Result<Vec<String>, String> {
    let m = &a.model;
    let (Some(framework), Some(server), Some(runtime)) =
        (m.frameworks.get(&c.framework), m.servers.get(&c.server), m.runtimes.get(&c.runtime))
    else {
        return Err("an unknown name".into());
    };
    let server_name = qualified(&c.server, c.variant.as_deref());
    let shared = shared_interfaces(m, &c.framework, &c.server, c.variant.as_deref());
    if shared.is_empty() {
        let f: Vec<&str> = framework.interfaces.iter().map(|(i, _)| i.as_str()).collect();
        let served = server.interfaces_of(c.variant.as_deref());
        let s: Vec<&str> = served.iter().map(|i| i.name.as_str()).collect();
        return Err(format!(
            "{} serves {}; {server_name} takes {}",
            c.framework,
            f.join(", "),
            s.join(", ")
        ));
    }
    let variant = c.variant.as_deref().and_then(|v| server.variants.get(v));
    for extras in [Some(&framework.extras), Some(&server.extras), variant.map(|v| &v.extras)]
        .into_iter()
        .flatten()
    {
        if let Some(reason) = extras.unsupported_on(&c.runtime) {
            return Err(format!("not on {}: {reason}", c.runtime));
        }
    }
    let runtime = runtime.with_variant(c.runtime_variant.as_deref());
    if runtime.compile.is_some()
        && let Some(LaunchDef::Command(_)) = server.launch_of(c.variant.as_deref())
    {
        return Err(format!(
            "runtime {} compiles a launch script, and {server_name} starts from a command",
            qualified(&c.runtime, c.runtime_variant.as_deref()),
        ));
    }
    Ok(shared)
}

/// The interfaces `framework` and `server` (its `variant`) both declare, in the framework's
/// order of preference.
pub(super) fn shared_interfaces(
    m: &Model,
    framework: &str,
    server: &str,
    variant: Option<&str>,
) -> Vec<String> {
    let (Some(framework), Some(server)) = (m.frameworks.get(framework), m.servers.get(server))
    else {
        return Vec::new();
    };
    let served = server.interfaces_of(variant);
    let shared = framework.interfaces.iter().map(|(i, _)| i);
    shared.filter(|i| served.iter().any(|s| &s.name == *i)).cloned().collect()
}

/// Where a combination sharing `shared` meets: on `requested` when given, else on the
/// default; `None` when `requested` is not shared.
pub(super) fn meeting(shared: &[String], requested: Option<&str>) -> Option<Meeting> {
    let default = shared.first()?;
    let interface = requested.unwrap_or(default);
    let named = interface != default;
    shared
        .iter()
        .any(|s| s == interface)
        .then(|| Meeting { interface: interface.to_string(), named })
}

/// `NAME` or `NAME:VARIANT`: a server or runtime as rows name it.
pub fn qualified(name: &str, variant: Option<&str>) -> String {
    match variant {
        Some(v) => format!("{name}:{v}"),
        None => name.to_string(),
    }
}

/// The naming rule: the non-empty labels of framework, server, server variant, interface
/// (when not the default), runtime and runtime variant, joined by `-` (`falcon`, `bjoern`,
/// no variant, the default interface, `nuitka`, `lto` → `falcon-bjoern-nuitka-lto`).
pub(super) fn row_name(a: &Analyzer, c: &Combo, meeting: &Meeting) -> String {
    let m = &a.model;
    let server = m.servers.get(&c.server);
    let runtime = m.runtimes.get(&c.runtime);
    let parts = [
        m.frameworks.get(&c.framework).map(|f| f.label.as_str()),
        server.map(|s| s.label.as_str()),
        c.variant.as_deref().and_then(|v| server?.variants.get(v)).map(|v| v.label.as_str()),
        meeting.named.then_some(meeting.interface.as_str()),
        runtime.map(|r| r.label.as_str()),
        c.runtime_variant
            .as_deref()
            .and_then(|v| runtime?.variants.get(v))
            .map(|v| v.label.as_str()),
    ];
    parts.into_iter().flatten().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-")
}
