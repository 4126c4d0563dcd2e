//! Expansion semantics: the shipped matrix, the naming rule, hashing, axes, include,
//! exclude, override, sweeps and imports.

mod common;

use bench::config::Sources;
use bench::image::ImageInputs;
use bench::matrix::{Cell, FixedInputs, Launch, expand};
use bench::model::analyze;
use common::{BASE, Test, unindent};

fn cells(extra: &str) -> Vec<Cell> {
    cells_with(extra, "inputs-v1")
}

fn cells_with(extra: &str, inputs: &str) -> Vec<Cell> {
    cells_of(BASE, extra, inputs)
}

fn cells_of(base: &str, extra: &str, inputs: &str) -> Vec<Cell> {
    let text = format!("{}{}", unindent(base), unindent(extra));
    let sources = Sources::from_text("matrix.kdl", &text).expect("parses");
    let model = analyze(&sources).unwrap_or_else(|e| panic!("{}", e.render()));
    expand(&model, &FixedInputs(inputs.into()))
}

fn ids(cells: &[Cell]) -> Vec<String> {
    cells.iter().map(|c| c.id.clone()).collect()
}

const ARTICLE_ROWS: &[&str] = &[
    "falcon",
    "falcon-gunicorn",
    "falcon-uwsgi",
    "falcon-bjoern",
    "falcon-bjoern-nuitka",
    "falcon-bjoern-pypy",
    "falcon-uvicorn",
    "falcon-uvicorn-uvloop",
    "cherrypy",
    "cherrypy-uwsgi",
    "cherrypy-tornado",
    "cherrypy-twisted",
    "flask",
    "flask-fastwsgi",
    "flask-gunicorn-eventlet",
    "flask-gunicorn-gevent",
    "flask-gunicorn-gthread",
    "flask-gunicorn-meinheld",
    "flask-gunicorn-tornado",
    "flask-gunicorn",
    "flask-meinheld",
    "flask-bjoern",
    "flask-bjoern-nuitka",
    "fastwsgi",
    "bottle",
    "bjoern",
    "bjoern-pypy",
    "aiohttp",
    "aiohttp-uvloop",
    "aiohttp-gunicorn",
    "aiohttp-gunicorn-uvloop",
    "hug",
    "meinheld",
    "muffin-uvicorn",
    "netius",
    "pycnic-gunicorn",
    "tornado",
];

#[test]
fn shipped_matrix_is_the_articles() {
    let root = env!("CARGO_MANIFEST_DIR");
    let model = bench::model::load(&std::path::Path::new(root).join("matrix.kdl"))
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let cells = expand(&model, &ImageInputs::new(root));
    assert_eq!(cells.len(), 149);
    for scenario in ["hello", "json", "cpu"] {
        let rows: Vec<&str> =
            cells.iter().filter(|c| c.scenario == scenario).map(|c| c.name.as_str()).collect();
        assert_eq!(rows, ARTICLE_ROWS, "{scenario} rows in the article's order");
    }
    let io: Vec<&str> =
        cells.iter().filter(|c| c.scenario == "io").map(|c| c.name.as_str()).collect();
    let mut expected_io = ARTICLE_ROWS.to_vec();
    expected_io.insert(6, "falcon-bjoern-fork");
    assert_eq!(io, expected_io);
    let io_cell = cells.iter().find(|c| c.id == "falcon-uvicorn/io").unwrap();
    assert_eq!(io_cell.load.connections, 300);
    assert_eq!(io_cell.resources.memory_bytes, 512 << 20);
    assert_eq!(io_cell.load.duration_ms, 20_000);
}

#[test]
fn expand_json_lists_the_cells() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out =
        Test::new().args(&["expand", &format!("{root}/matrix.kdl"), "--format", "json"]).output();
    assert_eq!(out.status, 0, "{}", out.stderr);
    let cells: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let cells = cells.as_array().unwrap();
    assert_eq!(cells.len(), 149);
    let c = cells
        .iter()
        .find(|c| c["name"] == "flask-gunicorn-gevent" && c["scenario"] == "io")
        .unwrap();
    assert_eq!(c["framework"], "flask");
    assert_eq!(c["server"], "gunicorn");
    assert_eq!(c["variant"], "gevent");
    assert_eq!(c["runtime"], "cpython");
    assert_eq!(c["load"]["connections"], 300);
    assert_eq!(c["hash"].as_str().unwrap().len(), 64);
}

