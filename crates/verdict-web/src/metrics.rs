//! `/metrics` in Prometheus text format: requests by route and status, a
//! latency histogram by route, the process's resident memory and each
//! cache's bytes against its budget.
//!
//! Who may read it is the operator's choice ([`MetricsAccess`]): route
//! names and latencies tell a stranger which pages are slow to make.
//!
//! Each [`AppState`] owns its recorder (no process-global state), so tests
//! can build many routers side by side.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics::{Key, Label, Level, Metadata, Recorder};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

use crate::AppState;

pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
}

static METADATA: Metadata<'static> =
    Metadata::new("verdict_web", Level::INFO, Some(module_path!()));

impl Metrics {
    pub fn new() -> Metrics {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&[
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ])
            .expect("buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        Metrics { recorder, handle }
    }

    fn record(&self, route: String, status: u16, seconds: f64) {
        let labels = vec![
            Label::new("route", route.clone()),
            Label::new("status", status.to_string()),
        ];
        self.recorder
            .register_counter(&Key::from_parts("http_requests_total", labels), &METADATA)
            .increment(1);
        self.recorder
            .register_histogram(
                &Key::from_parts(
                    "http_request_duration_seconds",
                    vec![Label::new("route", route)],
                ),
                &METADATA,
            )
            .record(seconds);
    }
}

/// Counts every request under its route pattern (`/compare/{pair}`), so
/// the label set stays bounded whatever paths clients send.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let start = Instant::now();
    let res = next.run(req).await;
    state
        .metrics
        .record(route, res.status().as_u16(), start.elapsed().as_secs_f64());
    res
}

/// Who may read `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricsAccess {
    /// Anyone (behind a private network or a proxy that filters it).
    Public,
    /// Only requests with `Authorization: Bearer <token>`.
    Token(String),
    /// Nobody: `/metrics` answers 404.
    Off,
}

/// The process's resident set size in bytes, from `/proc/self/status`
/// (`None` where there is no procfs).
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

pub async fn render(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    match &state.metrics_access {
        MetricsAccess::Public => {}
        MetricsAccess::Off => {
            return crate::WebError::not_found("not_found", "there is nothing at /metrics")
                .into_response();
        }
        MetricsAccess::Token(token) => {
            let sent = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or("");
            if !crate::admin::same(sent.as_bytes(), token.as_bytes()) {
                let mut res = crate::WebError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "/metrics needs the metrics token as a bearer token",
                )
                .api()
                .into_response();
                res.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    axum::http::HeaderValue::from_static("Bearer"),
                );
                return res;
            }
        }
    }
    let mut text = state.metrics.handle.render();
    use std::fmt::Write as _;
    if let Some(rss) = resident_bytes() {
        let _ = writeln!(
            text,
            "# HELP process_resident_memory_bytes Resident memory of the server process.\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes {rss}"
        );
    }
    let _ = writeln!(
        text,
        "# HELP verdict_cache_bytes Bytes held by each cache.\n# TYPE verdict_cache_bytes gauge"
    );
    let caches = state.cache_stats();
    for (name, bytes, _) in &caches {
        let _ = writeln!(text, "verdict_cache_bytes{{cache=\"{name}\"}} {bytes}");
    }
    let _ = writeln!(
        text,
        "# HELP verdict_cache_budget_bytes Most bytes each cache may hold.\n# TYPE verdict_cache_budget_bytes gauge"
    );
    for (name, _, budget) in &caches {
        let _ = writeln!(
            text,
            "verdict_cache_budget_bytes{{cache=\"{name}\"}} {budget}"
        );
    }
    (
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}
