//! Every kind of matrix diagnostic, with its whole rendered message.

mod common;

use common::{Test, BASE};

#[test]
fn kdl_syntax_error() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"defaults {
    duration 20s
}
matrix {
    include flask own
}
"#))
        .expect_error(
            r#"
  × KDL syntax error: Expected integer
    ╭─[matrix.kdl:39:14]
 38 │ defaults {
 39 │     duration 20s
    ·              ─┬─
    ·               ╰── not integer
 40 │ }
    ╰────
  help: A valid value was partially parsed, but was not followed by a value terminator. Did you
        want a space here?
error: the matrix has 1 error
"#,
        );
}

#[test]
fn unknown_top_level_node() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"matrix {
    include flask own
}
servers gunicorn
"#))
        .expect_error(
            r#"
  × unknown node `servers` in the top level
    ╭─[matrix.kdl:41:1]
 40 │ }
 41 │ servers gunicorn
    · ───┬───
    ·    ╰── unknown node
    ╰────
  help: did you mean `server`?
error: the matrix has 1 error
"#,
        );
}

#[test]
fn unknown_property() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"matrix {
    include flask own runtme=pypy
}
"#))
        .expect_error(
            r#"
  × unknown property `runtme` on `include`
    ╭─[matrix.kdl:39:23]
 38 │ matrix {
 39 │     include flask own runtme=pypy
    ·                       ───┬──
    ·                          ╰── unknown property
 40 │ }
    ╰────
  help: did you mean `runtime`?
error: the matrix has 1 error
"#,
        );
}

#[test]
fn unknown_child_node() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"server bjoern {
    script "bjoern_server.py"
    interface wsgi
    pakages "bjoern==3.2.2"
}
matrix {
    include flask own
}
"#))
        .expect_error(
            r#"
  × unknown node `pakages` in `server`
    ╭─[matrix.kdl:41:5]
 40 │     interface wsgi
 41 │     pakages "bjoern==3.2.2"
    ·     ───┬───
    ·        ╰── unknown node
 42 │ }
    ╰────
  help: did you mean `packages`?
error: the matrix has 1 error
"#,
        );
}

#[test]
fn missing_required_value() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"scenario json {
    expect content-type="application/json"
}
matrix {
    include flask own
}
"#))
        .expect_error(
            r#"
  × scenario `json` has no path
    ╭─[matrix.kdl:38:1]
 37 │ }
 38 │ scenario json {
    · ────┬───
    ·     ╰── needs `path`
 39 │     expect content-type="application/json"
    ╰────
  help: add `path "/hello"`: the URL path the load generator requests
error: the matrix has 1 error
"#,
        );
}

#[test]
fn include_missing_server() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"matrix {
    include flask
}
"#))
        .expect_error(
            r#"
  × `include` takes a framework and a server
    ╭─[matrix.kdl:39:5]
 38 │ matrix {
 39 │     include flask
    ·     ──────┬──────
    ·           ╰── missing framework or server
 40 │ }
    ╰────
  help: write `include FRAMEWORK SERVER` or `include FRAMEWORK SERVER:VARIANT runtime=RUNTIME`
error: the matrix has 1 error
"#,
        );
}

#[test]
fn wrong_type() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"defaults {
    connections "20"
}
matrix {
    include flask own
}
"#))
        .expect_error(
            r#"
  × expected a whole number, found a string
    ╭─[matrix.kdl:39:17]
 38 │ defaults {
 39 │     connections "20"
    ·                 ──┬─
    ·                   ╰── this is a string
 40 │ }
    ╰────
  help: write e.g. `connections 20`, or several values to sweep: `connections 16 32 64`
error: the matrix has 1 error
"#,
        );
}

#[test]
fn invalid_duration() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"defaults {
    duration "20 parsecs"
}
matrix {
    include flask own
}
"#))
        .expect_error(
            r#"
  × invalid duration `20 parsecs`: unknown time unit "parsecs", supported units: ns, us/µs, ms,
  │ sec, min, hours, days, weeks, months, years (and few variations)
    ╭─[matrix.kdl:39:14]
 38 │ defaults {
 39 │     duration "20 parsecs"
    ·              ──────┬─────
    ·                    ╰── not understood
 40 │ }
    ╰────
  help: write a number with a unit, e.g. `duration "20s"` or `duration "500ms"`
error: the matrix has 1 error
"#,
        );
}

#[test]
fn invalid_size() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"defaults {
    memory "512XB"
}
matrix {
    include flask own
}
"#))
        .expect_error(
            r#"
  × invalid size `512XB`: unknown size unit `xb`
    ╭─[matrix.kdl:39:12]
 38 │ defaults {
 39 │     memory "512XB"
    ·            ───┬───
    ·               ╰── not understood
 40 │ }
    ╰────
  help: write a number with a unit, e.g. `memory "512MB"` (KB, MB, GB are powers of 1024, as in
        Docker)
error: the matrix has 1 error
"#,
        );
}

