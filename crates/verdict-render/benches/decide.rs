//! decide() and the verdict text for one pair, and the parts of a personal
//! page rendered per request, against rendering the whole comparison page,
//! in one run. Results: docs/BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

use verdict_core::decide::{Editors, Preferences, Weights, decide};
use verdict_core::text::compose;
use verdict_render::{ComparisonView, SiteConfig, html};

fn bench(c: &mut Criterion) {
    let catalog = verdict_content::load_embedded().catalog;
    let site = SiteConfig::default();
    let a = catalog.topic("django").unwrap();
    let b = catalog.topic("flask").unwrap();
    let topics = [a, b];
    let prefs = Preferences::default();
    let editorial = catalog.editorial(&["django", "flask"]);

    let mut g = c.benchmark_group("pair");
    g.bench_function("decide", |bench| {
        bench.iter(|| {
            let w = Weights::resolve(&catalog, black_box(&topics), &prefs).unwrap();
            black_box(decide(&catalog, &topics, &w, Editors::Bind).unwrap())
        });
    });
    g.bench_function("decide+text", |bench| {
        bench.iter(|| {
            let w = Weights::resolve(&catalog, black_box(&topics), &prefs).unwrap();
            let d = decide(&catalog, &topics, &w, Editors::Bind).unwrap();
            black_box(compose(&catalog, &d, editorial, false))
        });
    });
    g.bench_function("view+html page", |bench| {
        bench.iter(|| {
            let view =
                ComparisonView::build(&catalog, &site.urls, black_box(&topics), &prefs).unwrap();
            black_box(askama::Template::render(&html::comparison(&site, &catalog, &view)).unwrap())
        });
    });
    let mut personal = Preferences::default();
    personal.weights.insert("productivity".into(), 1.5);
    g.bench_function("view+personal parts", |bench| {
        // What the server renders per request for a personal pick; the rest
        // of the page is a frame compressed once.
        bench.iter(|| {
            let view =
                ComparisonView::build(&catalog, &site.urls, black_box(&topics), &personal).unwrap();
            let parts = html::personal_parts(&site, &catalog, &view);
            let mut out = String::with_capacity(8 * 1024);
            askama::Template::render_into(&parts.pick, &mut out).unwrap();
            askama::Template::render_into(&parts.form, &mut out).unwrap();
            askama::Template::render_into(&parts.foot, &mut out).unwrap();
            askama::Template::render_into(&parts.verdict, &mut out).unwrap();
            black_box((out, parts.weights_by_row))
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
