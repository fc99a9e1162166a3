//! The search page, served and static.

use askama::Template;

use verdict_core::model::{Catalog, Topic};
use verdict_core::search::Hit;

use crate::assets;

use super::listing::{TopicItem, topic_item};
use super::{Layout, Link, SiteConfig, layout};

/// Search results. Template: `search.html`.
#[derive(Template, Debug)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub layout: Layout,
    pub query: String,
    pub results: Vec<TopicItem>,
    pub suggestions: Vec<Link>,
    /// The static site's search index; `None` on the server, which answers
    /// the query itself.
    pub index_url: Option<String>,
}

pub fn search(
    site: &SiteConfig,
    catalog: &Catalog,
    query: &str,
    hits: &[Hit<'_>],
    suggestions: &[&Topic],
) -> SearchPage {
    let mut l = layout(
        site,
        catalog,
        if query.is_empty() {
            format!("Search — {}", site.name)
        } else {
            format!("“{query}” — search — {}", site.name)
        },
        "Search developer topics by name, alias or description.".into(),
        "/search",
    );
    l.noindex = true;
    l.query = query.to_owned();
    SearchPage {
        layout: l,
        query: query.to_owned(),
        results: hits.iter().map(|h| topic_item(site, h.topic)).collect(),
        suggestions: suggestions
            .iter()
            .map(|t| Link {
                aside: None,
                text: t.name.clone(),
                url: site.urls.topic(&t.slug),
            })
            .collect(),
        index_url: None,
    }
}

/// The static site's search page (`verdict build`): the server's page with
/// no query, plus `search.js`, which filters the index at `index_url` in
/// the browser.
pub fn static_search(site: &SiteConfig, catalog: &Catalog, index_url: &str) -> SearchPage {
    let mut page = search(site, catalog, "", &[], &[]);
    page.layout.script = Some(assets::search_script().path.clone());
    page.index_url = Some(index_url.to_owned());
    page
}
