//! HTML pages, feeds and assets.

use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};

use verdict_core::key::{self, ComparisonKey};
use verdict_core::model::Topic;
use verdict_core::search::{self, MatchKind, Resolved};
use verdict_render::{ComparisonView, Urls, assets, html, site};

use crate::AppState;
use crate::body::{Prepared, one_off};
use crate::cache::ByteCache;
use crate::error::{Suggestion, WebError};
use crate::lookup;
use crate::prefs;
use crate::splice::Spliced;

const HTML: &str = "text/html; charset=utf-8";
/// Pages change when the catalog is redeployed; five minutes keeps CDNs and
/// browsers fresh enough while absorbing bursts.
pub(crate) const PAGE_CACHE: &str = "public, max-age=300";
const ASSET_CACHE: &str = "public, max-age=31536000, immutable";

/// Ready-made bodies by path (and canonical query), bounded in bytes.
pub struct Cache(pub(crate) ByteCache<Prepared>);

impl Cache {
    pub fn new(bytes: u64) -> Cache {
        Cache(ByteCache::new(bytes))
    }

    /// The cached body for `key`, preparing it with `make` on a miss.
    pub(crate) fn get_or_prepare(
        &self,
        key: &str,
        make: impl FnOnce() -> Result<Prepared, WebError>,
    ) -> Result<Arc<Prepared>, WebError> {
        if let Some(hit) = self.0.get(key) {
            return Ok(hit);
        }
        let prepared = Arc::new(make()?);
        self.0.insert(key.to_owned(), prepared.clone());
        Ok(prepared)
    }
}

/// `?query` to append to a redirect target (canonical redirects keep the
/// reader's query: tracking tags, personal weights), or nothing.
fn with_query(query: Option<&str>) -> String {
    query
        .filter(|q| !q.is_empty())
        .map(|q| format!("?{q}"))
        .unwrap_or_default()
}

/// A `301 Moved Permanently` to `target` (axum's `Redirect::permanent` is a 308).
pub fn moved(target: &str) -> Redirect301 {
    Redirect301(target.to_owned())
}

#[derive(Debug)]
pub struct Redirect301(String);

impl IntoResponse for Redirect301 {
    fn into_response(self) -> Response {
        (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, self.0)]).into_response()
    }
}

/// `/topics/rust/` and every other path with a trailing slash (or several)
/// moves to the path without it, query kept: no route ends in `/` but the
/// home page. `GET` and `HEAD` get a 301; other methods a 308, which keeps
/// the method and body.
pub async fn trailing_slash(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = req.uri().path();
    if path.len() <= 1 || !path.ends_with('/') {
        return next.run(req).await;
    }
    // Leading slashes go too: `//host/` in a `Location` is another site.
    let target = format!("/{}", path.trim_matches('/'));
    let target = match req.uri().query() {
        Some(q) => format!("{target}?{q}"),
        None => target,
    };
    if matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    ) {
        moved(&target).into_response()
    } else {
        (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, target)]).into_response()
    }
}

fn render<T: Template>(page: &T) -> Result<String, WebError> {
    page.render().map_err(WebError::internal)
}

/// [`render`] into a buffer of `capacity` bytes: a comparison page is tens
/// of kilobytes, and growing to that from askama's hint copies it several
/// times over.
fn render_sized<T: Template>(page: &T, capacity: usize) -> Result<String, WebError> {
    let mut out = String::with_capacity(capacity);
    page.render_into(&mut out).map_err(WebError::internal)?;
    Ok(out)
}

pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    // The contested list changes rarely: the page is prepared once per
    // version of it (the old one ages out of the cache).
    let (contested, contested_html) = match &state.votes {
        Some(v) => v.contested_html(&state).await,
        None => (0, Arc::default()),
    };
    let key = if contested == 0 {
        "/".to_owned()
    } else {
        format!("/#contested-{contested:016x}")
    };
    let page = state.pages.get_or_prepare(&key, || {
        let mut page = html::home(&state.site, &state.catalog);
        page.contested_html = contested_html.to_string();
        Ok(Prepared::new(HTML, PAGE_CACHE, render(&page)?))
    })?;
    Ok(page.respond(StatusCode::OK, &headers))
}

