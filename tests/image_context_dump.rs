//! Dev tool behind `scripts/try-row.sh`, not a check: writes the build context of an article
//! row as a tar file. Run with `BENCH_ROW=<row> BENCH_CONTEXT_OUT=<file> cargo test --test
//! image_context_dump -- --ignored`. Uses the host CA bundle when BENCH_CA_BUNDLE names one.

#[path = "fixtures/image/rows.rs"]
mod rows;

use std::path::{Path, PathBuf};

use bench::image::{BuildSettings, build_context};

#[test]
#[ignore = "dev tool for scripts/try-row.sh: needs BENCH_ROW and BENCH_CONTEXT_OUT"]
fn dump_context_of_row() {
    let row = std::env::var("BENCH_ROW").expect("set BENCH_ROW to an article row, e.g. falcon-gunicorn");
    let out = std::env::var("BENCH_CONTEXT_OUT").expect("set BENCH_CONTEXT_OUT to the tar file to write");
    let settings = BuildSettings {
        ca_bundle: std::env::var_os("BENCH_CA_BUNDLE").map(PathBuf::from),
        pip_index_url: std::env::var("BENCH_PIP_INDEX_URL").ok(),
        pip_extra_index_url: None,
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tar = build_context(&rows::row(&row), &settings, root).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&out, tar).unwrap();
}
