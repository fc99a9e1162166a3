//! The compact index `search.js` filters on the static site's search page.
//!
//! Shape: `{"topics":[{"name","url","tagline","keys":[…]}]}`, topics in
//! slug order. `keys` are the name, the slug and the aliases, normalised
//! the way the script normalises a query (lowercase; every run of
//! characters other than `a-z`, `0-9`, `+` and `#` becomes one space), so
//! the script only has to look for the query inside them.

use serde::Serialize;

use verdict_core::model::Catalog;
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

/// `search.js`'s `normalize()`.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '+' || c == '#' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// The index's site path (named by a hash of its content, so hosts may
/// cache it forever) and its JSON.
pub fn search_index(site: &SiteConfig, catalog: &Catalog) -> (String, String) {
    let topics = catalog
        .topics()
        .iter()
        .map(|t| {
            let mut keys: Vec<String> = Vec::with_capacity(2 + t.aliases.len());
            for k in std::iter::once(&t.name)
                .chain(std::iter::once(&t.slug))
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

    fn check(input: &str, expect: &str) {
        assert_eq!(normalize(input), expect, "{input:?}");
    }

    #[test]
    fn normalises_like_the_script() {
        check("Ruby on Rails", "ruby on rails");
        check("  C++ / C#  ", "c++ c#");
        check("Vue.js", "vue js");
        check("@playwright/test", "playwright test");
        check("Café-Bar", "caf bar");
        check("---", "");
    }
}
