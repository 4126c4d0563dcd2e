use indexmap::IndexMap;
use kdl::KdlNode;

use super::analyzer::Analyzer;
use super::node_reader::{NodeReader, string_of};
use super::values::{merge_requirements, merge_unique};
use super::{DefinitionKind, ErrorKind, Settings, checks};
use crate::config::Source;

/// The children runtimes, servers, variants, frameworks and overrides share.
pub const EXTRAS: &[&str] =
    &["packages", "packages-no-deps", "system-packages", "pip-args", "env", "unsupported"];

/// What a runtime, server, variant or framework adds to a cell besides its own fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extras {
    /// Pip requirements (`falcon==4.4.0`).
    pub packages: Vec<String>,
    /// Pip requirements installed with `--no-deps`.
    pub packages_no_deps: Vec<String>,
    /// Debian packages.
    pub system_packages: Vec<String>,
    /// Extra `pip install` arguments.
    pub pip_args: Vec<String>,
    /// Environment of the server.
    pub env: IndexMap<String, String>,
    /// Runtimes this does not work on, with the upstream reason.
    pub unsupported: Vec<Unsupported>,
    /// Load and resource settings.
    pub settings: Settings,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Unsupported {
    pub runtime: String,
    pub reason: String,
}

impl Extras {
    /// Later layers add packages (a same-named project replaces the earlier pin), add
    /// system packages and pip arguments, and override env and settings key by key.
    pub fn overlay(&mut self, other: &Extras) {
        merge_requirements(&mut self.packages, &other.packages);
        merge_requirements(&mut self.packages_no_deps, &other.packages_no_deps);
        merge_unique(&mut self.system_packages, &other.system_packages);
        merge_unique(&mut self.pip_args, &other.pip_args);
        for (k, v) in &other.env {
            self.env.insert(k.clone(), v.clone());
        }
        for u in &other.unsupported {
            self.unsupported.retain(|x| x.runtime != u.runtime);
            self.unsupported.push(u.clone());
        }
        self.settings.overlay(&other.settings);
    }

    pub fn unsupported_on(&self, runtime: &str) -> Option<&str> {
        self.unsupported.iter().find(|u| u.runtime == runtime).map(|u| u.reason.as_str())
    }
}

impl Extras {
    /// Read a shared child or a setting into this layer; false when `child` is neither.
    pub(super) fn read_child(
        &mut self,
        a: &mut Analyzer,
        source: &Source,
        child: &KdlNode,
    ) -> bool {
        let name = child.name().value();
        match name {
            "packages" | "packages-no-deps" | "system-packages" | "pip-args" => {
                let mut r = NodeReader::new(source, child, &[]);
                let values = r.strings(&mut a.errors);
                r.finish(&mut a.errors);
                let mut patch = Extras::default();
                let list = match name {
                    "packages" => &mut patch.packages,
                    "packages-no-deps" => &mut patch.packages_no_deps,
                    "system-packages" => &mut patch.system_packages,
                    _ => &mut patch.pip_args,
                };
                for (value, span) in values {
                    let check = match name {
                        "system-packages" => checks::debian_package(&value),
                        "pip-args" => checks::no_control("a pip argument", &value),
                        _ => checks::pinned_requirement(&value),
                    };
                    if a.check(source, span, check) {
                        list.push(value);
                    }
                }
                self.overlay(&patch);
            }
            "env" => self.read_env(a, source, child),
            "unsupported" => {
                let mut r = NodeReader::new(source, child, &["reason"]);
                let runtime = r.required_string("a runtime name", &mut a.errors);
                let reason = r.prop_string("reason", &mut a.errors);
                r.finish(&mut a.errors);
                let Some((runtime, span)) = runtime else {
                    return true;
                };
                a.check_reference(source, span, DefinitionKind::Runtime, &runtime);
                match reason {
                    Some((reason, _)) => self.unsupported.push(Unsupported { runtime, reason }),
                    None => a.error(source, child.span(), ErrorKind::UnsupportedWithoutReason),
                }
            }
            _ => return self.settings.read_child(a, source, child),
        }
        true
    }

    fn read_env(&mut self, a: &mut Analyzer, source: &Source, child: &KdlNode) {
        let keys: Vec<&str> =
            child.entries().iter().filter_map(|e| e.name()).map(|n| n.value()).collect();
        let mut r = NodeReader::new(source, child, &keys);
        for entry in child.entries() {
            let Some(key) = entry.name() else {
                a.error(source, entry.span(), ErrorKind::EnvNotProperty);
                continue;
            };
            let Some(value) = string_of(source, entry, "the value as a string", &mut a.errors)
            else {
                continue;
            };
            let what = format!("the value of {}", key.value());
            if a.check(source, key.span(), checks::env_key(key.value()))
                && a.check(source, entry.span(), checks::no_control(&what, &value))
            {
                self.env.insert(key.value().to_string(), value);
            }
        }
        let _ = r.take_all_args();
        r.finish(&mut a.errors);
    }
}
