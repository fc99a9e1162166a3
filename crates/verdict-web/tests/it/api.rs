//! The JSON API as an integrator sees it: answers, the one error envelope
//! and CORS.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::support::{app, assert_envelope, get, get_with, send};

#[tokio::test]
async fn topics_filter_by_category_and_kind() {
    let res = get("/api/v1/topics?category=languages").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.content_type(), "application/json");
    let v = res.json();
    let topics = v["topics"].as_array().expect("topics");
    assert_eq!(v["count"], topics.len(), "count matches the list");
    assert!(topics.len() >= 10, "{}", topics.len());
    assert!(topics.iter().all(|t| t["category"] == "languages"), "{v}");
    assert!(topics.iter().any(|t| t["slug"] == "rust"
        && t["url"] == "https://verdict.test/topics/rust"
        && t["api_url"] == "/api/v1/topics/rust"));

    let categories = get("/api/v1/categories").await.json();
    let languages = categories["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "languages")
        .expect("languages");
    assert_eq!(
        languages["topics"], v["count"],
        "the category list and the filter agree"
    );

    let all = get("/api/v1/topics").await.json();
    let languages_by_kind = get("/api/v1/topics?category=languages&kind=language")
        .await
        .json();
    assert!(all["count"].as_u64() > v["count"].as_u64());
    assert!(
        languages_by_kind["topics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["kind"] == "language")
    );
}

#[tokio::test]
async fn unknown_filters_are_400_envelopes_that_list_the_choices() {
    let message = assert_envelope(
        &get("/api/v1/topics?kind=bogus").await,
        StatusCode::BAD_REQUEST,
        "unknown_kind",
    );
    assert!(
        message.contains("`bogus`") && message.contains("language, framework"),
        "{message}"
    );
    assert_envelope(
        &get("/api/v1/topics?category=nope").await,
        StatusCode::BAD_REQUEST,
        "unknown_category",
    );
}

#[tokio::test]
async fn a_topic_by_slug_or_alias() {
    let v = get("/api/v1/topics/rust").await.json();
    assert_eq!(v["topic"]["slug"], "rust");
    assert_eq!(v["topic"]["name"], "Rust");
    assert_eq!(v["url"], "https://verdict.test/topics/rust");
    let compared: Vec<&str> = v["compared_with"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert!(compared.contains(&"go"), "{compared:?}");

    assert_eq!(
        get("/api/v1/topics/golang").await.json()["topic"]["slug"],
        "go"
    );

    let res = get("/api/v1/topics/raust").await;
    assert_envelope(&res, StatusCode::NOT_FOUND, "unknown_topic");
    assert_eq!(
        res.json()["error"]["suggestions"][0]["slug"],
        "rust",
        "did you mean Rust"
    );
}

#[tokio::test]
async fn a_comparison_has_the_pick_the_scorecard_and_the_verdict() {
    let res = get("/api/v1/comparisons/django-vs-flask").await;
    assert_eq!(res.status, StatusCode::OK);
    let v = res.json();
    let d = &v["decision"];
    assert_eq!(d["pick"], "django");
    assert_eq!(d["topics"], serde_json::json!(["django", "flask"]));
    let rows = d["rows"].as_array().expect("rows");
    assert!(rows.len() >= 3, "{rows:?}");
    assert!(d["flip"].is_object(), "what would flip it: {d}");
    assert!(v["verdict"].is_object(), "{v}");
    assert_eq!(v["personal"], false);
    assert_eq!(v["url"], "https://verdict.test/compare/django-vs-flask");

    // Any order, no redirect: the same answer.
    let reversed = get("/api/v1/comparisons/flask-vs-django").await;
    assert_eq!(reversed.status, StatusCode::OK);
    assert_eq!(reversed.json(), v);

    let startup = get("/api/v1/comparisons/django-vs-flask?profile=startup")
        .await
        .json();
    assert_eq!(startup["personal"], true);
    assert_eq!(startup["preferences"]["profile"], "startup");
    assert_ne!(
        startup["decision"]["weights"], d["weights"],
        "the profile changes the weights"
    );
}

#[tokio::test]
async fn bad_queries_get_the_envelope_not_axum_text() {
    for (uri, status, code) in [
        (
            "/api/v1/comparisons/go-vs-rust?w.performance=%ZZ",
            StatusCode::BAD_REQUEST,
            "bad_weight",
        ),
        (
            "/api/v1/comparisons/go-vs-rust?w.performance=abc",
            StatusCode::BAD_REQUEST,
            "bad_weight",
        ),
        (
            "/api/v1/comparisons/go-vs-rust?w.nope=3",
            StatusCode::BAD_REQUEST,
            "unknown_criterion",
        ),
        (
            "/api/v1/comparisons/go-vs-rust?profile=nope",
            StatusCode::BAD_REQUEST,
            "unknown_profile",
        ),
        (
            "/api/v1/comparisons/go",
            StatusCode::NOT_FOUND,
            "bad_comparison",
        ),
        (
            "/api/v1/comparisons/go-vs-go",
            StatusCode::NOT_FOUND,
            "bad_comparison",
        ),
        (
            "/api/v1/comparisons/rust-vs-nosuchthing",
            StatusCode::NOT_FOUND,
            "unknown_topic",
        ),
        (
            "/api/v1/comparisons/%FF-vs-go",
            StatusCode::BAD_REQUEST,
            "bad_path",
        ),
        ("/api/v1/topics/%FF", StatusCode::BAD_REQUEST, "bad_path"),
        ("/api/v1/search", StatusCode::BAD_REQUEST, "missing_query"),
    ] {
        let message = assert_envelope(&get(uri).await, status, code);
        assert!(
            !message.ends_with('.'),
            "{uri}: messages are lowercase, no trailing period: {message}"
        );
    }
    // A blank query is a search that finds nothing, as the OpenAPI
    // document allows; only a missing `q` is an error.
    let blank = get("/api/v1/search?q=%20").await;
    assert_eq!(blank.status, StatusCode::OK);
    assert_eq!(
        blank.json(),
        serde_json::json!({ "query": "", "count": 0, "results": [], "did_you_mean": [] })
    );
    let message = assert_envelope(
        &get("/api/v1/comparisons/go-vs-rust?w.performance=abc").await,
        StatusCode::BAD_REQUEST,
        "bad_weight",
    );
    assert!(
        message.contains("`w.performance`") && message.contains("`abc`"),
        "{message}"
    );
}

#[tokio::test]
async fn search_finds_by_alias_with_the_best_match_first() {
    let v = get("/api/v1/search?q=postgres").await.json();
    assert_eq!(v["query"], "postgres");
    assert_eq!(v["results"][0]["slug"], "postgresql");
    assert_eq!(v["results"][0]["matched"], "exact");
    assert_eq!(v["count"], v["results"].as_array().unwrap().len());

    let v = get("/api/v1/search?q=kubernets").await.json();
    assert!(
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["slug"] == "kubernetes"),
        "typo-tolerant: {v}"
    );
}

#[tokio::test]
async fn any_origin_may_read_the_api() {
    let res = get_with(
        "/api/v1/topics/rust",
        &[("origin", "https://elsewhere.example")],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("access-control-allow-origin"), "*");

    let preflight = Request::builder()
        .method("OPTIONS")
        .uri("/api/v1/comparisons/go-vs-rust")
        .header("origin", "https://elsewhere.example")
        .header("access-control-request-method", "GET")
        .body(Body::empty())
        .unwrap();
    let res = send(app(), preflight).await;
    assert!(res.status.is_success(), "{}", res.status);
    assert_eq!(res.header("access-control-allow-origin"), "*");
    assert!(res.header("access-control-allow-methods").contains("GET"));
}

#[tokio::test]
async fn the_openapi_document_is_served() {
    let res = get("/api/v1/openapi.json").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.content_type(), "application/json");
    assert_eq!(res.json()["openapi"], "3.0.3");
}
