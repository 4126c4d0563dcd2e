//! Dockerfile rendering (`bench::image::render_dockerfile`) on the article's cells and `bench
//! dockerfile`. The files that shape an image (and its hash) are in `image_hash.rs`.

#[path = "fixtures/image/rows.rs"]
mod rows;

use std::path::{Path, PathBuf};
use std::process::Command;

use bench::image::{BuildSettings, ImageError, Templates, render_dockerfile};
use bench::matrix::{Compile, Launch};

fn with_ca() -> BuildSettings {
    BuildSettings {
        ca_bundle: Some(PathBuf::from("/etc/ssl/certs/ca-certificates.crt")),
        ..Default::default()
    }
}

fn render(row: &str, settings: &BuildSettings) -> String {
    render_dockerfile(&rows::row(row), settings, &Templates::embedded()).unwrap()
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "fixtures/image/snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn cpython_cell_snapshot() {
    snapshot("falcon_gunicorn_cpython", &render("falcon-gunicorn", &with_ca()));
}

#[test]
fn pypy_cell_snapshot() {
    snapshot("bjoern_pypy", &render("bjoern-pypy", &with_ca()));
}

#[test]
fn nuitka_cell_snapshot() {
    snapshot("falcon_bjoern_nuitka", &render("falcon-bjoern-nuitka", &with_ca()));
}

#[test]
fn meinheld_cell_snapshot() {
    snapshot(
        "flask_gunicorn_meinheld",
        &render("flask-gunicorn-meinheld", &BuildSettings::default()),
    );
}

/// Index of the first line starting with `prefix`, failing with the Dockerfile when absent.
fn line_index(text: &str, prefix: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line `{prefix}` in:\n{text}"))
}

#[test]
fn layers_go_from_runtime_to_app() {
    let text = render("falcon-bjoern", &with_ca());
    let runtime = line_index(&text, " && apt-get install -y --no-install-recommends python3 ");
    let venv = line_index(&text, "RUN python3 -m venv /venv");
    let ca = line_index(&text, "COPY bench/ca.pem");
    let system = line_index(&text, " && apt-get install -y --no-install-recommends libev-dev");
    let pip = line_index(&text, "RUN PIP_CERT=/bench/ca.pem pip install ");
    let freeze = line_index(&text, " && pip freeze --all > /bench/versions.txt");
    let app = line_index(&text, "COPY apps/falcon /app/");
    let cmd = line_index(&text, "CMD ");
    assert!(
        runtime < venv
            && venv < ca
            && ca < system
            && system < pip
            && pip < freeze
            && freeze < app
            && app < cmd,
        "{text}"
    );
    assert!(text.lines().last().unwrap().starts_with("CMD "), "CMD is the last line:\n{text}");
}

#[test]
fn cells_of_a_runtime_share_the_runtime_layers() {
    // Different servers, frameworks and variants: the text up to the server's own layers is equal.
    let prefix = |row: &str| {
        let text = render(row, &with_ca());
        let end = text.find("COPY bench/ca.pem /bench/ca.pem\n").unwrap()
            + "COPY bench/ca.pem /bench/ca.pem\n".len();
        text[..end].to_string()
    };
    let gunicorn = prefix("falcon-gunicorn");
    for row in ["flask-meinheld", "falcon-bjoern-fork", "aiohttp-uvloop", "cherrypy-twisted"] {
        assert_eq!(prefix(row), gunicorn, "runtime layers of {row} differ from falcon-gunicorn's");
    }
    assert_ne!(prefix("bjoern-pypy"), gunicorn, "pypy must not share cpython's runtime layer");
    assert_eq!(prefix("bjoern-pypy"), prefix("falcon-bjoern-pypy"));
}

