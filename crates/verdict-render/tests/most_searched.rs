//! The comparisons readers search for most (our list, in
//! `tests/data/most-searched.txt`, as a reader would type them) each
//! resolve without a guess and have a published page: listed in the
//! sitemap and written by the static export.

use std::collections::BTreeSet;

use verdict_core::search::{self, Resolved};
use verdict_render::site::published_comparisons;

const LIST: &str = include_str!("data/most-searched.txt");

#[test]
fn the_most_searched_comparisons_resolve_and_are_published() {
    let catalog = verdict_content::load_embedded().catalog;
    let published: BTreeSet<Vec<String>> = published_comparisons(&catalog).into_iter().collect();
    let lines: Vec<&str> = LIST
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(lines.len(), 150, "the list is of 150 comparisons");
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for line in &lines {
        let mut slugs = Vec::new();
        for name in line.split(" vs ") {
            match search::resolve(&catalog, name) {
                Resolved::Found(t) => slugs.push(t.slug.clone()),
                Resolved::Unknown(near) => {
                    let near: Vec<&str> = near.iter().map(|t| t.slug.as_str()).collect();
                    problems.push(format!("{line}: `{name}` needs a guess (near: {near:?})"));
                }
            }
        }
        slugs.sort();
        if slugs.len() != line.split(" vs ").count() {
            continue;
        }
        if !seen.insert(slugs.clone()) {
            problems.push(format!("{line}: listed twice"));
        }
        if !published.contains(&slugs) {
            problems.push(format!(
                "{line}: {} has no published page",
                slugs.join("-vs-")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
