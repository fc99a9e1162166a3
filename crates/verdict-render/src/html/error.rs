//! Error pages, and the topic links of their "did you mean" lists.

use askama::Template;

use verdict_core::model::{Catalog, Topic};

use super::{Layout, Link, SiteConfig, layout};

/// An error page (404 and others). Template: `error.html`.
#[derive(Template, Debug)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub heading: String,
    pub message: String,
    pub suggestions: Vec<Link>,
}

pub fn error(
    site: &SiteConfig,
    catalog: &Catalog,
    status: u16,
    heading: &str,
    message: &str,
    suggestions: Vec<Link>,
) -> ErrorPage {
    let mut l = layout(
        site,
        catalog,
        format!("{heading} — {}", site.name),
        message.to_owned(),
        "/",
    );
    l.noindex = true;
    ErrorPage {
        layout: l,
        status,
        heading: heading.to_owned(),
        message: message.to_owned(),
        suggestions,
    }
}

/// Links for a "did you mean" list of topics.
pub fn topic_links(site: &SiteConfig, topics: &[&Topic]) -> Vec<Link> {
    topics
        .iter()
        .map(|t| Link {
            aside: None,
            text: t.name.clone(),
            url: site.urls.topic(&t.slug),
        })
        .collect()
}
