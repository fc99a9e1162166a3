//! Redirects the server answers with `301`, as static files: topic aliases
//! and comparisons in another slug order.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use verdict_core::key::{self, ComparisonKey};
use verdict_core::model::{Catalog, Topic};
use verdict_render::{SiteConfig, Urls};

/// A permanent redirect between two site paths (`/topics/golang` →
/// `/topics/go`), without the base URL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Redirect {
    pub from: String,
    pub to: String,
}

/// Every redirect the export writes, sorted by `from`: each alias of each
/// topic that makes a plain URL segment the server resolves to that topic,
/// and every other order of each published comparison's slugs.
pub fn redirects(catalog: &Catalog, comparisons: &[Vec<String>]) -> Vec<Redirect> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for t in catalog.topics() {
        for alias in &t.aliases {
            if let Some(segment) = alias_segment(catalog, t, alias) {
                out.entry(format!("/topics/{segment}"))
                    .or_insert_with(|| format!("/topics/{}", t.slug));
            }
        }
    }
    for slugs in comparisons {
        let urls = Urls::default();
        let to = urls.comparison(&ComparisonKey::new(slugs));
        for order in permutations(slugs) {
            if order != *slugs {
                // Another order is not a key: it is the address to redirect.
                out.insert(
                    format!("/compare/{}", order.join(key::SEPARATOR)),
                    to.clone(),
                );
            }
        }
    }
    out.into_iter()
        .map(|(from, to)| Redirect { from, to })
        .collect()
}

/// The URL segment for `alias` (lowercase, spaces as hyphens) when it is a
/// plain segment that no topic owns as its slug and that the server
/// resolves to `owner` by alias, as `/topics/{segment}` does.
fn alias_segment(catalog: &Catalog, owner: &Topic, alias: &str) -> Option<String> {
    let segment = alias.to_lowercase().replace(' ', "-");
    let plain = segment.starts_with(|c: char| c.is_ascii_alphanumeric())
        && segment
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".+_-".contains(&b));
    if !plain || catalog.topic(&segment).is_some() {
        return None;
    }
    // The server's order: the segment as an alias, then with `-` and `_`
    // read as spaces.
    let resolved = catalog
        .topic_by_alias(&segment)
        .or_else(|| catalog.topic_by_alias(&segment.replace(['-', '_'], " ")))?;
    (resolved.slug == owner.slug).then_some(segment)
}

/// All orders of `items` (at most 4! = 24).
fn permutations(items: &[String]) -> Vec<Vec<String>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, first.clone());
            out.push(tail);
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page written at a redirect's old URL: a canonical link and an
/// immediate refresh for hosts that ignore `_redirects`, and a plain link
/// for everything else.
pub fn redirect_page(site: &SiteConfig, to: &str) -> String {
    let url = escape(&site.urls.absolute(to));
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n\
         <link rel=\"canonical\" href=\"{url}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{url}\">{url}</a>.</p>\n</body>\n</html>\n"
    )
}

/// The path part of the base URL (`https://example.org/docs` → `/docs`),
/// which host rules need in front of every site path.
fn base_path(site: &SiteConfig) -> String {
    let base = site.urls.absolute("");
    let after_scheme = base
        .split_once("://")
        .map_or(base.as_str(), |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or_else(String::new, |i| after_scheme[i..].to_owned())
}

/// `_redirects` in the format of Netlify and Cloudflare Pages.
pub(crate) fn redirects_file(site: &SiteConfig, redirects: &[Redirect]) -> String {
    let prefix = base_path(site);
    let mut out = String::from(
        "# Written by `verdict build`. Topic aliases and comparisons in another\n\
         # slug order move permanently to the canonical URL.\n",
    );
    for r in redirects {
        let _ = writeln!(out, "{prefix}{} {prefix}{} 301", r.from, r.to);
    }
    out.push_str("# The read API at the server's URLs, without the .json suffix.\n");
    for (from, to) in [
        ("/api/v1/topics", "/api/v1/topics.json"),
        ("/api/v1/topics/:slug", "/api/v1/topics/:slug.json"),
        ("/api/v1/categories", "/api/v1/categories.json"),
        ("/api/v1/criteria", "/api/v1/criteria.json"),
        (
            "/api/v1/comparisons/:pair",
            "/api/v1/comparisons/:pair.json",
        ),
    ] {
        let _ = writeln!(out, "{prefix}{from} {prefix}{to} 200");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use verdict_render::Urls;

    fn check_base(base: &str, expect: &str) {
        let site = SiteConfig {
            urls: Urls::new(base),
            ..SiteConfig::default()
        };
        assert_eq!(base_path(&site), expect, "{base}");
    }

    #[test]
    fn host_rules_carry_the_base_path() {
        check_base("", "");
        check_base("https://example.org", "");
        check_base("https://example.org/", "");
        check_base("https://example.org/docs/", "/docs");
        check_base("http://127.0.0.1:8080/a/b", "/a/b");
    }

    #[test]
    fn every_other_order_redirects() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            permutations(&s(&["a", "b"])),
            [s(&["a", "b"]), s(&["b", "a"])]
        );
        assert_eq!(permutations(&s(&["a", "b", "c", "d"])).len(), 24);
    }

    #[test]
    fn redirect_page_escapes_the_target() {
        let site = SiteConfig {
            urls: Urls::new("https://example.org/?a=1&b=\"2\""),
            ..SiteConfig::default()
        };
        let page = redirect_page(&site, "/topics/go");
        assert!(
            page.contains("href=\"https://example.org/?a=1&amp;b=&quot;2&quot;/topics/go\""),
            "{page}"
        );
        assert!(!page.contains("b=\"2"), "{page}");
    }
}
