//! HTML pages. Each page has a view model whose doc comment names its
//! template; templates hold no logic beyond loops and conditionals, and
//! every URL comes from [`Urls`].
//!
//! The web server and the static export both call these functions, so a
//! page is the same bytes wherever it is served from.

mod activity;
mod compare;
mod content_errors;
mod error;
mod kept;
mod listing;
mod personal;
mod search;
mod topic;

use askama::Template;
use serde::Serialize;

use verdict_core::model::Catalog;

use crate::assets;
use crate::urls::Urls;
use crate::view::TopicLink;

pub use activity::{ActivityView, MonthBar, activity_view};
pub use compare::{
    CellView, Chart, ComparePage, EvidenceLine, PersonaliseSection, PickBox, PickSection,
    ProfileOption, RowView, SIDES_CLOSE, SIDES_OPEN, ScoreTable, SectionView, SideCard,
    SidesSection, TableFoot, TotalView, VerdictSection, WeightInput, client_data, client_data_with,
    client_topic_json, comparison, comparison_without_sides, evidence_line, side_card,
    side_card_html, sides_section,
};
pub use content_errors::{ContentErrorsPage, ProblemView, content_errors};
pub use error::{ErrorPage, error, topic_links};
pub use listing::{CategoryCard, CategoryPage, HomePage, TopicItem, category, home};
pub use personal::{
    FORM_HOLE, PICK_HOLE, Part, PersonalParts, SIDES_HOLE, Slot, TOTALS_HOLE, VERDICT_HOLE,
    WEIGHT_HOLE, comparison_frame, personal_parts,
};
pub use search::{SearchPage, search, static_search};
pub use topic::{ScoreLine, TopicPage, compared_with, topic};

/// Site-wide settings a page needs.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub name: String,
    pub urls: Urls,
    /// Shown as "Disagree with our pick? Write to …"; `None` hides it.
    pub contact_email: Option<String>,
    /// Evidence older than this many months is flagged as stale.
    pub stale_after_months: u32,
    /// Today's date (`YYYY-MM-DD`), passed in so rendering never reads the
    /// clock; only used to flag stale evidence.
    pub today: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            name: "verdict".into(),
            urls: Urls::default(),
            contact_email: None,
            stale_after_months: 12,
            today: "1970-01-01".into(),
        }
    }
}

/// The frame around every page. Template: `base.html`.
#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub noindex: bool,
    pub site_name: String,
    pub css: String,
    pub icon: String,
    pub script: Option<String>,
    /// Serialised JSON-LD, already safe to embed.
    pub json_ld: Option<String>,
    pub og_type: &'static str,
    /// The page's Open Graph image; pages without one get a summary card.
    pub og_image: Option<OgImage>,
    pub home: String,
    pub search_action: String,
    pub query: String,
    /// The footer, rendered ([`footer`]).
    pub footer: std::sync::Arc<str>,
}

/// The site footer: the first [`FOOTER_CATEGORIES`] categories of the
/// catalog, and a link to all of them when there are more. Template:
/// `footer.html`.
#[derive(Template)]
#[template(path = "footer.html")]
struct Footer<'a> {
    categories: Vec<Link>,
    more_categories: Option<Link>,
    site_name: &'a str,
}

/// The footer of every page of `site` on `catalog`, made once and kept:
/// building and escaping its links on every page was about 4 % of a
/// comparison page nobody had asked for. It is kept by what it is made of
/// (the site's name and base URL, the number of categories, and the slug and
/// name of each one it lists), so a different catalog or site gets its own.
fn footer(site: &SiteConfig, catalog: &Catalog) -> std::sync::Arc<str> {
    static FOOTERS: kept::Kept<std::sync::Arc<str>> = kept::Kept::new();
    let shown = &catalog.categories()[..catalog.categories().len().min(FOOTER_CATEGORIES)];
    let mut key = String::with_capacity(64 + shown.len() * 40);
    for part in [site.name.as_str(), &site.urls.home()].into_iter().chain(
        shown
            .iter()
            .flat_map(|c| [c.slug.as_str(), c.name.as_str()]),
    ) {
        key.push_str(part);
        key.push('\0');
    }
    key.push_str(&catalog.categories().len().to_string());
    FOOTERS.get_or_make(key, || {
        Footer {
            categories: shown
                .iter()
                .map(|c| Link {
                    aside: None,
                    text: c.name.clone(),
                    url: site.urls.category(&c.slug),
                })
                .collect(),
            more_categories: (catalog.categories().len() > FOOTER_CATEGORIES).then(|| Link {
                aside: None,
                text: format!("All {} categories", catalog.categories().len()),
                url: format!("{}#categories-heading", site.urls.home()),
            }),
            site_name: &site.name,
        }
        .render()
        .expect("the footer renders: its fields are plain strings")
        .into()
    })
}

/// A page's Open Graph image (`crate::og`), for `og:image` and a large
/// Twitter card.
#[derive(Debug, Clone)]
pub struct OgImage {
    /// Absolute when the site has a base URL (as `og:image` wants).
    pub url: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
}