#[test]
fn packages_are_pinned_in_one_install_and_no_deps_after() {
    let text = render("flask-gunicorn-meinheld", &BuildSettings::default());
    let install: Vec<&str> =
        text.lines().filter(|l| l.starts_with("RUN ") && l.contains("pip install")).collect();
    assert_eq!(
        install,
        vec![
            "RUN pip install gunicorn==23.0.0 greenlet==3.5.6 Flask==3.1.3 Werkzeug==3.1.9",
            "RUN pip install --no-deps meinheld==1.0.2",
        ]
    );
    // A cell without no-deps packages has a single pip install.
    let plain = render("falcon-gunicorn", &BuildSettings::default());
    assert_eq!(plain.matches("pip install").count(), 1, "{plain}");
    assert!(!plain.contains("--no-deps"));
}

#[test]
fn a_cell_without_packages_has_no_pip_install() {
    let mut cell = rows::row("bjoern");
    cell.image.packages.clear();
    let text = render_dockerfile(&cell, &BuildSettings::default(), &Templates::embedded()).unwrap();
    assert!(!text.contains("pip install"), "{text}");
    assert!(text.contains("pip freeze --all > /bench/versions.txt"), "{text}");
}

#[test]
fn versions_and_python_version_are_recorded() {
    let text = render("bjoern-pypy", &BuildSettings::default());
    assert!(text.contains("pip freeze --all > /bench/versions.txt"));
    assert!(text.contains("> /bench/python-version.txt"));
}

#[test]
fn ca_bundle_and_index_only_when_the_settings_say_so() {
    let without = render("falcon-gunicorn", &BuildSettings::default());
    assert!(
        !without.contains("ca.pem")
            && !without.contains("PIP_CERT")
            && !without.contains("PIP_INDEX_URL"),
        "{without}"
    );

    let settings = BuildSettings {
        pip_index_url: Some("http://127.0.0.1:3141/root/pypi/+simple/".into()),
        pip_extra_index_url: Some("http://127.0.0.1:3142/simple x".into()),
        ..with_ca()
    };
    let text = render("flask-gunicorn-meinheld", &settings);
    assert!(text.contains("COPY bench/ca.pem /bench/ca.pem\n"));
    let env = "PIP_CERT=/bench/ca.pem PIP_INDEX_URL=http://127.0.0.1:3141/root/pypi/+simple/ PIP_EXTRA_INDEX_URL='http://127.0.0.1:3142/simple x' pip install ";
    assert_eq!(text.matches(env).count(), 2, "both pip steps get the settings:\n{text}");
    // Not baked into the image's environment.
    assert!(!text.lines().any(|l| l.starts_with("ENV") && l.contains("PIP_CERT")));
}

#[test]
fn requirements_with_shell_characters_are_quoted() {
    let text = render("flask-gunicorn-gevent", &BuildSettings::default());
    assert!(
        text.contains("RUN pip install 'gunicorn[gevent]==23.0.0' gevent==26.9.0 Flask==3.1.3"),
        "{text}"
    );
}

#[test]
fn command_launch_runs_through_sh_so_port_expands_at_start() {
    let text = render("falcon-uvicorn-uvloop", &BuildSettings::default());
    assert!(text.ends_with(
        "CMD [\"sh\",\"-c\",\"exec uvicorn --host 127.0.0.1 --port $PORT --workers 1 --loop uvloop --no-access-log falcon_asgi:app\"]\n"
    ), "{text}");
    assert!(text.contains("ENV BENCH_APP=\"falcon_asgi:app\""));
}

#[test]
fn script_launch_runs_the_venv_python_on_the_script() {
    let text = render("falcon-bjoern-fork", &BuildSettings::default());
    assert!(
        text.ends_with("CMD [\"/venv/bin/python\",\"/app/servers/bjoern_server.py\"]\n"),
        "{text}"
    );
    assert!(text.contains("ENV BENCH_WORKERS=\"128\"\n"));
    assert!(text.contains("ENV BENCH_FORK=\"1\"\n"));
}

#[test]
fn the_app_step_copies_common_the_launch_script_alone_and_the_app() {
    let copies = |row: &str| -> Vec<String> {
        let text = render(row, &BuildSettings::default());
        text.lines().filter(|l| l.starts_with("COPY apps/")).map(String::from).collect()
    };
    assert_eq!(
        copies("falcon-bjoern"),
        [
            "COPY apps/common /app/common",
            "COPY apps/servers/bjoern_server.py /app/servers/bjoern_server.py",
            "COPY apps/falcon /app/",
        ]
    );
    assert_eq!(
        copies("falcon-gunicorn"),
        ["COPY apps/common /app/common", "COPY apps/falcon /app/"],
        "a command launch copies no launch script"
    );
}

