//! The site's own CSS and JavaScript, compiled in and served under
//! content-hashed names so browsers may cache them forever.

use std::sync::LazyLock;

/// One static asset.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Site path with a content hash, e.g. `/assets/site.3f2a9c1d.css`.
    pub path: String,
    pub content_type: &'static str,
    pub body: &'static str,
}

const CSS: &str = include_str!("../assets/site.css");
const JS: &str = include_str!("../assets/verdict.js");
const SEARCH_JS: &str = include_str!("../assets/search.js");
const FAVICON: &str = include_str!("../assets/favicon.svg");

/// FNV-1a, 64 bits: a stable content hash for cache-busting file names.
pub fn fnv64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn asset(stem: &str, ext: &str, content_type: &'static str, body: &'static str) -> Asset {
    let hash = fnv64(body.as_bytes());
    Asset {
        path: format!("/assets/{stem}.{:08x}.{ext}", hash as u32),
        content_type,
        body,
    }
}

static ASSETS: LazyLock<[Asset; 4]> = LazyLock::new(|| {
    [
        asset("site", "css", "text/css; charset=utf-8", CSS),
        asset("verdict", "js", "text/javascript; charset=utf-8", JS),
        asset("search", "js", "text/javascript; charset=utf-8", SEARCH_JS),
        asset("favicon", "svg", "image/svg+xml", FAVICON),
    ]
});

/// All assets.
pub fn all() -> &'static [Asset] {
    &*ASSETS
}

pub fn css() -> &'static Asset {
    &ASSETS[0]
}

/// The comparison page's script (personal picks).
pub fn script() -> &'static Asset {
    &ASSETS[1]
}

/// The site icon.
pub fn favicon() -> &'static Asset {
    &ASSETS[3]
}

/// The static site's client-side search.
pub fn search_script() -> &'static Asset {
    &ASSETS[2]
}
