//! One error type for every handler. It renders as a JSON envelope for the
//! API and, through [`render_html_errors`], as a full HTML page for
//! browsers. Internal errors show a generic message and are logged once,
//! by that middleware.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use verdict_render::html;

use crate::AppState;

/// A topic offered in "did you mean".
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub slug: String,
    pub name: String,
    pub url: String,
}

/// Where an error is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Browser,
    Api,
}

#[derive(Debug, Clone)]
pub struct WebError {
    pub status: StatusCode,
    /// Stable, machine-readable: `unknown_topic`, `bad_weight`, …
    pub code: &'static str,
    pub message: String,
    pub suggestions: Vec<Suggestion>,
    pub audience: Audience,
    /// For internal errors: what went wrong, for the log only (readers see
    /// the generic `message`).
    pub detail: Option<String>,
}

/// The JSON error envelope: `{"error": {...}}`.
#[derive(Debug, Serialize)]
pub struct Envelope<'a> {
    pub error: EnvelopeBody<'a>,
}

#[derive(Debug, Serialize)]
pub struct EnvelopeBody<'a> {
    pub status: u16,
    pub code: &'a str,
    pub message: &'a str,
    #[serde(skip_serializing_if = "<[Suggestion]>::is_empty")]
    pub suggestions: &'a [Suggestion],
}

impl WebError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> WebError {
        WebError {
            status,
            code,
            message: message.into(),
            suggestions: Vec::new(),
            audience: Audience::Browser,
            detail: None,
        }
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::NOT_FOUND, code, message)
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// A fault on our side. `err` is logged once, by [`render_html_errors`],
    /// and never shown.
    pub fn internal(err: impl std::fmt::Display) -> WebError {
        let mut e = WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on our side; please try again",
        );
        e.detail = Some(err.to_string());
        e
    }

    pub fn with_suggestions(mut self, s: Vec<Suggestion>) -> WebError {
        self.suggestions = s;
        self
    }

    /// Shown as the API's envelope. Routes never call this: the API and
    /// admin routers mark their errors with [`api_errors`]; only layers
    /// outside the routers (the `Host` check, the metrics guard) do.
    pub fn api(mut self) -> WebError {
        self.audience = Audience::Api;
        self
    }

    fn envelope(&self) -> Envelope<'_> {
        Envelope {
            error: EnvelopeBody {
                status: self.status.as_u16(),
                code: self.code,
                message: &self.message,
                suggestions: &self.suggestions,
            },
        }
    }
}

/// A `{param}` that does not extract (a percent-escape that is not UTF-8,
/// like `/topics/%FF`) gets our page or envelope, not axum's plain text.
impl From<PathRejection> for WebError {
    fn from(rej: PathRejection) -> WebError {
        WebError::new(
            rej.status(),
            "bad_path",
            "the address is malformed: its percent-escapes do not decode to UTF-8 text",
        )
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut res = (self.status, Json(self.envelope())).into_response();
        // The middleware below logs internal errors and, for browsers,
        // swaps this body for an HTML page.
        res.extensions_mut().insert(self);
        res
    }
}

/// Marks every error the wrapped routes return as the API's, so it stays
/// the JSON envelope: the audience is set once per router, not per error.
pub async fn api_errors(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if let Some(err) = res.extensions_mut().get_mut::<WebError>() {
        err.audience = Audience::Api;
    }
    res
}

/// Turns browser-facing errors into HTML pages, with the site's layout and
/// "did you mean" links.
pub async fn render_html_errors(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let api = is_api_path(req.uri().path());
    let res = next.run(req).await;
    match res.extensions().get::<WebError>() {
        Some(err) => {
            // Logged here, once, whoever made the error.
            if let Some(detail) = &err.detail {
                tracing::error!(error = %detail, code = err.code, "internal error");
            }
            if err.audience == Audience::Api {
                return res;
            }
        }
        // A wrong method gets our envelope or page, with its `Allow`,
        // instead of an empty body with no content type.
        None if res.status() == StatusCode::METHOD_NOT_ALLOWED => {
            let allow = res.headers().get(header::ALLOW).cloned();
            let err = WebError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                match allow.as_ref().and_then(|a| a.to_str().ok()) {
                    Some(allowed) => format!("this address answers {allowed} only"),
                    None => "this address does not answer that method".to_owned(),
                },
            );
            // The page below leaves an API error as the envelope.
            let mut out = if api { err.api() } else { err }.into_response();
            if let Some(allow) = allow {
                out.headers_mut().insert(header::ALLOW, allow);
            }
            return render_html_errors_for(&state, out);
        }
        None => return res,
    }
    render_html_errors_for(&state, res)
}

/// Whether `path` is under the JSON API, whose errors are always envelopes.
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Replaces a browser-facing error response with the site's HTML page,
/// keeping the headers a client acts on (`Retry-After`, `Allow`).
fn render_html_errors_for(state: &AppState, res: Response) -> Response {
    let Some(err) = res.extensions().get::<WebError>().cloned() else {
        return res;
    };
    if err.audience == Audience::Api {
        return res;
    }
    let heading = match err.status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::BAD_REQUEST => "That request did not work",
        StatusCode::PAYLOAD_TOO_LARGE => "Too much text",
        StatusCode::TOO_MANY_REQUESTS => "Slow down a little",
        s if s.is_server_error() => "Something went wrong",
        _ => "That did not work",
    };
    let links = err
        .suggestions
        .iter()
        .map(|s| html::Link {
            aside: None,
            text: s.name.clone(),
            url: s.url.clone(),
        })
        .collect();
    let page = html::error(
        &state.site,
        &state.catalog,
        err.status.as_u16(),
        heading,
        &capitalise(&err.message),
        links,
    );
    let body = askama::Template::render(&page)
        .unwrap_or_else(|e| format!("<!doctype html><title>Error</title><p>{e}</p>"));
    let mut out = (err.status, body).into_response();
    out.headers_mut().insert(
        header::CONTENT_TYPE,
        "text/html; charset=utf-8".parse().expect("valid"),
    );
    out.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("valid"));
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(v) = res.headers().get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

/// The message as a sentence for a page: capitalised, with a full stop, and
/// `code` quotes turned into typographic quotes.
fn capitalise(s: &str) -> String {
    let mut quoted = String::with_capacity(s.len());
    let mut open = true;
    for c in s.chars() {
        if c == '`' {
            quoted.push(if open { '“' } else { '”' });
            open = !open;
        } else {
            quoted.push(c);
        }
    }
    let mut out = verdict_core::model::capitalise(&quoted);
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}
