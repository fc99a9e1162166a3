//! What travels over HTTP: compression, validators, caching, security
//! headers and the content-hashed assets.

use std::io::Read as _;

use axum::http::StatusCode;

use crate::support::{Resp, app, get, get_on, get_with};

fn brotli_decode(bytes: &[u8]) -> String {
    let mut out = String::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_string(&mut out)
        .expect("valid brotli");
    out
}

fn gzip_decode(bytes: &[u8]) -> String {
    let mut out = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut out)
        .expect("valid gzip");
    out
}

#[tokio::test]
async fn pages_are_compressed_as_the_browser_asks() {
    // Cached pages, one-off pages (search) and API answers.
    for uri in [
        "/compare/product-management-vs-technical-leadership",
        "/search?q=postgre",
        "/api/v1/comparisons/go-vs-rust",
        "/sitemap.xml",
    ] {
        let plain = get(uri).await;
        assert_eq!(plain.status, StatusCode::OK, "{uri}");
        assert_eq!(
            plain.header("content-encoding"),
            "",
            "{uri}: identity without Accept-Encoding"
        );
        assert_eq!(plain.header("vary"), "accept-encoding", "{uri}");

        let br = get_with(uri, &[("accept-encoding", "br, gzip")]).await;
        assert_eq!(br.header("content-encoding"), "br", "{uri}");
        assert_eq!(
            br.header("content-length"),
            br.bytes.len().to_string(),
            "{uri}"
        );
        assert!(
            br.bytes.len() < plain.bytes.len() / 2,
            "{uri}: brotli saves most of the bytes"
        );
        assert_eq!(brotli_decode(&br.bytes), plain.text(), "{uri}");

        let gz = get_with(uri, &[("accept-encoding", "gzip, deflate")]).await;
        assert_eq!(gz.header("content-encoding"), "gzip", "{uri}");
        assert_eq!(gzip_decode(&gz.bytes), plain.text(), "{uri}");

        let refused = get_with(uri, &[("accept-encoding", "br;q=0, gzip")]).await;
        assert_eq!(
            refused.header("content-encoding"),
            "gzip",
            "{uri}: q=0 refuses brotli"
        );
    }
}

#[tokio::test]
async fn personal_pages_are_spliced_into_one_valid_gzip_stream() {
    // A personal page is kept compressed around its weights-dependent
    // parts; those parts are joined in as raw deflate blocks, which only
    // gzip can do, so clients that take both get gzip.
    for uri in [
        "/compare/go-vs-rust?profile=beginner",
        "/compare/go-vs-rust?w.performance=9.5",
        "/compare/python-vs-ruby-vs-rust?w.ecosystem=0",
    ] {
        let plain = get(uri).await;
        assert_eq!(plain.status, StatusCode::OK, "{uri}");
        assert_eq!(plain.header("content-encoding"), "", "{uri}");
        let gz = get_with(uri, &[("accept-encoding", "gzip, deflate, br, zstd")]).await;
        assert_eq!(gz.header("content-encoding"), "gzip", "{uri}");
        assert_eq!(gz.header("vary"), "accept-encoding", "{uri}");
        assert_eq!(
            gz.header("content-length"),
            gz.bytes.len().to_string(),
            "{uri}"
        );
        assert_eq!(gzip_decode(&gz.bytes), plain.text(), "{uri}");
        assert!(
            gz.bytes.len() * 10 < plain.bytes.len() * 6,
            "{uri}: {} bytes gzipped of {}",
            gz.bytes.len(),
            plain.bytes.len()
        );
    }
}

