//! A topic's `[[sources]]`: where its facts were checked.
//!
//! Each source is a table with an `http(s)` `url`, a `title` and the date
//! it was `read`. `--strict` asks for at least two per topic; without
//! `--strict`, a topic with no sources whose text makes claims that need
//! one (a year, a version, a figure, a licence, a status such as
//! "deprecated") is warned about. A title longer than [`TITLE_MAX`]
//! characters is warned about too: titles name the page. So is a title
//! of a page in a GitHub repository that does not start with the
//! repository's name (`owner/repo on GitHub`), the form that names it by
//! its address and so cannot drift from it.

use toml::de::DeValue;

use verdict_core::model::Source;

use crate::Code;
use crate::diagnostic::{Severity, Sink};
use crate::reader::{Fields, wrong_type};

/// How many sources `--strict` asks of each topic.
pub(super) const STRICT_MINIMUM: usize = 2;

/// The longest source title, in characters. A title names the page, as a
/// citation does ("Nox documentation: Command-line usage"); one longer than
/// this is almost always our summary of what the page says, a second copy
/// of claims the text makes, and it goes stale on its own.
pub(super) const TITLE_MAX: usize = 120;

/// The sources listed under `sources`, each checked; a bad one is
/// reported and left out.
pub(super) fn read_sources(fields: &mut Fields<'_, '_>, sink: &mut Sink<'_>) -> Vec<Source> {
    let Some(v) = fields.raw("sources") else {
        return Vec::new();
    };
    let DeValue::Array(items) = v.get_ref() else {
        wrong_type(
            sink,
            v,
            "sources",
            "an array of tables: [[sources]] with url, title and read",
            v.get_ref(),
        );
        return Vec::new();
    };
    let mut out: Vec<Source> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let key = format!("sources[{i}]");
        let DeValue::Table(t) = item.get_ref() else {
            wrong_type(
                sink,
                item,
                &key,
                "a table with url, title and read",
                item.get_ref(),
            );
            continue;
        };
        let at = item.span().start;
        let mut f = Fields::new(t, at, &key);
        let url = f.string(sink, "url", true);
        let title = f.string(sink, "title", true);
        let read = f.date(sink, "read", true);
        f.finish(sink);
        let (Some((url, url_at)), Some((title, title_at)), Some(read)) = (url, title, read) else {
            continue;
        };
        let length = title.chars().count();
        if length > TITLE_MAX {
            sink.push(
                Severity::Warning,
                Code::LongSourceTitle,
                Some(title_at),
                Some(&format!("{key}.title")),
                format!(
                    "{length} characters, more than {TITLE_MAX}: a source title names the page, and what the page says belongs in the topic's text"
                ),
                Some("shorten it to the site and the page's own name, such as \"Vue.js guide: Introduction\"".into()),
            );
        }
        if let Some(name) = github_name(&url) {
            let prefix = format!("{name} on GitHub");
            let named = title
                .get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(&prefix));
            if !named {
                sink.push(
                    Severity::Warning,
                    Code::GithubSourceTitle,
                    Some(title_at),
                    Some(&format!("{key}.title")),
                    format!(
                        "\"{title}\" does not start with \"{prefix}\": a page on GitHub is named by its repository and its address, which cannot drift from the page"
                    ),
                    Some(format!(
                        "write \"{prefix}\", then what the address shows, such as \": docs/guide.md\", \": issue #12\" or \": tag v1.2.0\""
                    )),
                );
            }
        }
        if !is_web_address(&url) {
            sink.error(
                Code::BadSource,
                Some(url_at),
                &format!("{key}.url"),
                format!("`{url}` is not a web address"),
                "give the full address the fact was read at, starting with https://",
            );
            continue;
        }
        if let Some(first) = out.iter().find(|s| same_page(&s.url, &url)) {
            let message = if first.url == url {
                format!("`{url}` is listed twice")
            } else {
                format!(
                    "`{url}` is the page `{}` listed again: only the `#` part or a final `/` differs",
                    first.url
                )
            };
            sink.push(
                Severity::Warning,
                Code::BadSource,
                Some(url_at),
                Some(&format!("{key}.url")),
                message,
                Some("remove the second entry".into()),
            );
            continue;
        }
        out.push(Source { url, title, read });
    }
    out
}

/// Whether two addresses load the same page: they differ at most in the
/// fragment (`#…`, which only scrolls) or a final `/`.
fn same_page(a: &str, b: &str) -> bool {
    fn page(url: &str) -> &str {
        url.split('#').next().unwrap_or(url).trim_end_matches('/')
    }
    page(a) == page(b)
}

/// `http://` or `https://`, a host with a dot, and no spaces.
pub(crate) fn is_web_address(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        host.contains('.') && !host.starts_with('.') && !url.contains(char::is_whitespace)
    })
}