/// How many categories the footer of every page lists. A catalog with many
/// categories would otherwise put a long list on every page (1,000
/// categories made 93 KB of a 120 KB page); the home page lists them all.
pub const FOOTER_CATEGORIES: usize = 24;

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub text: String,
    pub url: String,
    /// Said after `text` to screen readers and search engines, hidden on
    /// screen ([`aside`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aside: Option<String>,
}

impl From<TopicLink> for Link {
    fn from(t: TopicLink) -> Self {
        Link {
            text: t.name,
            url: t.url,
            aside: t.aside,
        }
    }
}

impl From<&TopicLink> for Link {
    fn from(t: &TopicLink) -> Self {
        Link {
            text: t.name.clone(),
            url: t.url.clone(),
            aside: t.aside.clone(),
        }
    }
}

/// Link texts that say nothing out of their context: the English list of
/// Lighthouse's "link-text" audit, which screen-reader guidance agrees with.
const GENERIC_LINK_TEXTS: [&str; 14] = [
    "click here",
    "click this",
    "go",
    "here",
    "information",
    "learn more",
    "more",
    "more info",
    "more information",
    "right here",
    "read more",
    "see more",
    "start",
    "this",
];

/// What a link to a topic adds after the topic's name when the name alone
/// is a generic link text: "Go" is a language, but a link that says only
/// "Go" reads as a command to a screen-reader user listing a page's links.
/// The kind ("a language") goes in a visually hidden span inside the link.
pub fn aside(name: &str, kind: verdict_core::model::Kind) -> Option<String> {
    let name = name.trim().to_lowercase();
    GENERIC_LINK_TEXTS
        .contains(&name.as_str())
        .then(|| kind.with_article().to_owned())
}

fn layout(
    site: &SiteConfig,
    catalog: &Catalog,
    title: String,
    description: String,
    path: &str,
) -> Layout {
    Layout {
        title,
        description,
        canonical: site.urls.absolute(path),
        noindex: false,
        site_name: site.name.clone(),
        css: assets::css().path.clone(),
        icon: site.urls.absolute(&assets::favicon().path),
        script: None,
        json_ld: None,
        og_type: "website",
        og_image: None,
        home: site.urls.home(),
        search_action: site.urls.search(),
        query: String::new(),
        footer: footer(site, catalog),
    }
}

/// Makes JSON safe inside `<script>`: no `</script>` or `<!--` can end or
/// confuse the element.
pub fn script_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).expect("view models serialise");
    let bytes = json.as_bytes();
    // Most pages' data has none of the three: one vectorised scan, no copy.
    if memchr::memchr3(b'<', b'>', b'&', bytes).is_none() {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 64);
    let mut last = 0;
    for i in memchr::memchr3_iter(b'<', b'>', b'&', bytes) {
        out.push_str(&json[last..i]);
        out.push_str(match bytes[i] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        last = i + 1;
    }
    out.push_str(&json[last..]);
    out
}

/// Renders editorial Markdown to HTML. Raw HTML in the source is shown as
/// text, not passed through.
pub fn markdown_html(src: &str) -> String {
    use pulldown_cmark::{Event, Parser, html};
    let parser = Parser::new(src).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    use super::{SiteConfig, footer, script_json};
    use crate::urls::Urls;
    use verdict_core::model::Catalog;

    #[test]
    fn each_site_and_catalog_gets_its_own_footer() {
        let bundled = verdict_content::load_embedded().catalog;
        let empty = Catalog::default();
        let site = SiteConfig::default();
        let other = SiteConfig {
            name: "elsewhere".into(),
            urls: Urls::new("https://elsewhere.example"),
            ..SiteConfig::default()
        };
        let first = &bundled.categories()[0];
        // Asked in turns, so a kept footer is found again and never given
        // to another site or catalog.
        for _ in 0..2 {
            let f = footer(&site, &bundled);
            assert!(
                f.contains(&format!("href=\"/categories/{}\"", first.slug)),
                "{f}"
            );
            assert!(f.contains("<p class=\"fine\">verdict publishes"), "{f}");
            let f = footer(&site, &empty);
            assert!(!f.contains("<li>"), "{f}");
            let f = footer(&other, &bundled);
            assert!(
                f.contains(&format!(
                    "href=\"https://elsewhere.example/categories/{}\"",
                    first.slug
                )),
                "{f}"
            );
            assert!(f.contains("<p class=\"fine\">elsewhere publishes"), "{f}");
        }
    }

    #[test]
    fn script_json_cannot_end_or_confuse_its_element() {
        let value = serde_json::json!({
            "reason": "</script><!-- a & b > c",
            "<key>": ["é \u{2028} \"quoted\""],
        });
        let out = script_json(&value);
        assert!(!out.contains(['<', '>', '&']), "{out}");
        assert!(
            out.contains(r"\u003c/script\u003e\u003c!-- a \u0026 b \u003e c"),
            "{out}"
        );
        // Still the same JSON once parsed.
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, value);
    }
}
