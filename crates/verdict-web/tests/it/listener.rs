//! The whole stack on a real socket: `serve`, HTTP/1.1 framing, and a
//! graceful shutdown that ends the server.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use crate::support::app;

/// A response as read off the wire.
struct Wire {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Wire {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One `GET` over a fresh connection, read to the end.
async fn http_get(addr: SocketAddr, path: &str) -> Wire {
    let mut stream = TcpStream::connect(addr).await.expect("server accepts");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: verdict.test\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut raw))
        .await
        .expect("server answers")
        .unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = std::str::from_utf8(&raw[..split]).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    assert!(status_line.starts_with("HTTP/1.1 "), "{status_line}");
    let status = status_line[9..12].parse().unwrap();
    let headers = lines
        .map(|l| {
            let (k, v) = l.split_once(':').expect("header line");
            (k.trim().to_owned(), v.trim().to_owned())
        })
        .collect();
    Wire {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_pages_and_the_api_then_shuts_down_gracefully() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let config = verdict_web::Config::default();
    let server = tokio::spawn(async move {
        verdict_web::serve(
            listener,
            app(),
            async {
                let _ = stopped.await;
            },
            &config,
        )
        .await
    });

    let page = http_get(addr, "/compare/go-vs-rust").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        page.header("content-length"),
        Some(page.body.len().to_string().as_str()),
        "framed by length"
    );
    assert!(
        page.header("content-security-policy")
            .is_some_and(|csp| csp.contains("script-src 'self'"))
    );
    let html = String::from_utf8(page.body).unwrap();
    assert!(html.contains("<h1>Go vs Rust</h1>"));
    assert!(
        html.trim_end().ends_with("</html>"),
        "the whole page arrived"
    );

    let api = http_get(addr, "/api/v1/comparisons/django-vs-flask").await;
    assert_eq!(api.status, 200);
    assert_eq!(api.header("content-type"), Some("application/json"));
    let v: serde_json::Value = serde_json::from_slice(&api.body).unwrap();
    assert_eq!(v["decision"]["pick"], "django");

    let moved = http_get(addr, "/compare/rust-vs-go").await;
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), Some("/compare/go-vs-rust"));

    stop.send(()).unwrap();
    let ended = tokio::time::timeout(Duration::from_secs(10), server).await;
    ended
        .expect("the server stops after the shutdown signal")
        .expect("the server task did not panic")
        .expect("serve returns Ok");
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "the port is closed after shutdown"
    );
}
