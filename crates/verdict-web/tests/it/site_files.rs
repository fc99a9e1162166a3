//! Files for crawlers, feed readers and operators: sitemap, feed, robots,
//! health and metrics.

use axum::http::StatusCode;

use crate::support::{app, catalog, get, get_on};

/// The text of every `<tag>…</tag>` in `xml`, in order.
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    xml.match_indices(&open)
        .map(|(i, _)| {
            let start = i + open.len();
            &xml[start..start + xml[start..].find(&close).expect("element closes")]
        })
        .collect()
}

#[tokio::test]
async fn the_sitemap_lists_every_category_topic_and_published_comparison() {
    let res = get("/sitemap.xml").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.content_type(), "application/xml; charset=utf-8");
    let xml = res.text();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert!(xml.ends_with("</urlset>\n"));
    assert_eq!(xml.matches("<url>").count(), xml.matches("</url>").count());
    assert!(
        !xml.replace("&amp;", "").contains('&'),
        "ampersands are escaped"
    );

    let locs = elements(&xml, "loc");
    assert_eq!(
        locs.len(),
        xml.matches("<url>").count(),
        "one <loc> per <url>"
    );
    assert!(
        locs.iter().all(|l| l.starts_with("https://verdict.test/")),
        "absolute URLs on the configured base"
    );
    for want in [
        "https://verdict.test/",
        "https://verdict.test/compare/product-management-vs-technical-leadership",
        "https://verdict.test/compare/go-vs-rust",
        "https://verdict.test/topics/rust",
        "https://verdict.test/categories/languages",
    ] {
        assert!(locs.contains(&want), "{want} is listed");
    }
    let c = catalog();
    for t in c.topics() {
        assert!(
            locs.contains(&format!("https://verdict.test/topics/{}", t.slug).as_str()),
            "topic {}",
            t.slug
        );
    }
    for cat in c.categories() {
        assert!(
            locs.contains(&format!("https://verdict.test/categories/{}", cat.slug).as_str()),
            "category {}",
            cat.slug
        );
    }
    let mut unique = locs.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), locs.len(), "no URL is listed twice");
    for lastmod in elements(&xml, "lastmod") {
        assert!(
            lastmod.len() == 10 && lastmod.as_bytes()[4] == b'-',
            "W3C date: {lastmod}"
        );
    }

    // Crawlers must land on pages, not redirects or errors. Every kind of
    // URL is tried, and a spread of the comparisons (all of them take long
    // in a debug build).
    let app = app();
    let comparisons: Vec<&&str> = locs.iter().filter(|l| l.contains("/compare/")).collect();
    let others = locs.iter().filter(|l| !l.contains("/compare/")).step_by(11);
    for loc in others.chain(comparisons.into_iter().step_by(97)) {
        let path = loc.strip_prefix("https://verdict.test").unwrap();
        let res = get_on(app.clone(), path, &[]).await;
        assert_eq!(res.status, StatusCode::OK, "{loc}");
    }
}

#[tokio::test]
async fn the_feed_has_one_entry_per_editorial_comparison() {
    let res = get("/feed.xml").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.content_type(), "application/atom+xml; charset=utf-8");
    let xml = res.text();
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));
    assert!(xml.ends_with("</feed>\n"));
    assert!(xml.contains("<link rel=\"self\" href=\"https://verdict.test/feed.xml\"/>"));
    let entries = elements(&xml, "entry");
    // Editorials that conclude "different jobs" are served but not listed.
    assert_eq!(
        entries.len(),
        verdict_render::site::published_editorials(catalog()).count()
    );
    assert!(entries.len() < catalog().editorials().len());
    assert!(!entries.is_empty());
    let health = get("/healthz").await.json();
    assert_eq!(
        health["editorials"],
        catalog().editorials().len(),
        "the health check counts every editorial loaded"
    );

    let app = app();
    let mut updated = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let id = elements(entry, "id")[0];
        assert!(entry.contains(&format!("<link href=\"{id}\"/>")), "{entry}");
        let title = elements(entry, "title")[0];
        assert!(title.contains(" vs "), "{title}");
        // Every summary says the editors' verdict: a pick, or what stands
        // in for one.
        let summary = elements(entry, "summary")[0];
        assert!(
            [
                "Our pick: ",
                "Used together.",
                "Too close to call.",
                "Different jobs."
            ]
            .iter()
            .any(|p| summary.starts_with(p)),
            "{entry}"
        );
        updated.push(elements(entry, "updated")[0]);
        // Entries lead to their pages (a spread of them: every page is
        // compressed twice at its best settings, slow in a debug build).
        let path = id
            .strip_prefix("https://verdict.test/compare/")
            .expect("a comparison on our base URL");
        if i % 6 == 0 {
            assert_eq!(
                get_on(app.clone(), &format!("/compare/{path}"), &[])
                    .await
                    .status,
                StatusCode::OK,
                "{id}"
            );
        }
    }
    assert!(updated.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(
        xml.contains(&format!("<updated>{}</updated>", updated[0])),
        "the feed is as new as its newest entry"
    );
    assert!(
        xml.contains("https://verdict.test/compare/product-management-vs-technical-leadership")
    );
}

#[tokio::test]
async fn robots_points_crawlers_to_the_sitemap() {
    let res = get("/robots.txt").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.content_type(), "text/plain; charset=utf-8");
    let text = res.text();
    assert!(
        text.lines()
            .any(|l| l == "Sitemap: https://verdict.test/sitemap.xml"),
        "{text}"
    );
    assert!(text.lines().any(|l| l == "Disallow: /api/"), "{text}");
    assert!(text.starts_with("User-agent: *\n"));
}

#[tokio::test]
async fn the_health_check_reports_the_catalog() {
    let res = get("/healthz").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.content_type(), "application/json");
    let v = res.json();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["topics"], catalog().topics().len());
    assert!(v["topics"].as_u64().unwrap() > 100, "{v}");

    let live = get("/healthz/live").await;
    assert_eq!(live.status, StatusCode::OK);
    assert_eq!(live.text(), "ok\n");
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern() {
    let app = app();
    let before = get_on(app.clone(), "/metrics", &[]).await.text();
    assert!(
        !before.contains("route=\"/compare/{pair}\""),
        "a fresh app has counted nothing: {before}"
    );

    get_on(app.clone(), "/compare/go-vs-rust", &[]).await;
    get_on(
        app.clone(),
        "/compare/product-management-vs-technical-leadership",
        &[],
    )
    .await;
    get_on(app.clone(), "/compare/rust-vs-go", &[]).await;
    get_on(app.clone(), "/nope/definitely", &[]).await;

    let res = get_on(app.clone(), "/metrics", &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.content_type().starts_with("text/plain; version=0.0.4"));
    let text = res.text();
    let line = |prefix: &str| {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .map(str::to_owned)
    };
    assert_eq!(
        line("http_requests_total{route=\"/compare/{pair}\",status=\"200\"}").as_deref(),
        Some("http_requests_total{route=\"/compare/{pair}\",status=\"200\"} 2"),
        "{text}"
    );
    assert_eq!(
        line("http_requests_total{route=\"/compare/{pair}\",status=\"301\"}").as_deref(),
        Some("http_requests_total{route=\"/compare/{pair}\",status=\"301\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("http_request_duration_seconds_bucket{route=\"/compare/{pair}\""),
        "{text}"
    );
    assert!(
        !text.contains("go-vs-rust") && !text.contains("/nope/definitely"),
        "labels are route patterns, never raw paths: {text}"
    );
}
