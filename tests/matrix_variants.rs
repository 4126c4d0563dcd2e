//! Runtime variants (`runtime=nuitka:lto`) and the row's interface (`interface=asgi`): the
//! rows they make, their names, what their cells get, and the hashes of the rows they leave
//! alone. Their errors are in matrix_error_kinds.rs and matrix_diagnostics.rs.

mod common;

use bench::config::Sources;
use bench::image::ImageInputs;
use bench::matrix::{Cell, Compile, FixedInputs, Launch, expand};
use bench::model::analyze;
use common::{BASE, Test, unindent};

fn cells(extra: &str) -> Vec<Cell> {
    let text = format!("{}{}", unindent(BASE), unindent(extra));
    let sources = Sources::from_text("matrix.kdl", &text).expect("parses");
    let model = analyze(&sources).unwrap_or_else(|e| panic!("{}", e.render()));
    expand(&model, &FixedInputs("inputs-v1".into()))
}

fn ids(cells: &[Cell]) -> Vec<&str> {
    cells.iter().map(|c| c.id.as_str()).collect()
}

fn find<'c>(cells: &'c [Cell], id: &str) -> &'c Cell {
    cells.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no cell {id}: {:?}", ids(cells)))
}

/// A compiling runtime; `variants` goes inside its block.
fn nuitka(variants: &str) -> String {
    "runtime nuitka {\n    packages \"nuitka==4.3.3\"\n    compile \"nuitka --lto=no {script}\" \
     run=\"/build/{stem}.bin\"\n"
        .to_string()
        + variants
        + "}\n"
}

const VARIANTS: &str = r#"
    variant lto {
        compile "nuitka --lto=yes {script}" run="/build/{stem}.bin"
    }
    variant fast label="lto-O" {
        compile "nuitka --lto=yes --python-flag=-O {script}" run="/build/{stem}.bin"
        packages "nuitka==4.4.0"
        warmup "9s"
    }
"#;

/// The cells of every build of nuitka (its variants included) for flask on `own` and on
/// gunicorn, in `hello`, plus `statements` in the same `matrix` block.
fn nuitka_rows(statements: &str) -> Vec<Cell> {
    let axes = "matrix {\n    axes {\n        framework flask\n        server own gunicorn\n        \
                runtime nuitka:*\n        scenario hello\n    }\n";
    cells(&format!("{}{axes}{}}}\n", nuitka(VARIANTS), unindent(statements)))
}

/// A server that serves two interfaces, in the other order than falcon prefers them.
const GRANIAN: &str = r#"
server granian {
    command "granian --interface {args} {app}"
    interface asgi args="asgi"
    interface wsgi args="wsgi"
}
"#;

#[test]
fn runtime_variants_make_rows_named_after_the_runtime() {
    let c = nuitka_rows("include flask own runtime=nuitka:lto scenario=io\n");
    // gunicorn starts from a command, which no build of nuitka compiles.
    assert_eq!(
        ids(&c),
        [
            "flask-nuitka/hello",
            "flask-nuitka-lto/hello",
            "flask-nuitka-lto/io",
            "flask-nuitka-lto-O/hello"
        ]
    );
    let compile = |id: &str| find(&c, id).image.compile.clone().expect("a compile step");
    let run = "/build/own_server.bin".to_string();
    let command = |flags: &str| format!("nuitka {flags} /app/servers/own_server.py");
    assert_eq!(
        compile("flask-nuitka/hello"),
        Compile { command: command("--lto=no"), run: run.clone() }
    );
    assert_eq!(
        compile("flask-nuitka-lto/io"),
        Compile { command: command("--lto=yes"), run: run.clone() }
    );
    assert_eq!(
        compile("flask-nuitka-lto-O/hello"),
        Compile { command: command("--lto=yes --python-flag=-O"), run }
    );
    let (plain, lto, fast) = (
        find(&c, "flask-nuitka/hello"),
        find(&c, "flask-nuitka-lto/hello"),
        find(&c, "flask-nuitka-lto-O/hello"),
    );
    assert_eq!((plain.runtime.as_str(), plain.runtime_variant.as_deref()), ("nuitka", None));
    assert_eq!((lto.runtime.as_str(), lto.runtime_variant.as_deref()), ("nuitka", Some("lto")));
    assert_eq!(fast.runtime_variant.as_deref(), Some("fast"), "the name, not the label");
    // The variant's packages and settings go on top of the runtime's.
    assert_eq!(lto.image.packages, ["nuitka==4.3.3"]);
    assert_eq!(fast.image.packages, ["nuitka==4.4.0"], "same project replaces the pin");
    assert_eq!((plain.load.warmup_ms, lto.load.warmup_ms, fast.load.warmup_ms), (0, 0, 9_000));
    assert_eq!(lto.image.python, plain.image.python);
    assert_ne!(lto.image_hash, plain.image_hash);
    assert_ne!(fast.image_hash, lto.image_hash);
}

