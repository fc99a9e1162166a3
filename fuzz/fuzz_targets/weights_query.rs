#![no_main]
//! A comparison's query string (`?profile=startup&w.performance=3`) as
//! arbitrary text, applied to three fixed comparisons of the bundled
//! catalog: alternatives with an editorial (Go, Rust), three alternatives
//! (React, Svelte, Vue) and topics used together (Axum, Rust).
//!
//! The server reads and canonicalises the query with
//! `verdict_render::query` (`parse`, `canonical`, `query_string`), which
//! this target calls directly; `Weights::resolve` and `decide` run through
//! `ComparisonView::build`. Nothing may panic, every decision keeps
//! `decide`'s promises (a pick only between alternatives, whatever the
//! weights), and a query the server accepts must lead, through the redirects to its canonical form, to a
//! page: never to an error, never round in circles.

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use verdict_core::decide::Preferences;
use verdict_core::{Catalog, Topic};
use verdict_render::{ComparisonView, Urls, markdown, query};

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| verdict_content::load_embedded().catalog);

const COMPARISONS: &[&[&str]] = &[
    &["go", "rust"],
    &["react", "svelte", "vue"],
    &["axum", "rust"],
];

/// Redirects a reader may follow before the page: one to the canonical
/// query, and one more when rounding made a weight equal its default.
const MAX_REDIRECTS: usize = 2;

fuzz_target!(|data: &[u8]| {
    // A request's query is text; `serde_urlencoded` decodes `%xx` in it.
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let catalog = &*CATALOG;
    // `None` is the server's 400 for a malformed query or weight.
    let Ok(requested) = query::parse(Some(raw)) else {
        return;
    };
    for slugs in COMPARISONS {
        let topics: Vec<&Topic> = slugs.iter().filter_map(|s| catalog.topic(s)).collect();
        assert_eq!(topics.len(), slugs.len(), "{slugs:?} left the catalog");
        let Ok(prefs) = query::canonical(catalog, &topics, requested.clone()) else {
            continue;
        };
        let Ok(view) = ComparisonView::build(catalog, Urls::relative(), &topics, &prefs) else {
            panic!("{slugs:?}: canonical preferences {prefs:?} do not build");
        };
        verdict_fuzz::check_decision(&view.decision);
        let _ = view.headline();
        let _ = markdown::comparison(&view);
        follow_redirects(catalog, &topics, raw, &prefs);
    }
});

/// The page answers a query that is not canonical with a redirect to the
/// canonical one; that must settle on a page within [`MAX_REDIRECTS`].
fn follow_redirects(catalog: &Catalog, topics: &[&Topic], raw: &str, prefs: &Preferences) {
    let mut query = raw.to_owned();
    let mut prefs = prefs.clone();
    for redirects in 0.. {
        let target = query::query_string(&prefs)
            .trim_start_matches('?')
            .to_owned();
        if query == target {
            return;
        }
        assert!(
            redirects < MAX_REDIRECTS,
            "`?{raw}` is still redirecting after {redirects} redirects: `?{query}` to `?{target}`"
        );
        prefs = query::parse(Some(&target))
            .ok()
            .and_then(|r| query::canonical(catalog, topics, r).ok())
            .unwrap_or_else(|| panic!("`?{raw}` redirects to `?{target}`, which is refused"));
        query = target;
    }
}