#[tokio::test]
async fn a_revalidated_page_is_304_with_no_body() {
    let app = app();
    for uri in [
        "/compare/go-vs-rust",
        "/compare/go-vs-rust?profile=beginner",
        "/api/v1/topics/rust",
        "/robots.txt",
    ] {
        let first = get_on(app.clone(), uri, &[]).await;
        let etag = first.header("etag").to_owned();
        assert!(
            etag.len() > 2 && etag.starts_with('"') && etag.ends_with('"'),
            "{uri}: strong, quoted ETag: {etag:?}"
        );

        let again = get_on(app.clone(), uri, &[("if-none-match", &etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(again.bytes.is_empty(), "{uri}");
        assert_eq!(again.header("etag"), etag, "{uri}");
        assert_eq!(
            again.header("cache-control"),
            first.header("cache-control"),
            "{uri}"
        );

        let weak = get_on(
            app.clone(),
            uri,
            &[("if-none-match", &format!("\"other\", W/{etag}"))],
        )
        .await;
        assert_eq!(
            weak.status,
            StatusCode::NOT_MODIFIED,
            "{uri}: weak comparison and lists"
        );

        let changed = get_on(
            app.clone(),
            uri,
            &[("if-none-match", "\"0000000000000000\"")],
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{uri}");
        assert_eq!(changed.bytes, first.bytes, "{uri}");
    }
}

#[tokio::test]
async fn the_same_page_has_the_same_bytes_and_validator_every_time() {
    let a = get("/compare/go-vs-python-vs-rust").await;
    let b = get("/compare/go-vs-python-vs-rust").await;
    assert_eq!(a.bytes, b.bytes, "rendering is deterministic");
    assert_eq!(a.header("etag"), b.header("etag"));
}

#[tokio::test]
async fn caching_rules_fit_each_kind_of_response() {
    for (uri, cache) in [
        ("/", "public, max-age=300"),
        ("/compare/go-vs-rust", "public, max-age=300"),
        ("/api/v1/topics/rust", "public, max-age=300"),
        ("/search?q=postgre", "public, max-age=60"),
        ("/healthz", "no-store"),
        ("/metrics", "no-store"),
        ("/nope/definitely", "no-store"),
        ("/compare/go-vs-rust?profile=nope", "no-store"),
    ] {
        assert_eq!(get(uri).await.header("cache-control"), cache, "{uri}");
    }
}

#[track_caller]
fn assert_security_headers(res: &Resp, what: &str) {
    let csp = res.header("content-security-policy");
    assert!(csp.contains("script-src 'self'"), "{what}: {csp:?}");
    assert!(csp.contains("default-src 'none'"), "{what}: {csp:?}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp:?}");
    assert_eq!(res.header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(
        res.header("referrer-policy"),
        "strict-origin-when-cross-origin",
        "{what}"
    );
    assert_eq!(res.header("x-frame-options"), "DENY", "{what}");
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    for uri in [
        "/",
        "/compare/go-vs-rust",
        "/compare/go-vs-rust?profile=beginner",
        "/api/v1/comparisons/go-vs-rust",
        "/api/v1/openapi.json",
        "/api/v1/nope",
        "/api/v1/topics?kind=bogus",
        "/nope/definitely",
        "/compare/go-vs-rust?w.performance=abc",
        "/topics/%FF",
        "/sitemap.xml",
        "/healthz",
    ] {
        assert_security_headers(&get(uri).await, uri);
    }
    let page = get("/").await;
    let css = asset_paths(&page.text())
        .into_iter()
        .next()
        .expect("a stylesheet");
    assert_security_headers(&get(&css).await, &css);
    let etag = page.header("etag").to_owned();
    assert_security_headers(&get_with("/", &[("if-none-match", &etag)]).await, "304");
}

/// Site paths of the stylesheets and scripts a page loads.
fn asset_paths(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, attr) in [
        ("<link rel=\"stylesheet\"", " href=\""),
        ("<script src", " src=\""),
    ] {
        for (i, _) in html.match_indices(open) {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            let start = tag.find(attr).unwrap() + attr.len();
            let url = &tag[start..start + tag[start..].find('"').unwrap()];
            out.push(
                url.strip_prefix("https://verdict.test")
                    .unwrap_or(url)
                    .to_owned(),
            );
        }
    }
    out
}

#[tokio::test]
async fn assets_a_page_loads_are_served_and_cached_forever() {
    let page = get("/compare/go-vs-rust").await;
    let assets = asset_paths(&page.text());
    assert_eq!(
        assets.len(),
        2,
        "the stylesheet and the page script: {assets:?}"
    );
    for path in &assets {
        assert!(path.starts_with("/assets/"), "{path}");
        let res = get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert_eq!(
            res.header("cache-control"),
            "public, max-age=31536000, immutable",
            "{path}"
        );
        let kind = if path.ends_with(".css") {
            "text/css"
        } else {
            "text/javascript"
        };
        assert!(
            res.content_type().starts_with(kind),
            "{path}: {}",
            res.content_type()
        );
        assert!(res.bytes.len() > 100, "{path}");
        let br = get_with(path, &[("accept-encoding", "br")]).await;
        assert_eq!(brotli_decode(&br.bytes), res.text(), "{path}");
    }
    // A name the build never produced (an old hash) is a 404, not stale content.
    let res = get("/assets/site.00000000.css").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}
