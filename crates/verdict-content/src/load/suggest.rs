//! "Did you mean" help for names the content gets wrong, and the errors
//! for a criterion or category that is not defined, which several files
//! name.

use verdict_core::model::{Category, Criterion};

use crate::Code;
use crate::diagnostic::Sink;

/// Reports criterion `c`, at `key`, as not defined.
pub(super) fn unknown_criterion(
    sink: &mut Sink<'_>,
    at: usize,
    key: &str,
    c: &str,
    criteria: &[Criterion],
) {
    sink.error(
        Code::UnknownCriterion,
        Some(at),
        key,
        format!("criterion `{c}` is not defined"),
        suggest_help(c, criteria.iter().map(|c| c.id.as_str())),
    );
}

/// Reports the `category` key's value `c` as not defined.
pub(super) fn unknown_category(sink: &mut Sink<'_>, at: usize, c: &str, categories: &[Category]) {
    sink.error(
        Code::UnknownCategory,
        Some(at),
        "category",
        format!("unknown category `{c}`"),
        suggest_help(c, categories.iter().map(|c| c.slug.as_str())),
    );
}

/// "did you mean" help for an unknown name, or the known names when none
/// is close (criteria, kinds and categories are few enough to list).
pub(super) fn suggest_help<'a>(input: &str, known: impl Iterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.collect();
    closest(input, known.iter().copied()).map_or_else(
        || {
            let names: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            format!("use one of {}", names.join(", "))
        },
        |k| format!("did you mean `{k}`?"),
    )
}

/// "did you mean" help for an unknown topic; there are too many to list.
pub(super) fn suggest_topic<'a>(input: &str, known: impl Iterator<Item = &'a str>) -> String {
    closest(input, known).map_or_else(
        || "check the spelling; `verdict topics` lists what exists".to_owned(),
        |k| format!("did you mean `{k}`?"),
    )
}

/// The known name nearest `input`, if it is near enough to be a typo.
pub(super) fn closest<'a>(input: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::damerau_levenshtein(input, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// A valid slug close to an invalid one.
pub(super) fn suggest_slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').replace("-vs-", "-versus-")
}
