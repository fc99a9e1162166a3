//! The web site and JSON API over an immutable catalog.
//!
//! Only this crate knows HTTP. Pages come from `verdict-render` (the same
//! functions the static export calls); this crate adds routing, canonical
//! redirects, content negotiation, caching of ready-made compressed bodies,
//! security headers, metrics and graceful shutdown.

mod admin;
mod api;
mod body;
mod error;
mod metrics;
mod pages;
mod personal;
mod prefs;
pub mod resources;
mod splice;
pub mod votes;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::routing::{get, post};
use tower_http::cors::CorsLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use verdict_core::Catalog;
use verdict_render::SiteConfig;

pub use body::{Effort, Encoding, brotli, gzip};
pub use error::{Suggestion, WebError};
pub use votes::VoteSettings;

/// Everything a handler needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub catalog: Arc<Catalog>,
    pub site: Arc<SiteConfig>,
    pages: Arc<pages::Cache>,
    /// Personal comparison pages, ready-made around their holes.
    personal: Arc<personal::Frames>,
    /// Comparison JSON with a hole for the live tally, by comparison key.
    api_json: Arc<quick_cache::sync::Cache<String, Arc<splice::Spliced>>>,
    metrics: Arc<metrics::Metrics>,
    /// Reader votes; `None` (the default) turns them off.
    votes: Option<Arc<votes::Votes>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("topics", &self.catalog.topics().len())
            .field("site", &self.site.name)
            .finish_non_exhaustive()
    }
}

/// Server settings that are not page content.
#[derive(Debug, Clone)]
pub struct Config {
    /// Longest a request may take before it is answered with 408.
    pub request_timeout: Duration,
    /// Number of ready-made pages kept in memory.
    pub page_cache_entries: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            request_timeout: Duration::from_secs(10),
            page_cache_entries: 8192,
        }
    }
}

impl AppState {
    pub fn new(catalog: Catalog, site: SiteConfig, config: &Config) -> AppState {
        AppState {
            catalog: Arc::new(catalog),
            site: Arc::new(site),
            pages: Arc::new(pages::Cache::new(config.page_cache_entries)),
            personal: Arc::new(personal::Frames::new(config.page_cache_entries)),
            api_json: Arc::new(quick_cache::sync::Cache::new(
                config.page_cache_entries.max(16),
            )),
            metrics: Arc::new(metrics::Metrics::new()),
            votes: None,
        }
    }

    /// Turns reader votes on, kept in `store`.
    pub fn with_votes(
        mut self,
        store: Arc<dyn verdict_store::VoteStore>,
        settings: VoteSettings,
        config: &Config,
    ) -> AppState {
        self.votes = Some(Arc::new(votes::Votes::new(
            store,
            settings,
            config.page_cache_entries,
        )));
        self
    }

    /// The vote store, when votes are on.
    pub fn vote_store(&self) -> Option<&Arc<dyn verdict_store::VoteStore>> {
        self.votes.as_ref().map(|v| &v.store)
    }
}

/// Our pages load nothing from elsewhere: scripts and styles are our own
/// files, data blocks are JSON, and no inline script or style is used.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The whole application.
pub fn router(state: AppState, config: &Config) -> Router {
    let api = Router::new()
        .route("/api/v1/topics", get(api::topics))
        .route("/api/v1/topics/{slug}", get(api::topic))
        .route("/api/v1/categories", get(api::categories))
        .route("/api/v1/criteria", get(api::criteria))
        .route("/api/v1/comparisons/{pair}", get(api::comparison))
        .route("/api/v1/comparisons/{pair}/votes", get(votes::api_get))
        .route("/api/v1/comparisons/{pair}/votes", post(votes::api_post))
        .route("/api/v1/search", get(api::search))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/{*rest}", get(api::not_found))
        .layer(
            CorsLayer::new()
                .allow_origin(tower_http::cors::Any)
                .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS]),
        );

    let site = Router::new()
        .route("/", get(pages::home))
        .route("/compare", get(pages::compare_form))
        .route("/compare/{pair}", get(pages::compare))
        .route("/compare/{pair}/votes", get(votes::form_get))
        .route("/compare/{pair}/votes", post(votes::form_post))
        .route("/topics/{slug}", get(pages::topic))
        .route("/categories/{slug}", get(pages::category))
        .route("/search", get(pages::search))
        .route("/sitemap.xml", get(pages::sitemap))
        .route("/feed.xml", get(pages::feed))
        .route("/robots.txt", get(pages::robots))
        .route("/assets/{file}", get(pages::asset))
        .route("/healthz", get(pages::healthz))
        .route("/healthz/live", get(|| async { "ok\n" }))
        .route("/metrics", get(metrics::render));

    // Outside the API's CORS layer: no other site may call these.
    let admin = Router::new()
        .route("/api/v1/admin/votes", get(admin::list))
        .route("/api/v1/admin/votes/export", get(admin::export))
        .route("/api/v1/admin/votes/{id}/hide", post(admin::hide));

    Router::new()
        .merge(site)
        .merge(admin)
        .merge(api)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), error::render_html_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
        }).on_response(|res: &axum::http::Response<_>, latency: Duration, _span: &tracing::Span| {
            tracing::info!(status = res.status().as_u16(), latency_us = latency.as_micros() as u64, "served");
        }))
        .with_state(state)
}

/// Serves `app` on `listener` until `shutdown` resolves, then finishes the
/// requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer address feeds vote rate limits and reader hashes.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
