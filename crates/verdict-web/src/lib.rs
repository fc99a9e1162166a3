//! The web site and JSON API over an immutable catalog.
//!
//! Only this crate knows HTTP. Pages come from `verdict-render` (the same
//! functions the static export calls); this crate adds routing, canonical
//! redirects, content negotiation, caching of ready-made compressed bodies,
//! security headers, metrics and graceful shutdown.

mod admin;
mod api;
mod body;
pub mod cache;
mod cards;
mod error;
mod lookup;
mod metrics;
mod pages;
mod personal;
mod prefs;
/// The read API's JSON bodies, shared with the static export.
pub use verdict_render::resources;
mod splice;
pub mod votes;
pub mod watch;

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
pub use metrics::MetricsAccess;
pub use votes::VoteSettings;

/// Everything a handler needs. Cheap to clone: one reference count, since
/// axum clones the state for every extractor and middleware that asks for
/// it (a clone per `Arc` field was several contended atomic updates per
/// request on a busy server).
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

/// What [`AppState`] shares.
pub struct Shared {
    pub catalog: Arc<Catalog>,
    pub site: SiteConfig,
    pages: pages::Cache,
    /// Personal comparison pages, ready-made around their holes.
    personal: personal::Frames,
    /// Side cards of comparison pages, by topic and place.
    cards: cache::ByteCache<splice::Packed>,
    /// Each topic's entry in comparison pages' script data, by slug.
    topic_data: cache::ByteCache<cards::TopicData>,
    /// Comparison JSON with a hole for the live tally, by comparison key.
    api_json: cache::ByteCache<splice::Spliced>,
    metrics: metrics::Metrics,
    metrics_access: metrics::MetricsAccess,
    /// Reader votes; `None` (the default) turns them off.
    votes: Option<Arc<votes::Votes>>,
    /// The OpenAPI document for this catalog, made once.
    openapi: bytes::Bytes,
}

impl std::fmt::Debug for Shared {
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
    /// Bytes of ready-made pages, frames, JSON and tallies kept in memory,
    /// all caches together ([`cache::Budgets::split`]).
    pub cache_bytes: u64,
    /// Who may read `/metrics`.
    pub metrics: MetricsAccess,
    /// Longest a client may take to send a request's headers, from the
    /// moment the connection opens or the previous response is sent; a
    /// connection that says nothing for this long is closed.
    pub header_read_timeout: Duration,
    /// Connections served at once; further ones wait to be accepted.
    pub max_connections: usize,
}

/// The default cache budget: 256 MiB.
pub const DEFAULT_CACHE_BYTES: u64 = 256 * 1024 * 1024;

