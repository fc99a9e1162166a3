//! `/metrics` in Prometheus text format: requests by route and status, and a
//! latency histogram by route.
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

pub async fn render(State(state): State<AppState>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        state.metrics.handle.render(),
    )
        .into_response()
}
