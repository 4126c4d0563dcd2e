use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Where the py-spy binary is copied in a profiled container, and where it writes.
pub const BINARY_IN_CONTAINER: &str = "/tmp/bench-py-spy";
pub const OUTPUT_IN_CONTAINER: &str = "/tmp/bench-py-spy.collapsed";

/// The py-spy of the host, brought into each profiled container (the image stays as it was
/// measured): its wheel's binary is statically linked, so it runs in any Linux image.
#[derive(Debug, Clone)]
pub struct PySpy {
    pub path: PathBuf,
    /// Its version (`0.4.3`).
    pub version: String,
}

impl PySpy {
    /// The binary at `path`, or `py-spy` on the `PATH` when none is given; `Err` says how to
    /// install it.
    pub fn find(path: Option<&Path>) -> Result<PySpy, String> {
        let path = match path {
            Some(path) => path.to_path_buf(),
            None => on_path("py-spy").ok_or(
                "py-spy is not on the PATH: run scripts/setup.sh (it installs py-spy from \
                 PyPI), or give its binary with --py-spy PATH",
            )?,
        };
        if !is_elf(&path) {
            return Err(format!(
                "{} is not a Linux executable (a pyenv shim or a script?): it cannot run in a \
                 container; give py-spy's binary itself with --py-spy PATH",
                path.display()
            ));
        }
        let out = Command::new(&path)
            .arg("--version")
            .output()
            .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
        if !out.status.success() {
            return Err(format!("{} --version failed ({})", path.display(), out.status));
        }
        let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let version = line.strip_prefix("py-spy ").unwrap_or(&line).to_string();
        Ok(PySpy { path, version })
    }

    /// The binary's bytes, to copy into a container.
    pub fn binary(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.path).map_err(|e| format!("cannot read {}: {e}", self.path.display()))
    }

    /// The profiler's arguments besides rate, duration and output: every process under the
    /// container's first one (gunicorn's and uWSGI's workers are its children), with the
    /// native frames of C extensions (bjoern, meinheld, the json accelerator) and of Nuitka's
    /// compiled code (unless `native` is off: unwinding them is most of py-spy's cost), in
    /// collapsed-stack form.
    pub fn options(native: bool) -> Vec<String> {
        let native = if native { &["--native"][..] } else { &[] };
        ["--pid", "1", "--subprocesses"]
            .iter()
            .chain(native)
            .chain(&["--format", "raw"])
            .map(|s| s.to_string())
            .collect()
    }

    /// The command that samples the container for `duration` (whole seconds, at least one:
    /// py-spy counts in seconds) at `rate_hz`.
    pub fn record_argv(rate_hz: u32, duration: Duration, native: bool) -> Vec<String> {
        let seconds = duration.as_secs().max(1);
        let mut argv = vec![BINARY_IN_CONTAINER.to_string(), "record".to_string()];
        argv.extend(Self::options(native));
        argv.extend([
            "--rate".to_string(),
            rate_hz.to_string(),
            "--duration".to_string(),
            seconds.to_string(),
            "--output".to_string(),
            OUTPUT_IN_CONTAINER.to_string(),
        ]);
        argv
    }
}

/// The first Linux executable named `name` in the `PATH`: a wrapper script there (a pyenv
/// shim) would not run inside a container.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| is_elf(p))
}

/// Whether `path` is an ELF file (what a container can run without an interpreter).
fn is_elf(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut magic)).is_ok()
        && magic == *b"\x7fELF"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_command_asks_for_whole_seconds_of_raw_stacks() {
        let argv = PySpy::record_argv(97, Duration::from_millis(4600), true);
        let text = argv.join(" ");
        assert!(text.starts_with("/tmp/bench-py-spy record --pid 1 --subprocesses --native"));
        assert!(text.contains("--format raw --rate 97 --duration 4 --output"), "{text}");
        let short = PySpy::record_argv(100, Duration::from_millis(200), false).join(" ");
        assert!(short.contains("--duration 1 "), "{short}");
        assert!(!short.contains("--native"), "{short}");
    }

    #[test]
    fn a_missing_binary_is_an_error_that_says_which() {
        let err = PySpy::find(Some(Path::new("/nonexistent/py-spy"))).unwrap_err();
        assert!(err.contains("/nonexistent/py-spy"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let shim = dir.path().join("py-spy");
        std::fs::write(&shim, "#!/bin/sh\nexec pyenv exec py-spy \"$@\"\n").unwrap();
        let err = PySpy::find(Some(&shim)).unwrap_err();
        assert!(err.contains("not a Linux executable"), "{err}");
    }
}
