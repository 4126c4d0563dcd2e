//! Fuzzing parse + analyze: mutations of the shipped matrix.kdl (tokens deleted, repeated,
//! replaced by numbers or odd strings) never panic, and every error points inside the text.
//! `BENCH_FUZZ_CASES=N` runs N cases instead of the default few (for a bounded CI job).

use bench::config::Sources;
use bench::model::analyze;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const SHIPPED: &str = include_str!("../matrix.kdl");

/// Odd values a user (or a bad paste) could put anywhere.
const ODD: &[&str] = &[
    "99999999999999999999",
    "-1",
    "0",
    "1.5e308",
    "#null",
    "#true",
    "\"\"",
    "\"0-4000000000\"",
    "\"a/b\"",
    "\"x\\ny\"",
    "\"waitress=3.0.2\"",
    "\"*\"",
    "\"[\"",
    "\"0s\"",
    "\"1MB\"",
    "\"\\u{7f}\"",
    "{",
    "}",
    ";",
    "=",
    "/-",
    "row=\"*\"",
    "\"é\u{301}\"",
];

#[derive(Clone, Debug)]
enum Mutation {
    Delete(usize),
    Duplicate(usize),
    Replace(usize, String),
    Number(usize, i128),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), proptest::sample::select(ODD))
            .prop_map(|(i, s)| Mutation::Replace(i, s.into())),
        (any::<usize>(), any::<i128>()).prop_map(|(i, n)| Mutation::Number(i, n)),
    ]
}

/// The shipped text with `mutations` applied to its whitespace-separated tokens.
fn mutate(mutations: &[Mutation]) -> String {
    let mut tokens: Vec<String> =
        SHIPPED.split_inclusive(char::is_whitespace).map(String::from).collect();
    for m in mutations {
        let n = tokens.len().max(1);
        match m {
            Mutation::Delete(i) if !tokens.is_empty() => {
                tokens.remove(i % n);
            }
            Mutation::Duplicate(i) if !tokens.is_empty() => {
                let t = tokens[i % n].clone();
                tokens.insert(i % n, t);
            }
            Mutation::Replace(i, s) if !tokens.is_empty() => tokens[i % n] = format!("{s} "),
            Mutation::Number(i, v) if !tokens.is_empty() => tokens[i % n] = format!("{v} "),
            _ => {}
        }
    }
    tokens.concat()
}

#[test]
fn mutated_matrices_never_panic_and_errors_point_inside() {
    let cases = std::env::var("BENCH_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24);
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let strategy = proptest::collection::vec(mutation(), 1..6);
    TestRunner::new(config)
        .run(&strategy, |mutations| {
            let text = mutate(&mutations);
            let errors = match Sources::from_text("matrix.kdl", &text) {
                Ok(sources) => analyze(&sources).err().map(|e| e.diagnostics).unwrap_or_default(),
                Err(e) => e.diagnostics,
            };
            for d in &errors {
                // Only an unreadable file has no span, and this text is read from memory.
                let (offset, len) = d.range().expect("every error here has a span");
                prop_assert!(offset + len <= text.len(), "{d} at {offset}+{len} of {}", text.len());
                prop_assert!(!d.to_string().is_empty());
            }
            Ok(())
        })
        .unwrap();
}

/// The mutator itself: with no mutation the shipped matrix is analysed without error, so
/// the property above is exercised on real, valid input too.
#[test]
fn the_unmutated_matrix_is_valid() {
    assert_eq!(mutate(&[]), SHIPPED);
    let sources = Sources::from_text("matrix.kdl", SHIPPED).unwrap();
    assert!(analyze(&sources).is_ok());
}
