/// The closest known name, if close enough to be a likely typo.
pub fn did_you_mean<'n>(name: &str, known: impl IntoIterator<Item = &'n str>) -> Option<&'n str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(name, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The help line for an unknown `name`: "did you mean `x`?" with the closest of `known`
/// (written by `show`), else `otherwise`.
pub fn suggest<'n>(
    name: &str,
    known: &[&'n str],
    show: impl FnOnce(&str) -> String,
    otherwise: impl FnOnce(&[&'n str]) -> String,
) -> String {
    match did_you_mean(name, known.iter().copied()) {
        Some(s) => format!("did you mean `{}`?", show(s)),
        None => otherwise(known),
    }
}
