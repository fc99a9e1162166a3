//! `verdict serve --watch`: the site is swapped whole when its content
//! changes, a page of content errors answers in place of every page while
//! the content has errors, and open pages reload themselves.
//!
//! [`Live`] holds the current [`Snapshot`] (the site's router, and the
//! errors page while there is one) in a `tokio::sync::watch` channel. Each
//! request clones the snapshot's `Arc` and is served by that snapshot to
//! its end, so a reload never drops a request nor serves one half from the
//! old content and half from the new; the old site is freed when its last
//! request is done. The same channel wakes the event streams: one
//! primitive for the swap and the notification.
//!
//! Nothing here exists without `--watch`: the CLI wraps the site in
//! [`router`] only then, so production pages carry no script of ours but
//! their own, and `/_watch/…` is a 404.

use std::convert::Infallible;
use std::sync::Arc;

use askama::Template as _;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use futures_util::Stream;
use tokio::sync::watch;
use tower::ServiceExt as _;
use verdict_render::html::ContentErrorsPage;

use crate::{AppState, Config};

/// The event stream: the current generation on connecting and after every
/// change, as the data of a message.
pub const EVENTS_PATH: &str = "/_watch/events";

/// The script added to every page in watch mode.
pub const SCRIPT_PATH: &str = "/_watch/reload.js";

const SCRIPT: &str = include_str!("reload.js");

/// The largest page read to add the script to; one bigger is answered 500
/// and logged. The largest page of the bundled catalog is under 1 MiB.
const MAX_PAGE: usize = 16 * 1024 * 1024;

/// What answers requests now.
struct Snapshot {
    /// Counts reloads and changes of errors since the server started.
    generation: u64,
    site: Router,
    /// The content-errors page, while the content has errors: it answers
    /// every request that would get an HTML page, and `site` the rest (the
    /// stylesheet, the API).
    errors: Option<Bytes>,
}

/// The site being served in watch mode, swapped as the content changes.
pub struct Live {
    current: watch::Sender<Arc<Snapshot>>,
    closed: watch::Sender<bool>,
    config: Config,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let now = self.current.borrow();
        f.debug_struct("Live")
            .field("generation", &now.generation)
            .field("errors", &now.errors.is_some())
            .finish_non_exhaustive()
    }
}

impl Live {
    /// Serves the site of `state` ([`crate::router`]), generation 0.
    pub fn new(state: AppState, config: Config) -> Arc<Live> {
        let site = crate::router(state, &config);
        Arc::new(Live {
            current: watch::Sender::new(Arc::new(Snapshot {
                generation: 0,
                site,
                errors: None,
            })),
            closed: watch::Sender::new(false),
            config,
        })
    }

    /// Serves the site of `state` from now on, and no errors page.
    /// Requests already being served finish on the site they started on.
    pub fn publish(&self, state: AppState) {
        let site = crate::router(state, &self.config);
        self.current.send_modify(|now| {
            *now = Arc::new(Snapshot {
                generation: now.generation + 1,
                site,
                errors: None,
            });
        });
    }

    /// Answers every page request with `page`, the content's errors,
    /// until the next [`Live::publish`]; the site stays as it was for
    /// everything else.
    pub fn show_errors(&self, page: &ContentErrorsPage) {
        let page = page.render().unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot render the content errors page");
            format!(
                "<!doctype html><title>Content errors</title><body><p>{} content errors; \
                 `verdict check` lists them</p></body>",
                page.problems.len()
            )
        });
        self.current.send_modify(|now| {
            *now = Arc::new(Snapshot {
                generation: now.generation + 1,
                site: now.site.clone(),
                errors: Some(Bytes::from(page)),
            });
        });
    }

    /// How many times the site or its errors have changed.
    pub fn generation(&self) -> u64 {
        self.current.borrow().generation
    }

    /// Ends every event stream, so a graceful shutdown does not wait for
    /// pages that stay open.
    pub fn close(&self) {
        self.closed.send_replace(true);
    }
}

/// The whole application in watch mode: the event stream and the script,
/// and every other request to the current snapshot.
pub fn router(live: Arc<Live>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(dispatch)
        .with_state(live)
}

/// Serves `req` from the current snapshot: its errors page in place of any
/// HTML page while there are errors, and every HTML page with the script.
async fn dispatch(State(live): State<Arc<Live>>, mut req: Request) -> Response {
    let now = live.current.borrow().clone();
    // Whole, uncompressed bodies, so the script can be added; and never a
    // 304, so a reload always gets the page as it is now.
    req.headers_mut().remove(header::ACCEPT_ENCODING);
    req.headers_mut().remove(header::IF_NONE_MATCH);
    let res = match now.site.clone().oneshot(req).await {
        Ok(res) => res,
        Err(never) => match never {},
    };
    if !is_html(&res) || res.headers().contains_key(header::CONTENT_ENCODING) {
        return res;
    }
    let res = match &now.errors {
        Some(page) => errors_response(page.clone()),
        None => res,
    };
    let (mut parts, body) = res.into_parts();
    let page = match axum::body::to_bytes(body, MAX_PAGE).await {
        Ok(page) => page,
        Err(e) => {
            tracing::error!(error = %e, "cannot read a page to add the reload script");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let page = with_script(&page, now.generation);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::ETAG);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, Body::from(page))
}

fn is_html(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// The errors page, with the headers every page has: 500, because the
/// server cannot serve what was asked until the content is fixed.
fn errors_response(page: Bytes) -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                crate::CONTENT_SECURITY_POLICY,
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        page,
    )
        .into_response()
}

/// `page` with the reload script before its last `</body>`, or as it is
/// when it has none (a fragment, or a HEAD response's empty body).
fn with_script(page: &[u8], generation: u64) -> Bytes {
    const END: &[u8] = b"</body>";
    let Some(at) = page.windows(END.len()).rposition(|w| w == END) else {
        return Bytes::copy_from_slice(page);
    };
    let tag =
        format!(r#"<script src="{SCRIPT_PATH}" data-generation="{generation}" defer></script>"#);
    Bytes::from([&page[..at], tag.as_bytes(), b"\n", &page[at..]].concat())
}

/// The event stream: the generation now, then after each change; it ends
/// when the server shuts down.
async fn events(
    State(live): State<Arc<Live>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let current = live.current.subscribe();
    let closed = live.closed.subscribe();
    let stream = futures_util::stream::unfold(
        (current, closed, true),
        |(mut current, mut closed, first)| async move {
            if !first {
                tokio::select! {
                    changed = current.changed() => changed.ok()?,
                    _ = closed.wait_for(|c| *c) => return None,
                }
            }
            if *closed.borrow() {
                return None;
            }
            let generation = current.borrow_and_update().generation;
            let event = Event::default()
                .id(generation.to_string())
                .data(generation.to_string());
            Some((Ok(event), (current, closed, false)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        SCRIPT,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = with_script(b"<html><body><p>x</p></body>\n</html>", 7);
        assert_eq!(
            std::str::from_utf8(&page).unwrap(),
            "<html><body><p>x</p><script src=\"/_watch/reload.js\" data-generation=\"7\" defer></script>\n</body>\n</html>"
        );
        assert_eq!(&with_script(b"{\"json\":1}", 7)[..], b"{\"json\":1}");
    }
}
