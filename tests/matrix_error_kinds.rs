//! The analyzer's structural errors (unknown names, missing parts, incompatible rows): each
//! asserts the error kind and the text its span covers. A few are also rendered whole in
//! tests/matrix_diagnostics.rs.

mod analysis;
mod common;

use analysis::errors_in;
use bench::model::{DefinitionKind, ErrorKind};
use common::BASE;

fn errors_of(extra: &str) -> Vec<(ErrorKind, String)> {
    errors_in(&format!("{BASE}{extra}"))
}

const ONE_ROW: &str = "matrix {\n    include flask own\n}\n";

#[test]
fn unknown_child_node() {
    let errors = errors_of(&format!(
        "server bjoern {{\n    script \"bjoern_server.py\"\n    interface wsgi\n    \
         pakages \"bjoern==3.2.2\"\n}}\n{ONE_ROW}"
    ));
    let kind = one!(errors, ErrorKind::UnknownNode { .. }, "pakages");
    let ErrorKind::UnknownNode { parent, help, .. } = kind else { unreachable!() };
    assert_eq!((parent.as_str(), help.as_str()), ("`server`", "did you mean `packages`?"));
}

#[test]
fn scenario_without_path() {
    let errors = errors_of(&format!(
        "scenario json {{\n    expect content-type=\"application/json\"\n}}\n{ONE_ROW}"
    ));
    // Reported on the node's name: there is no value to point at.
    one!(errors, ErrorKind::ScenarioWithoutPath { .. }, "scenario");
}

#[test]
fn include_missing_server() {
    let errors = errors_of("matrix {\n    include flask\n}\n");
    one!(errors, ErrorKind::IncludeArity { too_many: false }, "include flask");
}

#[test]
fn wrong_type_of_setting() {
    let errors = errors_of(&format!("defaults {{\n    connections \"20\"\n}}\n{ONE_ROW}"));
    let kind = one!(errors, ErrorKind::SettingWrongType { .. }, "\"20\"");
    assert_eq!(kind.to_string(), "expected a whole number, found a string");
}

#[test]
fn invalid_duration_and_size() {
    let errors = errors_of(&format!("defaults {{\n    duration \"20 parsecs\"\n}}\n{ONE_ROW}"));
    one!(errors, ErrorKind::InvalidSettingValue { .. }, "\"20 parsecs\"");
    let errors = errors_of(&format!("defaults {{\n    memory \"512XB\"\n}}\n{ONE_ROW}"));
    let kind = one!(errors, ErrorKind::InvalidSettingValue { .. }, "\"512XB\"");
    assert_eq!(kind.to_string(), "invalid size `512XB`: unknown size unit `xb`");
}

#[test]
fn unknown_reference_and_variant() {
    let errors = errors_of("matrix {\n    include flask gunicorm\n}\n");
    let kind =
        one!(errors, ErrorKind::UnknownReference { kind: DefinitionKind::Server, .. }, "gunicorm");
    let ErrorKind::UnknownReference { help, .. } = kind else { unreachable!() };
    assert_eq!(help, "did you mean `gunicorn`?");
    let errors = errors_of("matrix {\n    include flask gunicorn:gevnet\n}\n");
    let kind = one!(errors, ErrorKind::UnknownVariant { .. }, "gunicorn:gevnet");
    let ErrorKind::UnknownVariant { help, .. } = kind else { unreachable!() };
    assert_eq!(help, "did you mean `gunicorn:gevent`?");
}

#[test]
fn duplicate_definition_and_row_name() {
    let errors = errors_of(&format!(
        "server gunicorn {{\n    command \"gunicorn {{app}}\"\n    interface wsgi\n}}\n{ONE_ROW}"
    ));
    one!(errors, ErrorKind::DuplicateDefinition { kind: DefinitionKind::Server, .. }, "gunicorn");
    let errors = errors_of(
        "matrix {\n    include flask own\n    include falcon gunicorn name=\"flask\"\n}\n",
    );
    one!(errors, ErrorKind::DuplicateRowName { .. }, "include falcon gunicorn name=\"flask\"");
}

#[test]
fn incompatible_includes() {
    let errors = errors_of("matrix {\n    include flask uvicorn\n}\n");
    let kind = one!(errors, ErrorKind::Incompatible { .. }, "include flask uvicorn");
    let ErrorKind::Incompatible { reason, .. } = kind else { unreachable!() };
    assert_eq!(reason, "flask serves own, wsgi; uvicorn takes asgi");
    let errors = errors_of("matrix {\n    include falcon uvicorn runtime=pypy\n}\n");
    let kind = one!(errors, ErrorKind::Incompatible { .. }, "include falcon uvicorn runtime=pypy");
    let ErrorKind::Incompatible { reason, .. } = kind else { unreachable!() };
    assert_eq!(reason, "not on pypy: no uvloop on PyPy");
}

