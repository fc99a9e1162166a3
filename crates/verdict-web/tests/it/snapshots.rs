//! Reviewed output. Rendering reads no clock (`today` is fixed in
//! `support::site`), so nothing is redacted: any change here is a change a
//! reader would see.

use axum::http::StatusCode;

use crate::support::{assert_page, get};

async fn main_of(uri: &str) -> String {
    let res = get(uri).await;
    assert_page(&res, uri);
    res.main()
}

#[tokio::test]
async fn comparison_page() {
    insta::assert_snapshot!(main_of("/compare/product-management-vs-technical-leadership").await);
}

#[tokio::test]
async fn topic_page() {
    insta::assert_snapshot!(main_of("/topics/technical-leadership").await);
}

#[tokio::test]
async fn category_page() {
    insta::assert_snapshot!(main_of("/categories/career").await);
}

#[tokio::test]
async fn not_found_page() {
    let res = get("/compare/raect-vs-vue").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    insta::assert_snapshot!(res.main());
}

#[tokio::test]
async fn comparison_api() {
    let res = get("/api/v1/comparisons/technical-leadership-vs-product-management").await;
    assert_eq!(res.status, StatusCode::OK);
    insta::assert_json_snapshot!(res.json());
}

#[test]
fn openapi_document() {
    let doc: serde_json::Value =
        serde_json::from_str(&verdict_web::resources::openapi(crate::support::catalog())).unwrap();
    insta::assert_json_snapshot!(doc);
}
