//! Each validation rule of the analyzer: its error kind and the exact text its span covers.

mod analysis;
mod common;

use analysis::errors_in;
use bench::config::Sources;
use bench::model::{ErrorKind, Settings, analyze, setting};
use common::BASE;

/// The model errors of `BASE` followed by `extra`, each with the text its span covers.
fn errors_of(extra: &str) -> Vec<(ErrorKind, String)> {
    errors_in(&format!("{BASE}{extra}"))
}

/// `BASE` with one row in a scenario `probe` made of `scenario_children` and a path.
fn with_hello(scenario_children: &str) -> Vec<(ErrorKind, String)> {
    errors_of(&format!(
        "scenario probe {{\n    path \"/probe\"\n{scenario_children}\n}}\n\
         matrix {{\n    include flask own scenario=probe\n}}\n"
    ))
}

/// A matrix with one row and an `override` of it holding `children`.
fn in_override(children: &str) -> String {
    format!(
        "matrix {{\n    include flask own\n    override row=flask {{\n        {children}\n    }}\n}}\n"
    )
}

#[test]
fn integers_out_of_range_are_not_truncated() {
    let kind = one!(
        with_hello("connections 99999999999999999999"),
        ErrorKind::OutOfRange { .. },
        "99999999999999999999"
    );
    assert_eq!(
        kind.to_string(),
        "`connections` 99999999999999999999 is out of range (1 to 1000000)"
    );
    one!(with_hello("connections 0"), ErrorKind::OutOfRange { .. }, "0");
    one!(with_hello("repeat -1"), ErrorKind::OutOfRange { .. }, "-1");
    one!(with_hello("cpus 0"), ErrorKind::OutOfRange { .. }, "0");
    one!(with_hello("cpus 2000.5"), ErrorKind::OutOfRange { .. }, "2000.5");
}

#[test]
fn durations_and_sizes_where_meaningless() {
    one!(with_hello("duration \"0s\""), ErrorKind::OutOfRange { .. }, "\"0s\"");
    one!(with_hello("timeout \"2days\""), ErrorKind::OutOfRange { .. }, "\"2days\"");
    one!(with_hello("duration \"1500us\""), ErrorKind::InvalidSettingValue { .. }, "\"1500us\"");
    one!(with_hello("memory \"1MB\""), ErrorKind::OutOfRange { .. }, "\"1MB\"");
    one!(with_hello("memory \"0.5B\""), ErrorKind::InvalidSettingValue { .. }, "\"0.5B\"");
    one!(
        with_hello("memory \"99999999999999GB\""),
        ErrorKind::InvalidSettingValue { .. },
        "\"99999999999999GB\""
    );
}

#[test]
fn threads_at_most_connections_across_layers() {
    // `connections 300` comes from BASE's scenario io, threads from defaults: no error there.
    let defaults = "defaults {\n    threads 8 64\n}\n";
    let errors =
        errors_of(&format!("{defaults}matrix {{\n    include flask own scenario=hello\n}}\n"));
    let kind = one!(errors, ErrorKind::ThreadsOverConnections { .. }, "64");
    assert_eq!(kind, ErrorKind::ThreadsOverConnections { threads: 64, connections: 20 });
    let fine = format!("{defaults}matrix {{\n    include flask own scenario=io\n}}\n");
    assert!(errors_of(&fine).is_empty());
    // The same value in two layers: reported where the cell got it from, the scenario.
    let text = format!(
        "{BASE}defaults {{\n    threads 4\n}}\nscenario probe {{\n    path \"/p\"\n    \
         connections 2\n    threads 4 // here\n}}\nmatrix {{\n    include flask own \
         scenario=\"io probe\"\n}}\n"
    );
    let sources = Sources::from_text("/nonexistent/matrix.kdl", &text).unwrap();
    let errors = analyze(&sources).unwrap_err().diagnostics;
    assert_eq!(errors.len(), 1);
    let here = text.find("4 // here").unwrap();
    assert_eq!(errors[0].range(), Some((here, 1)));
    assert_eq!(errors[0].to_string(), "4 threads for 2 connections");
}

