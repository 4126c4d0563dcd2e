use kdl::KdlNode;

use super::analyzer::{Analyzer, children};
use super::node_reader::NodeReader;
use super::{BodyRule, ErrorKind, Settings, checks};
use crate::config::Source;

/// A test: the request sent, the answer expected, and its load settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub path: String,
    pub expect_status: u16,
    pub expect_content_type: String,
    pub body: BodyRule,
    /// `bound "cpu"` (default) or `bound "io"`: whether the server should be busy.
    pub cpu_bound: bool,
    pub settings: Settings,
}

impl Scenario {
    const CHILDREN: &[&str] = &["description", "path", "expect", "bound"];
    const EXPECT: &[&str] = &["status", "content-type", "body", "json", "min-bytes"];

    pub(super) fn new(name: &str) -> Scenario {
        Scenario {
            name: name.into(),
            description: String::new(),
            path: String::new(),
            expect_status: 200,
            expect_content_type: "text/plain".into(),
            body: BodyRule::Exact { text: "Hello World".into() },
            cpu_bound: true,
            settings: Settings::default(),
        }
    }

    /// Read a `scenario` block into this scenario (a fresh one, or one to patch).
    pub(super) fn read(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode) {
        for child in children(node) {
            let name = child.name().value();
            match name {
                "bound" | "description" | "path" => {
                    let mut r = NodeReader::new(source, child, &[]);
                    let what = if name == "bound" { "\"cpu\" or \"io\"" } else { "a value" };
                    let value = r.required_string(what, &mut a.errors);
                    r.finish(&mut a.errors);
                    if let Some((value, span)) = value {
                        self.read_text(a, source, name, value, span);
                    }
                }
                "expect" => self.read_expect(a, source, child),
                _ => {
                    if !self.settings.read_child(a, source, child) {
                        a.unknown_child(source, child, "scenario", Self::CHILDREN, false);
                    }
                }
            }
        }
        if self.path.is_empty() {
            let kind = ErrorKind::ScenarioWithoutPath { scenario: self.name.clone() };
            a.error(source, node.name().span(), kind);
        }
    }

    fn read_text(
        &mut self,
        a: &mut Analyzer,
        source: &Source,
        name: &str,
        value: String,
        span: miette::SourceSpan,
    ) {
        match (name, value.as_str()) {
            ("bound", "cpu") => self.cpu_bound = true,
            ("bound", "io") => self.cpu_bound = false,
            ("bound", _) => a.error(source, span, ErrorKind::UnknownBound { bound: value }),
            ("path", _) => {
                if a.check(source, span, checks::request_path(&value)) {
                    self.path = value;
                } else {
                    // Still has a path: one error, not a second "has no path".
                    self.path = "/".into();
                }
            }
            _ => self.description = value,
        }
    }

    fn read_expect(&mut self, a: &mut Analyzer, source: &Source, child: &KdlNode) {
        let r = NodeReader::new(source, child, Self::EXPECT);
        let errors = &mut a.errors;
        if let Some(status) = r.prop_int("status", 100..=599, "an HTTP status code", errors) {
            self.expect_status = status as u16;
        }
        if let Some((content_type, span)) = r.prop_string("content-type", &mut a.errors)
            && a.check(source, span, checks::content_type(&content_type))
        {
            self.expect_content_type = content_type;
        }
        if let Some((body, _)) = r.prop_string("body", &mut a.errors) {
            self.body = BodyRule::Exact { text: body };
        }
        if r.prop_bool("json", &mut a.errors) == Some(true) {
            let bytes = "a whole number of bytes";
            let min_bytes = r.prop_int("min-bytes", 0..=1 << 30, bytes, &mut a.errors);
            let min_bytes = min_bytes.map_or(0, |n| n as u64);
            self.body = BodyRule::Json { min_bytes };
        }
        r.finish(&mut a.errors);
    }
}