#[test]
fn only_selects_by_row_scenario_or_id() {
    let root = env!("CARGO_MANIFEST_DIR");
    let file = format!("{root}/matrix.kdl");
    let names = |only: &[&str]| {
        let mut args = vec!["expand", file.as_str(), "--format", "json"];
        for o in only {
            args.extend(["--only", o]);
        }
        let out = Test::new().args(&args).output();
        assert_eq!(out.status, 0, "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&["*-pypy"]).len(), 8);
    assert_eq!(names(&["io"]).len(), 38);
    assert_eq!(names(&["falcon/hello", "bjoern/io"]), vec!["falcon/hello", "bjoern/io"]);
    // A row pattern and a scenario pattern: both must match (the one cell), while patterns of
    // one kind widen the selection.
    assert_eq!(names(&["bjoern", "hello"]), vec!["bjoern/hello"]);
    assert_eq!(names(&["*-pypy", "io", "json"]).len(), 4, "two pypy rows in two scenarios");
    let pypy = names(&["*-pypy", "io", "json"]);
    assert!(pypy.iter().all(|id| id.ends_with("/io") || id.ends_with("/json")), "{pypy:?}");
    let help = Test::new().args(&["expand", "--help"]).output().stdout;
    assert!(help.contains("Patterns of one kind OR together, and the two kinds AND"), "{help}");
    let out = Test::new().args(&["expand", &file, "--only", "nope*"]).output();
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("no cell matches --only nope*"), "{}", out.stderr);
}

#[test]
fn naming_rule_joins_non_empty_labels() {
    let c = cells(
        r#"
        matrix {
            include flask own
            include flask gunicorn:gevent runtime=pypy
            include falcon uvicorn name="falcon-asgi"
        }
        "#,
    );
    let names: Vec<&str> =
        c.iter().filter(|c| c.scenario == "hello").map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["flask", "flask-gunicorn-gevent-pypy", "falcon-asgi"]);
}

#[test]
fn axes_cross_product_drops_incompatible_combinations() {
    let c = cells(
        r#"
        matrix {
            axes {
                framework flask falcon
                server own gunicorn:* uvicorn
                runtime cpython pypy
                scenario hello
            }
        }
        "#,
    );
    // flask: own, gunicorn, gunicorn:gevent on both runtimes; falcon: gunicorn (both), uvicorn (cpython only).
    assert_eq!(
        ids(&c),
        [
            "flask/hello",
            "flask-pypy/hello",
            "flask-gunicorn/hello",
            "flask-gunicorn-pypy/hello",
            "flask-gunicorn-gevent/hello",
            "flask-gunicorn-gevent-pypy/hello",
            "falcon-gunicorn/hello",
            "falcon-gunicorn-pypy/hello",
            "falcon-gunicorn-gevent/hello",
            "falcon-gunicorn-gevent-pypy/hello",
            "falcon-uvicorn/hello",
        ]
    );
    let f = c.iter().find(|c| c.name == "falcon-uvicorn").unwrap();
    assert_eq!(f.interface, "asgi");
    assert_eq!(f.image.app, "falcon_asgi:app");
    assert_eq!(
        f.image.launch,
        Launch::Command { command: "uvicorn falcon_asgi:app --port $PORT".into() }
    );
    let g = c.iter().find(|c| c.name == "flask-gunicorn-gevent").unwrap();
    assert_eq!(
        g.image.launch,
        Launch::Command {
            command:
                "gunicorn --bind 127.0.0.1:$PORT --workers 1 --worker-class gevent flask_app:app"
                    .into()
        }
    );
}

#[test]
fn exclude_removes_cells_and_empty_rows() {
    let c = cells(
        r#"
        matrix {
            axes {
                framework flask falcon
                server gunicorn
            }
            exclude row="falcon-*" scenario=io
            exclude framework=flask
        }
        "#,
    );
    assert_eq!(ids(&c), ["falcon-gunicorn/hello"]);
}

#[test]
fn include_adds_scenarios_to_an_existing_row_in_scenario_order() {
    let c = cells(
        r#"
        matrix {
            include flask own scenario=io
            include falcon gunicorn
            include flask own scenario=hello
        }
        "#,
    );
    assert_eq!(ids(&c), ["flask/hello", "flask/io", "falcon-gunicorn/hello", "falcon-gunicorn/io"]);
}

