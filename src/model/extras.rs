use indexmap::IndexMap;

use super::Settings;
use super::values::{merge_requirements, merge_unique};

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