/// The category page's "compare two" form: `/compare?a=x&b=y`.
pub async fn compare_form(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, WebError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q.as_deref().unwrap_or(""))
        .map_err(|e| {
            WebError::bad_request("bad_query", format!("the query string is malformed: {e}"))
        })?;
    let mut slugs: Vec<String> = pairs
        .into_iter()
        .filter(|(k, v)| matches!(k.as_str(), "a" | "b" | "c" | "d") && !v.trim().is_empty())
        .map(|(_, v)| v.trim().to_owned())
        .collect();
    slugs.dedup();
    if slugs.len() < 2 {
        return Err(WebError::bad_request(
            "bad_comparison",
            "choose two different topics to compare",
        ));
    }
    // Known slugs go straight to the canonical order; anything else is left
    // for the comparison page to resolve or explain.
    if slugs.iter().all(|s| state.catalog.topic(s).is_some()) {
        slugs.sort();
    }
    let segments: Vec<String> = slugs.iter().map(|s| path_segment(s)).collect();
    // What the reader typed may not name topics yet: it is joined as typed,
    // and the comparison page resolves it or says what is wrong.
    let segment = segments.join(key::SEPARATOR);
    Ok(Redirect::to(&format!("/compare/{segment}")).into_response())
}

/// Percent-encodes what a reader typed as one path segment, so the
/// `Location` is a valid URL whatever they typed (spaces, `é`, newlines).
fn path_segment(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

pub async fn compare(
    State(state): State<AppState>,
    pair: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    addr: crate::votes::ClientAddr,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Path(pair) = pair?;
    let (query, thanks) = crate::votes::take_thanks(query);
    let catalog = &state.catalog;
    let found = key::resolve(catalog, &pair).map_err(|e| lookup::no_comparison(&state, e))?;
    if !found.canonical {
        let target = format!(
            "{}{}",
            Urls::default().comparison(&found.key),
            with_query(query.as_deref())
        );
        return Ok(moved(&target).into_response());
    }
    let topics = found.topics;
    let prefs = prefs::canonical(catalog, &topics, prefs::parse(query.as_deref())?)?;
    // A submitted form carries every weight; answer with the short,
    // shareable URL of the same choice.
    let canonical_query = prefs::query_string(&prefs);
    if query.as_deref().unwrap_or("") != canonical_query.trim_start_matches('?') {
        return Ok(Redirect::to(&format!("/compare/{pair}{canonical_query}")).into_response());
    }
    if !prefs.is_default() {
        // Weights can only move a pick between alternatives; for topics
        // used together or doing different jobs the page is the same
        // whatever the weights, so the reader gets the one page there is.
        if verdict_core::decide::relation(catalog, &topics).is_err() {
            return Ok(Redirect::to(&format!("/compare/{pair}")).into_response());
        }
        return crate::personal::page(&state, &topics, &prefs, thanks, &headers, addr).await;
    }
    let view = || {
        ComparisonView::build(catalog, &state.site.urls, &topics, &prefs)
            .map_err(prefs::decide_error)
    };
    if let Some(votes) = &state.votes {
        // The live votes block is spliced into the cached page per request;
        // a page nobody asked for yet is put together from side cards kept
        // ready and its own parts uncompressed (`Spliced::cold`).
        let build = || {
            let view = view()?;
            let mut page = html::comparison_without_sides(&state.site, catalog, &view, &|t| {
                crate::cards::topic_data(&state, t)
            });
            page.votes_html = crate::votes::votes_holes();
            let shared = crate::cards::side_section(&state, &view);
            let spliced = Spliced::cold(
                &render_sized(&page, 48 * 1024)?,
                &[crate::votes::MARKER; 3],
                (html::SIDES_HOLE, &shared),
            )
            .ok_or_else(|| WebError::internal("the comparison page lacks its holes"))?;
            Ok((spliced, crate::votes::PageMeta::of(&view)))
        };
        return votes
            .compare_page(&topics, thanks, &headers, addr, build)
            .await;
    }
    let key = format!("/compare/{pair}");
    let page = state.pages.get_or_prepare(&key, || {
        let view = view()?;
        let page = html::comparison(&state.site, catalog, &view);
        Ok(Prepared::new(HTML, PAGE_CACHE, render(&page)?))
    })?;
    Ok(page.respond(StatusCode::OK, &headers))
}

pub async fn topic(
    State(state): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Path(slug) = slug?;
    match key::topic(&state.catalog, &slug) {
        Ok((t, true)) => {
            let key = format!("/topics/{}", t.slug);
            let page = state.pages.get_or_prepare(&key, || {
                Ok(Prepared::new(
                    HTML,
                    PAGE_CACHE,
                    render(&html::topic(&state.site, &state.catalog, t))?,
                ))
            })?;
            Ok(page.respond(StatusCode::OK, &headers))
        }
        Ok((t, false)) => Ok(moved(&format!(
            "/topics/{}{}",
            t.slug,
            with_query(query.as_deref())
        ))
        .into_response()),
        Err(suggest) => Err(WebError::not_found(
            "unknown_topic",
            format!("we have no topic `{}`", search::excerpt(&slug)),
        )
        .with_suggestions(
            suggest
                .iter()
                .map(|t| lookup::suggestion(&state, t))
                .collect(),
        )),
    }
}

/// The content type of badges.
const SVG: &str = "image/svg+xml";

/// `GET /badges/{a}-vs-{b}.svg`: the comparison's conclusion as an
/// embeddable badge. Other spellings move to the canonical one.
pub async fn comparison_badge(
    State(state): State<AppState>,
    file: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Path(file) = file?;
    let Some(pair) = file.strip_suffix(".svg") else {
        return Err(not_a_badge());
    };
    let found = key::resolve(&state.catalog, pair).map_err(|e| lookup::no_comparison(&state, e))?;
    let path = format!("/badges/{}.svg", found.key);
    if !found.canonical {
        return Ok(moved(&path).into_response());
    }
    let body = state.pages.get_or_prepare(&path, || {
        let view = default_view(&state, &found.topics)?;
        Ok(Prepared::new(
            SVG,
            PAGE_CACHE,
            verdict_render::badge::comparison(&view),
        ))
    })?;
    Ok(body.respond(StatusCode::OK, &headers))
}

/// `GET /badges/topics/{slug}.svg`: in how many comparisons with its
/// alternatives the topic is our pick.
pub async fn topic_badge(
    State(state): State<AppState>,
    file: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Path(file) = file?;
    let Some(slug) = file.strip_suffix(".svg") else {
        return Err(not_a_badge());
    };
    match key::topic(&state.catalog, slug) {
        Ok((t, true)) => {
            let path = format!("/badges/topics/{}.svg", t.slug);
            let body = state.pages.get_or_prepare(&path, || {
                Ok(Prepared::new(
                    SVG,
                    PAGE_CACHE,
                    verdict_render::badge::topic(&state.catalog, t),
                ))
            })?;
            Ok(body.respond(StatusCode::OK, &headers))
        }
        Ok((t, false)) => Ok(moved(&format!("/badges/topics/{}.svg", t.slug)).into_response()),
        Err(suggest) => Err(WebError::not_found(
            "unknown_topic",
            format!("we have no topic `{}`", search::excerpt(slug)),
        )
        .with_suggestions(
            suggest
                .iter()
                .map(|t| lookup::suggestion(&state, t))
                .collect(),
        )),
    }
}

/// `GET /og/{a}-vs-{b}.png`: the comparison's Open Graph image, the
/// picture a shared link shows. Drawn once per comparison (a few
/// milliseconds, off the async threads; concurrent requests wait for one
/// drawing) and kept in the page cache. Other spellings move to the
/// canonical one; unknown topics get the comparison page's 404.
pub async fn og_image(
    State(state): State<AppState>,
    file: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Path(file) = file?;
    let Some(pair) = file.strip_suffix(".png") else {
        return Err(WebError::not_found(
            "not_found",
            "Open Graph images are /og/<a>-vs-<b>.png",
        ));
    };
    let found = key::resolve(&state.catalog, pair).map_err(|e| lookup::no_comparison(&state, e))?;
    let path = Urls::default().og_image(&found.key);
    if !found.canonical {
        return Ok(moved(&path).into_response());
    }
    let body = state
        .pages
        .0
        .get_or_insert_async(&path, async {
            let view = default_view(&state, &found.topics)?;
            let image = verdict_render::og::comparison(&view);
            let png = tokio::task::spawn_blocking(move || image.png())
                .await
                .map_err(WebError::internal)?;
            Ok::<_, WebError>(Arc::new(Prepared::compressed(PNG, PAGE_CACHE, png)))
        })
        .await?;
    Ok(body.respond(StatusCode::OK, &headers))
}

/// The comparison of `topics` as most readers see it (no personal
/// weights): what badges and Open Graph images are drawn from.
fn default_view<'s>(
    state: &'s AppState,
    topics: &[&Topic],
) -> Result<ComparisonView<'s>, WebError> {
    ComparisonView::build(
        &state.catalog,
        &state.site.urls,
        topics,
        &Default::default(),
    )
    .map_err(prefs::decide_error)
}

