//! `verdict_export::build` as an operator relies on it: deterministic,
//! incremental, atomic, complete (no dead links) and honest about progress.

mod support;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use verdict_content::{Options as LoadOptions, SourceFile};
use verdict_core::model::Catalog;
use verdict_export::{ExportError, Options, Progress, build, search_index};
use verdict_render::site::exported_comparisons;

use support::{BASE, Entry, bundled, file_for, files, shared_site, site, tree};

/// Counts what the build reports.
#[derive(Default)]
struct Counter {
    total: AtomicU64,
    done: AtomicU64,
}

impl Progress for Counter {
    fn start(&self, pages: u64) {
        self.total.store(pages, Ordering::SeqCst);
    }

    fn advance(&self, pages: u64) {
        self.done.fetch_add(pages, Ordering::SeqCst);
    }
}

/// The bundled catalog with one topic edited the way an editor would:
/// Django gets a new tagline, loses the alias "django framework" and gains
/// "django web framework".
fn edited() -> Catalog {
    let mut files: Vec<SourceFile> = verdict_content::embedded();
    let f = files
        .iter_mut()
        .find(|f| f.path == "topics/backend/django.toml")
        .expect("the bundled catalog has django");
    let old_aliases = "aliases = [\"django framework\", \"djangoproject\"]";
    assert!(
        f.text.contains(old_aliases),
        "django's aliases changed; update this test"
    );
    f.text = f
        .text
        .replace(
            old_aliases,
            "aliases = [\"djangoproject\", \"django web framework\"]",
        )
        .replacen(
            "tagline = \"",
            "tagline = \"The web framework for perfectionists with deadlines. ",
            1,
        );
    let loaded = verdict_content::load(&files, LoadOptions::default());
    assert!(
        !loaded.has_errors(),
        "{:#?}",
        loaded.errors().collect::<Vec<_>>()
    );
    loaded.catalog
}

/// Options for builds whose test is not about images, which are most of a
/// cold build's time.
fn no_images() -> Options<'static> {
    Options {
        no_og_images: true,
        ..Options::default()
    }
}

fn inodes(root: &Path, tree: &BTreeMap<String, Entry>) -> BTreeMap<String, (u64, i64)> {
    files(tree)
        .into_keys()
        .map(|p| {
            let m = std::fs::metadata(root.join(p)).unwrap();
            (p.to_owned(), (m.ino(), m.mtime_nsec()))
        })
        .collect()
}

/// Internal references of `root`'s pages, feeds and `_redirects` that do
/// not resolve to a file, as "file: target".
fn dead_links(root: &Path, base: &str) -> (usize, Vec<String>) {
    let site_tree = tree(root);
    let mut checked = 0;
    let mut dead = Vec::new();
    let mut check = |from: &str, target: &str| {
        let target = target.replace("&amp;", "&");
        let path = if !base.is_empty() && target.starts_with(base) {
            target[base.len()..].to_owned()
        } else if target.starts_with('/') && !target.starts_with("//") {
            target
        } else {
            return; // another site, mailto:, #fragment
        };
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let path = if path.is_empty() { "/" } else { path };
        // The category page's "Compare two" form needs the server (see README).
        if path == "/compare" {
            return;
        }
        checked += 1;
        if file_for(root, path).is_none() {
            dead.push(format!("{from}: {path}"));
        }
    };
    for (rel, entry) in &site_tree {
        let is_markup = [".html", ".xml"].iter().any(|e| rel.ends_with(e));
        if *entry == Entry::Dir || !is_markup {
            continue;
        }
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        for attr in [
            " href=\"",
            " src=\"",
            " data-index=\"",
            " action=\"",
            " content=\"",
            "; url=",
            "<loc>",
        ] {
            for piece in text.split(attr).skip(1) {
                let end = piece.find(['"', '<']).unwrap_or(piece.len());
                check(rel, &piece[..end]);
            }
        }
    }
    let redirects = std::fs::read_to_string(root.join("_redirects")).unwrap();
    for line in redirects.lines().filter(|l| l.ends_with(" 301")) {
        let parts: Vec<&str> = line.split(' ').collect();
        check("_redirects", parts[0]);
        check("_redirects", parts[1]);
    }
    (checked, dead)
}