#[test]
fn matchers_name_a_runtime_or_one_of_its_variants() {
    let c = nuitka_rows(
        r#"
            override runtime=nuitka {
                timeout "9s"
            }
            override runtime=nuitka:lto {
                duration "5s"
            }
            exclude runtime="nuitka:f*"
        "#,
    );
    assert_eq!(ids(&c), ["flask-nuitka/hello", "flask-nuitka-lto/hello"]);
    let (plain, lto) = (&c[0], &c[1]);
    assert_eq!((plain.load.timeout_ms, lto.load.timeout_ms), (9_000, 9_000), "the runtime's rows");
    assert_eq!((plain.load.duration_ms, lto.load.duration_ms), (20_000, 5_000), "one variant's");
}

#[test]
fn variants_leave_the_runtimes_own_rows_alone() {
    let rows = "matrix {\n    include flask own runtime=nuitka\n    include flask own\n}\n";
    let before = cells(&format!("{}{rows}", nuitka("")));
    let with_variants = format!(
        "{}{rows}matrix {{\n    include flask own runtime=nuitka:lto\n}}\n",
        nuitka(VARIANTS)
    );
    let after = cells(&with_variants);
    assert_eq!(after.len(), before.len() + 2);
    for b in &before {
        let a = find(&after, &b.id);
        assert_eq!((&a.hash, &a.image_hash), (&b.hash, &b.image_hash), "{}", b.id);
    }
}

