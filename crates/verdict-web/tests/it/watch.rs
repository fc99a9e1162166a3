//! `verdict_web::watch` (`verdict serve --watch`): pages carry the reload
//! script, an errors page answers in place of every page until the next
//! site is published, and the event stream says each generation. The CLI's
//! `tests/watch.rs` drives the same through a real process and real files.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

use verdict_render::html::{ProblemView, content_errors};
use verdict_web::watch::{self, Live};
use verdict_web::{AppState, CONTENT_SECURITY_POLICY, Config};

use crate::support::{catalog, get_on, site};

fn state() -> AppState {
    AppState::new(catalog().clone(), site(), &Config::default())
}

fn live() -> Arc<Live> {
    Live::new(state(), Config::default())
}

fn script(generation: u64) -> String {
    format!(
        "<script src=\"/_watch/reload.js\" data-generation=\"{generation}\" defer></script>\n</body>"
    )
}

#[tokio::test]
async fn pages_go_out_whole_with_the_reload_script_and_the_production_csp() {
    let app = watch::router(live());
    let page = get_on(
        app.clone(),
        "/topics/postgresql",
        &[("accept-encoding", "gzip, br"), ("if-none-match", "*")],
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header(header::CONTENT_ENCODING), "");
    assert_eq!(page.header(header::ETAG), "");
    assert_eq!(page.header(header::CACHE_CONTROL), "no-store");
    assert_eq!(
        page.header(header::CONTENT_SECURITY_POLICY),
        CONTENT_SECURITY_POLICY
    );
    assert_eq!(page.text().matches(&script(0)).count(), 1);

    let js = get_on(app.clone(), "/_watch/reload.js", &[]).await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.content_type().starts_with("text/javascript"));
    assert!(js.text().contains("new EventSource(\"/_watch/events\")"));

    // Anything but HTML goes out as the site answers it.
    let api = get_on(app, "/api/v1/topics/postgresql", &[]).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.json()["topic"]["slug"], "postgresql");
}

#[tokio::test]
async fn the_errors_page_answers_for_every_page_until_a_site_is_published() {
    let live = live();
    let app = watch::router(live.clone());
    live.show_errors(&content_errors(
        &site(),
        catalog(),
        "content",
        vec![ProblemView {
            severity: "error",
            code: "toml-syntax".into(),
            location: "topics/databases/postgresql.toml:5".into(),
            message: "invalid TOML: invalid basic string".into(),
            help: Some("fix the syntax".into()),
        }],
    ));
    assert_eq!(live.generation(), 1);
    let mut css = String::new();
    for uri in [
        "/",
        "/topics/postgresql",
        "/compare/mysql-vs-postgresql",
        "/no-such-page",
    ] {
        let res = get_on(app.clone(), uri, &[]).await;
        assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR, "{uri}");
        assert_eq!(res.content_type(), "text/html; charset=utf-8");
        assert_eq!(
            res.header(header::CONTENT_SECURITY_POLICY),
            CONTENT_SECURITY_POLICY
        );
        let html = res.text();
        assert!(
            html.contains("<code>topics/databases/postgresql.toml:5</code>"),
            "{uri}: {html}"
        );
        assert!(html.contains("help: fix the syntax"), "{uri}");
        assert!(html.contains(&script(1)), "{uri}");
        css = html
            .split("<link rel=\"stylesheet\" href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a stylesheet")
            .to_owned();
    }
    // What the errors page needs, and the API, still come from the site.
    let res = get_on(app.clone(), &css, &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.content_type().starts_with("text/css"));
    let res = get_on(app.clone(), "/api/v1/topics/postgresql", &[]).await;
    assert_eq!(res.status, StatusCode::OK);

    live.publish(state());
    assert_eq!(live.generation(), 2);
    let page = get_on(app, "/topics/postgresql", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains("The content has errors"));
    assert!(page.text().contains(&script(2)));
}

/// The next chunk of the event stream, as text; `None` once it has ended.
async fn next_chunk(body: &mut Body) -> Option<String> {
    let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
        .await
        .expect("the event stream answers within 5 s")?
        .expect("the event stream reads");
    Some(String::from_utf8(frame.into_data().expect("a data frame").to_vec()).unwrap())
}

#[tokio::test]
async fn the_event_stream_says_each_generation_and_ends_when_the_server_closes() {
    let live = live();
    let res = watch::router(live.clone())
        .oneshot(Request::get("/_watch/events").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/event-stream");
    let mut body = res.into_body();
    assert_eq!(next_chunk(&mut body).await.unwrap(), "id: 0\ndata: 0\n\n");
    live.publish(state());
    assert_eq!(next_chunk(&mut body).await.unwrap(), "id: 1\ndata: 1\n\n");
    live.close();
    assert_eq!(next_chunk(&mut body).await, None);
}
