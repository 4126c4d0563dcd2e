use std::collections::{BTreeMap, HashMap};

use super::failure::Failure;
use super::progress::Progress;
use super::run_options::RunOptions;
use crate::engine::{BuildRequest, Engine};
use crate::image::build_context;
use crate::matrix::Cell;

/// A cell's image, or why there is none.
#[derive(Clone, Debug)]
pub(super) enum ImageState {
    /// `build_seconds` is `Some` only for the cell whose lookup built it.
    Ready {
        tag: String,
        id: Option<String>,
        build_seconds: Option<f64>,
    },
    Broken(Failure),
}

/// The images of one run, by image hash: each found by its tag or built at most once. A
/// failed build is remembered too, so every cell of that image fails at once with its log.
#[derive(Default)]
pub(super) struct ImageCache {
    images: HashMap<String, ImageState>,
}

impl ImageCache {
    pub async fn get<E: Engine>(
        &mut self,
        engine: &E,
        options: &RunOptions,
        progress: &dyn Progress,
        cell: &Cell,
    ) -> ImageState {
        if let Some(state) = self.images.get(&cell.image_hash) {
            return match state {
                // A later cell of an image built in this run did not pay for the build.
                ImageState::Ready { tag, id, .. } => {
                    ImageState::Ready { tag: tag.clone(), id: id.clone(), build_seconds: None }
                }
                broken => broken.clone(),
            };
        }
        let state = find_or_build(engine, options, progress, cell).await;
        self.images.insert(cell.image_hash.clone(), state.clone());
        state
    }
}

async fn find_or_build<E: Engine>(
    engine: &E,
    options: &RunOptions,
    progress: &dyn Progress,
    cell: &Cell,
) -> ImageState {
    let tag = image_tag(cell);
    match engine.image_id(&tag).await {
        Ok(Some(id)) => {
            return ImageState::Ready { tag, id: Some(id), build_seconds: None };
        }
        Ok(None) => {}
        Err(e) => {
            return ImageState::Broken(Failure::engine(&format!("cannot look up image {tag}"), &e));
        }
    }
    progress.phase("building image");
    // Rendering the Dockerfile happens here: template errors surface as this cell's failure.
    let context = match build_context(cell, &options.build, &options.root) {
        Ok(c) => c,
        Err(e) => return ImageState::Broken(Failure::build(format!("build context: {e}"))),
    };
    let request = BuildRequest {
        tag: tag.clone(),
        base_image: cell.image.base_image.clone(),
        context,
        labels: BTreeMap::from([
            ("bench.row".to_string(), cell.name.clone()),
            ("bench.image-hash".to_string(), cell.image_hash.clone()),
        ]),
        log_path: options.logs_dir.join(format!(
            "build-{}-{}.log",
            cell.name,
            &cell.image_hash[..12]
        )),
    };
    match engine.build(request).await {
        Ok(built) => {
            ImageState::Ready { tag, id: Some(built.id), build_seconds: Some(built.seconds) }
        }
        Err(e) => ImageState::Broken(Failure::engine("build failed", &e)),
    }
}

/// The tag of a cell's image: its image hash, so an unchanged cell is never rebuilt.
pub fn image_tag(cell: &Cell) -> String {
    format!("bench-cell:{}", &cell.image_hash[..32])
}