#[test]
fn an_importing_file_patches_a_runtime_under_its_variants() {
    let base =
        format!("{}{}{}", unindent(BASE), nuitka(VARIANTS), "matrix {\n    include flask own\n}\n");
    let out = Test::new()
        .file("base.kdl", &base)
        .matrix(
            r#"
            import "base.kdl"
            runtime nuitka {
                packages "nuitka==4.3.4"
                variant lto {
                    env NUITKA_CACHE_DIR="/tmp"
                }
            }
            matrix {
                include flask own runtime=nuitka:lto scenario=hello
            }
            "#,
        )
        .args(&["expand", "--format", "json"])
        .output();
    assert_eq!(out.status, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let lto = v.as_array().unwrap().iter().find(|c| c["name"] == "flask-nuitka-lto").unwrap();
    assert_eq!(lto["runtime"], "nuitka");
    assert_eq!(lto["runtime_variant"], "lto");
    assert_eq!(lto["image"]["packages"][0], "nuitka==4.3.4", "the runtime's new pin");
    assert_eq!(lto["image"]["env"]["NUITKA_CACHE_DIR"], "/tmp", "the patched variant");
    assert_eq!(
        lto["image"]["compile"]["command"], "nuitka --lto=yes /app/servers/own_server.py",
        "the variant's compile line, kept"
    );
    assert_eq!(v[0]["runtime_variant"], serde_json::Value::Null);
}

#[test]
fn a_row_picks_its_interface_and_names_it_when_not_the_default() {
    let c = cells(&format!(
        "{GRANIAN}{}",
        r#"
        matrix {
            include falcon granian
            include falcon granian interface=asgi
            include falcon granian interface=wsgi scenario=io
            include falcon granian interface=asgi runtime=pypy scenario=hello
            axes {
                framework falcon flask
                server granian uvicorn
                interface wsgi asgi
                scenario hello
            }
            override interface=asgi {
                duration "5s"
            }
        }
        "#
    ));
    // falcon prefers wsgi, so `interface=wsgi` is the default row again; uvicorn serves
    // asgi alone, so asgi is its default and stays out of the name; flask has no asgi app.
    assert_eq!(
        ids(&c),
        [
            "falcon-granian/hello",
            "falcon-granian/io",
            "falcon-granian-asgi/hello",
            "falcon-granian-asgi/io",
            "falcon-granian-asgi-pypy/hello",
            "falcon-uvicorn/hello",
            "flask-granian/hello",
        ]
    );
    let (wsgi, asgi) = (find(&c, "falcon-granian/hello"), find(&c, "falcon-granian-asgi/hello"));
    assert_eq!((wsgi.interface.as_str(), wsgi.image.app.as_str()), ("wsgi", "falcon_app:app"));
    assert_eq!((asgi.interface.as_str(), asgi.image.app.as_str()), ("asgi", "falcon_asgi:app"));
    assert_eq!(
        asgi.image.launch,
        Launch::Command { command: "granian --interface asgi falcon_asgi:app".into() }
    );
    assert_eq!(
        wsgi.image.launch,
        Launch::Command { command: "granian --interface wsgi falcon_app:app".into() }
    );
    assert_eq!(find(&c, "flask-granian/hello").interface, "wsgi");
    // `interface=` in a matcher.
    assert_eq!((wsgi.load.duration_ms, asgi.load.duration_ms), (20_000, 5_000));
    assert_eq!(find(&c, "falcon-uvicorn/hello").load.duration_ms, 5_000);
}

#[test]
fn an_interface_row_leaves_the_default_row_alone() {
    let before = cells(&format!("{GRANIAN}matrix {{\n    include falcon granian\n}}\n"));
    let after = cells(&format!(
        "{GRANIAN}matrix {{\n    include falcon granian\n    axes {{\n        framework \
         falcon\n        server granian\n        interface asgi wsgi\n    }}\n}}\n"
    ));
    assert_eq!(ids(&after).len(), 4, "{:?}", ids(&after));
    for b in &before {
        let a = find(&after, &b.id);
        assert_eq!((&a.hash, &a.image_hash), (&b.hash, &b.image_hash), "{}", b.id);
    }
}

#[test]
fn the_2026_matrix_uses_runtime_variants_and_interfaces() {
    let root = env!("CARGO_MANIFEST_DIR");
    let model = bench::model::load(&std::path::Path::new(root).join("matrix-2026.kdl"))
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let cells = expand(&model, &ImageInputs::new(root));
    let row = |name: &str| {
        cells
            .iter()
            .find(|c| c.name == name && c.scenario == "hello")
            .unwrap_or_else(|| panic!("no row {name}"))
    };
    for (name, variant, flags) in [
        ("falcon-bjoern-nuitka", None, "--lto=no --output-dir"),
        ("falcon-bjoern-nuitka-lto", Some("lto"), "--lto=yes --output-dir"),
        ("flask-bjoern-nuitka-lto-O", Some("lto-O"), "--lto=yes --python-flag=-O"),
    ] {
        let c = row(name);
        assert_eq!((c.runtime.as_str(), c.runtime_variant.as_deref()), ("nuitka", variant));
        let compile = c.image.compile.as_ref().expect("compiled");
        assert!(compile.command.contains(flags), "{name}: {}", compile.command);
        assert_eq!(c.image.base_image, "debian:trixie-slim", "{name}");
    }
    let asgi = row("django-granian-asgi");
    assert_eq!(
        (asgi.interface.as_str(), asgi.image.app.as_str()),
        ("asgi", "django_asgi:application")
    );
    assert_eq!(row("django-granian").interface, "wsgi");
    assert_eq!(row("django-granian-asgi-py314").runtime, "py314");
}
