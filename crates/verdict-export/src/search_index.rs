//! The compact index `search.js` searches on the static site's search page.
//!
//! Shape: `{"topics":[{"name","url","tagline","keys":[…]}]}`, topics in
//! slug order. `keys` are the slug, the name and the aliases in the form
//! [`verdict_core::search::normalize`] gives them (lowercase, punctuation
//! folded to spaces, abbreviations expanded), which is what the server's
//! search compares a query with; the script ports that search.

use serde::Serialize;

use verdict_core::model::Catalog;
use verdict_core::search::normalize;
use verdict_render::SiteConfig;
use verdict_render::assets::fnv64;

#[derive(Serialize)]
struct Index<'a> {
    topics: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    name: &'a str,
    url: String,
    tagline: &'a str,
    keys: Vec<String>,
}

/// The index's site path (named by a hash of its content, so hosts may
/// cache it forever) and its JSON.
pub fn search_index(site: &SiteConfig, catalog: &Catalog) -> (String, String) {
    let topics = catalog
        .topics()
        .iter()
        .map(|t| {
            let mut keys: Vec<String> = Vec::with_capacity(2 + t.aliases.len());
            for k in std::iter::once(&t.slug)
                .chain(std::iter::once(&t.name))
                .chain(&t.aliases)
            {
                let k = normalize(k);
                if !k.is_empty() && !keys.contains(&k) {
                    keys.push(k);
                }
            }
            Entry {
                name: &t.name,
                url: site.urls.topic(&t.slug),
                tagline: &t.tagline,
                keys,
            }
        })
        .collect();
    let body = serde_json::to_string(&Index { topics }).expect("the index serialises");
    let path = format!(
        "/assets/search-index.{:08x}.json",
        fnv64(body.as_bytes()) as u32
    );
    (path, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(slug: &str, expect: &[&str]) {
        let loaded = verdict_content::load_embedded();
        let (_, body) = search_index(&SiteConfig::default(), &loaded.catalog);
        let index: serde_json::Value = serde_json::from_str(&body).unwrap();
        let topic = index["topics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["url"] == format!("/topics/{slug}"))
            .unwrap();
        assert_eq!(topic["keys"], serde_json::json!(expect), "{slug}");
    }

    #[test]
    fn keys_are_what_the_server_searches() {
        check("go", &["go", "golang", "go language"]);
        check(
            "cpp",
            &["cpp", "c++", "cplusplus", "c plus plus", "c++20", "c++23"],
        );
    }
}
