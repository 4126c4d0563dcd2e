use super::Settings;
use crate::matrix::BodyRule;

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
