#![no_main]
//! A comparison's query string (`?profile=startup&w.performance=3`) as
//! arbitrary text, applied to three fixed comparisons of the bundled
//! catalog: alternatives with an editorial (Go, Rust), three alternatives
//! (React, Svelte, Vue) and topics used together (Axum, Rust).
//!
//! verdict-web's `prefs::parse`, `prefs::canonical` and
//! `prefs::query_string` are private, so this target carries a copy of
//! them (keep it in step with crates/verdict-web/src/prefs.rs): the query
//! is decoded with `serde_urlencoded`, weights are read with
//! `f64::from_str`, and `Weights::resolve` and `decide` run through
//! `ComparisonView::build`. Nothing may panic, every decision keeps
//! `decide`'s promises (a pick only between alternatives, whatever the
//! weights), and a query the server accepts must lead, through the redirects to its canonical form, to a
//! page: never to an error, never round in circles.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use verdict_core::decide::{Preferences, Weights};
use verdict_core::{Catalog, Topic};
use verdict_render::{ComparisonView, Urls, markdown};

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
    let Some(requested) = parse(raw) else {
        return;
    };
    for slugs in COMPARISONS {
        let topics: Vec<&Topic> = slugs.iter().filter_map(|s| catalog.topic(s)).collect();
        assert_eq!(topics.len(), slugs.len(), "{slugs:?} left the catalog");
        let Some(prefs) = canonical(catalog, &topics, requested.clone()) else {
            continue;
        };
        let Ok(view) = ComparisonView::build(catalog, &Urls::default(), &topics, &prefs) else {
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
        let target = query_string(&prefs).trim_start_matches('?').to_owned();
        if query == target {
            return;
        }
        assert!(
            redirects < MAX_REDIRECTS,
            "`?{raw}` is still redirecting after {redirects} redirects: `?{query}` to `?{target}`"
        );
        prefs = parse(&target)
            .and_then(|r| canonical(catalog, topics, r))
            .unwrap_or_else(|| panic!("`?{raw}` redirects to `?{target}`, which is refused"));
        query = target;
    }
}

/// verdict-web prefs.rs `Requested`.
#[derive(Debug, Clone, Default)]
struct Requested {
    prefs: Preferences,
    from: Option<String>,
}

/// verdict-web prefs.rs `parse`, with `None` for its errors.
fn parse(raw: &str) -> Option<Requested> {
    let mut req = Requested::default();
    if raw.is_empty() {
        return Some(req);
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw).ok()?;
    for (key, value) in pairs {
        if key == "profile" {
            let v = value.trim();
            req.prefs.profile = (!v.is_empty()).then(|| v.to_owned());
        } else if key == "from" {
            req.from = Some(value.trim().to_owned());
        } else if let Some(id) = key.strip_prefix("w.") {
            let v = value.trim();
            if v.is_empty() {
                continue;
            }
            let n: f64 = v.parse().ok()?;
            req.prefs
                .weights
                .insert(id.to_owned(), verdict_core::decide::round2(n));
        }
    }
    Some(req)
}

/// verdict-web prefs.rs `canonical`, with `None` for its errors.
fn canonical(catalog: &Catalog, topics: &[&Topic], req: Requested) -> Option<Preferences> {
    let profile_weights = |profile: Option<String>| {
        let prefs = Preferences {
            profile,
            weights: BTreeMap::new(),
        };
        Weights::resolve(catalog, topics, &prefs).ok()
    };
    let mut prefs = req.prefs;
    if let Some(from) = req.from {
        let shown = profile_weights((!from.is_empty()).then_some(from))?;
        prefs.weights.retain(|id, w| shown.get(id) != Some(*w));
    }
    let derived = profile_weights(prefs.profile.clone())?;
    Weights::resolve(catalog, topics, &prefs).ok()?;
    let weights = prefs
        .weights
        .into_iter()
        .filter(|(id, w)| derived.get(id) != Some(*w))
        .collect();
    Some(Preferences {
        profile: prefs.profile,
        weights,
    })
}

/// verdict-web prefs.rs `query_string`.
fn query_string(prefs: &Preferences) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &prefs.profile {
        parts.push(serde_urlencoded::to_string([("profile", p)]).unwrap_or_default());
    }
    for (id, w) in &prefs.weights {
        parts.push(format!("w.{id}={}", verdict_core::text::num(*w)));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}