/// The content type of Open Graph images.
const PNG: &str = "image/png";

fn not_a_badge() -> WebError {
    WebError::not_found(
        "not_found",
        "badges are /badges/<a>-vs-<b>.svg and /badges/topics/<slug>.svg",
    )
}

pub async fn category(
    State(state): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Path(slug) = slug?;
    let catalog = &state.catalog;
    if catalog.category(&slug).is_none() {
        let lower = slug.to_lowercase();
        if catalog.category(&lower).is_some() {
            return Ok(moved(&format!(
                "/categories/{lower}{}",
                with_query(query.as_deref())
            ))
            .into_response());
        }
        let known = catalog
            .categories()
            .iter()
            .map(|c| Suggestion {
                slug: c.slug.clone(),
                name: c.name.clone(),
                url: state.site.urls.category(&c.slug),
            })
            .collect();
        return Err(WebError::not_found(
            "unknown_category",
            format!("we have no category `{slug}`"),
        )
        .with_suggestions(known));
    }
    let key = format!("/categories/{slug}");
    let page = state.pages.get_or_prepare(&key, || {
        let page = html::category(&state.site, catalog, &slug)
            .ok_or_else(|| WebError::not_found("unknown_category", "no such category"))?;
        Ok(Prepared::new(HTML, PAGE_CACHE, render(&page)?))
    })?;
    Ok(page.respond(StatusCode::OK, &headers))
}

