use std::path::PathBuf;
use std::process::ExitCode;

use super::CliError;
use crate::export::{ExportError, Merge};

/// `bench merge DIR... -o OUT`: the shards' results directories into one.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Results directories written by `bench run` (e.g. one a shard).
    #[arg(value_name = "DIR", required = true)]
    sources: Vec<PathBuf>,
    /// The merged results directory (created; results already in it are kept).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: PathBuf,
}

pub fn execute(args: Args) -> Result<ExitCode, CliError> {
    if let Some(missing) = args.sources.iter().find(|s| !s.is_dir()) {
        return Err(CliError::usage(
            format!("{} is not a results directory", missing.display()),
            Some("pass the directories `bench run --results` wrote".to_string()),
        ));
    }
    let merge = Merge { sources: args.sources, output: args.output };
    let merged = merge.run().map_err(|e| match e {
        ExportError::Conflict { .. } => CliError::other(
            e.to_string(),
            Some("a cell was measured twice with different results: keep one directory's copy out of the merge".to_string()),
        ),
        other => CliError::other(other.to_string(), None),
    })?;
    for skipped in &merged.skipped {
        eprintln!("warning: {skipped}");
    }
    for (file, source) in &merged.files_differing {
        eprintln!(
            "warning: {} differs in {}: the merged directory keeps its first copy",
            file.display(),
            source.display()
        );
    }
    for (source, count) in &merged.per_source {
        eprintln!("bench merge: {count} results in {}", source.display());
    }
    eprintln!(
        "bench merge: {} copied, {} already there; {} other file(s) (server logs, profiles, build logs) copied, {} already there; results in {}",
        merged.copied,
        merged.present,
        merged.files_copied,
        merged.files_present,
        merge.output.display()
    );
    Ok(ExitCode::SUCCESS)
}
