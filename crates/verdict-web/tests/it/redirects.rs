//! One URL per page: other spellings answer `301` to the canonical one, and
//! keep the reader's query string.

use axum::http::StatusCode;

use crate::support::{assert_page, get};

#[tokio::test]
async fn other_spellings_move_permanently_to_the_canonical_url() {
    for (uri, target) in [
        // Reversed order.
        (
            "/compare/technical-leadership-vs-product-management",
            "/compare/product-management-vs-technical-leadership",
        ),
        (
            "/compare/rust-vs-python-vs-go",
            "/compare/go-vs-python-vs-rust",
        ),
        // Aliases, as typed (space) and as a slug would be spelled.
        (
            "/compare/tech%20lead-vs-pm",
            "/compare/product-management-vs-technical-leadership",
        ),
        (
            "/compare/tech-lead-vs-product-manager",
            "/compare/product-management-vs-technical-leadership",
        ),
        ("/compare/golang-vs-rust", "/compare/go-vs-rust"),
        // Case.
        ("/compare/Go-vs-Rust", "/compare/go-vs-rust"),
        ("/compare/RUST-vs-go", "/compare/go-vs-rust"),
        ("/topics/golang", "/topics/go"),
        ("/topics/Rust", "/topics/rust"),
        ("/topics/postgres", "/topics/postgresql"),
        ("/categories/Languages", "/categories/languages"),
    ] {
        let res = get(uri).await;
        assert_eq!(res.status, StatusCode::MOVED_PERMANENTLY, "{uri}");
        assert_eq!(res.location(), target, "{uri}");
        // The target is the page itself, not another hop.
        assert_page(&get(target).await, target);
    }
}

#[tokio::test]
async fn redirects_keep_the_query_string() {
    for (uri, target) in [
        (
            "/compare/rust-vs-go?profile=beginner",
            "/compare/go-vs-rust?profile=beginner",
        ),
        (
            "/compare/golang-vs-rust?utm_source=feed&w.performance=5",
            "/compare/go-vs-rust?utm_source=feed&w.performance=5",
        ),
        (
            "/topics/golang?utm_source=feed",
            "/topics/go?utm_source=feed",
        ),
        (
            "/categories/Languages?utm_source=feed",
            "/categories/languages?utm_source=feed",
        ),
    ] {
        let res = get(uri).await;
        assert_eq!(res.status, StatusCode::MOVED_PERMANENTLY, "{uri}");
        assert_eq!(res.location(), target, "{uri}");
    }
}

#[tokio::test]
async fn redirects_carry_the_security_headers_and_no_body() {
    let res = get("/compare/rust-vs-go").await;
    assert_eq!(res.status, StatusCode::MOVED_PERMANENTLY);
    assert!(res.bytes.is_empty());
    assert_eq!(res.header("x-content-type-options"), "nosniff");
    assert_eq!(res.header("x-frame-options"), "DENY");
}

/// A trailing slash is another spelling of the path: pages, the API and
/// unknown paths alike move to the path without it, query kept, and a
/// form post keeps its method (308). Leading slashes never make the
/// target another host.
#[tokio::test]
async fn trailing_slashes_move_to_the_path_without_them() {
    for (uri, target) in [
        ("/topics/rust/", "/topics/rust"),
        (
            "/compare/go-vs-rust/?profile=beginner",
            "/compare/go-vs-rust?profile=beginner",
        ),
        ("/categories/languages//", "/categories/languages"),
        ("/api/v1/topics/rust/", "/api/v1/topics/rust"),
        ("/search/?q=rust", "/search?q=rust"),
        ("//evil.example/", "/evil.example"),
    ] {
        let res = get(uri).await;
        assert_eq!(res.status, StatusCode::MOVED_PERMANENTLY, "{uri}");
        assert_eq!(res.location(), target, "{uri}");
    }
    assert_page(&get("/topics/rust").await, "/topics/rust");
    // The home page is the one path that ends in a slash.
    assert_eq!(get("/").await.status, StatusCode::OK);
    let post = crate::support::send(
        crate::support::app(),
        axum::http::Request::post("/compare/go-vs-rust/votes/")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(post.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(post.location(), "/compare/go-vs-rust/votes");
}
