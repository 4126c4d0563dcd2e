//! Loading a matrix file for a command: the one home of how every command reads the matrix
//! file, finds the project root and applies `--only`.

use std::path::{Path, PathBuf};

use super::CliError;
use crate::image::ImageInputs;
use crate::matrix::{Cell, Selection};
use crate::model::{BuildConfig, Extras, Matcher, Override, Settings};

/// The help of `--only`, the same on every command that takes it.
pub const ONLY_HELP: &str = "Keep only these cells, or their stored results (repeatable; \
globs with * and ?). A pattern that matches a scenario name selects scenarios; any other \
pattern selects rows by row name or cell id (`flask-*`, `falcon/hello`). Patterns of one kind \
OR together, and the two kinds AND: `--only bjoern --only hello` is the one cell bjoern/hello";

/// A matrix file loaded, validated and expanded.
pub struct Expanded {
    pub build: BuildConfig,
    /// Every cell of the matrix, in order.
    pub all: Vec<Cell>,
    /// The cells `--only` selects.
    pub selected: Vec<Cell>,
}

impl Expanded {
    /// Load, validate and expand `file` with `on_top` applied over the whole matrix (the
    /// command line's `--duration`, `--warmup`, `--repeat`), then keep what `only` selects;
    /// fails when patterns are given and select nothing.
    pub fn load(file: &Path, only: &[String], on_top: &Settings) -> Result<Expanded, CliError> {
        let mut model = crate::model::load(file)?;
        if !on_top.values.is_empty() {
            model.overrides.push(Override {
                matcher: Matcher::default(),
                extras: Extras { settings: on_top.clone(), ..Default::default() },
                na: None,
            });
        }
        let all = crate::matrix::expand(&model, &ImageInputs::new(project_root(file)));
        let selection = selection(only, all.iter().map(|c| c.scenario.as_str()))?;
        let selected = selection.apply(all.clone());
        if selected.is_empty() && !selection.is_everything() {
            return Err(CliError::usage(
                format!("no cell matches --only {}", only.join(" --only ")),
                Some("run `bench expand --format names` to see the row names".to_string()),
            ));
        }
        Ok(Expanded { build: model.build, all, selected })
    }
}

/// The `--only` selection of `only`, told apart by `scenarios`, as a usage error when a glob
/// is invalid.
pub fn selection<'a>(
    only: &[String],
    scenarios: impl IntoIterator<Item = &'a str> + Clone,
) -> Result<Selection, CliError> {
    Selection::new(only, scenarios).map_err(|e| {
        CliError::usage(e, Some("use * and ? wildcards, e.g. --only 'falcon*'".to_string()))
    })
}

/// The directory holding `apps/` and `dockerfiles/` (`config::project_root`, the rule the
/// analyzer checks referenced files against), or the matrix file's own directory when no
/// ancestor has `apps/`.
pub fn project_root(file: &Path) -> PathBuf {
    crate::config::project_root(file).unwrap_or_else(|| match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    })
}