/// Splits "react vs vue" (also "versus", "or") into its parts.
pub fn split_versus(q: &str) -> Option<Vec<String>> {
    let lower = q.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut parts: Vec<String> = vec![String::new()];
    for w in words {
        if matches!(w, "vs" | "vs." | "versus" | "or") {
            parts.push(String::new());
        } else {
            let last = parts.last_mut().expect("non-empty");
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(w);
        }
    }
    (parts.len() >= 2 && parts.len() <= 4 && parts.iter().all(|p| !p.is_empty())).then_some(parts)
}

pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| {
            WebError::bad_request("bad_query", format!("the query string is malformed: {e}"))
        })?;
    let q = pairs
        .into_iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v)
        .unwrap_or_default();
    let q = q.trim();
    if q.chars().count() > 200 {
        return Err(WebError::bad_request(
            "query_too_long",
            "a search can be at most 200 characters long",
        ));
    }
    let catalog = &state.catalog;
    if let Some(parts) = split_versus(q) {
        let found: Vec<&Topic> = parts
            .iter()
            .filter_map(|p| match search::resolve(catalog, p) {
                Resolved::Found(t) => Some(t),
                Resolved::Unknown(_) => None,
            })
            .collect();
        if found.len() == parts.len() {
            let key = ComparisonKey::of(&found);
            if key.slugs().len() >= 2 {
                return Ok(Redirect::to(&Urls::default().comparison(&key)).into_response());
            }
        }
    }
    let hits = search::search(catalog, q, 30);
    let exact: Vec<_> = hits
        .iter()
        .filter(|h| h.matched == MatchKind::Exact)
        .collect();
    // One exact name or alias match is what the reader meant, even when the
    // words also appear in other topics' descriptions.
    if exact.len() == 1 {
        return Ok(Redirect::to(&format!("/topics/{}", exact[0].slug)).into_response());
    }
    let suggestions = if hits.is_empty() && !q.is_empty() {
        search::suggest(catalog, q, 3)
    } else {
        Vec::new()
    };
    let page = html::search(&state.site, catalog, q, &hits, &suggestions);
    Ok(one_off(
        StatusCode::OK,
        &headers,
        HTML,
        "public, max-age=60",
        render(&page)?,
    ))
}

