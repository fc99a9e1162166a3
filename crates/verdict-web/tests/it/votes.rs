//! Votes through the whole router (`oneshot`, no listener), on a real
//! SQLite file: what readers, scripts and moderators see, and that bad
//! input leaves the database as it was.

use std::io::Read as _;
use std::sync::{Arc, LazyLock};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

use verdict_core::Catalog;
use verdict_render::{SiteConfig, Urls};
use verdict_store::{Choice, ListFilter, NewVote, Open, Settings, VoteStore};

use verdict_web::{AppState, Config, VoteSettings};

use std::net::SocketAddr;

use axum::extract::ConnectInfo;

/// A documentation-range address standing for reader `who`.
fn address(who: &str) -> SocketAddr {
    let h = who
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    SocketAddr::from(([198, 51, (h >> 8) as u8 % 100, h as u8], 40_000))
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| verdict_content::load_embedded().catalog);

const PAIR: &str = "go-vs-rust";
const ADMIN: &str = "test-admin-token-0123456789";
const UA: &str = "Mozilla/5.0 (votes test)";

struct App {
    router: Router,
    store: Arc<dyn VoteStore>,
    _dir: tempfile::TempDir,
}

async fn app_with(settings: VoteSettings) -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = verdict_store::open(
        &Settings::Sqlite {
            path: dir.path().join("votes.db"),
        },
        Open::CreateIfMissing,
    )
    .await
    .unwrap();
    app_on(store, settings, dir)
}

/// A server on `store` (which other servers may share).
fn app_on(store: Arc<dyn VoteStore>, settings: VoteSettings, dir: tempfile::TempDir) -> App {
    let config = Config::default();
    let site = SiteConfig {
        urls: Urls::new("https://verdict.test"),
        today: "2026-11-27".into(),
        ..SiteConfig::default()
    };
    let state =
        AppState::new(CATALOG.clone(), site, &config).with_votes(store.clone(), settings, &config);
    App {
        router: verdict_web::router(state, &config),
        store,
        _dir: dir,
    }
}

async fn app() -> App {
    app_with(VoteSettings {
        rate_per_minute: 0,
        admin_token: Some(ADMIN.into()),
        ..VoteSettings::default()
    })
    .await
}

#[derive(Debug)]
struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
    /// Bytes on the wire, before decoding.
    wire_len: usize,
}

impl Resp {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers.get(name).map_or("", |v| v.to_str().unwrap())
    }
}

