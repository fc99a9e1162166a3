//! The benchmark's catalog generator writes content that passes
//! `verdict check --strict`, and the site built from it (multi-way
//! editorials included) is complete.

mod support;

use std::process::Command;

use verdict_content::Options;
use verdict_render::site::published_comparisons;

use support::{file_for, site};

#[test]
fn generated_catalog_passes_strict_check_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    let run = |dir: &std::path::Path| {
        let status = Command::new(env!("CARGO_BIN_EXE_gen-catalog"))
            .args(["--topics", "130", "--per-category", "12", "--out"])
            .arg(dir)
            .status()
            .unwrap();
        assert!(status.success());
    };
    run(&content);
    let loaded = verdict_content::load_dir(&content, Options { strict: true }).unwrap();
    assert!(
        loaded.diagnostics.is_empty(),
        "{:#?}",
        &loaded.diagnostics[..loaded.diagnostics.len().min(10)]
    );
    let catalog = loaded.catalog;
    assert_eq!(catalog.topics().len(), 130);
    // 130 topics, 12 a category: ten categories, the last one with 22.
    assert_eq!(catalog.categories().len(), 10);
    assert_eq!(catalog.topics_in("group-9").count(), 22);
    let published = published_comparisons(&catalog);
    assert!(
        published.iter().any(|p| p.len() == 3),
        "a three-way editorial"
    );

    // The same arguments write the same bytes.
    let again = tmp.path().join("again");
    run(&again);
    assert_eq!(support::tree(&content), support::tree(&again));

    let out = tmp.path().join("site");
    let report = verdict_export::build(&catalog, &site(""), &out, no_images()).unwrap();
    assert_eq!(report.pages, published.len() + 130 + 10 + 3);
    for p in &published {
        let path = format!("/compare/{}", p.join("-vs-"));
        assert!(file_for(&out, &path).is_some(), "{path}");
    }
    let three = published.iter().find(|p| p.len() == 3).unwrap();
    let (a, b, c) = (&three[0], &three[1], &three[2]);
    let redirect =
        std::fs::read_to_string(out.join(format!("compare/{c}-vs-{a}-vs-{b}/index.html"))).unwrap();
    assert!(
        redirect.contains(&format!("url=/compare/{a}-vs-{b}-vs-{c}\"")),
        "{redirect}"
    );
}

#[test]
fn many_categories_keep_the_footer_short_and_link_to_all() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    let status = Command::new(env!("CARGO_BIN_EXE_gen-catalog"))
        .args(["--topics", "120", "--per-category", "4", "--out"])
        .arg(&content)
        .status()
        .unwrap();
    assert!(status.success());
    let catalog = verdict_content::load_dir(&content, Options { strict: true })
        .unwrap()
        .catalog;
    assert_eq!(catalog.categories().len(), 30);
    let out = tmp.path().join("site");
    verdict_export::build(&catalog, &site(""), &out, no_images()).unwrap();

    let topic = &catalog.topics()[0].slug;
    let page =
        std::fs::read_to_string(file_for(&out, &format!("/topics/{topic}")).unwrap()).unwrap();
    let footer = &page[page.find("<footer").unwrap()..];
    assert_eq!(
        footer.matches("href=\"/categories/").count(),
        verdict_render::html::FOOTER_CATEGORIES,
        "{footer}"
    );
    assert!(
        footer.contains("<a href=\"/#categories-heading\">All 30 categories</a>"),
        "{footer}"
    );
    // The home page it points to has that heading and lists every category.
    let home = std::fs::read_to_string(file_for(&out, "/").unwrap()).unwrap();
    assert!(home.contains("id=\"categories-heading\""));
    let main = &home[..home.find("<footer").unwrap()];
    for c in catalog.categories() {
        assert!(
            main.contains(&format!("href=\"/categories/{}\"", c.slug)),
            "{}",
            c.slug
        );
    }
}

/// The generated catalog's thousands of images would take minutes to draw
/// and test nothing these tests are about.
fn no_images() -> verdict_export::Options<'static> {
    verdict_export::Options {
        no_og_images: true,
        ..Default::default()
    }
}
