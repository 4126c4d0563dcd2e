use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

/// The files outside the matrix that shape a cell's image: Dockerfile templates, shared app
/// code and launch scripts, and the framework's app directory. Expansion asks this for a
/// digest per app directory, so it stays pure and testable with in-memory inputs.
pub trait Inputs {
    /// Digest of every file that affects an image built from `apps/<app_dir>`.
    fn digest(&self, app_dir: &str) -> String;
}

/// Reads the inputs from a project root, each directory hashed once.
pub struct FileInputs {
    root: PathBuf,
    cache: Mutex<HashMap<String, String>>,
}

/// The directories every image depends on, relative to the project root.
pub const SHARED_INPUTS: &[&str] = &["dockerfiles", "apps/common", "apps/servers"];

impl FileInputs {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        FileInputs { root: root.into(), cache: Mutex::new(HashMap::new()) }
    }

    fn dir_digest(&self, rel: &str) -> String {
        if let Some(d) = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(rel) {
            return d.clone();
        }
        let mut files = Vec::new();
        collect(&self.root.join(rel), &mut files);
        files.sort();
        let mut h = Sha256::new();
        for file in files {
            let rel_path = file.strip_prefix(&self.root).unwrap_or(&file);
            h.update(rel_path.to_string_lossy().as_bytes());
            h.update([0]);
            h.update(std::fs::read(&file).unwrap_or_default());
            h.update([0]);
        }
        let digest = hex::encode(h.finalize());
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_string(), digest.clone());
        digest
    }
}

impl Inputs for FileInputs {
    fn digest(&self, app_dir: &str) -> String {
        let mut h = Sha256::new();
        for rel in SHARED_INPUTS.iter().map(|s| s.to_string()).chain([format!("apps/{app_dir}")]) {
            h.update(self.dir_digest(&rel));
        }
        hex::encode(h.finalize())
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == "__pycache__" || name.ends_with(".pyc") {
            continue;
        }
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Fixed inputs for tests and generated matrices: every app directory has the same digest.
pub struct FixedInputs(pub String);

impl Inputs for FixedInputs {
    fn digest(&self, app_dir: &str) -> String {
        format!("{}:{app_dir}", self.0)
    }
}
