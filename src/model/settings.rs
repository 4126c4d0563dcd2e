use indexmap::IndexMap;
use serde::Serialize;

use kdl::KdlNode;

use super::ErrorKind;
use super::analyzer::Analyzer;
use super::node_reader::NodeReader;
use super::setting::{SETTINGS, Setting, THREADS};
use crate::config::Source;

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

    pub fn set(&mut self, setting: &'static Setting, values: Vec<SettingValue>) {
        self.values.insert(setting.name, values);
    }

    /// Every setting's default, in `SETTINGS` order: the layer under `defaults { }`.
    pub fn builtin() -> Settings {
        let mut s = Settings::default();
        for setting in SETTINGS {
            if let Some(value) = &setting.default {
                s.set(setting, vec![value.clone()]);
            }
        }
        s
    }

    /// The values of `setting` in this layer, when it sets it.
    pub fn get(&self, setting: &Setting) -> Option<&[SettingValue]> {
        self.values.get(setting.name).map(Vec::as_slice)
    }
}

impl Settings {
    /// Read a setting node (`connections 20`, a sweep `connections 16 32`) into this
    /// layer; false when `child` is not a setting.
    pub(super) fn read_child(
        &mut self,
        a: &mut Analyzer,
        source: &Source,
        child: &KdlNode,
    ) -> bool {
        let Some(setting) = Setting::named(child.name().value()) else {
            return false;
        };
        let mut r = NodeReader::new(source, child, &[]);
        let entries = r.take_all_args();
        r.finish(&mut a.errors);
        if entries.is_empty() || (!setting.sweepable && entries.len() > 1) {
            let span = entries.get(1).map_or(child.span(), |e| e.span());
            let many = !entries.is_empty();
            let kind =
                ErrorKind::SettingArity { setting: setting.name, example: setting.example(), many };
            a.error(source, span, kind);
            return true;
        }
        let mut values = Vec::new();
        for entry in &entries {
            match setting.parse(entry.value()) {
                Ok(value) if values.contains(&value) => {
                    let kind = ErrorKind::DuplicateSweepValue {
                        setting: setting.name,
                        value: value.display(),
                    };
                    a.error(source, entry.span(), kind);
                }
                Ok(value) => {
                    if let (true, SettingValue::Count(n)) =
                        (std::ptr::eq(setting, &THREADS), &value)
                    {
                        a.threads_at.push((a.layer.clone(), source.clone(), entry.span(), *n));
                    }
                    values.push(value);
                }
                Err(kind) => a.error(source, entry.span(), kind),
            }
        }
        if values.len() == entries.len() {
            self.set(setting, values);
        }
        true
    }
}
