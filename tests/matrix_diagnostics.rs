//! A few matrix diagnostics rendered whole, as a user sees them (miette's layout, labels,
//! help). Every error kind with its span is asserted in matrix_error_kinds.rs and
//! matrix_rules.rs.

mod common;

use common::{BASE, Test};

#[test]
fn kdl_syntax_error() {
    Test::new()
        .matrix(&format!(
            "{BASE}{}",
            r#"defaults {
    duration 20s
}
matrix {
    include flask own
}
"#
        ))
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
        .matrix(&format!(
            "{BASE}{}",
            r#"matrix {
    include flask own
}
servers gunicorn
"#
        ))
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
        .matrix(&format!(
            "{BASE}{}",
            r#"matrix {
    include flask own runtme=pypy
}
"#
        ))
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
fn no_matrix() {
    Test::new().matrix(&format!("{BASE}{}", r#""#)).expect_error(
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
        .matrix(
            r#"
import "other.kdl"
matrix {
}
"#,
        )
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
        .matrix(&format!(
            "{BASE}{}",
            r#"defaults {
    warmup 5
}
matrix {
    include flask gunicorm
    include falcom gunicorn
}
"#
        ))
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
        .matrix(&format!(
            "{BASE}{}",
            r#"scenario bulk {
    path "/bulk"
    connections 99999999999999999999
}
matrix {
    include flask own
}
"#
        ))
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
        .matrix(&format!(
            "{BASE}{}",
            r#"matrix {
    include flask own
    override row=flask {
        packages "waitress=3.0.2"
    }
}
"#
        ))
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
        .matrix(&format!(
            "{BASE}{}",
            r#"server tornado {
    script "tornado_server.py"
    interface wsgi
}
matrix {
    include flask own
}
"#
        ))
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

#[test]
fn unknown_runtime_variant() {
    Test::new()
        .matrix(&format!(
            "{BASE}{}",
            r#"runtime nuitka {
    compile "nuitka {script}" run="/build/{stem}.bin"
    variant lto {
        compile "nuitka --lto=yes {script}" run="/build/{stem}.bin"
    }
}
matrix {
    include flask own runtime=nuitka:lot
}
"#
        ))
        .expect_error(
            r#"
  × unknown variant `lot` of runtime `nuitka`
    ╭─[matrix.kdl:45:23]
 44 │ matrix {
 45 │     include flask own runtime=nuitka:lot
    ·                       ─────────┬────────
    ·                                ╰── no such variant
 46 │ }
    ╰────
  help: variants of `nuitka`: lto
error: the matrix has 1 error
"#,
        );
}

#[test]
fn interface_not_shared() {
    Test::new()
        .matrix(&format!(
            "{BASE}{}",
            r#"matrix {
    include falcon gunicorn interface=asgi
}
"#
        ))
        .expect_error(
            r#"
  × interface `asgi` is not shared by falcon and gunicorn
    ╭─[matrix.kdl:39:29]
 38 │ matrix {
 39 │     include falcon gunicorn interface=asgi
    ·                             ───────┬──────
    ·                                    ╰── not shared
 40 │ }
    ╰────
  help: did you mean `interface=wsgi`?
error: the matrix has 1 error
"#,
        );
}
