//! Build contexts, templates loading and image inputs (`bench::image`).

#[path = "fixtures/image/rows.rs"]
mod rows;

use std::path::{Path, PathBuf};

use bench::image::{
    BuildContext, BuildSettings, ImageError, Templates, build_context, image_inputs,
    render_dockerfile,
};

fn project_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The paths of a context's files.
fn names(context: &BuildContext) -> Vec<&str> {
    context.files.iter().map(|(path, _)| path.as_str()).collect()
}

/// A small project root: two framework dirs, common, two launch scripts, caches that must be
/// left out.
fn fake_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("apps/common/__init__.py", "PAYLOAD = {}\n");
    write("apps/common/payload.json", "{}\n");
    write("apps/common/__pycache__/__init__.cpython-311.pyc", "cache");
    write("apps/servers/bjoern_server.py", "import bjoern\n");
    write("apps/servers/meinheld_server.py", "import meinheld\n");
    write("apps/servers/.hidden", "x");
    write("apps/falcon/falcon_app.py", "app = None\n");
    write("apps/falcon/stale.pyc", "cache");
    write("apps/flask/flask_app.py", "app = None\n");
    dir
}

#[test]
fn context_holds_dockerfile_app_common_its_launch_script_and_ca() {
    let root = fake_root();
    let ca = root.path().join("host-ca.pem");
    std::fs::write(&ca, "-----BEGIN CERTIFICATE-----\nfake\n").unwrap();
    let settings = BuildSettings { ca_bundle: Some(ca.clone()), ..Default::default() };
    let cell = rows::row("falcon-bjoern");
    let context = build_context(&cell, &settings, root.path()).unwrap();
    assert_eq!(
        names(&context),
        [
            "apps/common/__init__.py",
            "apps/common/payload.json",
            "apps/falcon/falcon_app.py",
            "apps/servers/bjoern_server.py",
            "bench/ca.pem",
        ]
    );
    let dockerfile =
        render_dockerfile(&cell, &settings, &Templates::load(root.path()).unwrap()).unwrap();
    assert_eq!(context.dockerfile, dockerfile);
    assert_eq!(context.files[0].1, b"PAYLOAD = {}\n");
    assert_eq!(context.files.last().unwrap().1, std::fs::read(&ca).unwrap());
}

#[test]
fn context_without_ca_has_no_bench_dir_and_is_deterministic() {
    let cell = rows::row("flask-gunicorn");
    let a = build_context(&cell, &BuildSettings::default(), project_root()).unwrap();
    let b = build_context(&cell, &BuildSettings::default(), project_root()).unwrap();
    assert_eq!(a, b);
    let names = names(&a);
    assert!(!names.iter().any(|n| n.starts_with("bench")));
    assert!(
        !names.iter().any(|n| n.starts_with("apps/servers")),
        "a command launch needs no launch script: {names:?}"
    );
    assert!(names.contains(&"apps/flask/flask_app.py"));
    assert!(names.contains(&"apps/common/payload.json"));
    assert!(
        !names.iter().any(|n| n.starts_with("apps/falcon")),
        "only the cell's framework: {names:?}"
    );
    assert!(names.is_sorted(), "{names:?}");
}

#[test]
fn every_article_row_packs_from_the_project_apps() {
    for row in rows::names() {
        let cell = rows::row(&row);
        let context = build_context(&cell, &BuildSettings::default(), project_root())
            .unwrap_or_else(|e| panic!("{row}: {e}"));
        let module = cell.image.app.split(':').next().unwrap();
        let app_file = format!("apps/{}/{module}.py", cell.image.app_dir);
        let names = names(&context);
        assert!(names.contains(&app_file.as_str()), "{row}: {app_file} missing from {names:?}");
    }
}

