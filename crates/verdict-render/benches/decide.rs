//! decide() and the verdict text for one pair, against rendering the whole
//! comparison page, in one run. Results: docs/BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

use verdict_core::decide::{Preferences, Weights, decide};
use verdict_core::text::compose;
use verdict_render::{ComparisonView, SiteConfig, html};

fn bench(c: &mut Criterion) {
    let catalog = verdict_content::load_embedded().catalog;
    let site = SiteConfig::default();
    let a = catalog.topic("technical-leadership").unwrap();
    let b = catalog.topic("product-management").unwrap();
    let topics = [a, b];
    let prefs = Preferences::default();
    let editorial = catalog.editorial(&["technical-leadership", "product-management"]);

    let mut g = c.benchmark_group("pair");
    g.bench_function("decide", |bench| {
        bench.iter(|| {
            let w = Weights::resolve(&catalog, black_box(&topics), &prefs).unwrap();
            black_box(decide(&catalog, &topics, &w, Some("technical-leadership")).unwrap())
        });
    });
    g.bench_function("decide+text", |bench| {
        bench.iter(|| {
            let w = Weights::resolve(&catalog, black_box(&topics), &prefs).unwrap();
            let d = decide(&catalog, &topics, &w, Some("technical-leadership")).unwrap();
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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
