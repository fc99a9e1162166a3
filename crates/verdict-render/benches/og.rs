//! One comparison's Open Graph image: its SVG (layout and text fitting),
//! the PNG drawn from it, and both, as the server and a cold export make
//! it. Results: docs/BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

use verdict_core::decide::Preferences;
use verdict_render::{ComparisonView, Urls, og};

fn bench(c: &mut Criterion) {
    let catalog = verdict_content::load_embedded().catalog;
    let topics = [
        catalog.topic("django").unwrap(),
        catalog.topic("flask").unwrap(),
    ];
    let view = ComparisonView::build(&catalog, Urls::relative(), &topics, &Preferences::default())
        .unwrap();
    let image = og::comparison(&view);

    let mut g = c.benchmark_group("og");
    g.bench_function("svg", |b| {
        b.iter(|| black_box(og::comparison(black_box(&view))))
    });
    g.bench_function("png from svg", |b| {
        b.iter(|| black_box(black_box(&image).png()))
    });
    g.bench_function("svg+png", |b| {
        b.iter(|| black_box(og::comparison(black_box(&view)).png()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
