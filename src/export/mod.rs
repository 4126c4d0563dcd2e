//! Stage below `cli`, export: turns a selected matrix into the files that run it sharded
//! on engines people already have, and merges the shards' results directories back.
//! Input: the selected `matrix::Cell`s, the shard count and each engine's options.
//! Output: a GitHub Actions workflow (`GithubActions`) or Kubernetes manifests
//! (`Kubernetes`), as YAML text built from `serde_json` values (`to_yaml`); `ShardBudgets`
//! says what each shard holds and how long it may take, with shards split by
//! `run::Shard` (the rule `bench run --shard K/N` applies, so the export and the run agree);
//! `Merge` copies results directories into one, refusing two different results for one
//! cell and execution, with everything else each holds (`Sidecars`: logs, profiles).
//! Pure except `Merge`, which reads and writes files through `store`.
//! The commands the files run are `bench run --shard`, `bench merge` and `bench report`:
//! the exports hold no logic of their own that a run could disagree with.

mod export_error;
mod github_actions;
mod kubernetes;
mod merge;
mod shard_budgets;
mod sharded_run;
mod sidecars;

pub use export_error::ExportError;
pub use github_actions::{GithubActions, HOSTED_LIMIT_MINUTES};
pub use kubernetes::{DockerAccess, Kubernetes};
pub use merge::{Merge, Merged};
pub use shard_budgets::{ShardBudget, ShardBudgets};
pub use sharded_run::ShardedRun;
pub use sidecars::{Sidecars, SidecarsCopied};

/// Keys a person expects first in a workflow or manifest, in that order; other keys follow
/// in alphabetical order (`serde_json`'s maps are sorted).
const KEY_ORDER: [&str; 18] = [
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "on",
    "concurrency",
    "permissions",
    "needs",
    "if",
    "runs-on",
    "timeout-minutes",
    "strategy",
    "uses",
    "with",
    "run",
    "image",
    "command",
    "jobs",
];

/// YAML text of `value`, through a maintained serde YAML crate (serde_norway; serde_yaml is
/// unmaintained): block style, strings quoted only where YAML needs it, multi-line scripts
/// as literal blocks, keys in the order of `KEY_ORDER`.
pub fn to_yaml(value: &serde_json::Value) -> String {
    serde_norway::to_string(&ordered(value)).expect("a JSON value always has a YAML form")
}

fn ordered(value: &serde_json::Value) -> serde_norway::Value {
    use serde_json::Value as J;
    use serde_norway::Value as Y;
    match value {
        J::Object(map) => {
            let rank = |k: &str| KEY_ORDER.iter().position(|o| *o == k).unwrap_or(KEY_ORDER.len());
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| rank(k));
            let mut out = serde_norway::Mapping::new();
            for key in keys {
                out.insert(Y::String(key.clone()), ordered(&map[key]));
            }
            Y::Mapping(out)
        }
        J::Array(items) => Y::Sequence(items.iter().map(ordered).collect()),
        other => serde_norway::to_value(other).expect("a scalar has a YAML form"),
    }
}

/// The format of the report files a merge renders, with their file extensions, in the
/// order the exported commands render them.
pub const REPORT_FORMATS: [(&str, &str); 4] =
    [("markdown", "md"), ("html", "html"), ("csv", "csv"), ("json", "json")];

/// The shell lines that merge the shards' results directories matching `shards` (a glob)
/// into `merged` and render every report format into `report`, for `bench` at `bench`.
pub fn merge_and_report_script(bench: &str, shards: &str, merged: &str, report: &str) -> String {
    let mut script = format!("set -eu\n{bench} merge {shards} -o {merged}\nmkdir -p {report}\n");
    for (format, ext) in REPORT_FORMATS {
        script.push_str(&format!(
            "{bench} report --results {merged} --format {format} -o {report}/report.{ext}\n"
        ));
    }
    script
}
