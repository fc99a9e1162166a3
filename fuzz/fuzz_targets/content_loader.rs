#![no_main]
//! One content file of arbitrary bytes, loaded with a small valid catalog.
//!
//! Input: the first line is the file's path under the content root, as
//! `verdict_content::read_dir` gives it (`criteria.toml`,
//! `topics/languages/rust.toml`, `comparisons/go--rust.toml`,
//! `evidence/npm.toml`, …), with a leading `!` for `--strict`; the rest is
//! the file's text. A path of the base replaces that file, any other is
//! added. Loading must never panic; the catalog it builds must keep the
//! loader's invariant (everything in it resolves); and the comparisons and
//! pages that show the file must build, keep `decide`'s promises
//! (`verdict_fuzz::check_decision`) and render without a panic.

use std::path::Path;
use std::sync::LazyLock;

use askama::Template;
use libfuzzer_sys::fuzz_target;
use verdict_content::{Options, SourceFile, load};
use verdict_core::model::Outcome;
use verdict_core::{Catalog, Preferences, Topic};
use verdict_render::{ComparisonView, SiteConfig, html, markdown, terminal};

/// The checker's smallest valid catalog (two categories, four topics, an
/// editorial, npm evidence), which its `invalid-*` fixtures modify one file
/// at a time. The bundled catalog makes a poor base: its topics refer to
/// nearly all of it (the languages' references reach 314 of its 350
/// topics), so a part of it loads with dozens of dangling references, each
/// searched for a "did you mean": a languages-only base ran at about 50
/// executions a second, this one at about 400.
static BASE: LazyLock<Vec<SourceFile>> = LazyLock::new(|| {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crates/verdict-content/tests/fixtures/minimal"
    );
    let files = verdict_content::read_dir(Path::new(dir)).expect("the minimal fixture");
    let loaded = load(&files, Options::default());
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    files
});

static SITE: LazyLock<SiteConfig> = LazyLock::new(|| SiteConfig {
    // A fixed "today" after the fixture's evidence, so staleness is computed.
    today: "2027-06-01".into(),
    ..SiteConfig::default()
});

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let Some((header, text)) = input.split_once('\n') else {
        return;
    };
    let (strict, path) = match header.strip_prefix('!') {
        Some(path) => (true, path),
        None => (false, header),
    };
    if !from_read_dir(path) {
        return;
    }
    let mut files = BASE.clone();
    let file = SourceFile {
        path: path.to_owned(),
        text: text.to_owned(),
    };
    match files.iter_mut().find(|f| f.path == path) {
        Some(f) => *f = file,
        None => {
            files.push(file);
            files.sort_by(|a, b| a.path.cmp(&b.path));
        }
    }
    let loaded = load(&files, Options { strict });
    let catalog = &loaded.catalog;
    check_everything_resolves(catalog);
    if let Some(t) = topic_in(catalog, path) {
        let _ = html::topic(&SITE, catalog, t).render();
    }
    for topics in shown(catalog, path) {
        show(catalog, &topics);
    }
});

/// Whether `read_dir` can produce `path`: a root file, or a `.toml` file
/// with a name under one of the content folders.
fn from_read_dir(path: &str) -> bool {
    if matches!(path, "criteria.toml" | "categories.toml" | "jobs.toml") {
        return true;
    }
    let mut parts = path.split('/');
    let folder = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    matches!(folder, "topics" | "comparisons" | "evidence")
        && !rest.is_empty()
        && rest
            .iter()
            .all(|p| !p.is_empty() && *p != "." && *p != ".." && !p.contains('\0'))
        && rest
            .last()
            .and_then(|name| name.strip_suffix(".toml"))
            .is_some_and(|stem| !stem.is_empty())
}

/// The loader's invariant: every reference in a built catalog resolves.
fn check_everything_resolves(catalog: &Catalog) {
    for t in catalog.topics() {
        assert!(
            catalog.category(&t.category).is_some(),
            "{}: category",
            t.slug
        );
        for r in t.related.iter().chain(&t.alternatives).chain(&t.used_with) {
            assert!(catalog.topic(r).is_some(), "{}: dangling `{r}`", t.slug);
        }
        for j in &t.jobs {
            assert!(catalog.job(j).is_some(), "{}: dangling job `{j}`", t.slug);
        }
        for c in t.scores.keys() {
            assert!(
                catalog.criterion(c).is_some(),
                "{}: criterion `{c}`",
                t.slug
            );
        }
    }
    for e in catalog.editorials() {
        let key = e.slugs.join("--");
        for s in e.slugs.iter().chain(&e.also_consider) {
            assert!(catalog.topic(s).is_some(), "{key}: dangling `{s}`");
        }
        assert_eq!(e.pick.is_some(), e.outcome == Outcome::Pick, "{key}: pick");
        if let Some(p) = &e.pick {
            assert!(e.slugs.contains(p), "{key}: pick `{p}` is not compared");
        }
        if let Some(c) = &e.category {
            assert!(catalog.category(c).is_some(), "{key}: category `{c}`");
        }
    }
}

/// The topic a topic file at `path` defines, if it loaded.
fn topic_in<'a>(catalog: &'a Catalog, path: &str) -> Option<&'a Topic> {
    let file = path.strip_prefix("topics/")?.rsplit('/').next()?;
    catalog.topic(file.strip_suffix(".toml")?)
}

/// The comparisons a reader would see the fuzzed file in.
fn shown<'a>(catalog: &'a Catalog, path: &str) -> Vec<Vec<&'a Topic>> {
    let topic = |slug: &str| catalog.topic(slug);
    if let Some(pair) = path
        .strip_prefix("comparisons/")
        .and_then(|p| p.strip_suffix(".toml"))
    {
        let mut slugs: Vec<&str> = pair.split("--").collect();
        slugs.sort_unstable();
        return catalog
            .editorial(&slugs)
            .map(|e| e.slugs.iter().filter_map(|s| topic(s)).collect())
            .into_iter()
            .collect();
    }
    if let Some(t) = topic_in(catalog, path) {
        // Against what its page links to: the same job, the same category.
        return catalog
            .same_job(t, 2)
            .into_iter()
            .chain(
                catalog
                    .topics_in(&t.category)
                    .filter(|o| o.slug != t.slug)
                    .take(1),
            )
            .map(|o| vec![t, o])
            .collect();
    }
    // A root or evidence file changes every comparison: one with an
    // editorial and one with evidence.
    [
        ["product-management", "technical-leadership"],
        ["react", "vue"],
    ]
    .iter()
    .filter_map(|pair| pair.iter().map(|s| topic(s)).collect())
    .collect()
}

/// Builds the comparison under the default preferences and each profile,
/// and renders it the ways readers get it.
fn show(catalog: &Catalog, topics: &[&Topic]) {
    let defaults = Preferences::default();
    let profiles = catalog.profiles().iter().map(|p| Preferences {
        profile: Some(p.slug.clone()),
        weights: Default::default(),
    });
    for (i, prefs) in std::iter::once(defaults).chain(profiles).enumerate() {
        let Ok(view) = ComparisonView::build(catalog, &SITE.urls, topics, &prefs) else {
            continue;
        };
        verdict_fuzz::check_decision(&view.decision);
        let _ = view.headline();
        if i == 0 {
            let _ = markdown::comparison(&view);
            let _ = terminal::comparison(&view, 80);
            let _ = html::comparison(&SITE, catalog, &view).render();
        }
    }
}
