//! The catalog that ships in the binary meets the published minimums: the
//! same rules as `verdict check --strict`, plus the catalog's size and its
//! evidence coverage.

use std::path::Path;

use verdict_content::{Options, load_dir};

#[test]
fn bundled_catalog_is_clean_under_strict_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let loaded = load_dir(&root, Options { strict: true }).expect("content/ is readable");
    let problems: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let c = &loaded.catalog;
    assert!(c.topics().len() >= 300, "{} topics", c.topics().len());
    assert!(
        c.categories().len() >= 12,
        "{} categories",
        c.categories().len()
    );
    assert!(
        c.editorials().len() >= 40,
        "{} editorial comparisons",
        c.editorials().len()
    );
    for t in c.topics() {
        let category = c.category(&t.category).expect("category resolves");
        for (criterion, _) in &category.weights {
            // A criterion computed from git history scores exactly the
            // topics that have one.
            if c.criterion(criterion).unwrap().computed_from.is_some() {
                assert_eq!(
                    t.scores.contains_key(criterion),
                    t.activity.is_some(),
                    "{}: {criterion} is scored where there is git activity",
                    t.slug
                );
                continue;
            }
            let score = t
                .scores
                .get(criterion)
                .unwrap_or_else(|| panic!("{} has no {criterion} score", t.slug));
            assert!(
                !score.reason.trim().is_empty(),
                "{}: {criterion} has no reason",
                t.slug
            );
        }
        assert!(
            t.pros.len() >= 3 && t.cons.len() >= 2 && t.related.len() >= 2,
            "{} misses a minimum",
            t.slug
        );
    }
    let with_evidence: Vec<_> = c
        .topics()
        .iter()
        .filter(|t| !t.evidence.is_empty())
        .collect();
    assert!(
        with_evidence.len() >= 60,
        "{} topics carry registry evidence",
        with_evidence.len()
    );
    for t in with_evidence {
        for e in &t.evidence {
            assert!(
                !e.source_label.is_empty() && !e.as_of.is_empty() && e.url.starts_with("https://"),
                "{}: {e:?}",
                t.slug
            );
        }
    }
}

#[test]
fn embedded_catalog_matches_the_content_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let on_disk = verdict_content::read_dir(&root).unwrap();
    let embedded = verdict_content::embedded();
    assert_eq!(
        on_disk
            .iter()
            .map(|f| (&f.path, &f.text))
            .collect::<Vec<_>>(),
        embedded
            .iter()
            .map(|f| (&f.path, &f.text))
            .collect::<Vec<_>>(),
        "the binary must carry exactly the files in content/"
    );
}