/// The first path segments on github.com that are GitHub's own pages, not
/// an account or a repository.
const GITHUB_OWN_PAGES: &[&str] = &[
    "about",
    "advisories",
    "collections",
    "customer-stories",
    "enterprise",
    "events",
    "explore",
    "features",
    "marketplace",
    "mobile",
    "orgs",
    "pricing",
    "readme",
    "resources",
    "security",
    "site",
    "solutions",
    "sponsors",
    "team",
    "topics",
    "trending",
];

/// The name a source on GitHub is known by: `owner/repo` for anything in
/// a repository (on github.com or raw.githubusercontent.com), `owner` for
/// an account's own page, and `None` for GitHub's own pages and every
/// other host.
fn github_name(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let mut parts = rest.split('/');
    let host = parts.next()?.to_ascii_lowercase();
    let raw = match host.as_str() {
        "github.com" | "www.github.com" => false,
        "raw.githubusercontent.com" => true,
        _ => return None,
    };
    let owner = parts.next().filter(|o| !o.is_empty())?;
    if !raw && GITHUB_OWN_PAGES.contains(&owner.to_ascii_lowercase().as_str()) {
        return None;
    }
    match parts.next().filter(|r| !r.is_empty()) {
        Some(repo) => Some(format!(
            "{owner}/{}",
            repo.strip_suffix(".git").unwrap_or(repo)
        )),
        None if raw => None,
        None => Some(owner.to_owned()),
    }
}

/// Whether `text` makes a claim a reader would want a source for: a year,
/// a version number, a figure with a unit or percentage, a licence or a
/// status such as "deprecated" or "acquired".
pub(super) fn needs_source(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "licence",
        "license",
        "licensed",
        "deprecated",
        "archived",
        "acquired",
        "acquisition",
        "discontinued",
        "end of life",
        "end-of-life",
        "released",
        "MIT",
        "Apache 2",
        "GPL",
        "BSD",
        "per cent",
        "%",
    ];
    let has_year = text.as_bytes().windows(4).enumerate().any(|(i, w)| {
        let before = i.checked_sub(1).map(|j| text.as_bytes()[j]);
        let after = text.as_bytes().get(i + 4);
        (w.starts_with(b"19") || w.starts_with(b"20"))
            && w.iter().all(u8::is_ascii_digit)
            && !before.is_some_and(|b| b.is_ascii_alphanumeric())
            && !after.is_some_and(|b| b.is_ascii_alphanumeric())
    });
    has_year || WORDS.iter().any(|w| text.contains(w)) || has_version(text)
}

/// "3.12", "v18" and the like: digits, a dot, digits.
fn has_version(text: &str) -> bool {
    let b = text.as_bytes();
    (1..b.len().saturating_sub(1))
        .any(|i| b[i] == b'.' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses() {
        assert!(is_web_address("https://www.rust-lang.org/"));
        assert!(is_web_address("http://example.org"));
        assert!(!is_web_address("www.rust-lang.org"));
        assert!(!is_web_address("https://localhost/"));
        assert!(!is_web_address("https://a b.org/"));
        assert!(!is_web_address("ftp://example.org/"));
    }

    #[test]
    fn same_pages() {
        assert!(same_page(
            "https://haproxy.org/",
            "https://haproxy.org/#docs"
        ));
        assert!(same_page("https://haproxy.org", "https://haproxy.org/"));
        assert!(!same_page(
            "https://learn.microsoft.com/x",
            "https://learn.microsoft.com/x?pivots=csharp"
        ));
        assert!(!same_page("https://a.org/x", "https://a.org/y"));
    }

    #[test]
    fn github_names() {
        let cases = [
            (
                "https://github.com/vuejs/core/blob/main/LICENSE",
                Some("vuejs/core"),
            ),
            ("https://github.com/vuejs/core.git", Some("vuejs/core")),
            (
                "https://raw.githubusercontent.com/vuejs/core/main/README.md",
                Some("vuejs/core"),
            ),
            (
                "https://github.com/vuejs/core/issues/12?x=1#top",
                Some("vuejs/core"),
            ),
            ("https://github.com/vuejs/", Some("vuejs")),
            ("https://github.com/features/copilot/plans", None),
            ("https://github.com/topics/zig?l=python", None),
            ("https://github.com/", None),
            ("https://github.blog/2025-01-01-post/", None),
            ("https://docs.github.com/en/actions", None),
        ];
        for (url, name) in cases {
            assert_eq!(github_name(url).as_deref(), name, "{url}");
        }
    }

    #[test]
    fn claims_that_need_a_source() {
        assert!(needs_source("Released in 2015 by Mozilla."));
        assert!(needs_source("Python 3.12 made it faster."));
        assert!(needs_source("It is MIT-licensed."));
        assert!(needs_source("The project was archived."));
        assert!(!needs_source(
            "It reads top to bottom and is easy to learn."
        ));
        assert!(!needs_source("Port 20443 is not a year."));
    }
}