#[test]
fn override_sets_settings_packages_and_na() {
    let c = cells(
        r#"
        matrix {
            include flask gunicorn
            include flask gunicorn:gevent
            override server=gunicorn {
                packages "gunicorn==23.0.0"
            }
            override runtime=cpython scenario=hello {
                duration "5s"
            }
            override row=flask-gunicorn-gevent {
                packages "gunicorn==25.3.0" "gevent==25.5.1"
                na "broken upstream"
            }
        }
        "#,
    );
    let hello = c.iter().find(|c| c.id == "flask-gunicorn/hello").unwrap();
    assert_eq!(hello.load.duration_ms, 5_000);
    let io = c.iter().find(|c| c.id == "flask-gunicorn/io").unwrap();
    assert_eq!(io.load.duration_ms, 20_000);
    assert_eq!(io.load.connections, 300);
    assert_eq!(io.na, None);
    assert_eq!(hello.image.packages, ["gunicorn==23.0.0"]);
    let gevent = c.iter().find(|c| c.id == "flask-gunicorn-gevent/io").unwrap();
    assert_eq!(
        gevent.image.packages,
        ["gunicorn==25.3.0", "gevent==25.5.1"],
        "same project replaces the pin"
    );
    assert_eq!(gevent.na.as_deref(), Some("broken upstream"));
}

#[test]
fn sweeps_make_one_cell_per_value() {
    let c = cells(
        r#"
        matrix {
            include flask gunicorn scenario=hello
            override row=flask-gunicorn {
                connections 16 64
                workers 1 2
            }
        }
        "#,
    );
    assert_eq!(
        ids(&c),
        [
            "flask-gunicorn/hello[connections=16,workers=1]",
            "flask-gunicorn/hello[connections=16,workers=2]",
            "flask-gunicorn/hello[connections=64,workers=1]",
            "flask-gunicorn/hello[connections=64,workers=2]",
        ]
    );
    assert_eq!(c[3].load.connections, 64);
    assert_eq!(c[3].resources.workers, 2);
    assert!(
        matches!(&c[3].image.launch, Launch::Command { command } if command.contains("--workers 2"))
    );
    assert_ne!(c[0].image_hash, c[1].image_hash, "workers change the command, so the image");
    assert_eq!(c[0].image_hash, c[2].image_hash, "connections do not change the image");
}

#[test]
fn hashes_are_stable_and_change_with_each_kind_of_input() {
    let m = r#"
        matrix {
            include flask gunicorn
        }
    "#;
    let a = cells(m);
    let b = cells(m);
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(
        a.iter().map(|c| &c.hash).collect::<Vec<_>>(),
        b.iter().map(|c| &c.hash).collect::<Vec<_>>()
    );
    assert_eq!(a[0].image_hash, a[1].image_hash, "scenarios of a row share the image");
    assert_ne!(a[0].hash, a[1].hash, "but not the cell hash");
    let hello = |cells: Vec<Cell>| cells.into_iter().find(|c| c.scenario == "hello").unwrap();
    let base = hello(cells(m));
    // A load setting: cell changes, image does not.
    let setting = hello(cells(&format!("defaults {{\n    duration \"10s\"\n}}\n{m}")));
    assert_ne!(setting.hash, base.hash);
    assert_eq!(setting.image_hash, base.image_hash);
    // A resource limit.
    let memory = hello(cells(&format!("defaults {{\n    memory \"256MB\"\n}}\n{m}")));
    assert_ne!(memory.hash, base.hash);
    // A package pin: image and cell change.
    let pin = hello(cells(&m.replace("include flask gunicorn", "include flask gunicorn\n    override framework=flask {\n        packages \"flask==3.1.1\"\n    }")));
    assert_ne!(pin.image_hash, base.image_hash);
    assert_ne!(pin.hash, base.hash);
    // Templates or app files (the inputs' digest).
    let files = hello(cells_with(m, "inputs-v2"));
    assert_ne!(files.image_hash, base.image_hash);
    assert_ne!(files.hash, base.hash);
    // The scenario's expectations.
    let base_hi = BASE.replace("path \"/hello\"", "path \"/hello\"\n    expect body=\"Hi\"");
    let expect = hello(cells_of(&base_hi, m, "inputs-v1"));
    assert_ne!(expect.hash, base.hash);
    // `repeat` only says how often to measure.
    let repeat = hello(cells(&format!("defaults {{\n    repeat 3\n}}\n{m}")));
    assert_eq!(repeat.hash, base.hash);
    assert_eq!(repeat.load.repeat, 3);
}

#[test]
fn hashes_do_not_depend_on_the_machine() {
    // A fixed matrix and fixed inputs give a fixed hash: nothing of the host goes in.
    let c = cells(
        r#"
        matrix {
            include flask own scenario=hello
        }
        "#,
    );
    assert_eq!(c[0].hash.len(), 64);
    let again = cells(
        r#"
        matrix {
            include flask own scenario=hello
        }
        "#,
    );
    assert_eq!(c[0].hash, again[0].hash);
}