#[test]
fn cpuset_syntax_and_range() {
    one!(
        with_hello("cpuset \"0-4000000000\""),
        ErrorKind::InvalidCpuset { .. },
        "\"0-4000000000\""
    );
    one!(with_hello("cpuset \"3-1\""), ErrorKind::InvalidCpuset { .. }, "\"3-1\"");
    one!(with_hello("cpuset \"1,,2\""), ErrorKind::InvalidCpuset { .. }, "\"1,,2\"");
    assert!(with_hello("cpuset \"0-3,6\"").is_empty());
}

#[test]
fn duplicate_sweep_values() {
    let errors = with_hello("connections 16 32 16");
    let kind = one!(errors, ErrorKind::DuplicateSweepValue { .. }, "16");
    assert_eq!(kind.to_string(), "`connections` lists 16 twice");
}

#[test]
fn run_knobs_take_one_checked_value() {
    one!(
        with_hello("primer-duration \"1s\" \"2s\""),
        ErrorKind::SettingArity { many: true, .. },
        "\"2s\""
    );
    one!(with_hello("readiness-timeout \"0s\""), ErrorKind::OutOfRange { .. }, "\"0s\"");
    one!(with_hello("sample-interval \"1ms\""), ErrorKind::OutOfRange { .. }, "\"1ms\"");
    one!(with_hello("primer-connections 0"), ErrorKind::OutOfRange { .. }, "0");
    assert!(with_hello("primer-duration \"0s\"\nprimer-connections 4").is_empty());
}

#[test]
fn run_knob_defaults_are_todays_behaviour() {
    let builtin = Settings::builtin();
    let millis = |s| builtin.get(s).map(<[_]>::to_vec);
    use bench::model::SettingValue::{Count, Millis};
    assert_eq!(millis(&setting::PRIMER_DURATION), Some(vec![Millis(2_000)]));
    assert_eq!(millis(&setting::PRIMER_CONNECTIONS), Some(vec![Count(2)]));
    assert_eq!(millis(&setting::READINESS_TIMEOUT), Some(vec![Millis(120_000)]));
    assert_eq!(millis(&setting::SAMPLE_INTERVAL), Some(vec![Millis(1_000)]));
}

#[test]
fn names_that_become_ids() {
    let errors = errors_of(
        "server \"gun/icorn\" {\n    command \"x\"\n    interface wsgi\n}\nmatrix {\n    include flask own\n}\n",
    );
    one!(errors, ErrorKind::UnsafeText { .. }, "\"gun/icorn\"");
    let errors = errors_of(
        "framework bottle label=\"a b\" {\n    interface wsgi \"b:app\"\n}\nmatrix {\n    include flask own\n}\n",
    );
    one!(errors, ErrorKind::UnsafeText { .. }, "label=\"a b\"");
    let errors = errors_of("matrix {\n    include flask own name=\"x/y\"\n}\n");
    one!(errors, ErrorKind::UnsafeText { .. }, "name=\"x/y\"");
}

#[test]
fn globs_and_paths_use_a_safe_character_set() {
    let errors = errors_of("matrix {\n    include flask own\n    exclude row=\"flask;rm\"\n}\n");
    one!(errors, ErrorKind::UnsafeText { .. }, "row=\"flask;rm\"");
    let errors = errors_of(
        "server s2 {\n    script \"../../etc/passwd\"\n    interface own\n}\nmatrix {\n    include flask own\n}\n",
    );
    one!(errors, ErrorKind::UnsafeText { .. }, "\"../../etc/passwd\"");
}

#[test]
fn strings_reaching_a_shell_have_no_control_characters() {
    let errors = errors_of(
        "server s2 {\n    command \"serve\\nRUN rm -rf /\"\n    interface own\n}\nmatrix {\n    include flask own\n}\n",
    );
    one!(errors, ErrorKind::ControlCharacter { .. }, "\"serve\\nRUN rm -rf /\"");
    let errors = errors_of(&in_override("env A=\"x\\ty\""));
    one!(errors, ErrorKind::ControlCharacter { .. }, "A=\"x\\ty\"");
    let errors = errors_of(&in_override("env \"1A\"=\"x\""));
    one!(errors, ErrorKind::UnsafeText { .. }, "\"1A\"");
    let errors = errors_of(&in_override("system-packages \"gcc; curl x\""));
    one!(errors, ErrorKind::UnsafeText { .. }, "\"gcc; curl x\"");
}