#[test]
fn two_builds_give_identical_trees() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let catalog = bundled();
    let counter = Counter::default();
    // Images are left out: drawing thousands twice more would take a
    // minute, and their bytes are checked in verdict-render (the same view
    // gives the same PNG) and against the server (verdict-web).
    let one = Options {
        jobs: Some(1),
        progress: Some(&counter),
        no_og_images: true,
        ..Options::default()
    };
    let report = build(&catalog, &site(""), &a, one).unwrap();
    let three = Options {
        jobs: Some(3),
        no_og_images: true,
        ..Options::default()
    };
    build(&catalog, &site(""), &b, three).unwrap();
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(files(&ta).len() > 5_000, "{} files", files(&ta).len());
    let differ: Vec<&String> = ta
        .keys()
        .chain(tb.keys())
        .filter(|k| ta.get(*k) != tb.get(*k))
        .collect();
    assert!(differ.is_empty(), "builds differ at {differ:?}");

    // Every page was reported, once.
    assert_eq!(counter.total.load(Ordering::SeqCst), report.pages as u64);
    assert_eq!(counter.done.load(Ordering::SeqCst), report.pages as u64);
    assert_eq!(report.files, files(&ta).len());
    assert_eq!(
        (report.written, report.skipped, report.removed),
        (report.files, 0, 0)
    );

    // Site-relative links resolve too (but the images left out, whose
    // links `every_internal_link_resolves` checks).
    let (checked, dead) = dead_links(&a, "");
    let dead: Vec<String> = dead.into_iter().filter(|d| !d.contains(": /og/")).collect();
    assert!(checked > 50_000, "only {checked} links checked");
    assert!(
        dead.is_empty(),
        "{} dead links, e.g. {:?}",
        dead.len(),
        &dead[..dead.len().min(20)]
    );
}

