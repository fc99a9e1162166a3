//! The home page and category pages.

use askama::Template;

use verdict_core::model::{Catalog, Topic};
use verdict_core::text::num;

use crate::assets;

use super::{Layout, Link, SiteConfig, layout, script_json};

#[derive(Debug, Clone)]
pub struct TopicItem {
    pub name: String,
    pub url: String,
    pub slug: String,
    pub kind: String,
    pub tagline: String,
    /// Said after the name in its link, hidden on screen ([`super::aside`]).
    pub aside: Option<String>,
}

pub(super) fn topic_item(site: &SiteConfig, t: &Topic) -> TopicItem {
    TopicItem {
        aside: super::aside(&t.name, t.kind),
        name: t.name.clone(),
        url: site.urls.topic(&t.slug),
        slug: t.slug.clone(),
        kind: t.kind.as_str().to_owned(),
        tagline: t.tagline.clone(),
    }
}

/// A category page. Template: `category.html`.
#[derive(Template, Debug)]
#[template(path = "category.html")]
pub struct CategoryPage {
    pub layout: Layout,
    pub name: String,
    pub description: String,
    pub topics: Vec<TopicItem>,
    pub comparisons: Vec<Link>,
    pub criteria: Vec<(String, String)>,
    pub compare_action: String,
    /// The comparisons "Compare two" can lead to, as a JSON array of keys.
    pub compare_pairs: String,
}

pub fn category(site: &SiteConfig, catalog: &Catalog, slug: &str) -> Option<CategoryPage> {
    let c = catalog.category(slug)?;
    let topics: Vec<TopicItem> = catalog
        .topics_in(slug)
        .map(|t| topic_item(site, t))
        .collect();
    let comparisons = crate::site::published_editorials(catalog)
        .filter(|e| {
            e.category.as_deref() == Some(slug)
                || (e.category.is_none()
                    && e.slugs
                        .iter()
                        .all(|s| catalog.topic(s).is_some_and(|t| t.category == slug)))
        })
        .map(|e| editorial_link(site, catalog, &e.slugs))
        .collect();
    let criteria = c
        .weights
        .iter()
        .filter_map(|(id, w)| {
            catalog
                .criterion(id)
                .map(|k| (format!("{} ×{}", k.label, num(*w)), k.high_means.clone()))
        })
        .collect();
    let path = format!("/categories/{slug}");
    let mut l = layout(
        site,
        catalog,
        format!("{} — {}", c.name, site.name),
        c.description.clone(),
        &path,
    );
    // Sends "Compare two" straight to the comparison (the static site has
    // no server to redirect `/compare?a=&b=`).
    l.script = Some(assets::script().path.clone());
    Some(CategoryPage {
        layout: l,
        name: c.name.clone(),
        description: c.description.clone(),
        topics,
        comparisons,
        criteria,
        compare_action: site.urls.absolute("/compare"),
        compare_pairs: script_json(&crate::site::published_pairs_in(catalog, slug)),
    })
}

pub(super) fn editorial_link(site: &SiteConfig, catalog: &Catalog, slugs: &[String]) -> Link {
    let names: Vec<&str> = slugs
        .iter()
        .filter_map(|s| catalog.topic(s))
        .map(|t| t.name.as_str())
        .collect();
    Link {
        aside: None,
        text: names.join(" vs "),
        url: site
            .urls
            .compare(&slugs.iter().map(String::as_str).collect::<Vec<_>>()),
    }
}

#[derive(Debug, Clone)]
pub struct CategoryCard {
    pub name: String,
    pub url: String,
    pub description: String,
    pub count: usize,
}

/// The home page. Template: `home.html`.
#[derive(Template, Debug)]
#[template(path = "home.html")]
pub struct HomePage {
    pub layout: Layout,
    pub topic_count: usize,
    pub categories: Vec<CategoryCard>,
    pub featured: Vec<Link>,
    /// Filled by the web layer when votes exist.
    pub contested_html: String,
}

pub fn home(site: &SiteConfig, catalog: &Catalog) -> HomePage {
    let categories = catalog
        .categories()
        .iter()
        .map(|c| CategoryCard {
            name: c.name.clone(),
            url: site.urls.category(&c.slug),
            description: c.description.clone(),
            count: catalog.topics_in(&c.slug).count(),
        })
        .collect();
    let mut featured: Vec<Link> = crate::site::published_editorials(catalog)
        .map(|e| editorial_link(site, catalog, &e.slugs))
        .collect();
    featured.sort_by_key(|l| l.text.to_lowercase());
    let mut l = layout(
        site,
        catalog,
        format!("{} — opinionated, evidence-backed picks for developers", site.name),
        "Which should you learn or use? Clear picks between developer topics, with the scorecard, the evidence and what would change our mind.".into(),
        "/",
    );
    l.json_ld = Some(script_json(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.name,
        "url": site.urls.home(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": format!("{}?q={{query}}", site.urls.absolute("/search")),
            "query-input": "required name=query",
        },
    })));
    HomePage {
        layout: l,
        topic_count: catalog.topics().len(),
        categories,
        featured,
        contested_html: String::new(),
    }
}