#[test]
fn request_paths_are_origin_form() {
    one!(with_hello("path \"hello\""), ErrorKind::InvalidPath { .. }, "\"hello\"");
    one!(with_hello("path \"/he llo\""), ErrorKind::InvalidPath { .. }, "\"/he llo\"");
    one!(with_hello("path \"/a#b\""), ErrorKind::InvalidPath { .. }, "\"/a#b\"");
    assert!(with_hello("path \"/search?q=1&x=%20\"").is_empty());
}

#[test]
fn expectations_are_valid_http() {
    one!(with_hello("expect status=700"), ErrorKind::OutOfRange { .. }, "status=700");
    one!(with_hello("expect status=99"), ErrorKind::OutOfRange { .. }, "status=99");
    one!(
        with_hello("expect content-type=\"text\""),
        ErrorKind::InvalidContentType { .. },
        "content-type=\"text\""
    );
    one!(
        with_hello("expect json=#true min-bytes=-5"),
        ErrorKind::OutOfRange { .. },
        "min-bytes=-5"
    );
    assert!(with_hello("expect status=201 content-type=\"text/plain; charset=utf-8\"").is_empty());
}

#[test]
fn requirements_are_pinned_with_double_equals() {
    let errors = errors_of(&in_override("packages \"waitress\""));
    one!(errors, ErrorKind::UnpinnedRequirement { hint: None, .. }, "\"waitress\"");
    let errors = errors_of(&in_override("packages \"waitress=3.0.2\""));
    let kind =
        one!(errors, ErrorKind::UnpinnedRequirement { hint: Some(_), .. }, "\"waitress=3.0.2\"");
    let ErrorKind::UnpinnedRequirement { hint: Some(hint), .. } = kind else { unreachable!() };
    assert!(hint.starts_with("use == to pin one version: `\"waitress==3.0.2\"`"), "{hint}");
    let errors = errors_of(&in_override("packages-no-deps \"greenlet>=3\""));
    one!(errors, ErrorKind::UnpinnedRequirement { hint: Some(_), .. }, "\"greenlet>=3\"");
    let ok = in_override(
        "packages \"gunicorn[gevent]==23.0.0\" \"uvloop==0.21.0; sys_platform != 'win32'\"",
    );
    assert!(errors_of(&ok).is_empty(), "{:#?}", errors_of(&ok));
}

#[test]
fn a_server_without_interface() {
    let errors =
        errors_of("server bare {\n    command \"x\"\n}\nmatrix {\n    include flask own\n}\n");
    // Reported on the node's name: nothing else to point at.
    one!(errors, ErrorKind::NoInterface { framework: false, .. }, "server");
}

/// Files a matrix names must exist under its project root (the directory with `apps/`).
#[test]
fn referenced_files_exist_under_the_project_root() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("apps/servers")).unwrap();
    std::fs::create_dir_all(dir.path().join("apps/flask")).unwrap();
    std::fs::write(dir.path().join("apps/servers/own_server.py"), "").unwrap();
    let text = format!(
        "{BASE}server s2 {{\n    script \"missing.py\"\n    interface own\n}}\nmatrix {{\n    include flask own\n}}\n"
    );
    let path = dir.path().join("matrix.kdl");
    std::fs::write(&path, &text).unwrap();
    let errors = analyze(&Sources::load(&path).unwrap()).unwrap_err().diagnostics;
    let found: Vec<(String, &str)> = errors
        .iter()
        .map(|d| {
            let (offset, len) = d.range().unwrap();
            (d.to_string(), &text[offset..offset + len])
        })
        .collect();
    assert_eq!(
        found,
        vec![
            // BASE's falcon has no `app`: the span is its name.
            ("app directory `apps/falcon` does not exist".to_string(), "falcon"),
            (
                "launch script `apps/servers/missing.py` does not exist".to_string(),
                "\"missing.py\""
            ),
        ]
    );
}