impl Default for Config {
    fn default() -> Self {
        Config {
            request_timeout: Duration::from_secs(10),
            cache_bytes: DEFAULT_CACHE_BYTES,
            metrics: MetricsAccess::Public,
            header_read_timeout: Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(catalog: Catalog, site: SiteConfig, config: &Config) -> AppState {
        let budgets = cache::Budgets::split(config.cache_bytes, false);
        AppState(Arc::new(Shared {
            openapi: verdict_render::resources::openapi(&catalog).into(),
            catalog: Arc::new(catalog),
            site,
            pages: pages::Cache::new(budgets.pages),
            personal: personal::Frames::new(budgets.personal),
            api_json: cache::ByteCache::new(budgets.api),
            cards: cache::ByteCache::new(budgets.cards),
            topic_data: cache::ByteCache::new(budgets.topic_data),
            metrics: metrics::Metrics::new(),
            metrics_access: config.metrics.clone(),
            votes: None,
        }))
    }

    /// Turns reader votes on, kept in `store`.
    ///
    /// # Panics
    ///
    /// If the state has been cloned already: votes are part of the shared
    /// state, so they are turned on while building it, before any handler
    /// holds a copy.
    pub fn with_votes(
        mut self,
        store: Arc<dyn verdict_store::VoteStore>,
        settings: VoteSettings,
        config: &Config,
    ) -> AppState {
        let shared =
            Arc::get_mut(&mut self.0).expect("votes are turned on before the state is shared");
        // Comparison pages move to the votes caches, so the page cache,
        // still empty, gives them its share.
        let budgets = cache::Budgets::split(config.cache_bytes, true);
        shared.pages = pages::Cache::new(budgets.pages);
        shared.votes = Some(Arc::new(votes::Votes::new(store, settings, budgets.votes)));
        self
    }

    /// Each cache's name, bytes held and budget, for `/metrics`.
    pub fn cache_stats(&self) -> Vec<(&'static str, u64, u64)> {
        let mut out = vec![
            ("pages", self.pages.0.bytes(), self.pages.0.budget()),
            ("personal", self.personal.bytes(), self.personal.budget()),
            ("api", self.api_json.bytes(), self.api_json.budget()),
            ("cards", self.cards.bytes(), self.cards.budget()),
            (
                "topic_data",
                self.topic_data.bytes(),
                self.topic_data.budget(),
            ),
        ];
        if let Some(v) = &self.votes {
            out.extend(v.cache_stats());
        }
        out
    }

    /// The vote store, when votes are on.
    pub fn vote_store(&self) -> Option<&Arc<dyn verdict_store::VoteStore>> {
        self.votes.as_ref().map(|v| &v.store)
    }
}

/// Our pages load nothing from elsewhere: scripts and styles are our own
/// files, data blocks are JSON, and no inline script or style is used.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// HSTS for sites served over https: a year, this host only (subdomains
/// may be other people's).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// The whole application.
pub fn router(state: AppState, config: &Config) -> Router {
    let https = state.site.urls.absolute("").starts_with("https://");
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
        // Any other API path gets the envelope too, not the HTML 404.
        .route("/api", get(api::not_found))
        .route("/api/{*rest}", get(api::not_found))
        .layer(axum::middleware::from_fn(error::api_errors))
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
        .route("/badges/{file}", get(pages::comparison_badge))
        .route("/badges/topics/{file}", get(pages::topic_badge))
        .route("/og/{file}", get(pages::og_image))
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
        .route("/api/v1/admin/votes/{id}/hide", post(admin::hide))
        .layer(axum::middleware::from_fn(error::api_errors));

    let router = Router::new()
        .merge(site)
        .merge(admin)
        .merge(api)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(pages::trailing_slash))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::render_html_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
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
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ));
    // Over https, browsers are told to never come back over plain http.
    let router = if https {
        router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        ))
    } else {
        router
    };
    router
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
        }).on_response(|res: &axum::http::Response<_>, latency: Duration, _span: &tracing::Span| {
            tracing::info!(status = res.status().as_u16(), latency_us = latency.as_micros() as u64, "served");
        }))
        .with_state(state)
}

/// Serves `app` on `listener` until `shutdown` resolves, then finishes the
/// requests in flight.
///
/// Each connection is HTTP/1.1 with a header read timeout
/// ([`Config::header_read_timeout`]): a client that opens a connection and
/// says nothing, or trickles its headers, is cut off, and so is an idle
/// keep-alive connection. At most [`Config::max_connections`] are served at
/// once; the next waits in the listen backlog. Requests must carry exactly
/// one `Host` (HTTP/1.0 may omit it): anything else is answered 400.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    config: &Config,
) -> std::io::Result<()> {
    use std::net::SocketAddr;

    use axum::extract::ConnectInfo;
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt as _;

    let app = app.layer(axum::middleware::from_fn(one_host));
    let slots = Arc::new(tokio::sync::Semaphore::new(config.max_connections.max(1)));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer): (tokio::net::TcpStream, SocketAddr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        // The peer address feeds vote rate limits and reader hashes.
        let service = app
            .clone()
            .map_request(move |mut req: axum::http::Request<_>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(config.header_read_timeout)
            .keep_alive(true);
        let connection = builder.serve_connection(
            TokioIo::new(stream),
            hyper_util::service::TowerToHyperService::new(service),
        );
        let mut stop = stop_rx.clone();
        connections.spawn(async move {
            let _slot = slot;
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                done = connection.as_mut() => {
                    if let Err(e) = done {
                        tracing::debug!(error = %e, %peer, "connection ended");
                    }
                }
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
        // Finished connections are dropped as we go, so the set stays small.
        while connections.try_join_next().is_some() {}
    }
    let _ = stop_tx.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// Refuses requests without exactly one `Host` (HTTP/1.0 may send none):
/// with two, a cache or proxy in front and this server could each read a
/// different one.
async fn one_host(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let hosts = req.headers().get_all(header::HOST).iter().count();
    let optional = req.version() < axum::http::Version::HTTP_11;
    if hosts == 1 || (hosts == 0 && optional) {
        return next.run(req).await;
    }
    let err = WebError::bad_request(
        "bad_host",
        if hosts == 0 {
            "an HTTP/1.1 request needs a Host header".to_owned()
        } else {
            format!("a request needs exactly one Host header; this one has {hosts}")
        },
    );
    if error::is_api_path(req.uri().path()) {
        err.api().into_response()
    } else {
        // Plain text: the HTML page needs the app state, which this layer
        // sits outside of.
        (StatusCode::BAD_REQUEST, err.message).into_response()
    }
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