#[test]
fn empty_matrix_and_unknown_row() {
    let errors = errors_of("matrix {\n    include flask own\n    exclude framework=flask\n}\n");
    one!(errors, ErrorKind::EmptyMatrix, "matrix");
    let errors = errors_of(
        "matrix {\n    include flask own\n    override row=\"flask-gunicron\" {\n        \
         na \"broken upstream\"\n    }\n}\n",
    );
    let kind = one!(errors, ErrorKind::UnknownRow { .. }, "row=\"flask-gunicron\"");
    let ErrorKind::UnknownRow { help, .. } = kind else { unreachable!() };
    assert_eq!(help, "did you mean `flask`?");
}

#[test]
fn config_errors_have_their_own_kinds() {
    use bench::config::{ConfigErrorKind, Sources};
    let text = "import 5\nimport\n";
    let errors = Sources::from_text("m.kdl", text).unwrap_err().diagnostics;
    let found: Vec<(ConfigErrorKind, &str)> = errors
        .iter()
        .map(|d| {
            let (offset, len) = d.range().unwrap();
            (d.kind::<ConfigErrorKind>().unwrap().clone(), &text[offset..offset + len])
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0], (ConfigErrorKind::ImportNotString, "5"));
    assert_eq!(found[1].0, ConfigErrorKind::ImportWithoutFile);
    assert!(errors[0].kind::<ErrorKind>().is_none(), "a config error is no model error");
}

/// A compiling runtime with one variant, `lto`.
const NUITKA: &str = "runtime nuitka {\n    compile \"nuitka {script}\" run=\"/build/{stem}.bin\"\n    \
                      variant lto {\n        compile \"nuitka --lto=yes {script}\" \
                      run=\"/build/{stem}.bin\"\n    }\n}\n";

#[test]
fn unknown_runtime_variant() {
    let errors =
        errors_of(&format!("{NUITKA}matrix {{\n    include flask own runtime=nuitka:ltoo\n}}\n"));
    let kind = one!(
        errors,
        ErrorKind::UnknownVariant { kind: DefinitionKind::Runtime, .. },
        "runtime=nuitka:ltoo"
    );
    assert_eq!(kind.to_string(), "unknown variant `ltoo` of runtime `nuitka`");
    let ErrorKind::UnknownVariant { help, .. } = kind else { unreachable!() };
    assert_eq!(help, "did you mean `nuitka:lto`?");
    let errors = errors_of("matrix {\n    include flask own runtime=pypy:jit\n}\n");
    let kind = one!(errors, ErrorKind::UnknownVariant { .. }, "runtime=pypy:jit");
    let ErrorKind::UnknownVariant { help, .. } = kind else { unreachable!() };
    assert_eq!(help, "runtime `pypy` has no variants");
    // The same rule in the axes and in matchers.
    let axes = "matrix {\n    axes {\n        framework flask\n        server own\n        \
                runtime nuitka:lot\n    }\n}\n";
    one!(errors_of(&format!("{NUITKA}{axes}")), ErrorKind::UnknownVariant { .. }, "nuitka:lot");
    let exclude = "matrix {\n    include flask own\n    exclude runtime=nuitka:lot\n}\n";
    let errors = errors_of(&format!("{NUITKA}{exclude}"));
    one!(errors, ErrorKind::UnknownVariant { .. }, "runtime=nuitka:lot");
}

#[test]
fn unknown_child_of_a_runtime_variant() {
    let errors = errors_of(&format!(
        "runtime nuitka {{\n    variant lto {{\n        comple \"nuitka\"\n    }}\n}}\n{ONE_ROW}"
    ));
    let kind = one!(errors, ErrorKind::UnknownNode { .. }, "comple");
    let ErrorKind::UnknownNode { parent, help, .. } = kind else { unreachable!() };
    assert_eq!((parent.as_str(), help.as_str()), ("`variant`", "did you mean `compile`?"));
}

#[test]
fn interface_not_shared() {
    let errors = errors_of("matrix {\n    include flask gunicorn interface=aiohttp\n}\n");
    let kind = one!(errors, ErrorKind::InterfaceNotShared { .. }, "interface=aiohttp");
    assert_eq!(kind.to_string(), "interface `aiohttp` is not shared by flask and gunicorn");
    let ErrorKind::InterfaceNotShared { help, .. } = kind else { unreachable!() };
    assert_eq!(
        help,
        "flask and gunicorn share wsgi: name one of them, or leave `interface=` out for the first"
    );
    let errors = errors_of("matrix {\n    include falcon gunicorn interface=asgi\n}\n");
    let kind = one!(errors, ErrorKind::InterfaceNotShared { .. }, "interface=asgi");
    let ErrorKind::InterfaceNotShared { help, .. } = kind else { unreachable!() };
    assert_eq!(help, "did you mean `interface=wsgi`?");
    // An axis drops the combinations that do not share an interface, but one that no
    // combination shares is a typo.
    let axes = "matrix {\n    axes {\n        framework falcon\n        server gunicorn uvicorn\n        \
                interface agsi\n    }\n}\n";
    let kind = one!(errors_of(axes), ErrorKind::InterfaceNotShared { .. }, "agsi");
    let ErrorKind::InterfaceNotShared { help, .. } = kind else { unreachable!() };
    assert_eq!(help, "did you mean `asgi`?");
}
