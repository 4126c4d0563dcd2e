use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::image::BuildContext;

/// One image build, described without reference to an engine: what to build it from, on
/// which base, and under which tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildRequest {
    /// The image tag; callers pass the cell's image hash, so an unchanged cell keeps its tag
    /// and `Engine::image_id` finds it without a rebuild.
    pub tag: String,
    /// The image the Dockerfile starts `FROM`; the engine makes sure it exists first.
    pub base_image: String,
    /// The Dockerfile and the files it copies.
    pub context: BuildContext,
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
