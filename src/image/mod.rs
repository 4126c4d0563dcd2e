//! Stage 4, image: renders a cell's Dockerfile from the minijinja templates in
//! `dockerfiles/` and packs the build context (Dockerfile, app, shared files) as a tar.
//! Input: `matrix::Cell`. Output: Dockerfile text and context bytes. Pure.