#[test]
fn every_internal_link_resolves() {
    let root = shared_site();
    let (checked, dead) = dead_links(root, BASE);
    assert!(checked > 50_000, "only {checked} links checked");
    assert!(
        dead.is_empty(),
        "{} dead links, e.g. {:?}",
        dead.len(),
        &dead[..dead.len().min(20)]
    );
    // The page kinds the issue lists are all there.
    let catalog = bundled();
    for path in [
        "/",
        "/search",
        "/compare/angular-vs-react",
        "/topics/go",
        "/categories/backend",
        "/topics/golang",
    ] {
        assert!(file_for(root, path).is_some(), "{path}");
    }
    for file in [
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "robots.txt",
        "api/v1/topics.json",
        "api/v1/categories.json",
        "api/v1/criteria.json",
        "api/v1/openapi.json",
        "api/v1/topics/go.json",
        "api/v1/comparisons/angular-vs-react.json",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    let topic_pages = catalog
        .topics()
        .iter()
        .filter(|t| root.join(format!("topics/{}/index.html", t.slug)).is_file())
        .count();
    assert_eq!(topic_pages, catalog.topics().len());
}

#[test]
fn static_search_page_loads_its_index() {
    let root = shared_site();
    let page = std::fs::read_to_string(root.join("search/index.html")).unwrap();
    let search_js = verdict_render::assets::search_script();
    // Assets are site-relative, with or without a base URL.
    assert!(
        page.contains(&format!(
            "<script src=\"{}\" defer></script>",
            search_js.path
        )),
        "{page}"
    );
    let at = page
        .find(" data-index=\"")
        .expect("the form names its index")
        + " data-index=\"".len();
    let url = &page[at..at + page[at..].find('"').unwrap()];
    let file = file_for(root, url.strip_prefix(BASE).unwrap()).expect("the index exists");
    let index: serde_json::Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    let topics = index["topics"].as_array().unwrap();
    assert_eq!(topics.len(), bundled().topics().len());
    // What the script does for "golang": look for the query in the keys.
    let hits: Vec<&str> = topics
        .iter()
        .filter(|t| {
            t["keys"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k.as_str().unwrap().contains("golang"))
        })
        .map(|t| t["url"].as_str().unwrap())
        .collect();
    assert_eq!(hits, [format!("{BASE}/topics/go")]);
    // The script the page loads reads the attribute the page sets.
    assert!(search_js.body.contains("getAttribute(\"data-index\")"));
}

#[test]
fn rebuild_after_editing_one_topic_rewrites_only_changed_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let site = site(BASE);
    let cache = tmp.path().join("cache");
    let cached = || Options {
        image_cache: Some(&cache),
        ..Options::default()
    };
    let first = build(&bundled(), &site, &out, cached()).unwrap();
    assert_eq!((first.written, first.skipped), (first.files, 0));
    assert!(first.images_drawn > 1000, "{first:?}");
    assert_eq!(first.images_from_cache, 0);
    let before = tree(&out);
    let before_ids = inodes(&out, &before);

    let catalog = edited();
    let second = build(&catalog, &site, &out, cached()).unwrap();
    let after = tree(&out);
    let after_ids = inodes(&out, &after);
    let (old, new) = (files(&before), files(&after));
    let changed: Vec<&str> = new
        .iter()
        .filter(|(p, h)| old.get(*p) != Some(h))
        .map(|(p, _)| *p)
        .collect();
    let gone: Vec<&str> = old
        .keys()
        .filter(|p| !new.contains_key(*p))
        .copied()
        .collect();

    assert_eq!(second.written, changed.len(), "written");
    assert_eq!(second.skipped, second.files - changed.len(), "skipped");
    assert_eq!(second.removed, gone.len(), "removed: {gone:?}");
    assert!(
        second.written < second.files / 10,
        "{} of {} rewritten",
        second.written,
        second.files
    );
    for expected in [
        "topics/django/index.html",
        "api/v1/topics/django.json",
        "compare/django-vs-flask/index.html",
        "topics/django-web-framework/index.html",
        "_redirects",
    ] {
        assert!(
            changed.contains(&expected),
            "{expected} not rewritten: {changed:?}"
        );
    }
    // A new tagline changes no picture: every Open Graph image is kept,
    // and none is drawn again.
    assert!(new.contains_key("og/django-vs-flask.png"));
    let images: Vec<&&str> = changed.iter().filter(|p| p.starts_with("og/")).collect();
    assert!(images.is_empty(), "images rewritten: {images:?}");
    assert!(
        gone.contains(&"topics/django-framework/index.html"),
        "{gone:?}"
    );
    assert!(
        !after.contains_key("topics/django-framework"),
        "the emptied folder stays behind"
    );
    // Files whose bytes did not change were not touched at all.
    let touched: Vec<&String> = after_ids
        .iter()
        .filter(|(p, id)| !changed.contains(&p.as_str()) && before_ids.get(*p) != Some(id))
        .map(|(p, _)| p)
        .collect();
    assert!(touched.is_empty(), "unchanged files rewritten: {touched:?}");
    // And the result is what a clean build of the edited catalog gives.
    // A build into a new directory draws nothing the image cache holds:
    // every image comes from it, byte for byte what drawing gives (the
    // image tests compare drawn bytes across runs and with the server).
    let clean = tmp.path().join("clean");
    let fresh = build(&catalog, &site, &clean, cached()).unwrap();
    assert_eq!(
        (fresh.images_drawn, fresh.images_from_cache),
        (0, first.images_drawn)
    );
    assert!(
        fresh.summary().contains(&format!(
            "; drew 0 images, {} from the image cache",
            first.images_drawn
        )),
        "{}",
        fresh.summary()
    );
    assert_eq!(files(&tree(&clean)), new);
    // Three whole sites with images are a lot of disk for a test machine:
    // keep the one image this test needs and drop the clean build.
    let clean_image = std::fs::read(clean.join("og/django-vs-flask.png")).unwrap();
    std::fs::remove_dir_all(&clean).unwrap();

    let third = build(&catalog, &site, &out, cached()).unwrap();
    assert_eq!(
        (third.written, third.skipped, third.removed),
        (0, third.files, 0)
    );
    let summary = third.summary();
    let (counts, secs) = summary.rsplit_once(" in ").unwrap();
    assert_eq!(
        counts,
        format!(
            "built {} pages ({} files, {:.1} MB): wrote 0, skipped {} unchanged,",
            third.pages,
            third.files,
            third.bytes as f64 / 1e6,
            third.files
        )
    );
    assert!(third.pages > 1000 && third.bytes > 10_000_000, "{summary}");
    assert!(secs.ends_with(" s") && !secs.contains(';'), "{summary}");

    // An image that is not what the comparison would draw now (here: another
    // comparison's) is drawn again.
    let image = out.join("og/django-vs-flask.png");
    std::fs::copy(out.join("og/go-vs-rust.png"), &image).unwrap();
    let fourth = build(&catalog, &site, &out, cached()).unwrap();
    assert_eq!(fourth.written, 1);
    assert_eq!(std::fs::read(&image).unwrap(), clean_image);
    // Without the cache it is drawn, the same bytes again.
    std::fs::copy(out.join("og/go-vs-rust.png"), &image).unwrap();
    let fifth = build(&catalog, &site, &out, Options::default()).unwrap();
    assert_eq!((fifth.written, fifth.images_drawn), (1, 1));
    assert_eq!(std::fs::read(&image).unwrap(), clean_image);
}