#[test]
fn an_import_is_patched_by_the_importing_file() {
    let out = Test::new()
        .file("base.kdl", &format!("{}{}", unindent(BASE), "matrix {\n    include flask own\n}\n"))
        .matrix(
            r#"
            import "base.kdl"
            server gunicorn {
                packages "gunicorn==23.0.0"
                variant gthread {
                    interface wsgi args="--worker-class gthread"
                }
            }
            matrix {
                include flask gunicorn:gthread scenario=hello
            }
            "#,
        )
        .args(&["expand", "--format", "json"])
        .output();
    assert_eq!(out.status, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["flask/hello", "flask/io", "flask-gunicorn-gthread/hello"]);
    let gthread = &v[2];
    assert_eq!(gthread["image"]["packages"][0], "gunicorn==23.0.0");
    assert_eq!(
        gthread["image"]["launch"]["command"],
        "gunicorn --bind 127.0.0.1:$PORT --workers 1 --worker-class gthread flask_app:app"
    );
}

#[test]
fn a_patched_import_keeps_its_place_in_declaration_order() {
    // The importing file patches the first runtime (the default) and the first scenario;
    // both must stay first, as `matrix-2026.kdl` relies on for its `cpython` rows.
    let out = Test::new()
        .file("base.kdl", &format!("{}{}", unindent(BASE), "matrix {\n    include flask own\n}\n"))
        .matrix(
            r#"
            import "base.kdl"
            runtime cpython {
                base-image "debian:trixie-slim"
            }
            scenario hello {
                description "patched"
            }
            matrix {
                include flask gunicorn
                axes {
                    framework falcon
                    server gunicorn
                }
            }
            "#,
        )
        .args(&["expand", "--format", "json"])
        .output();
    assert_eq!(out.status, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let cells = v.as_array().unwrap();
    let ids: Vec<&str> = cells.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "flask/hello",
            "flask/io",
            "flask-gunicorn/hello",
            "flask-gunicorn/io",
            "falcon-gunicorn/hello",
            "falcon-gunicorn/io"
        ],
        "rows name no runtime: the patched first one, with scenarios in declaration order"
    );
    for cell in cells {
        assert_eq!(cell["runtime"], "cpython", "{}", cell["id"]);
        assert_eq!(cell["image"]["base_image"], "debian:trixie-slim", "{}", cell["id"]);
    }
}

#[test]
fn the_examples_matrix_expands() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Test::new()
        .args(&["expand", &format!("{root}/examples/modern.kdl"), "--format", "names"])
        .output();
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.lines().any(|l| l == "falcon"), "imports the article's rows");
    assert!(out.stdout.lines().any(|l| l == "starlette-granian"), "adds its own: {}", out.stdout);
}

#[test]
fn run_knobs_come_from_settings_and_stay_out_of_the_hash() {
    let plain = cells("matrix {\n    include flask gunicorn\n}\n");
    let tuned = cells(
        r#"
        matrix {
            include flask gunicorn
            override scenario=io {
                primer-duration "0s"
                primer-connections 4
                readiness-timeout "30s"
                sample-interval "500ms"
            }
        }
        "#,
    );
    let find = |c: &[Cell], id: &str| c.iter().find(|c| c.id == id).unwrap().clone();
    let (hello, io) = (find(&tuned, "flask-gunicorn/hello"), find(&tuned, "flask-gunicorn/io"));
    assert_eq!(hello.knobs, bench::matrix::RunKnobs::default());
    assert_eq!((io.knobs.primer_ms, io.knobs.primer_connections), (0, 4), "{:?}", io.knobs);
    assert_eq!((io.knobs.readiness_timeout_ms, io.knobs.sample_interval_ms), (30_000, 500));
    assert_eq!(io.hash, find(&plain, "flask-gunicorn/io").hash);
}

#[test]
fn a_later_option_overrides_an_earlier_one_and_only_still_adds_up() {
    let root = env!("CARGO_MANIFEST_DIR");
    let matrix = format!("{root}/matrix.kdl");
    let args = ["expand", &matrix, "--format", "json", "--format", "names"];
    let out = Test::new().args(&args).args(&["--only", "bjoern", "--only", "fastwsgi"]).output();
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().collect::<Vec<_>>(), ["fastwsgi", "bjoern"]);
}
