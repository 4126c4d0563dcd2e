//! Stage 1, config: reads a matrix file and the files it imports, and parses each into
//! a KDL v2 document that keeps spans.
//! Input: a path. Output: `Sources`, the documents in import order (imports first),
//! or diagnostics (unreadable file, KDL syntax error, import cycle).