#[test]
fn failed_build_leaves_the_previous_site_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let site = site(BASE);
    build(&bundled(), &site, &out, no_images()).unwrap();
    // The edited catalog needs a new search index file; a folder is in its way.
    let catalog = edited();
    let (index, _) = search_index(&site, &catalog);
    std::fs::create_dir_all(out.join(index.trim_start_matches('/')).join("in-the-way")).unwrap();
    let before = tree(&out);

    let err = build(&catalog, &site, &out, no_images()).unwrap_err();
    assert!(matches!(err, ExportError::InTheWay(_)), "{err:?}");
    let after = tree(&out);
    let differ: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(differ.is_empty(), "the failed build changed {differ:?}");
}

#[test]
fn unwritable_output_is_an_error_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "mine").unwrap();
    let catalog = bundled();

    let err = build(&catalog, &site(""), &file, Options::default()).unwrap_err();
    assert!(matches!(err, ExportError::NotADirectory(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("`{}` exists and is not a directory", file.display())
    );

    let err = build(&catalog, &site(""), &file.join("site"), Options::default()).unwrap_err();
    assert!(matches!(err, ExportError::Write { .. }), "{err:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["a-file"]);
}

/// Makes the build fail partway, the way a full disk would: once `after`
/// pages are done, it notes how many files are in the staging directory
/// and puts a file where each topic and comparison folder not yet made
/// would go, so the next such page cannot be written.
struct Sabotage {
    after: u64,
    done: AtomicU64,
    staging: std::path::PathBuf,
    folders: Vec<String>,
    fired: AtomicBool,
    files_by_then: AtomicU64,
}

impl Progress for Sabotage {
    fn start(&self, _pages: u64) {}

    fn advance(&self, pages: u64) {
        let done = self.done.fetch_add(pages, Ordering::SeqCst) + pages;
        if done < self.after || self.fired.swap(true, Ordering::SeqCst) {
            return;
        }
        let n = files(&tree(&self.staging)).len() as u64;
        self.files_by_then.store(n, Ordering::SeqCst);
        for rel in &self.folders {
            // Fails, harmlessly, for folders a page has made meanwhile.
            let _ = std::fs::write(self.staging.join(rel), "in the way");
        }
    }
}

#[test]
fn a_first_build_that_fails_partway_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public/site");
    let catalog = bundled();
    let sabotage = Sabotage {
        after: 500,
        done: AtomicU64::new(0),
        // The staging directory's name is documented in the README.
        staging: tmp.path().join(format!(
            "public/.site.verdict-staging-{}",
            std::process::id()
        )),
        folders: catalog
            .topics()
            .iter()
            .map(|t| format!("topics/{}", t.slug))
            .chain(
                exported_comparisons(&catalog)
                    .iter()
                    .map(|c| format!("compare/{}", c.join("-vs-"))),
            )
            .collect(),
        fired: AtomicBool::new(false),
        files_by_then: AtomicU64::new(0),
    };
    let options = Options {
        jobs: Some(4),
        progress: Some(&sabotage),
        no_og_images: true,
        ..Options::default()
    };
    let err = build(&catalog, &site(BASE), &out, options).unwrap_err();
    assert!(matches!(err, ExportError::Write { .. }), "{err:?}");
    // It failed partway, with files written.
    let written = sabotage.files_by_then.load(Ordering::SeqCst);
    assert!(written >= 500, "only {written} files written");
    // No site, no staging directory, not even the folder made to hold it.
    assert_eq!(tree(tmp.path()), BTreeMap::new());
}
