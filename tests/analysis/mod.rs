//! Analyze a matrix in memory and list its model errors with the text each span covers.
#![allow(dead_code)]

use bench::config::Sources;
use bench::model::{ErrorKind, analyze};

/// The model errors of `text`, each with the text its span covers.
pub fn errors_in(text: &str) -> Vec<(ErrorKind, String)> {
    let sources = Sources::from_text("/nonexistent/matrix.kdl", text).expect("valid KDL");
    let errors = analyze(&sources).err().map(|e| e.diagnostics).unwrap_or_default();
    errors
        .iter()
        .map(|d| {
            let kind = d.kind::<ErrorKind>().expect("a model error").clone();
            let (offset, len) = d.range().expect("a span");
            (kind, text[offset..offset + len].to_string())
        })
        .collect()
}

/// The one error of `errors`, asserting it matches `pattern` and spans `spanned`.
#[macro_export]
macro_rules! one {
    ($errors:expr, $pattern:pat, $spanned:expr) => {{
        let errors = $errors;
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(matches!(&errors[0].0, $pattern), "{errors:#?}");
        assert_eq!(errors[0].1, $spanned);
        errors.into_iter().next().unwrap().0
    }};
}