#[test]
fn missing_inputs_are_reported_with_their_path() {
    let root = fake_root();
    let mut cell = rows::row("falcon-bjoern");
    cell.image.app_dir = "pyramid".into();
    let err = build_context(&cell, &BuildSettings::default(), root.path()).unwrap_err();
    assert!(matches!(err, ImageError::AppDirMissing { .. }), "{err}");
    assert!(err.to_string().contains("apps/pyramid"), "{err}");

    let cell = rows::row("falcon-gunicorn"); // command launch: no script needed
    assert!(build_context(&cell, &BuildSettings::default(), root.path()).is_ok());
    let cell = rows::row("netius"); // plain app dir missing in the fake root
    assert!(matches!(
        build_context(&cell, &BuildSettings::default(), root.path()),
        Err(ImageError::AppDirMissing { .. })
    ));

    let mut cell = rows::row("falcon-bjoern");
    cell.image.launch =
        bench::matrix::Launch::Script { script: "granian_server.py".into(), args: vec![] };
    let err = build_context(&cell, &BuildSettings::default(), root.path()).unwrap_err();
    assert!(matches!(err, ImageError::ScriptMissing { .. }), "{err}");
    assert!(err.to_string().contains("apps/servers/granian_server.py"), "{err}");
    // The listing itself refuses what is not a launch script in `apps/servers`.
    for script in ["granian_server.py", ".hidden", "../common/__init__.py", ""] {
        let err = image_inputs(root.path(), "falcon", Some(script)).unwrap_err();
        assert!(matches!(err, ImageError::ScriptMissing { .. }), "{script}: {err}");
    }

    let settings = BuildSettings {
        ca_bundle: Some(PathBuf::from("/nonexistent/ca.pem")),
        ..Default::default()
    };
    let err = build_context(&rows::row("falcon-bjoern"), &settings, root.path()).unwrap_err();
    assert!(matches!(err, ImageError::CaBundle { .. }), "{err}");
    assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
}

#[test]
fn templates_of_the_root_override_the_embedded_copies() {
    let root = fake_root();
    assert_eq!(Templates::load(root.path()).unwrap(), Templates::embedded());
    std::fs::create_dir_all(root.path().join("dockerfiles")).unwrap();
    std::fs::write(
        root.path().join("dockerfiles/Dockerfile.j2"),
        "FROM {{ image.base_image }}\nCMD {{ cmd_json }}\n",
    )
    .unwrap();
    let templates = Templates::load(root.path()).unwrap();
    let text =
        render_dockerfile(&rows::row("falcon-bjoern"), &BuildSettings::default(), &templates)
            .unwrap();
    assert_eq!(
        text,
        "FROM debian:bookworm-slim\nCMD [\"/venv/bin/python\",\"/app/servers/bjoern_server.py\"]\n"
    );

    std::fs::write(
        root.path().join("dockerfiles/Dockerfile.j2"),
        "FROM {{ image.no_such_field }}\n",
    )
    .unwrap();
    let templates = Templates::load(root.path()).unwrap();
    let err = render_dockerfile(&rows::row("falcon-bjoern"), &BuildSettings::default(), &templates)
        .unwrap_err();
    assert!(matches!(err, ImageError::Template { .. }), "undefined variables are errors: {err}");
}

#[test]
fn project_templates_are_the_embedded_ones() {
    assert_eq!(Templates::load(project_root()).unwrap(), Templates::embedded());
}

#[test]
fn image_inputs_list_templates_common_the_app_dir_and_the_launch_script_only() {
    let root = fake_root();
    let inputs = image_inputs(root.path(), "falcon", Some("bjoern_server.py")).unwrap();
    let names: Vec<String> = inputs.iter().map(|(p, _)| p.to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        vec![
            "apps/common/__init__.py",
            "apps/common/payload.json",
            "apps/falcon/falcon_app.py",
            "apps/servers/bjoern_server.py",
            "dockerfiles/Dockerfile.j2",
        ]
    );
    assert_eq!(inputs[0].1, b"PAYLOAD = {}\n");
    let without_script = image_inputs(root.path(), "falcon", None).unwrap();
    let expected: Vec<_> =
        inputs.iter().filter(|(p, _)| !p.starts_with("apps/servers")).cloned().collect();
    assert_eq!(without_script, expected, "a command launch lists no launch script");

    std::fs::write(root.path().join("apps/falcon/falcon_app.py"), "app = 1\n").unwrap();
    let changed = image_inputs(root.path(), "falcon", Some("bjoern_server.py")).unwrap();
    assert_ne!(changed, inputs, "a changed app file changes the inputs");
    assert!(matches!(
        image_inputs(root.path(), "django", None),
        Err(ImageError::AppDirMissing { .. })
    ));
}
