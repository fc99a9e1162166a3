//! A comparison's identity, and the one way a path segment such as
//! `Golang-vs-rust` becomes the topics it names.
//!
//! Pages, the API, reader votes, the static export and the CLI all name a
//! comparison by its [`ComparisonKey`]: its topics' slugs in alphabetical
//! order joined by `-vs-` (`go-vs-rust`). [`resolve`] is the only lookup
//! from a segment to topics; each caller decides what a non-canonical
//! spelling gets (a page redirects, the API answers).

use std::fmt;

use crate::model::{Catalog, Topic};
use crate::search::{self, Resolved};

/// What joins the slugs of a comparison in its key and URL.
pub const SEPARATOR: &str = "-vs-";

/// How many topics a comparison names.
pub const TOPICS: std::ops::RangeInclusive<usize> = 2..=4;

/// The canonical name of a comparison: distinct slugs, sorted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ComparisonKey {
    slugs: Vec<String>,
    /// The slugs joined by [`SEPARATOR`], kept since every user needs it.
    text: String,
}

impl ComparisonKey {
    /// The key of `slugs`, in any order; repeats are dropped.
    pub fn new<S: AsRef<str>>(slugs: &[S]) -> ComparisonKey {
        let mut slugs: Vec<String> = slugs.iter().map(|s| s.as_ref().to_owned()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        let text = slugs.join(SEPARATOR);
        ComparisonKey { slugs, text }
    }

    /// The key of `topics`, in any order.
    pub fn of(topics: &[&Topic]) -> ComparisonKey {
        let slugs: Vec<&str> = topics.iter().map(|t| t.slug.as_str()).collect();
        ComparisonKey::new(&slugs)
    }

    /// The slugs, in alphabetical order.
    pub fn slugs(&self) -> Vec<&str> {
        self.slugs.iter().map(String::as_str).collect()
    }

    /// `a-vs-b[-vs-…]`, as in URLs and the vote store.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// `a-vs-b[-vs-…]`.
impl fmt::Display for ComparisonKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Splits the `a-vs-b[-vs-…]` part of a comparison path into its parts.
/// Slugs never contain `-vs-` nor end in `-vs`, so the split is unambiguous.
pub fn split(segment: &str) -> Vec<&str> {
    segment.split(SEPARATOR).collect()
}

/// The topics a path segment names.
#[derive(Debug, Clone)]
pub struct Found<'a> {
    /// In canonical (slug) order.
    pub topics: Vec<&'a Topic>,
    pub key: ComparisonKey,
    /// True when the segment is the key itself: every part an exact slug,
    /// in canonical order. Otherwise it is another spelling of it.
    pub canonical: bool,
}

/// Why a segment names no comparison.
#[derive(Debug, Clone)]
pub enum NotFound<'a> {
    /// It names fewer than 2 or more than 4 parts.
    Count(usize),
    /// Some parts match no topic: each such part with the closest topics,
    /// best first (maybe none); and the topics the other parts named.
    Unknown {
        parts: Vec<(String, Vec<&'a Topic>)>,
        known: Vec<&'a Topic>,
    },
    /// Two parts name the same topic.
    Repeated,
}

/// Resolves each part of `segment`: an exact slug; else a slug or alias in
/// any case, with `-` or `_` read as spaces; else a name [`search::resolve`]
/// is sure of. A guess is never taken: a part it cannot be sure of is
/// [`NotFound::Unknown`], with suggestions.
pub fn resolve<'a>(catalog: &'a Catalog, segment: &str) -> Result<Found<'a>, NotFound<'a>> {
    let parts = split(segment);
    if !TOPICS.contains(&parts.len()) {
        return Err(NotFound::Count(parts.len()));
    }
    let mut known = Vec::new();
    let mut exact = true;
    let mut unknown = Vec::new();
    for p in &parts {
        match topic(catalog, p) {
            Ok((t, e)) => {
                exact &= e;
                known.push(t);
            }
            Err(suggestions) => unknown.push((search::excerpt(p).into_owned(), suggestions)),
        }
    }
    if !unknown.is_empty() {
        return Err(NotFound::Unknown {
            parts: unknown,
            known,
        });
    }
    let key = ComparisonKey::of(&known);
    if key.slugs.len() < known.len() {
        return Err(NotFound::Repeated);
    }
    let canonical = exact && key.slugs.iter().zip(&parts).all(|(k, p)| k == p);
    let topics = key
        .slugs
        .iter()
        .filter_map(|s| known.iter().find(|t| &t.slug == s).copied())
        .collect();
    Ok(Found {
        topics,
        key,
        canonical,
    })
}

/// One name in a path (a comparison's part, or a topic page's slug): the
/// topic and whether the name was its exact slug, or the closest topics
/// when it names none for sure.
pub fn topic<'a>(catalog: &'a Catalog, part: &str) -> Result<(&'a Topic, bool), Vec<&'a Topic>> {
    // No name is this long: answer at once, without looking it up.
    if part.len() > search::MAX_NAME_BYTES {
        return Err(Vec::new());
    }
    if let Some(t) = catalog.topic(part) {
        return Ok((t, true));
    }
    let lower = part.to_lowercase();
    if let Some(t) = catalog
        .topic(&lower)
        .or_else(|| catalog.topic_by_alias(&lower))
    {
        return Ok((t, false));
    }
    // `+` stays: it is part of names (C++), as `search::normalize` keeps it.
    let spaced = lower.replace(['-', '_'], " ");
    if let Some(t) = catalog.topic_by_alias(&spaced) {
        return Ok((t, false));
    }
    match search::resolve(catalog, &spaced) {
        Resolved::Found(t) => Ok((t, false)),
        Resolved::Unknown(ts) if ts.is_empty() => Err(search::suggest(catalog, &spaced, 3)),
        Resolved::Unknown(ts) => Err(ts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::catalog;

    #[test]
    fn keys_are_sorted_distinct_slugs() {
        let k = ComparisonKey::new(&["rust", "go", "rust"]);
        assert_eq!(k.to_string(), "go-vs-rust");
        assert_eq!(k.slugs(), ["go", "rust"]);
        assert_eq!(split("vim-vs-vs-code"), ["vim", "vs-code"]);
        assert_eq!(split("a-vs-b-vs-c"), ["a", "b", "c"]);
    }

    #[test]
    fn segments_resolve_to_canonical_topics_or_say_why_not() {
        let c = catalog();
        let slugs: Vec<&str> = c.topics().iter().map(|t| t.slug.as_str()).collect();
        let (a, b) = (slugs[0], slugs[1]);
        let found = resolve(&c, &format!("{a}-vs-{b}")).unwrap();
        assert!(found.canonical);
        assert_eq!(found.key, ComparisonKey::new(&[a, b]));
        let swapped = resolve(&c, &format!("{b}-vs-{a}")).unwrap();
        assert!(!swapped.canonical, "another order is another spelling");
        assert_eq!(swapped.key, found.key);
        let upper = resolve(&c, &format!("{}-vs-{b}", a.to_uppercase())).unwrap();
        assert!(!upper.canonical);
        assert!(matches!(resolve(&c, a), Err(NotFound::Count(1))));
        assert!(matches!(
            resolve(&c, &format!("{a}-vs-{a}")),
            Err(NotFound::Repeated)
        ));
        match resolve(&c, &format!("{a}-vs-zzqqxx")) {
            Err(NotFound::Unknown { parts, known }) => {
                assert_eq!(parts[0].0, "zzqqxx");
                assert_eq!(known.len(), 1);
            }
            other => panic!("{other:?}"),
        }
    }
}
