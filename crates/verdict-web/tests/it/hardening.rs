//! What a stranger can send: idle and slow connections, long names, wrong
//! methods, unknown API paths, odd `Host` headers, forged `X-Forwarded-For`
//! lines; and what the operator may keep private (`/metrics`).

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode, header};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use verdict_web::{AppState, Config, MetricsAccess};

use crate::support::{app, assert_envelope, get, send, site};

/// A server on a real socket with `config`; stops when the sender drops.
async fn listen(config: Config) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let router = verdict_web::router(
        AppState::new(crate::support::catalog().clone(), site(), &config),
        &config,
    );
    tokio::spawn(async move {
        verdict_web::serve(
            listener,
            router,
            async {
                let _ = stopped.await;
            },
            &config,
        )
        .await
    });
    (addr, stop)
}

/// Sends `raw` and reads until the server closes or `limit` passes;
/// returns what was read and whether the server closed the connection.
async fn exchange(addr: SocketAddr, raw: &[u8], limit: Duration) -> (String, bool) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(raw).await.unwrap();
    let mut out = Vec::new();
    let closed = tokio::time::timeout(limit, stream.read_to_end(&mut out))
        .await
        .is_ok();
    (String::from_utf8_lossy(&out).into_owned(), closed)
}

fn quick() -> Config {
    Config {
        header_read_timeout: Duration::from_secs(1),
        ..Config::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_trickling_connections_are_closed_while_others_are_served() {
    let (addr, _stop) = listen(quick()).await;
    // Fifty connections that say nothing and fifty that trickle a header,
    // one byte at a time, never finishing it.
    let mut idle = Vec::new();
    for _ in 0..50 {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    let mut trickling = Vec::new();
    for _ in 0..50 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").await.unwrap();
        trickling.push(s);
    }
    let drip = tokio::spawn(async move {
        for _ in 0..40 {
            for s in &mut trickling {
                let _ = s.write_all(b"a").await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        trickling
    });
    // Meanwhile, normal requests are answered.
    for _ in 0..20 {
        let (answer, _) = exchange(
            addr,
            b"GET /healthz/live HTTP/1.1\r\nHost: verdict.test\r\nConnection: close\r\n\r\n",
            Duration::from_secs(5),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
    // The server cut the idle ones off after the header timeout.
    for mut s in idle {
        let mut buf = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
        assert!(closed.is_ok(), "an idle connection was kept open");
    }
    // And the trickling ones, although they kept sending.
    let trickling = drip.await.unwrap();
    for mut s in trickling {
        let mut buf = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
        assert!(closed.is_ok(), "a trickling connection was kept open");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_server_serves_the_next_client_once_a_slot_frees() {
    let (addr, _stop) = listen(Config {
        max_connections: 4,
        ..quick()
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    // The fifth waits for a slot: an idle one is closed after the header
    // timeout, and then it is answered.
    let (answer, _) = exchange(
        addr,
        b"GET /healthz/live HTTP/1.1\r\nHost: verdict.test\r\nConnection: close\r\n\r\n",
        Duration::from_secs(10),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_needs_exactly_one_host() {
    let (addr, _stop) = listen(quick()).await;
    let (two, _) = exchange(
        addr,
        b"GET / HTTP/1.1\r\nHost: verdict.test\r\nHost: evil.test\r\nConnection: close\r\n\r\n",
        Duration::from_secs(5),
    )
    .await;
    assert!(two.starts_with("HTTP/1.1 400"), "{two}");
    let (none, _) = exchange(
        addr,
        b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
        Duration::from_secs(5),
    )
    .await;
    assert!(none.starts_with("HTTP/1.1 400"), "{none}");
    let (api, _) = exchange(
        addr,
        b"GET /api/v1/topics HTTP/1.1\r\nConnection: close\r\n\r\n",
        Duration::from_secs(5),
    )
    .await;
    assert!(api.contains("\"code\":\"bad_host\""), "{api}");
    // HTTP/1.0 may leave it out.
    let (old, _) = exchange(
        addr,
        b"GET /healthz/live HTTP/1.0\r\n\r\n",
        Duration::from_secs(5),
    )
    .await;
    assert!(
        old.starts_with("HTTP/1.1 200") || old.starts_with("HTTP/1.0 200"),
        "{old}"
    );
}

#[tokio::test]
async fn a_huge_name_is_answered_at_once_with_a_404() {
    let long = "a".repeat(30_000);
    for uri in [
        format!("/topics/{long}"),
        format!("/compare/{long}-vs-rust"),
        format!("/api/v1/topics/{long}"),
        format!("/api/v1/comparisons/{long}-vs-rust"),
    ] {
        let res = get(&uri).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", &uri[..40]);
    }
}

#[tokio::test]
async fn a_wrong_method_gets_the_envelope_or_the_page_with_allow() {
    let api = send(
        app(),
        Request::builder()
            .method(Method::DELETE)
            .uri("/api/v1/topics")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_envelope(&api, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    assert!(
        api.header(header::ALLOW).contains("GET"),
        "{:?}",
        api.headers
    );
    let page = send(
        app(),
        Request::builder()
            .method(Method::POST)
            .uri("/topics/rust")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(page.content_type(), "text/html; charset=utf-8");
    assert!(page.header(header::ALLOW).contains("GET"));
}

#[tokio::test]
async fn unknown_api_paths_get_the_envelope() {
    for uri in ["/api", "/api/v2/topics", "/api/nothing/here"] {
        let res = get(uri).await;
        assert_envelope(&res, StatusCode::NOT_FOUND, "not_found");
    }
}

#[tokio::test]
async fn hsts_is_sent_over_https_only() {
    let res = get("/").await;
    assert_eq!(
        res.header(header::STRICT_TRANSPORT_SECURITY),
        "max-age=31536000"
    );
    let config = Config::default();
    let mut plain = site();
    plain.urls = verdict_render::Urls::new("http://127.0.0.1:8080");
    let app = verdict_web::router(
        AppState::new(crate::support::catalog().clone(), plain, &config),
        &config,
    );
    let res = crate::support::get_on(app, "/", &[]).await;
    assert_eq!(res.header(header::STRICT_TRANSPORT_SECURITY), "");
}

fn app_with(config: Config) -> axum::Router {
    verdict_web::router(
        AppState::new(crate::support::catalog().clone(), site(), &config),
        &config,
    )
}

#[tokio::test]
async fn metrics_are_the_operators_choice_and_report_memory() {
    let off = crate::support::get_on(
        app_with(Config {
            metrics: MetricsAccess::Off,
            ..Config::default()
        }),
        "/metrics",
        &[],
    )
    .await;
    assert_eq!(off.status, StatusCode::NOT_FOUND);
    let guarded = app_with(Config {
        metrics: MetricsAccess::Token("a-long-metrics-token".into()),
        ..Config::default()
    });
    let denied = crate::support::get_on(guarded.clone(), "/metrics", &[]).await;
    assert_envelope(&denied, StatusCode::UNAUTHORIZED, "unauthorized");
    let ok = crate::support::get_on(
        guarded,
        "/metrics",
        &[("authorization", "Bearer a-long-metrics-token")],
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
    let text = ok.text();
    assert!(text.contains("process_resident_memory_bytes "), "{text}");
    assert!(
        text.contains("verdict_cache_bytes{cache=\"pages\"}"),
        "{text}"
    );
    assert!(
        text.contains("verdict_cache_budget_bytes{cache=\"pages\"}"),
        "{text}"
    );
}

#[tokio::test]
async fn the_page_cache_stays_within_its_byte_budget() {
    let budget = 2 * 1024 * 1024;
    let app = app_with(Config {
        cache_bytes: budget,
        ..Config::default()
    });
    // Every topic page and many comparisons: far more than 2 MiB of bodies.
    let topics: Vec<String> = crate::support::catalog()
        .topics()
        .iter()
        .take(120)
        .map(|t| t.slug.clone())
        .collect();
    for (i, t) in topics.iter().enumerate() {
        crate::support::get_on(app.clone(), &format!("/topics/{t}"), &[]).await;
        let other = &topics[(i + 1) % topics.len()];
        let mut pair = [t.as_str(), other.as_str()];
        pair.sort_unstable();
        crate::support::get_on(
            app.clone(),
            &format!("/api/v1/comparisons/{}-vs-{}", pair[0], pair[1]),
            &[],
        )
        .await;
    }
    let text = crate::support::get_on(app, "/metrics", &[]).await.text();
    let mut total = 0u64;
    for line in text
        .lines()
        .filter(|l| l.starts_with("verdict_cache_bytes{"))
    {
        total += line.rsplit(' ').next().unwrap().parse::<u64>().unwrap();
    }
    assert!(total > budget / 4, "the caches were used: {total}");
    assert!(
        total <= budget,
        "{total} bytes cached over a budget of {budget}"
    );
}

#[test]
fn forwarded_for_is_read_across_every_header_line() {
    let name = HeaderName::from_static("x-forwarded-for");
    let mut headers = HeaderMap::new();
    // The client wrote the first line; the one proxy appended its own line.
    headers.append(&name, HeaderValue::from_static("203.0.113.9"));
    headers.append(&name, HeaderValue::from_static("198.51.100.7"));
    let ip = |h: &HeaderMap, trusted| verdict_web::votes::forwarded_client(h, &name, trusted);
    assert_eq!(ip(&headers, 1), Some("198.51.100.7".parse().unwrap()));
    // A CDN in front of the load balancer: the client is second from right.
    let mut two = HeaderMap::new();
    two.append(&name, HeaderValue::from_static("203.0.113.9, 192.0.2.1"));
    two.append(&name, HeaderValue::from_static("10.0.0.2"));
    assert_eq!(ip(&two, 2), Some("192.0.2.1".parse().unwrap()));
    // Fewer entries than proxies: the request did not come through them.
    assert_eq!(ip(&headers, 3), None);
    assert_eq!(ip(&HeaderMap::new(), 1), None);
}
