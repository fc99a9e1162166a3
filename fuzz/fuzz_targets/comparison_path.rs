#![no_main]
//! The `{a}-vs-{b}[-vs-…]` part of `/compare/…` and `/api/v1/comparisons/…`
//! as arbitrary text, against the bundled catalog.
//!
//! Each segment is resolved the two ways the server does (the page's
//! `topic_from_segment` in verdict-web's pages.rs and the API's lookup in
//! api.rs, both copied here: they are private), and where both find a
//! topic it must be the same one. When 2–4 distinct topics
//! resolve, the canonical path must split back into the same slugs (the
//! page redirects to it, so anything else would loop), and the comparison
//! is built and keeps `decide`'s promises. Nothing may panic.

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use verdict_core::search::{self, Resolved};
use verdict_core::{Catalog, Preferences, Topic};
use verdict_render::urls::split_pair;
use verdict_render::{ComparisonView, Urls};

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| verdict_content::load_embedded().catalog);

fuzz_target!(|data: &[u8]| {
    // axum's `Path<String>` rejects a path that does not decode to UTF-8.
    let Ok(pair) = std::str::from_utf8(data) else {
        return;
    };
    let catalog = &*CATALOG;
    let segments = split_pair(pair);
    if !(2..=4).contains(&segments.len()) {
        return;
    }
    let page: Vec<Option<&Topic>> = segments.iter().map(|s| page_topic(catalog, s)).collect();
    let api: Vec<Option<&Topic>> = segments.iter().map(|s| api_topic(catalog, s)).collect();
    // The page may find more than the API (it redirects to the canonical
    // path), but never another topic.
    for ((s, p), a) in segments.iter().zip(&page).zip(&api) {
        if let (Some(p), Some(a)) = (p, a) {
            assert_eq!(
                p.slug, a.slug,
                "{s:?} is `{}` on the page, `{}` in the API",
                p.slug, a.slug
            );
        }
    }
    for topics in [page, api] {
        if let Some(topics) = topics.into_iter().collect::<Option<Vec<&Topic>>>() {
            compare(catalog, &topics);
        }
    }
});

/// verdict-web pages.rs `topic_from_segment`: `None` stands for its
/// "did you mean" error, whose suggestions are computed all the same.
fn page_topic<'a>(catalog: &'a Catalog, segment: &str) -> Option<&'a Topic> {
    // The error quotes the segment so.
    let _ = search::excerpt(segment);
    if segment.len() > search::MAX_NAME_BYTES {
        return None;
    }
    if let Some(t) = catalog.topic(segment) {
        return Some(t);
    }
    let lower = segment.to_lowercase();
    if let Some(t) = catalog
        .topic(&lower)
        .or_else(|| catalog.topic_by_alias(&lower))
    {
        return Some(t);
    }
    let spaced = lower.replace(['-', '_'], " ");
    if let Some(t) = catalog.topic_by_alias(&spaced) {
        return Some(t);
    }
    match search::resolve(catalog, &spaced) {
        Resolved::Found(t) => Some(t),
        Resolved::Unknown(ts) => {
            if ts.is_empty() {
                search::suggest(catalog, &spaced, 3);
            }
            None
        }
    }
}

/// verdict-web api.rs `comparison`'s lookup of one part.
fn api_topic<'a>(catalog: &'a Catalog, part: &str) -> Option<&'a Topic> {
    let resolved = if part.len() > search::MAX_NAME_BYTES {
        Resolved::Unknown(Vec::new())
    } else {
        catalog
            .topic(part)
            .map(Resolved::Found)
            .unwrap_or_else(|| search::resolve(catalog, &part.replace(['-', '_'], " ")))
    };
    match resolved {
        Resolved::Found(t) => Some(t),
        Resolved::Unknown(ts) => {
            if ts.is_empty() && part.len() <= search::MAX_NAME_BYTES {
                search::suggest(catalog, part, 3);
            }
            let _ = search::excerpt(part);
            None
        }
    }
}

fn compare(catalog: &Catalog, topics: &[&Topic]) {
    let mut canonical: Vec<&str> = topics.iter().map(|t| t.slug.as_str()).collect();
    canonical.sort_unstable();
    if canonical.windows(2).any(|w| w[0] == w[1]) {
        return;
    }
    // The redirect target resolves to the same topics, exactly.
    let target = canonical.join("-vs-");
    assert_eq!(
        split_pair(&target),
        canonical,
        "`{target}` splits another way"
    );
    for s in &canonical {
        assert!(page_topic(catalog, s).is_some_and(|t| t.slug == *s));
    }
    // An error here (no shared criterion) is the server's 400, not a bug.
    let urls = Urls::default();
    if let Ok(view) = ComparisonView::build(catalog, &urls, topics, &Preferences::default()) {
        assert_eq!(view.url, urls.compare(&canonical));
        verdict_fuzz::check_decision(&view.decision);
        let _ = view.headline();
    }
}
