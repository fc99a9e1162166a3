//! One way to build the app and send it a request, so the tests read as
//! "this URL gives that answer" and survive handler refactors.

use std::sync::LazyLock;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

use verdict_core::Catalog;
use verdict_render::{SiteConfig, Urls};
use verdict_web::{AppState, Config};

/// The bundled catalog, loaded once per test binary.
static CATALOG: LazyLock<Catalog> = LazyLock::new(|| verdict_content::load_embedded().catalog);

/// The bundled catalog the app serves, to check pages against.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

/// The site as a deployment would configure it; `today` is fixed so pages
/// are byte-for-byte reproducible.
pub fn site() -> SiteConfig {
    SiteConfig {
        name: "verdict".into(),
        urls: Urls::new("https://verdict.test"),
        contact_email: Some("picks@example.org".into()),
        stale_after_months: 12,
        today: "2026-11-27".into(),
    }
}

/// A fresh application (own page cache and metrics) over the bundled catalog.
pub fn app() -> Router {
    let config = Config::default();
    verdict_web::router(AppState::new(CATALOG.clone(), site(), &config), &config)
}

/// A response with its body read and decoded as text.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: impl axum::http::header::AsHeaderName) -> &str {
        self.headers
            .get(name)
            .map_or("", |v| v.to_str().unwrap_or("<non-ASCII header value>"))
    }

    pub fn location(&self) -> &str {
        self.header(header::LOCATION)
    }

    pub fn content_type(&self) -> &str {
        self.header(header::CONTENT_TYPE)
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.bytes.clone()).expect("UTF-8 body")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.bytes)))
    }

    /// The text of the page's first `<h1>`, tags stripped.
    pub fn h1(&self) -> String {
        let html = self.text();
        let start = html
            .find("<h1")
            .unwrap_or_else(|| panic!("no <h1> in page:\n{html}"));
        let open_end = start + html[start..].find('>').expect("closed <h1") + 1;
        let close = open_end + html[open_end..].find("</h1>").expect("</h1>");
        strip_tags(&html[open_end..close]).trim().to_owned()
    }

    /// `<main …>…</main>` of the page.
    pub fn main(&self) -> String {
        let html = self.text();
        let start = html.find("<main").expect("page has <main>");
        let end = html.find("</main>").expect("page has </main>") + "</main>".len();
        html[start..end].to_owned()
    }
}

pub fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Sends one request through `app` without a listener.
pub async fn send(app: Router, req: Request<Body>) -> Resp {
    let res = app.oneshot(req).await.expect("the router is infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res
        .into_body()
        .collect()
        .await
        .expect("body reads")
        .to_bytes()
        .to_vec();
    Resp {
        status,
        headers,
        bytes,
    }
}

/// `GET uri` with extra headers.
pub async fn get_with(uri: &str, headers: &[(&str, &str)]) -> Resp {
    get_on(app(), uri, headers).await
}

/// `GET uri` on a given app (to share caches or metrics between requests).
pub async fn get_on(app: Router, uri: &str, headers: &[(&str, &str)]) -> Resp {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send(app, req.body(Body::empty()).expect("valid request")).await
}

/// `GET uri`.
pub async fn get(uri: &str) -> Resp {
    get_with(uri, &[]).await
}

/// Asserts a `200 text/html` page and returns it.
#[track_caller]
pub fn assert_page(res: &Resp, uri: &str) {
    assert_eq!(res.status, StatusCode::OK, "{uri}: {}", res.text());
    assert_eq!(res.content_type(), "text/html; charset=utf-8", "{uri}");
    assert!(res.text().starts_with("<!doctype html>"), "{uri}");
}

/// Asserts the JSON error envelope with `status` and `code`, and returns
/// its message.
#[track_caller]
pub fn assert_envelope(res: &Resp, status: StatusCode, code: &str) -> String {
    assert_eq!(
        res.status,
        status,
        "{}",
        String::from_utf8_lossy(&res.bytes)
    );
    assert_eq!(
        res.content_type(),
        "application/json",
        "{}",
        String::from_utf8_lossy(&res.bytes)
    );
    let v = res.json();
    assert_error_shape(&v);
    assert_eq!(v["error"]["status"], status.as_u16(), "{v}");
    assert_eq!(v["error"]["code"], code, "{v}");
    v["error"]["message"].as_str().expect("message").to_owned()
}

/// The OpenAPI `Error` schema: `{"error": {"status", "code", "message", "suggestions"?}}`.
#[track_caller]
pub fn assert_error_shape(v: &serde_json::Value) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("error body is an object: {v}"));
    assert_eq!(obj.keys().collect::<Vec<_>>(), ["error"], "{v}");
    let e = &v["error"];
    assert!(e["status"].is_u64(), "error.status is an integer: {v}");
    assert!(
        e["code"].as_str().is_some_and(|c| !c.is_empty()),
        "error.code: {v}"
    );
    assert!(
        e["message"].as_str().is_some_and(|m| !m.is_empty()),
        "error.message: {v}"
    );
    if let Some(s) = e.get("suggestions") {
        for s in s.as_array().expect("suggestions is an array") {
            for key in ["slug", "name", "url"] {
                assert!(s[key].is_string(), "suggestion.{key}: {v}");
            }
        }
    }
    for key in e.as_object().expect("error is an object").keys() {
        assert!(
            ["status", "code", "message", "suggestions"].contains(&key.as_str()),
            "undocumented error.{key}: {v}"
        );
    }
}
