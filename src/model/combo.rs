//! A candidate row: its server reference, compatibility and name.

use miette::SourceSpan;

use super::analyzer::Analyzer;
use super::suggestion::suggest;
use super::{DefinitionKind, ErrorKind};
use crate::config::Source;

/// One candidate row before compatibility is checked.
pub(super) struct Combo {
    pub framework: String,
    pub server: String,
    pub variant: Option<String>,
    pub runtime: String,
}

/// `server`, `server:variant` or `server:*` → (server, variant) pairs, checked.
pub(super) fn server_ref(
    a: &mut Analyzer,
    source: &Source,
    span: SourceSpan,
    text: &str,
    allow_star: bool,
) -> Vec<(String, Option<String>)> {
    let (server, variant) = match text.split_once(':') {
        Some((s, v)) => (s, Some(v)),
        None => (text, None),
    };
    if !a.check_reference(source, span, DefinitionKind::Server, server) {
        return Vec::new();
    }
    let Some(def) = a.model.servers.get(server) else {
        return Vec::new();
    };
    match variant {
        None => vec![(server.to_string(), None)],
        Some("*") if allow_star => std::iter::once((server.to_string(), None))
            .chain(def.variants.keys().map(|v| (server.to_string(), Some(v.clone()))))
            .collect(),
        Some(v) if def.variants.contains_key(v) => vec![(server.to_string(), Some(v.to_string()))],
        Some(v) => {
            let known: Vec<&str> = def.variants.keys().map(String::as_str).collect();
            let help = suggest(
                v,
                &known,
                |s| format!("{server}:{s}"),
                |known| match known {
                    [] => format!("server `{server}` has no variants"),
                    _ => format!("variants of `{server}`: {}", known.join(", ")),
                },
            );
            let kind = ErrorKind::UnknownVariant { server: server.into(), variant: v.into(), help };
            a.error(source, span, kind);
            Vec::new()
        }
    }
}
/// The interface a combination meets on, or why it cannot run.
pub(super) fn compatible(a: &Analyzer, c: &Combo) -> Result<String, String> {
    let m = &a.model;
    let (Some(framework), Some(server), Some(runtime)) =
        (m.frameworks.get(&c.framework), m.servers.get(&c.server), m.runtimes.get(&c.runtime))
    else {
        return Err("an unknown name".into());
    };
    let server_ifaces = server.interfaces_of(c.variant.as_deref());
    let interface = framework
        .interfaces
        .iter()
        .map(|(i, _)| i)
        .find(|i| server_ifaces.iter().any(|s| &s.name == *i))
        .ok_or_else(|| {
            let f: Vec<&str> = framework.interfaces.iter().map(|(i, _)| i.as_str()).collect();
            let s: Vec<&str> = server_ifaces.iter().map(|i| i.name.as_str()).collect();
            format!(
                "{} serves {}; {} takes {}",
                c.framework,
                f.join(", "),
                server_label(c),
                s.join(", ")
            )
        })?;
    let variant = c.variant.as_deref().and_then(|v| server.variants.get(v));
    for extras in [Some(&framework.extras), Some(&server.extras), variant.map(|v| &v.extras)]
        .into_iter()
        .flatten()
    {
        if let Some(reason) = extras.unsupported_on(&c.runtime) {
            return Err(format!("not on {}: {reason}", c.runtime));
        }
    }
    if runtime.compile.is_some()
        && let Some(super::LaunchDef::Command(_)) = server.launch_of(c.variant.as_deref())
    {
        return Err(format!(
            "runtime {} compiles a launch script, and {} starts from a command",
            c.runtime,
            server_label(c)
        ));
    }
    Ok(interface.clone())
}

fn server_label(c: &Combo) -> String {
    match &c.variant {
        Some(v) => format!("{}:{}", c.server, v),
        None => c.server.clone(),
    }
}

/// The naming rule: the non-empty labels of framework, server, variant and runtime,
/// joined by `-` (`falcon` + `bjoern` + `` + `pypy` → `falcon-bjoern-pypy`).
pub(super) fn row_name(a: &Analyzer, c: &Combo) -> String {
    let m = &a.model;
    let parts = [
        m.frameworks.get(&c.framework).map(|f| f.label.as_str()),
        m.servers.get(&c.server).map(|s| s.label.as_str()),
        c.variant
            .as_deref()
            .and_then(|v| m.servers.get(&c.server).and_then(|s| s.variants.get(v)))
            .map(|v| v.label.as_str()),
        m.runtimes.get(&c.runtime).map(|r| r.label.as_str()),
    ];
    parts.into_iter().flatten().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-")
}
