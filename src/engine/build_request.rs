use std::collections::BTreeMap;
use std::path::PathBuf;

/// One image build: an in-memory tar context holding `dockerfile`, tagged `tag`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildRequest {
    /// The image tag; callers pass the cell's image hash, so an unchanged cell keeps its tag
    /// and `Engine::image_id` finds it without a rebuild.
    pub tag: String,
    /// The build context as an uncompressed tar archive.
    pub context_tar: Vec<u8>,
    /// Path of the Dockerfile inside the context, usually `Dockerfile`.
    pub dockerfile: String,
    /// Labels put on the image.
    pub labels: BTreeMap<String, String>,
    /// Where the build output is written, line by line as it arrives.
    pub log_path: PathBuf,
}

/// A built image and how long the build took.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltImage {
    /// The image id (`sha256:…`).
    pub id: String,
    /// Wall-clock seconds of the build.
    pub seconds: f64,
}
