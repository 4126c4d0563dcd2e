//! A test builder in the style of just's: write matrix files into a temp dir, run the
//! real `bench` binary, and compare its whole output and exit status. `docker::available`
//! tells the tests that need a Docker engine whether to run.
#![allow(dead_code)]

pub mod docker;

use std::path::PathBuf;
use std::process::Command;

pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
    files: Vec<(String, String)>,
}

pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    pub fn new() -> Test {
        Test { dir: tempfile::tempdir().expect("temp dir"), args: Vec::new(), files: Vec::new() }
    }

    /// Writes `matrix.kdl`.
    pub fn matrix(self, text: &str) -> Test {
        self.file("matrix.kdl", text)
    }

    pub fn file(mut self, name: &str, text: &str) -> Test {
        self.files.push((name.to_string(), unindent(text)));
        self
    }

    pub fn args(mut self, args: &[&str]) -> Test {
        self.args.extend(args.iter().map(|s| s.to_string()));
        self
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    pub fn output(self) -> Output {
        for (name, text) in &self.files {
            let path = self.dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let out = Command::new(env!("CARGO_BIN_EXE_bench"))
            .args(&self.args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("run bench");
        Output {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Run `bench expand` and expect a bad-matrix failure with exactly this stderr.
    pub fn expect_error(self, expected: &str) {
        let test = if self.args.is_empty() { self.args(&["expand"]) } else { self };
        let out = test.output();
        let expected = unindent(expected);
        assert_eq!(out.stderr, expected, "\n--- actual stderr ---\n{}\n---", out.stderr);
        assert_eq!(out.status, 2, "exit status");
        assert_eq!(out.stdout, "", "nothing on stdout");
    }
}

/// Remove the common leading indentation and a leading newline, as just's tests do.
pub fn unindent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: String = text
        .lines()
        .map(|l| if l.len() >= indent { &l[indent..] } else { l.trim_start() })
        .collect::<Vec<_>>()
        .join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A small valid matrix used as a base by many tests.
pub const BASE: &str = r#"
runtime cpython label="" {
    python "python3"
}
runtime pypy {
    python "pypy3"
}
server own label="" {
    script "own_server.py"
    interface own
}
server gunicorn {
    command "gunicorn --bind 127.0.0.1:$PORT --workers {workers} {args} {app}"
    interface wsgi
    variant gevent {
        interface wsgi args="--worker-class gevent"
    }
}
server uvicorn {
    command "uvicorn {app} --port $PORT"
    interface asgi
    unsupported pypy reason="no uvloop on PyPy"
}
framework flask {
    interface own "flask_app"
    interface wsgi "flask_app:app"
}
framework falcon {
    interface wsgi "falcon_app:app"
    interface asgi "falcon_asgi:app"
}
scenario hello {
    path "/hello"
}
scenario io {
    path "/io"
    connections 300
}
"#;
