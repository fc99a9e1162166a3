#![no_main]
//! The `{a}-vs-{b}[-vs-…]` part of `/compare/…`,
//! `/api/v1/comparisons/…` and the votes endpoints as arbitrary text,
//! against the bundled catalog.
//!
//! Every one of those routes resolves the segment with
//! `verdict_core::key::resolve`, so this target calls it directly. When it
//! finds a comparison, the key must resolve to itself, canonically (the
//! page redirects to it, so anything else would loop), and the comparison
//! is built and keeps `decide`'s promises. Nothing may panic.

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use verdict_core::key::{self, NotFound};
use verdict_core::{Catalog, Preferences};
use verdict_render::{ComparisonView, Urls};

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| verdict_content::load_embedded().catalog);

fuzz_target!(|data: &[u8]| {
    // axum's `Path<String>` rejects a path that does not decode to UTF-8.
    let Ok(pair) = std::str::from_utf8(data) else {
        return;
    };
    let catalog = &*CATALOG;
    let found = match key::resolve(catalog, pair) {
        Ok(found) => found,
        Err(NotFound::Count(n)) => {
            assert!(!key::TOPICS.contains(&n));
            return;
        }
        Err(NotFound::Unknown { parts, .. }) => {
            assert!(!parts.is_empty());
            return;
        }
        Err(NotFound::Repeated) => return,
    };
    // The redirect target resolves to the same topics, exactly.
    let target = found.key.to_string();
    let again = key::resolve(catalog, &target)
        .unwrap_or_else(|e| panic!("`{target}` does not resolve: {e:?}"));
    assert!(again.canonical, "`{target}` is not canonical");
    assert_eq!(again.key, found.key);
    assert_eq!(found.canonical, pair == target);
    // An error here (no shared criterion) is the server's 400, not a bug.
    let urls = Urls::default();
    if let Ok(view) = ComparisonView::build(catalog, &urls, &found.topics, &Preferences::default())
    {
        assert_eq!(view.url, urls.comparison(&found.key));
        verdict_fuzz::check_decision(&view.decision);
        let _ = view.headline();
    }
});
