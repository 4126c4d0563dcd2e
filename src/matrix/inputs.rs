use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The files outside the matrix that shape a cell's image: Dockerfile templates, shared app
/// code, the framework's app directory and the server's launch script (if it has one).
/// Expansion asks this for a digest per (app directory, launch script), so it stays pure and
/// testable with in-memory inputs.
///
/// Which files those are is the image stage's rule (`image::ImageInputs` lists the files it
/// puts into the build context); this stage only hashes them, with `files_digest`.
pub trait Inputs {
    /// Digest of every file that affects an image built from `apps/<app_dir>` whose server
    /// starts from the launch script `script` (a file name in `apps/servers/`; `None` for a
    /// server started by a command).
    fn digest(&self, app_dir: &str, script: Option<&str>) -> String;
}

/// The digest of `files` (path relative to the project root, bytes), taken directory by
/// directory in the order of `dirs` (each file counts under the first directory that holds
/// it; files under none are ignored). Within a directory, files go in path order as
/// `path NUL bytes NUL`; the directories' digests are then hashed in turn. This layout keeps
/// the hashes that results are stored under stable across versions of bench.
pub fn files_digest(dirs: &[PathBuf], files: &[(PathBuf, Vec<u8>)]) -> String {
    let mut sorted: Vec<&(PathBuf, Vec<u8>)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut all = Sha256::new();
    let owner = |path: &Path| dirs.iter().position(|d| path.starts_with(d));
    for i in 0..dirs.len() {
        let mut h = Sha256::new();
        for (path, bytes) in sorted.iter().filter(|(path, _)| owner(path) == Some(i)) {
            h.update(path.to_string_lossy().as_bytes());
            h.update([0]);
            h.update(bytes);
            h.update([0]);
        }
        all.update(hex::encode(h.finalize()));
    }
    hex::encode(all.finalize())
}

/// Fixed inputs for tests and generated matrices: the digest names the app directory and
/// the launch script, so cells differ exactly where their image files would.
pub struct FixedInputs(pub String);

impl Inputs for FixedInputs {
    fn digest(&self, app_dir: &str, script: Option<&str>) -> String {
        match script {
            Some(script) => format!("{}:{app_dir}:{script}", self.0),
            None => format!("{}:{app_dir}", self.0),
        }
    }
}
