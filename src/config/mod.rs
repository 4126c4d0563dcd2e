//! Stage 1, config: reads a matrix file and the files it imports, and parses each into
//! a KDL v2 document that keeps spans (the syntax layer).
//! Input: a path. Output: `Sources`, the documents in import order (imports first, the
//! named file last), or `MatrixErrors` (unreadable file, KDL syntax error, import cycle).
//! No meaning is given to nodes here other than top-level `import "FILE"`.

mod source;
mod sources;

pub use source::Source;
pub use sources::Sources;