fn text_resource(
    state: &AppState,
    key: &str,
    content_type: &'static str,
    make: impl FnOnce() -> String,
    headers: &HeaderMap,
) -> Result<Response, WebError> {
    let page = state
        .pages
        .get_or_prepare(key, || Ok(Prepared::new(content_type, PAGE_CACHE, make())))?;
    Ok(page.respond(StatusCode::OK, headers))
}

pub async fn sitemap(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    text_resource(
        &state,
        "/sitemap.xml",
        "application/xml; charset=utf-8",
        || site::sitemap(&state.site, &state.catalog),
        &headers,
    )
}

pub async fn feed(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    text_resource(
        &state,
        "/feed.xml",
        "application/atom+xml; charset=utf-8",
        || site::feed(&state.site, &state.catalog),
        &headers,
    )
}

pub async fn robots(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    text_resource(
        &state,
        "/robots.txt",
        "text/plain; charset=utf-8",
        || site::robots(&state.site),
        &headers,
    )
}

pub async fn asset(
    State(state): State<AppState>,
    file: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Path(file) = file?;
    let path = format!("/assets/{file}");
    let Some(a) = assets::all().iter().find(|a| a.path == path) else {
        return Err(WebError::not_found(
            "unknown_asset",
            format!("no asset `{file}`"),
        ));
    };
    let page = state.pages.get_or_prepare(&path, || {
        Ok(Prepared::new(a.content_type, ASSET_CACHE, a.body))
    })?;
    Ok(page.respond(StatusCode::OK, &headers))
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    // Pages keep working when the vote database is down, so its state is
    // reported but does not fail the check.
    let votes = match state.vote_store() {
        None => "off",
        Some(store) => match store.health().await {
            Ok(()) => "ok",
            Err(e) => {
                tracing::warn!(error = %e, "vote store health check failed");
                "unavailable"
            }
        },
    };
    let body = serde_json::json!({
        "status": "ok",
        "topics": state.catalog.topics().len(),
        "editorials": state.catalog.editorials().len(),
        "votes": votes,
    });
    ([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}

/// Any other path: a 404 page that suggests what the reader may have meant.
pub async fn not_found(State(state): State<AppState>, uri: Uri) -> WebError {
    let last = uri
        .path()
        .trim_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_owned();
    let guess = last.replace(['-', '_'], " ");
    let suggestions = if guess.trim().is_empty() || guess.len() > search::MAX_NAME_BYTES {
        Vec::new()
    } else {
        search::suggest(&state.catalog, &guess, 4)
            .into_iter()
            .map(|t| lookup::suggestion(&state, t))
            .collect()
    };
    WebError::not_found(
        "not_found",
        format!("there is no page at {}", search::excerpt(uri.path())),
    )
    .with_suggestions(suggestions)
}
