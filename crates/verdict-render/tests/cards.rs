//! A comparison page assembled from ready-made side cards is the page
//! rendered whole: a server that keeps cards and reuses them across
//! comparisons sends the same bytes.

use askama::Template as _;
use verdict_core::decide::Preferences;
use verdict_render::{ComparisonView, SiteConfig, html};

#[test]
fn a_page_from_its_cards_is_the_page_rendered_whole() {
    let catalog = verdict_content::load_embedded().catalog;
    let site = SiteConfig::default();
    for pair in [
        &["django", "flask"][..],
        &["go", "rust"],
        &["angular", "react", "svelte", "vue"],
        &["product-management", "technical-leadership"],
    ] {
        let topics: Vec<_> = pair.iter().map(|s| catalog.topic(s).unwrap()).collect();
        let view =
            ComparisonView::build(&catalog, &site.urls, &topics, &Preferences::default()).unwrap();
        let whole = html::comparison(&site, &catalog, &view).render().unwrap();
        let mut sides = String::from(html::SIDES_OPEN);
        for i in 0..view.sides.len() {
            sides.push_str(&html::side_card_html(&site, &view, i));
        }
        sides.push_str(html::SIDES_CLOSE);
        let assembled = html::comparison_without_sides(&site, &catalog, &view, &|t| {
            html::client_topic_json(&site, t).into()
        })
        .render()
        .unwrap()
        .replacen(html::SIDES_HOLE, &sides, 1);
        assert_eq!(assembled, whole, "{pair:?}");
        assert!(
            whole.contains("<article class=\"side s1"),
            "{pair:?} has cards"
        );
    }
}