#[test]
fn nuitka_compiles_the_script_at_build_time_and_runs_the_binary() {
    let text = render("flask-bjoern-nuitka", &BuildSettings::default());
    assert!(text.contains(
        "RUN python -m nuitka --standalone --output-dir=/build --include-module=_json --include-module=flask_app /app/servers/bjoern_server.py"
    ), "{text}");
    assert!(text.ends_with("CMD [\"/build/bjoern_server.dist/bjoern_server.bin\"]\n"), "{text}");
    let compile = line_index(&text, "RUN python -m nuitka");
    assert!(
        compile > line_index(&text, "COPY apps/flask /app/"),
        "compiles after the app is copied"
    );
    assert!(
        compile < line_index(&text, "ENV BENCH_APP="),
        "the server's env comes after the compile step:\n{text}"
    );
}

#[test]
fn env_values_are_escaped_for_the_dockerfile() {
    let mut cell = rows::row("falcon-bjoern");
    cell.image.env.insert("BENCH_NOTE".into(), "a \"b\" $HOME \\".into());
    cell.image.env.insert("BENCH_WORKERS".into(), "3".into());
    let text = render_dockerfile(&cell, &BuildSettings::default(), &Templates::embedded()).unwrap();
    assert!(text.contains("ENV BENCH_NOTE=\"a \\\"b\\\" \\$HOME \\\\\"\n"), "{text}");
    // ImageSpec.env overrides the derived value in place.
    assert!(
        text.contains("ENV BENCH_WORKERS=\"3\"\n") && !text.contains("ENV BENCH_WORKERS=\"1\""),
        "{text}"
    );
}

#[test]
fn bad_cells_are_refused_with_what_to_fix() {
    let mut cell = rows::row("falcon-bjoern");
    cell.image.app_dir = "../etc".into();
    let err =
        render_dockerfile(&cell, &BuildSettings::default(), &Templates::embedded()).unwrap_err();
    assert!(matches!(err, ImageError::Invalid { what: "app directory", .. }), "{err}");
    assert!(err.to_string().contains("falcon-bjoern/hello"), "{err}");

    let mut cell = rows::row("falcon-gunicorn");
    cell.image.compile =
        Some(Compile { command: "nuitka {script}".into(), run: "/build/x".into() });
    let err =
        render_dockerfile(&cell, &BuildSettings::default(), &Templates::embedded()).unwrap_err();
    assert!(matches!(err, ImageError::Invalid { what: "launch", .. }), "{err}");

    let mut cell = rows::row("falcon-bjoern");
    cell.image.launch = Launch::Script { script: "sub/x.py".into(), args: vec![] };
    assert!(render_dockerfile(&cell, &BuildSettings::default(), &Templates::embedded()).is_err());

    let mut cell = rows::row("falcon-bjoern");
    cell.image.env.insert("BAD NAME".into(), "x".into());
    assert!(render_dockerfile(&cell, &BuildSettings::default(), &Templates::embedded()).is_err());

    let mut cell = rows::row("falcon-bjoern");
    cell.image.app = "falcon-app:app".into();
    assert!(render_dockerfile(&cell, &BuildSettings::default(), &Templates::embedded()).is_err());
}

#[test]
fn the_dockerfile_command_takes_the_matrix_file_like_the_others() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    // An explicit CA bundle, so that the host's (PIP_CERT, ...) does not count.
    let ca = root.join("Cargo.toml");
    let matrix = root.join("matrix.kdl");
    let out = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["dockerfile", "falcon-bjoern-pypy", matrix.to_str().unwrap()])
        .args(["--ca-bundle", ca.to_str().unwrap()])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let settings = BuildSettings { ca_bundle: Some(ca), ..Default::default() };
    let cell = rows::row("falcon-bjoern-pypy");
    let expected = render_dockerfile(&cell, &settings, &Templates::embedded()).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}
