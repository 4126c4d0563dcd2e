//! A runtim    let cell = cells(base, &format!("{patch}{row}")).remove(0);'s image steps: `apt-options` (every apt-get of bench's steps takes them as `-o`)
//! and `setup` (commands before the virtualenv): read and checked with spans, carried into the
//! image spec and its hash, rendered in the Dockerfile, and used by matrix-2026.kdl.

mod analysis;
mod common;
#[path = "fixtures/image/rows.rs"]
mod rows;

use std::path::Path;

use analysis::errors_in;
use bench::engine::EngineError;
use bench::image::{BuildSettings, Templates, render_dockerfile};
use bench::matrix::{Cell, FixedInputs, expand};
use bench::model::ErrorKind;
use common::{BASE, unindent};

const ROW: &str = "matrix {\n    include flask gunicorn scenario=hello\n}\n";

/// The cells of a matrix that imports `BASE` plus `base`, then says `text` (which may patch
/// the imported definitions, as an importing file does).
fn cells(base: &str, text: &str) -> Vec<Cell> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.kdl"), format!("{}{base}", unindent(BASE))).unwrap();
    let main = dir.path().join("matrix.kdl");
    std::fs::write(&main, format!("import \"base.kdl\"\n{}", unindent(text))).unwrap();
    let model = bench::model::load(&main).unwrap_or_else(|e| panic!("{}", e.render()));
    expand(&model, &FixedInputs("inputs-v1".into()))
}

/// The one cell of flask-gunicorn after `runtime` patches its runtime, `cpython`. (Named: a
/// patched runtime moves to the end of the declared ones, so it is no longer the default.)
fn patched(runtime: &str) -> Cell {
    let row = "matrix {\n    include flask gunicorn runtime=cpython scenario=hello\n}\n";
    cells("", &format!("runtime cpython {{\n{runtime}\n}}\n{row}")).remove(0)
}