#[test]
fn unknown_reference() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"matrix {
    include flask gunicorm
}
"#))
        .expect_error(
            r#"
  × unknown server `gunicorm`
    ╭─[matrix.kdl:39:19]
 38 │ matrix {
 39 │     include flask gunicorm
    ·                   ────┬───
    ·                       ╰── no server of this name
 40 │ }
    ╰────
  help: did you mean `gunicorn`?
error: the matrix has 1 error
"#,
        );
}

#[test]
fn unknown_variant() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"matrix {
    include flask gunicorn:gevnet
}
"#))
        .expect_error(
            r#"
  × unknown variant `gevnet` of server `gunicorn`
    ╭─[matrix.kdl:39:19]
 38 │ matrix {
 39 │     include flask gunicorn:gevnet
    ·                   ───────┬───────
    ·                          ╰── no such variant
 40 │ }
    ╰────
  help: did you mean `gunicorn:gevent`?
error: the matrix has 1 error
"#,
        );
}

#[test]
fn duplicate_name() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"server gunicorn {
    command "gunicorn {app}"
    interface wsgi
}
matrix {
    include flask own
}
"#))
        .expect_error(
            r#"
  × duplicate server `gunicorn`
    ╭─[matrix.kdl:38:8]
 37 │ }
 38 │ server gunicorn {
    ·        ────┬───
    ·            ╰── defined again here
 39 │     command "gunicorn {app}"
    ╰────
  help: rename one of them, or merge the two `server gunicorn` blocks; a file that imports another
        may redefine its servers to patch them
error: the matrix has 1 error
"#,
        );
}

#[test]
fn duplicate_row_name() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"matrix {
    include flask own
    include falcon gunicorn name="flask"
}
"#))
        .expect_error(
            r#"
  × duplicate row name `flask`
    ╭─[matrix.kdl:40:5]
 39 │     include flask own
 40 │     include falcon gunicorn name="flask"
    ·     ──────────────────┬─────────────────
    ·                       ╰── a different combination already has this name
 41 │ }
    ╰────
  help: `flask` is flask on own on cpython; give this one its own name with `name="..."`, or
        change a `label`
error: the matrix has 1 error
"#,
        );
}

#[test]
fn incompatible_include() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"matrix {
    include flask uvicorn
}
"#))
        .expect_error(
            r#"
  × `include flask uvicorn` names an incompatible combination
    ╭─[matrix.kdl:39:5]
 38 │ matrix {
 39 │     include flask uvicorn
    ·     ──────────┬──────────
    ·               ╰── flask serves own, wsgi; uvicorn takes asgi
 40 │ }
    ╰────
  help: pick a server that serves one of the framework's interfaces on this runtime, or mark the
        cells N/A with `override row=... { na "reason" }` on a row that builds
error: the matrix has 1 error
"#,
        );
}

#[test]
fn unsupported_runtime_include() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"matrix {
    include falcon uvicorn runtime=pypy
}
"#))
        .expect_error(
            r#"
  × `include falcon uvicorn` names an incompatible combination
    ╭─[matrix.kdl:39:5]
 38 │ matrix {
 39 │     include falcon uvicorn runtime=pypy
    ·     ─────────────────┬─────────────────
    ·                      ╰── not on pypy: no uvloop on PyPy
 40 │ }
    ╰────
  help: pick a server that serves one of the framework's interfaces on this runtime, or mark the
        cells N/A with `override row=... { na "reason" }` on a row that builds
error: the matrix has 1 error
"#,
        );
}

#[test]
fn empty_matrix() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"matrix {
    include flask own
    exclude framework=flask
}
"#))
        .expect_error(
            r#"
  × the matrix is empty
    ╭─[matrix.kdl:38:1]
 37 │ }
 38 │ matrix {
    · ───┬──
    ·    ╰── no cell is left
 39 │     include flask own
    ╰────
  help: no row was included, or every cell was excluded or incompatible; check `axes`, `include`
        and `exclude`
error: the matrix has 1 error
"#,
        );
}

#[test]
fn no_matrix() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#""#))
        .expect_error(
            r#"
  × the file has no `matrix`
   ╭─[matrix.kdl:1:1]
 1 │ runtime cpython label="" {
   · ▲
   · ╰── the matrix would be empty
 2 │     python "python3"
   ╰────
  help: add `matrix { include FRAMEWORK SERVER }` or `matrix { axes { ... } }`; see docs/matrix.md
error: the matrix has 1 error
"#,
        );
}

