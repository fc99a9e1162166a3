//! Every link says where it goes. A screen-reader user who lists a page's
//! links, or a search engine, hears only the link's text: "Go" alone reads
//! as a command, so a topic whose name is a generic link text carries its
//! kind in a visually hidden span inside the link. Lighthouse's "link-text"
//! audit fails a page on the same list.

use askama::Template as _;
use verdict_core::decide::Preferences;
use verdict_render::{ComparisonView, SiteConfig, html};

/// Lighthouse's English list of link texts that say nothing.
const GENERIC: [&str; 14] = [
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

/// The text content of every `<a>` in `page` (tags inside stripped).
fn link_texts(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find("<a ") {
        rest = &rest[at..];
        let open_end = rest.find('>').expect("a closed tag") + 1;
        let close = rest.find("</a>").expect("a closed link");
        let inner = &rest[open_end..close];
        let mut text = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        out.push(text.trim().to_owned());
        rest = &rest[close..];
    }
    out
}

fn assert_descriptive(what: &str, page: &str) {
    let texts = link_texts(page);
    assert!(texts.len() > 5, "{what}: only {} links", texts.len());
    let generic: Vec<&String> = texts
        .iter()
        .filter(|t| GENERIC.contains(&t.to_lowercase().as_str()))
        .collect();
    assert!(
        generic.is_empty(),
        "{what}: links that say only {generic:?}"
    );
}

#[test]
fn links_to_go_say_what_go_is() {
    let catalog = verdict_content::load_embedded().catalog;
    let site = SiteConfig::default();
    let rust = catalog.topic("rust").unwrap();
    assert!(rust.related.iter().any(|r| r == "go"), "Rust lists Go");
    let topic = html::topic(&site, &catalog, rust).render().unwrap();
    assert!(
        topic.contains("Go<span class=\"visually-hidden\">, a language</span></a>"),
        "the link to Go on Rust's page"
    );
    assert_descriptive("/topics/rust", &topic);

    let go = catalog.topic("go").unwrap();
    let category = html::category(&site, &catalog, &go.category)
        .unwrap()
        .render()
        .unwrap();
    assert_descriptive("the category page", &category);

    // Go picked over another language: the pick box, Go's card and the
    // other card's related links.
    for other in ["rust", "python", "java"] {
        let topics = [go, catalog.topic(other).unwrap()];
        let view =
            ComparisonView::build(&catalog, &site.urls, &topics, &Preferences::default()).unwrap();
        let page = html::comparison(&site, &catalog, &view).render().unwrap();
        assert_descriptive(&format!("go vs {other}"), &page);
    }
    // A name that is not a generic link text gets nothing added.
    assert_eq!(html::aside("Rust", rust.kind), None);
    assert_eq!(html::aside(" go ", go.kind).as_deref(), Some("a language"));
}