#[test]
fn apt_options_and_setup_reach_the_image_spec_and_its_hash() {
    let plain = patched("");
    assert!(plain.image.apt_options.is_empty() && plain.image.setup.is_empty());

    let apt = patched(r#"apt-options "Acquire::Check-Valid-Until=false" "Acquire::Retries=3""#);
    assert_eq!(apt.image.apt_options, ["Acquire::Check-Valid-Until=false", "Acquire::Retries=3"]);
    assert_ne!(apt.image_hash, plain.image_hash, "apt options shape the image");
    assert_ne!(apt.hash, plain.hash);

    let setup = patched(r#"setup "cd /tmp" "make -j2 install""#);
    assert_eq!(setup.image.setup, ["cd /tmp", "make -j2 install"]);
    assert_ne!(setup.image_hash, plain.image_hash, "set-up commands shape the image");
    let other = patched(r#"setup "cd /tmp" "make -j1 install""#);
    assert_ne!(other.image_hash, setup.image_hash);

    // A spec without them serializes as before: no empty fields in stored cells or JSON.
    let json = serde_json::to_value(&plain.image).unwrap();
    assert!(json.get("apt_options").is_none() && json.get("setup").is_none(), "{json}");
    let json = serde_json::to_value(&apt.image).unwrap();
    assert_eq!(json["apt_options"][1], "Acquire::Retries=3");
}

#[test]
fn a_patch_adds_apt_options_and_replaces_setup() {
    let base = "runtime rt {\n    apt-options \"A::B=1\"\n    setup \"one\" \"two\"\n}\n";
    let patch = "runtime rt {\n    apt-options \"A::B=1\" \"C::D=2\"\n    setup \"three\"\n}\n";
    let row = "matrix {\n    include flask gunicorn runtime=rt scenario=hello\n}\n";
    let cell = cells(base, &format!("{patch}{row}")).remove(0);
    assert_eq!(cell.runtime, "rt");
    assert_eq!(cell.image.apt_options, ["A::B=1", "C::D=2"]);
    assert_eq!(cell.image.setup, ["three"]);
}

fn render(cell: &Cell) -> String {
    render_dockerfile(cell, &BuildSettings::default(), &Templates::embedded()).unwrap()
}

#[test]
fn every_apt_get_takes_the_options_and_setup_runs_before_the_venv() {
    // falcon-bjoern has both apt steps: the runtime's packages and bjoern's libev-dev.
    let mut cell = rows::row("falcon-bjoern");
    let before = render(&cell);
    cell.image.apt_options = vec!["Acquire::Check-Valid-Until=false".into(), "A::B=x y".into()];
    cell.image.setup = vec!["cd /tmp".into(), "./configure --disable-gil".into()];
    let text = render(&cell);

    let apt = "apt-get -o Acquire::Check-Valid-Until=false -o 'A::B=x y'";
    assert_eq!(text.matches(&format!("RUN {apt} update \\\n")).count(), 2, "{text}");
    assert_eq!(text.matches(&format!(" && {apt} install -y ")).count(), 2, "{text}");
    assert_eq!(text.matches("apt-get").count(), 4, "no apt-get without the options:\n{text}");

    let at = |part: &str| text.find(part).unwrap_or_else(|| panic!("no `{part}` in:\n{text}"));
    let runtime = at(&format!(" && {apt} install -y --no-install-recommends python3"));
    let setup = at("\nRUN cd /tmp \\\n && ./configure --disable-gil\n");
    assert!(runtime < setup && setup < at("\nRUN python3 -m venv /venv\n"), "{text}");

    // Without them the Dockerfile is the one of a runtime that never heard of them.
    cell.image.apt_options.clear();
    cell.image.setup.clear();
    assert_eq!(render(&cell), before);
    assert!(!before.contains("apt-get -o") && before.contains("RUN apt-get update \\\n"));
}

/// `BASE` and `ROW` with a runtime `rt` that has `child`.
fn with_runtime_child(child: &str) -> String {
    format!("{}runtime rt {{\n    {child}\n}}\n{ROW}", unindent(BASE))
}

#[test]
fn a_bad_apt_option_is_an_error_at_its_value() {
    for (child, spanned, reason) in [
        (r#"apt-options "Acquire::Check-Valid-Until""#, "\"Acquire::Check-Valid-Until\"", "=VALUE"),
        (r#"apt-options "-o Acquire::Retries=3""#, "\"-o Acquire::Retries=3\"", "`-o`"),
        (r#"apt-options "Acquire:Retries=3""#, "\"Acquire:Retries=3\"", "joined by `::`"),
        (r#"apt-options "Acquire::=3""#, "\"Acquire::=3\"", "joined by `::`"),
    ] {
        let errors = errors_in(&with_runtime_child(child));
        let kind = one!(errors, ErrorKind::InvalidAptOption { .. }, spanned);
        assert!(kind.to_string().contains(reason), "{child}: {kind}");
    }
    let errors = errors_in(&with_runtime_child("apt-options"));
    one!(errors, ErrorKind::MissingValue { .. }, "apt-options");
}

#[test]
fn a_bad_setup_command_is_an_error_at_its_value() {
    let errors = errors_in(&with_runtime_child(r#"setup "cd /tmp" "  ""#));
    one!(errors, ErrorKind::MissingValue { .. }, "\"  \"");
    let errors = errors_in(&with_runtime_child(r#"setup "make\ninstall""#));
    one!(errors, ErrorKind::ControlCharacter { .. }, r#""make\ninstall""#);
    let errors = errors_in(&with_runtime_child("setup"));
    one!(errors, ErrorKind::MissingValue { .. }, "setup");
    let errors = errors_in(&with_runtime_child("setup 3"));
    one!(errors, ErrorKind::WrongType { .. }, "3");
}

#[test]
fn the_2026_matrix_gives_every_sid_image_the_apt_option_and_declares_the_py314t_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = bench::model::load(&root.join("matrix-2026.kdl"))
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let cells = expand(&model, &FixedInputs("2026".into()));
    let sid: Vec<&Cell> =
        cells.iter().filter(|c| c.image.base_image == "debian:sid-slim").collect();
    assert!(sid.iter().any(|c| c.runtime == "py314") && sid.iter().any(|c| c.runtime == "pypy8"));
    for cell in &sid {
        assert!(
            cell.image.apt_options.iter().any(|o| o == "Acquire::Check-Valid-Until=false"),
            "{}: sid's Release has expired here, so apt needs the option",
            cell.id
        );
    }
    let py314t: Vec<&&Cell> = sid.iter().filter(|c| c.runtime == "py314t").collect();
    assert!(!py314t.is_empty());
    for cell in py314t {
        assert!(cell.image.setup.iter().any(|c| c.contains("--disable-gil")), "{}", cell.id);
        assert!(cell.image.python.ends_with("python3.14t"), "{}", cell.id);
    }
}

#[test]
fn a_missing_debian_base_image_names_the_command_that_makes_it() {
    let missing = EngineError::BaseImageMissing { name: "debian:sid-slim".into() };
    let help = missing.help().unwrap();
    assert!(help.contains("`scripts/make-base-image.sh debian:sid-slim`"), "{help}");
    let other = EngineError::BaseImageMissing { name: "alpine:3.20".into() };
    let help = other.help().unwrap();
    assert!(help.contains("import alpine:3.20") && !help.contains("make-base-image.sh alpine"));
}