impl App {
    async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let wire_len = bytes.len();
        let body = if headers
            .get(header::CONTENT_ENCODING)
            .is_some_and(|v| v == "gzip")
        {
            let mut s = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut s)
                .unwrap();
            s
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        Resp {
            status,
            headers,
            body,
            wire_len,
        }
    }

    async fn get(&self, uri: &str) -> Resp {
        self.send(
            Request::get(uri)
                .header(header::USER_AGENT, UA)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A JSON vote from the reader at address `who` (the same `who`, the
    /// same address), with that reader's token, as the page script sends it.
    async fn post_json(&self, pair: &str, body: &str, who: &str) -> Resp {
        self.post_json_from(pair, body, address(who)).await
    }

    async fn post_json_from(&self, pair: &str, body: &str, from: SocketAddr) -> Resp {
        let token = self.api_token(pair, from).await;
        let mut vote: serde_json::Value = serde_json::from_str(body).unwrap();
        vote["token"] = token.into();
        let req = Request::post(format!("/api/v1/comparisons/{pair}/votes"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::USER_AGENT, UA)
            .extension(ConnectInfo(from))
            .body(Body::from(vote.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// The vote token the JSON API gives the reader at `from`.
    async fn api_token(&self, pair: &str, from: SocketAddr) -> String {
        let req = Request::get(format!("/api/v1/comparisons/{pair}/votes"))
            .extension(ConnectInfo(from))
            .body(Body::empty())
            .unwrap();
        let r = self.send(req).await;
        r.json()["token"].as_str().expect("a token").to_owned()
    }

    async fn post_form(&self, pair: &str, body: impl Into<Body>) -> Resp {
        let req = Request::post(format!("/compare/{pair}/votes"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::USER_AGENT, UA)
            .header(header::ORIGIN, "https://verdict.test")
            .body(body.into())
            .unwrap();
        self.send(req).await
    }

    /// The form token on the comparison page, as this reader sees it.
    async fn token(&self) -> String {
        let page = self.get(&format!("/compare/{PAIR}")).await;
        let at = page
            .body
            .find("name=\"csrf\" value=\"")
            .expect("the page has the form")
            + 19;
        page.body[at..at + 32].to_owned()
    }

    async fn stored(&self) -> (usize, u64) {
        let votes = self
            .store
            .list(&ListFilter {
                limit: 10_000,
                ..ListFilter::default()
            })
            .await
            .unwrap();
        let total: u64 = self
            .store
            .tallies()
            .await
            .unwrap()
            .iter()
            .map(|(_, t)| t.total())
            .sum();
        (votes.len(), total)
    }
}

fn form(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

#[tokio::test]
async fn a_json_vote_is_counted_and_shows_in_the_comparison_json() {
    let app = app().await;
    let r = app
        .post_json(
            PAIR,
            r#"{"choice":"disagree","reason":"Go ships faster","would_pick":"go"}"#,
            UA,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v = r.json();
    assert_eq!(v["comparison"], PAIR);
    assert_eq!(v["tally"]["disagree"], 1);
    assert_eq!(
        v["tally"]["summary"],
        "0 % of 1 reader agrees with our pick."
    );

    let c = app.get(&format!("/api/v1/comparisons/{PAIR}")).await.json();
    assert_eq!(c["votes"]["total"], 1);
    assert_eq!(c["votes"]["picks"][0]["topic"], "go");
    assert_eq!(c["votes"]["contested"], false);

    let listed = app
        .get(&format!("/api/v1/comparisons/{PAIR}/votes"))
        .await
        .json();
    assert_eq!(listed["reasons"][0]["reason"], "Go ships faster");
    assert_eq!(listed["reasons"][0]["choice"], "disagree");

    // Any order and aliases name the same comparison.
    let r = app
        .post_json("rust-vs-go", r#"{"choice":"agree"}"#, "another reader")
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["tally"]["total"], 2);
    assert_eq!(app.stored().await, (2, 2));
}

/// What the case is, the pair, the body, its content type, and the answer.
type ApiCase = (
    &'static str,
    &'static str,
    Vec<u8>,
    &'static str,
    StatusCode,
    &'static str,
);

#[tokio::test]
async fn bad_input_gets_a_specific_error_and_stores_nothing() {
    let app = app().await;
    let token = app.token().await;
    let long_reason = "x".repeat(1001);
    let huge = format!(r#"{{"choice":"agree","reason":"{}"}}"#, "y".repeat(20_000));
    let api_cases: Vec<ApiCase> = vec![
        (
            "oversized body",
            PAIR,
            huge.into_bytes(),
            "application/json",
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            "invalid UTF-8",
            PAIR,
            b"{\"choice\":\"agree\",\"reason\":\"\xff\xfe\"}".to_vec(),
            "application/json",
            StatusCode::BAD_REQUEST,
            "invalid_utf8",
        ),
        (
            "unknown comparison",
            "go-vs-nosuchtopic",
            br#"{"choice":"agree"}"#.to_vec(),
            "application/json",
            StatusCode::NOT_FOUND,
            "unknown_topic",
        ),
        (
            "a topic against itself",
            "go-vs-go",
            br#"{"choice":"agree"}"#.to_vec(),
            "application/json",
            StatusCode::NOT_FOUND,
            "bad_comparison",
        ),
        (
            "bad choice value",
            PAIR,
            br#"{"choice":"maybe"}"#.to_vec(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_choice",
        ),
        (
            "missing choice",
            PAIR,
            br#"{"reason":"hm"}"#.to_vec(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_choice",
        ),
        (
            "malformed JSON",
            PAIR,
            br#"{"choice": agree"#.to_vec(),
            "application/json",
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "wrong field type",
            PAIR,
            br#"{"choice":1}"#.to_vec(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_field",
        ),
        (
            "unknown field",
            PAIR,
            br#"{"choice":"agree","admin":true}"#.to_vec(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_field",
        ),
        (
            "reason too long",
            PAIR,
            format!(r#"{{"choice":"agree","reason":"{long_reason}"}}"#).into_bytes(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "reason_too_long",
        ),
        (
            "control characters",
            PAIR,
            br#"{"choice":"agree","reason":"a\u0000b"}"#.to_vec(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_reason",
        ),
        (
            "pick outside the comparison",
            PAIR,
            br#"{"choice":"agree","would_pick":"python"}"#.to_vec(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_pick",
        ),
        (
            "an array, not an object",
            PAIR,
            br#"[{"choice":"agree"}]"#.to_vec(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_an_object",
        ),
        (
            "no token",
            PAIR,
            br#"{"choice":"agree","token":""}"#.to_vec(),
            "application/json",
            StatusCode::FORBIDDEN,
            "token_missing",
        ),
        (
            "another reader's token",
            PAIR,
            br#"{"choice":"agree","token":"00112233445566778899aabbccddeeff"}"#.to_vec(),
            "application/json",
            StatusCode::FORBIDDEN,
            "token_invalid",
        ),
        (
            "not JSON at all",
            PAIR,
            b"choice=agree".to_vec(),
            "text/plain",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
    ];
    for (what, pair, body, ct, status, code) in api_cases {
        // Every case carries the reader's token unless it is about tokens.
        let body = match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(serde_json::Value::Object(mut m)) if !m.contains_key("token") => {
                m.insert("token".into(), token.clone().into());
                serde_json::to_vec(&m).unwrap()
            }
            _ => body,
        };
        let req = Request::post(format!("/api/v1/comparisons/{pair}/votes"))
            .header(header::CONTENT_TYPE, ct)
            .header(header::USER_AGENT, UA)
            .body(Body::from(body))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (status, code),
            "{what}: {}",
            r.body
        );
    }

    // The form, as a browser sends it: errors are HTML pages.
    let form_cases: Vec<(&str, String, StatusCode)> = vec![
        (
            "missing CSRF token",
            form(&[("choice", "agree")]),
            StatusCode::FORBIDDEN,
        ),
        (
            "forged CSRF token",
            form(&[
                ("csrf", "00112233445566778899aabbccddeeff"),
                ("choice", "agree"),
            ]),
            StatusCode::FORBIDDEN,
        ),
        (
            "bad choice value",
            form(&[("csrf", &token), ("choice", "sort-of")]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "pick outside the comparison",
            form(&[
                ("csrf", &token),
                ("choice", "agree"),
                ("would_pick", "java"),
            ]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "percent-encoded invalid UTF-8",
            format!("csrf={token}&choice=agree&reason=%FF%FE"),
            StatusCode::BAD_REQUEST,
        ),
        (
            "oversized form",
            form(&[
                ("csrf", &token),
                ("choice", "agree"),
                ("reason", &"z".repeat(20_000)),
            ]),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ];
    for (what, body, status) in form_cases {
        let r = app.post_form(PAIR, body).await;
        assert_eq!(r.status, status, "{what}: {}", r.body);
        assert!(
            r.header(header::CONTENT_TYPE).starts_with("text/html"),
            "{what}: browsers get a page"
        );
        assert!(r.body.contains("<h1"), "{what}");
    }
    let unknown = app
        .post_form(
            "go-vs-nosuchtopic",
            form(&[("csrf", &token), ("choice", "agree")]),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // Another site's page posting the form.
    let req = Request::post(format!("/compare/{PAIR}/votes"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::USER_AGENT, UA)
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(form(&[("csrf", &token), ("choice", "agree")])))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);

    // The honeypot: looks like success, stores nothing.
    let bot = app
        .post_form(
            PAIR,
            form(&[
                ("csrf", &token),
                ("choice", "agree"),
                ("website", "http://spam.example"),
            ]),
        )
        .await;
    assert_eq!(bot.status, StatusCode::SEE_OTHER);

    assert_eq!(app.stored().await, (0, 0), "the database is unchanged");
}

#[tokio::test]
async fn the_form_works_without_javascript() {
    let app = app().await;
    let page = app.get(&format!("/compare/{PAIR}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Do you agree with our pick?"));
    assert!(page.body.contains("No reader has voted yet."));
    assert_eq!(page.header(header::CACHE_CONTROL), "private, no-cache");
    let token = app.token().await;

    let r = app
        .post_form(
            PAIR,
            form(&[
                ("csrf", &token),
                ("choice", "agree"),
                ("would_pick", "rust"),
                ("reason", "Memory safety, no GC"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let back = r.header(header::LOCATION).to_owned();
    assert_eq!(back, format!("/compare/{PAIR}?voted=1#votes"));

    let after = app.get(back.split('#').next().unwrap()).await;
    assert_eq!(
        after.status,
        StatusCode::OK,
        "the thank-you URL is not redirected away"
    );
    assert!(
        after
            .body
            .contains("role=\"status\">Thank you: your vote is counted."),
        "{}",
        after.body
    );
    assert!(
        after
            .body
            .contains("100 % of 1 reader agrees with our pick.")
    );
    assert!(after.body.contains("Memory safety, no GC"));
    assert!(after.body.contains("Readers would pick: Rust 100 %."));

    // Once per reader per comparison per day.
    let again = app
        .post_form(PAIR, form(&[("csrf", &token), ("choice", "disagree")]))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(app.stored().await, (1, 1));
}

#[tokio::test]
async fn reasons_come_back_escaped_on_the_page_and_in_the_api() {
    let app = app().await;
    let evil = r#"<script>alert("pwned")</script> it's "fine" & <b>bold</b>"#;
    let body = serde_json::json!({ "choice": "disagree", "reason": evil }).to_string();
    let r = app.post_json(PAIR, &body, UA).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let page = app.get(&format!("/compare/{PAIR}")).await;
    assert!(
        !page.body.contains("<script>alert"),
        "no live script on the page"
    );
    assert!(!page.body.contains("<b>bold</b>"));
    assert!(
        page.body.contains("&#60;script&#62;alert(&#34;pwned&#34;)&#60;/script&#62; it&#39;s &#34;fine&#34; &#38; &#60;b&#62;bold&#60;/b&#62;"),
        "escaped text on the page: {}",
        &page.body[page.body.find("class=\"why\"").unwrap_or(0)..][..300]
    );

    let api = app.get(&format!("/api/v1/comparisons/{PAIR}/votes")).await;
    assert!(
        !api.body.contains("<script>"),
        "the JSON has no raw markup: {}",
        api.body
    );
    assert!(
        api.body.contains(r#"\u003cscript\u003ealert(\"pwned\")"#),
        "{}",
        api.body
    );
    assert_eq!(
        api.json()["reasons"][0]["reason"],
        evil,
        "stored and returned exactly as written"
    );
    assert_eq!(
        app.store.list(&ListFilter::default()).await.unwrap()[0]
            .reason
            .as_deref(),
        Some(evil)
    );
}

#[tokio::test]
async fn moderators_hide_reasons_everywhere_public() {
    let app = app().await;
    let r = app
        .post_json(
            PAIR,
            r#"{"choice":"disagree","reason":"visit spam.example for cheap pills"}"#,
            UA,
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap();
    assert!(
        app.get(&format!("/compare/{PAIR}"))
            .await
            .body
            .contains("cheap pills")
    );

    let hide = |token: Option<&str>, id: String| {
        let mut req = Request::post(format!("/api/v1/admin/votes/{id}/hide"));
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        req.body(Body::empty()).unwrap()
    };
    let anon = app.send(hide(None, id.to_string())).await;
    assert_eq!(
        (anon.status, anon.code().as_str()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    assert!(anon.header(header::WWW_AUTHENTICATE).starts_with("Bearer"));
    assert_eq!(
        app.send(hide(Some("wrong-token-wrong-token-xx"), id.to_string()))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let ok = app.send(hide(Some(ADMIN), id.to_string())).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let missing = app.send(hide(Some(ADMIN), "999999".into())).await;
    assert_eq!(
        (missing.status, missing.code().as_str()),
        (StatusCode::NOT_FOUND, "unknown_vote")
    );

    assert!(
        !app.get(&format!("/compare/{PAIR}"))
            .await
            .body
            .contains("cheap pills"),
        "gone from the page"
    );
    assert!(
        !app.get(&format!("/api/v1/comparisons/{PAIR}/votes"))
            .await
            .body
            .contains("cheap pills"),
        "gone from the API"
    );
    assert!(
        !app.get(&format!("/api/v1/comparisons/{PAIR}"))
            .await
            .body
            .contains("cheap pills")
    );
    // Still counted, and moderators still see it.
    assert_eq!(
        app.get(&format!("/api/v1/comparisons/{PAIR}")).await.json()["votes"]["disagree"],
        1
    );
    let list = app
        .send(
            Request::get("/api/v1/admin/votes?comparison=rust-vs-go")
                .header(header::AUTHORIZATION, format!("Bearer {ADMIN}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(list.json()["votes"][0]["hidden"], true, "{}", list.body);
    let csv = app
        .send(
            Request::get("/api/v1/admin/votes/export?format=csv")
                .header(header::AUTHORIZATION, format!("Bearer {ADMIN}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(csv.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
    assert!(csv.body.starts_with("id,comparison,choice"));
    assert!(
        csv.body
            .contains(",go-vs-rust,disagree,,visit spam.example for cheap pills,"),
        "{}",
        csv.body
    );
}

#[tokio::test]
async fn the_admin_api_is_off_without_a_token() {
    let app = app_with(VoteSettings {
        rate_per_minute: 0,
        ..VoteSettings::default()
    })
    .await;
    let r = app
        .send(
            Request::get("/api/v1/admin/votes")
                .header(header::AUTHORIZATION, "Bearer anything")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::UNAUTHORIZED, "admin_off")
    );
}

#[tokio::test]
async fn one_address_is_rate_limited() {
    let app = app_with(VoteSettings {
        rate_per_minute: 3,
        ..VoteSettings::default()
    })
    .await;
    // One address, four comparisons: the limit is per address.
    for pair in ["go-vs-rust", "python-vs-rust", "go-vs-python"] {
        let r = app
            .post_json(pair, r#"{"choice":"agree"}"#, "one reader")
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let r = app
        .post_json("java-vs-kotlin", r#"{"choice":"agree"}"#, "one reader")
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    assert!(r.header(header::RETRY_AFTER).parse::<u64>().unwrap() >= 1);
    assert_eq!(app.stored().await, (3, 3));
}

#[tokio::test]
async fn the_spliced_page_is_the_same_in_gzip_and_follows_the_tally() {
    let app = app().await;
    let plain = app.get(&format!("/compare/{PAIR}")).await;
    let gz_request = || {
        Request::get(format!("/compare/{PAIR}"))
            .header(header::USER_AGENT, UA)
            .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
            .body(Body::empty())
            .unwrap()
    };
    // The page is compressed once it is asked for again, off the request
    // path; until then it goes out as it is.
    let mut gz = app.send(gz_request()).await;
    for _ in 0..200 {
        if gz.headers.contains_key(header::CONTENT_ENCODING) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        gz = app.send(gz_request()).await;
    }
    assert_eq!(gz.header(header::CONTENT_ENCODING), "gzip");
    assert_eq!(
        gz.body, plain.body,
        "the gzip body decodes to the identity body"
    );
    assert!(plain.body.contains("<section class=\"votes\""));
    assert_eq!(plain.body.matches("id=\"votes\"").count(), 1);
    // A personal page has the block too.
    let personal_uri = format!("/compare/{PAIR}?profile=startup");
    let personal = app.get(&personal_uri).await;
    assert!(
        personal.body.contains("Do you agree with our pick?"),
        "{}",
        personal.status
    );
    assert_eq!(personal.body.matches("id=\"votes\"").count(), 1);
    let personal_gz = app
        .send(
            Request::get(&personal_uri)
                .header(header::USER_AGENT, UA)
                .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(personal_gz.header(header::CONTENT_ENCODING), "gzip");
    assert_eq!(personal_gz.body, personal.body);

    app.post_json(PAIR, r#"{"choice":"agree"}"#, "someone else")
        .await;
    for uri in [format!("/compare/{PAIR}"), personal_uri] {
        let after = app.get(&uri).await;
        assert!(
            after.body.contains("100 % of 1 reader agrees"),
            "{uri}: a vote through this server shows at once"
        );
    }
}

#[tokio::test]
async fn contested_comparisons_are_listed_on_the_home_page() {
    let app = app().await;
    let home = app.get("/").await;
    assert!(
        !home.body.contains("Most contested picks"),
        "nothing is contested yet"
    );
    for i in 0..30 {
        let choice = if i < 25 {
            Choice::Disagree
        } else {
            Choice::Agree
        };
        let vote = NewVote {
            comparison: PAIR.into(),
            choice,
            would_pick: None,
            reason: None,
            reader: None,
            at: jiff::Timestamp::now(),
        };
        app.store.record(vote).await.unwrap();
    }
    // The list is re-read every 30 s; a second server reads it at once.
    let config = Config::default();
    let state = AppState::new(CATALOG.clone(), SiteConfig::default(), &config).with_votes(
        app.store.clone(),
        VoteSettings::default(),
        &config,
    );
    let other = App {
        router: verdict_web::router(state, &config),
        store: app.store.clone(),
        _dir: tempfile::tempdir().unwrap(),
    };
    let home = other.get("/").await;
    assert!(home.body.contains("Most contested picks"), "{}", home.body);
    assert!(home.body.contains(
        ">Go vs Rust</a> <span class=\"detail\">83 % of 30 readers disagree with our pick</span>"
    ));

    let page = app.get(&format!("/compare/{PAIR}")).await;
    assert!(page.body.contains("<section class=\"votes is-contested\""));
    assert!(
        page.body
            .contains("17 % of 30 readers agree with our pick.")
    );
}

#[tokio::test]
async fn votes_are_off_unless_turned_on() {
    let config = Config::default();
    let router = verdict_web::router(
        AppState::new(CATALOG.clone(), SiteConfig::default(), &config),
        &config,
    );
    let page = router
        .clone()
        .oneshot(
            Request::get(format!("/compare/{PAIR}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let bytes = page.into_body().collect().await.unwrap().to_bytes();
    let html = String::from_utf8_lossy(&bytes);
    assert!(!html.contains("id=\"votes\""));
    assert!(
        !html.contains("<!--verdict:votes-->"),
        "the votes marker leaked"
    );
    let post = router
        .oneshot(
            Request::post(format!("/api/v1/comparisons/{PAIR}/votes"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"choice":"agree"}"#))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(post.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn health_reports_the_vote_store() {
    let app = app().await;
    assert_eq!(app.get("/healthz").await.json()["votes"], "ok");
}

#[tokio::test]
async fn a_new_user_agent_is_not_a_new_reader() {
    let app = app().await;
    let from = address("one address");
    let first = app
        .post_json_from(PAIR, r#"{"choice":"disagree"}"#, from)
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    // Twenty User-Agents from one address are still one reader.
    for i in 0..20 {
        let token = app.api_token(PAIR, from).await;
        let req = Request::post(format!("/api/v1/comparisons/{PAIR}/votes"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::USER_AGENT, format!("rotating agent {i}"))
            .extension(ConnectInfo(from))
            .body(Body::from(
                serde_json::json!({"choice": "disagree", "token": token}).to_string(),
            ))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::CONFLICT, "already_voted"),
            "{}",
            r.body
        );
    }
    assert_eq!(app.stored().await, (1, 1));
    // Nor can another address use this one's token.
    let stolen = app.api_token(PAIR, from).await;
    let req = Request::post(format!("/api/v1/comparisons/{PAIR}/votes"))
        .header(header::CONTENT_TYPE, "application/json")
        .extension(ConnectInfo(address("somewhere else")))
        .body(Body::from(
            serde_json::json!({"choice": "disagree", "token": stolen}).to_string(),
        ))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.code(), "token_invalid", "{}", r.body);
}

#[tokio::test]
async fn the_forms_429_page_says_when_to_retry() {
    let app = app_with(VoteSettings {
        rate_per_minute: 1,
        ..VoteSettings::default()
    })
    .await;
    let token = app.token().await;
    let ok = app
        .post_form(PAIR, form(&[("csrf", &token), ("choice", "agree")]))
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let limited = app
        .post_form(PAIR, form(&[("csrf", &token), ("choice", "agree")]))
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        limited
            .header(header::CONTENT_TYPE)
            .starts_with("text/html")
    );
    assert!(
        limited.header(header::RETRY_AFTER).parse::<u64>().unwrap() >= 1,
        "{:?}",
        limited.headers
    );
}

/// A comparison page nobody asked for yet goes out without compressing its
/// own parts; asked for again, it is compressed off the request path and
/// later readers get the same page in far fewer bytes.
#[tokio::test]
async fn a_comparison_page_is_compressed_once_it_is_asked_for_again() {
    let app = app().await;
    let request = || {
        Request::get("/compare/django-vs-flask")
            .header(header::USER_AGENT, UA)
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap()
    };
    let first = app.send(request()).await;
    assert_eq!(first.status, StatusCode::OK);
    // Stored deflate blocks would add only framing: it goes out as it is.
    assert!(!first.headers.contains_key(header::CONTENT_ENCODING));
    let mut later = app.send(request()).await;
    for _ in 0..200 {
        if later.wire_len * 2 < first.wire_len {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        later = app.send(request()).await;
    }
    assert_eq!(
        later.body, first.body,
        "the same page, whichever copy served it"
    );
    assert!(
        later.wire_len * 2 < first.wire_len,
        "compressed: {} bytes, against {} the first time",
        later.wire_len,
        first.wire_len
    );
}

/// A personal page goes out with the parts made for its weights
/// uncompressed; asked for again (a shared link, a profile's link), it is
/// rendered whole and compressed off the request path, and later readers
/// get the same bytes in about as few as a plain page takes.
#[tokio::test]
async fn a_personal_page_asked_for_again_goes_out_compressed_whole() {
    let app = app().await;
    for uri in [
        "/compare/django-vs-flask?profile=startup",
        "/compare/go-vs-rust?w.performance=9.5",
    ] {
        let request = || {
            Request::get(uri)
                .header(header::USER_AGENT, UA)
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap()
        };
        let first = app.send(request()).await;
        assert_eq!(first.status, StatusCode::OK, "{uri}");
        assert_eq!(first.header(header::CONTENT_ENCODING), "gzip", "{uri}");
        let mut later = app.send(request()).await;
        for _ in 0..200 {
            if later.wire_len * 10 < first.wire_len * 7 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            later = app.send(request()).await;
        }
        assert_eq!(
            later.body, first.body,
            "{uri}: the same page, whichever copy served it"
        );
        assert_eq!(
            later.header(header::ETAG),
            first.header(header::ETAG),
            "{uri}: the same bytes keep one validator, so revalidation still answers 304"
        );
        // The whole page at gzip's best level, for scale: only the votes
        // block, made per reader, goes out uncompressed.
        let best = {
            use std::io::Write as _;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(first.body.as_bytes()).unwrap();
            gz.finish().unwrap().len()
        };
        assert!(
            later.wire_len * 10 < first.wire_len * 7 && later.wire_len * 10 < best * 13,
            "{uri}: {} bytes, against {} the first time and {best} for the whole page at gzip -9",
            later.wire_len,
            first.wire_len
        );
    }
}

/// A store that counts the reads pages make, standing for one server's
/// connection to a database other servers share.
#[derive(Debug)]
struct Counting {
    inner: Arc<dyn VoteStore>,
    tally_reads: std::sync::atomic::AtomicUsize,
    set_reads: std::sync::atomic::AtomicUsize,
}

impl Counting {
    fn new(inner: Arc<dyn VoteStore>) -> Arc<Counting> {
        Arc::new(Counting {
            inner,
            tally_reads: Default::default(),
            set_reads: Default::default(),
        })
    }

    fn tally_reads(&self) -> usize {
        self.tally_reads.load(std::sync::atomic::Ordering::SeqCst)
    }
}

#[async_trait::async_trait]
impl VoteStore for Counting {
    async fn record(&self, vote: NewVote) -> verdict_store::Result<verdict_store::Recorded> {
        self.inner.record(vote).await
    }
    async fn tally(&self, comparison: &str) -> verdict_store::Result<verdict_store::Tally> {
        self.tally_reads
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.tally(comparison).await
    }
    async fn tallies(&self) -> verdict_store::Result<Vec<(String, verdict_store::Tally)>> {
        self.set_reads
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.tallies().await
    }
    async fn list(&self, filter: &ListFilter) -> verdict_store::Result<Vec<verdict_store::Vote>> {
        self.inner.list(filter).await
    }
    async fn hide(&self, id: verdict_store::VoteId) -> verdict_store::Result<()> {
        self.inner.hide(id).await
    }
    async fn daily_salt(&self, day: &str) -> verdict_store::Result<[u8; 32]> {
        self.inner.daily_salt(day).await
    }
    async fn health(&self) -> verdict_store::Result<()> {
        self.inner.health().await
    }
    async fn close(&self) {
        self.inner.close().await;
    }
}

/// Two servers on one store (`open` gives each its own connection): pages
/// of comparisons nobody voted on read no tally, a vote through another
/// server shows once the tally interval has passed, and one through this
/// server shows at once.
async fn servers_sharing_a_store<F, Fut>(open: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Arc<dyn VoteStore>>,
{
    let ttl = std::time::Duration::from_millis(300);
    let here = Counting::new(open().await);
    let settings = VoteSettings {
        rate_per_minute: 0,
        tally_ttl: ttl,
        ..VoteSettings::default()
    };
    let app = app_on(here.clone(), settings.clone(), tempfile::tempdir().unwrap());
    let elsewhere = app_on(open().await, settings, tempfile::tempdir().unwrap());
    const NONE: &str = "No reader has voted yet.";

    for pair in ["django-vs-flask", "go-vs-rust", "apache-kafka-vs-rabbitmq"] {
        let page = app.get(&format!("/compare/{pair}")).await;
        assert_eq!(page.status, StatusCode::OK, "{pair}");
        assert!(page.body.contains(NONE), "{pair}: no votes yet");
    }
    assert_eq!(
        here.tally_reads(),
        0,
        "comparisons nobody voted on need no tally read"
    );

    // Another server records a vote; after one tally interval this server
    // shows it.
    let voted = elsewhere
        .post_json("go-vs-rust", r#"{"choice":"agree"}"#, "a reader")
        .await;
    assert_eq!(voted.status, StatusCode::CREATED, "{}", voted.body);
    tokio::time::sleep(ttl).await;
    let page = app.get("/compare/go-vs-rust").await;
    assert!(
        page.body.contains("100 % of 1 reader agrees"),
        "a vote through another server shows after the interval"
    );
    assert_eq!(here.tally_reads(), 1, "a comparison with votes is read");
    let again = app.get("/compare/django-vs-flask").await;
    assert!(again.body.contains(NONE));
    assert_eq!(here.tally_reads(), 1, "still none for the others");

    // A vote through this server shows at once, set read or not.
    let voted = app
        .post_json("django-vs-flask", r#"{"choice":"disagree"}"#, "another")
        .await;
    assert_eq!(voted.status, StatusCode::CREATED, "{}", voted.body);
    let page = app.get("/compare/django-vs-flask").await;
    assert!(
        page.body.contains("0 % of 1 reader agrees"),
        "a vote through this server shows at once"
    );
    let json = app.get("/api/v1/comparisons/django-vs-flask").await;
    assert!(json.body.contains("\"disagree\":1"), "{}", json.body);
}

#[tokio::test]
async fn servers_sharing_a_sqlite_file_see_each_others_votes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("votes.db");
    servers_sharing_a_store(|| {
        let path = path.clone();
        async move {
            verdict_store::open(&Settings::Sqlite { path }, Open::CreateIfMissing)
                .await
                .unwrap()
        }
    })
    .await;
}

#[tokio::test]
async fn servers_sharing_postgresql_see_each_others_votes() {
    let Some(url) = verdict_store::testing::postgres_url_or_skip(
        "servers_sharing_postgresql_see_each_others_votes",
    ) else {
        return;
    };
    let schema = verdict_store::testing::PgSchema::create(&url)
        .await
        .unwrap();
    let url = schema.url();
    servers_sharing_a_store(|| {
        let url = url.clone();
        async move {
            verdict_store::open(&Settings::Postgres { url }, Open::CreateIfMissing)
                .await
                .unwrap()
        }
    })
    .await;
    schema.drop_schema().await.unwrap();
}
