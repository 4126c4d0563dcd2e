use serde::{Deserialize, Serialize};

/// What a valid answer's body looks like (a scenario's `expect`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum BodyRule {
    /// The body equals this text.
    Exact { text: String },
    /// The body is valid JSON of at least `min_bytes` bytes.
    Json { min_bytes: u64 },
}