#[test]
fn import_cycle() {
    Test::new()
        .matrix(r#"
import "other.kdl"
matrix {
}
"#)
        .file("other.kdl", "import \"matrix.kdl\"\n")
        .expect_error(
            r#"
  × import cycle: matrix.kdl -> other.kdl -> matrix.kdl
   ╭─[other.kdl:1:8]
 1 │ import "matrix.kdl"
   ·        ──────┬─────
   ·              ╰── imports a file that is already being imported
   ╰────
  help: remove this import; a file may import another only if that one does not import it back
error: the matrix has 1 error
"#,
        );
}

#[test]
fn collects_every_error() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"defaults {
    warmup 5
}
matrix {
    include flask gunicorm
    include falcom gunicorn
}
"#))
        .expect_error(
            r#"
  × expected a duration string, found a whole number
    ╭─[matrix.kdl:39:12]
 38 │ defaults {
 39 │     warmup 5
    ·            ┬
    ·            ╰── this is a whole number
 40 │ }
    ╰────
  help: write a number with a unit, e.g. `warmup "20s"` or `warmup "500ms"`
  × unknown server `gunicorm`
    ╭─[matrix.kdl:42:19]
 41 │ matrix {
 42 │     include flask gunicorm
    ·                   ────┬───
    ·                       ╰── no server of this name
 43 │     include falcom gunicorn
    ╰────
  help: did you mean `gunicorn`?
  × unknown framework `falcom`
    ╭─[matrix.kdl:43:13]
 42 │     include flask gunicorm
 43 │     include falcom gunicorn
    ·             ───┬──
    ·                ╰── no framework of this name
 44 │ }
    ╰────
  help: did you mean `falcon`?
error: the matrix has 3 errors
"#,
        );
}

#[test]
fn unknown_row_in_override() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"matrix {
    include flask own
    override row="flask-gunicron" {
        na "broken upstream"
    }
}
"#))
        .expect_error(
            r#"
  × no row is named `flask-gunicron`
    ╭─[matrix.kdl:40:14]
 39 │     include flask own
 40 │     override row="flask-gunicron" {
    ·              ──────────┬─────────
    ·                        ╰── unknown row
 41 │         na "broken upstream"
    ╰────
  help: did you mean `flask`?
error: the matrix has 1 error
"#,
        );
}

#[test]
fn missing_file() {
    Test::new().args(&["expand", "nope.kdl"]).expect_error(
        r#"
  × cannot read matrix file nope.kdl: No such file or directory (os error 2)
  help: check the path; `bench expand` reads ./matrix.kdl when no file is given
error: the matrix has 1 error
"#,
    );
}

#[test]
fn integer_out_of_range() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"scenario bulk {
    path "/bulk"
    connections 99999999999999999999
}
matrix {
    include flask own
}
"#))
        .expect_error(
            r#"
  × `connections` 99999999999999999999 is out of range (1 to 1000000)
    ╭─[matrix.kdl:40:17]
 39 │     path "/bulk"
 40 │     connections 99999999999999999999
    ·                 ──────────┬─────────
    ·                           ╰── out of range
 41 │ }
    ╰────
  help: write a value from 1 to 1000000
error: the matrix has 1 error
"#,
        );
}

#[test]
fn requirement_not_pinned_with_double_equals() {
    Test::new()
        .matrix(&format!("{BASE}{}", r#"matrix {
    include flask own
    override row=flask {
        packages "waitress=3.0.2"
    }
}
"#))
        .expect_error(
            r#"
  × requirement `waitress=3.0.2` is not pinned
    ╭─[matrix.kdl:41:18]
 40 │     override row=flask {
 41 │         packages "waitress=3.0.2"
    ·                  ────────┬───────
    ·                          ╰── no `==VERSION`
 42 │     }
    ╰────
  help: use == to pin one version: `"waitress==3.0.2"` (`=` is no pip operator; `>=`, `~=` and the
        like let other versions in)
error: the matrix has 1 error
"#,
        );
}

#[test]
fn launch_script_missing_under_the_project_root() {
    Test::new()
        .file("apps/servers/own_server.py", "")
        .file("apps/flask/flask_app.py", "")
        .file("apps/falcon/falcon_app.py", "")
        .matrix(&format!("{BASE}{}", r#"server tornado {
    script "tornado_server.py"
    interface wsgi
}
matrix {
    include flask own
}
"#))
        .expect_error(
            r#"
  × launch script `apps/servers/tornado_server.py` does not exist
    ╭─[matrix.kdl:39:12]
 38 │ server tornado {
 39 │     script "tornado_server.py"
    ·            ─────────┬─────────
    ·                     ╰── not found
 40 │     interface wsgi
    ╰────
  help: add the script under apps/servers/, or fix the name
error: the matrix has 1 error
"#,
        );
}
