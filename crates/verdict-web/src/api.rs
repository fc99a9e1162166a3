//! The JSON API under `/api/v1`. Its own serializable types; every error is
//! the one envelope. Documented in `openapi.json` (a test checks that the
//! document and the router agree).

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use verdict_core::key;
use verdict_core::model::{Kind, Topic};
use verdict_core::search::{self, MatchKind, Resolved};
use verdict_render::ComparisonView;

use crate::AppState;
use crate::body::{Prepared, one_off};
use crate::error::{Suggestion, WebError};
use crate::lookup;
use crate::prefs;
use crate::resources::{self, TopicSummary};
use crate::splice::{Fill, Spliced};

const JSON: &str = "application/json";
const API_CACHE: &str = "public, max-age=300";

fn json<T: Serialize>(headers: &HeaderMap, value: &T) -> Result<Response, WebError> {
    let body = serde_json::to_string(value).map_err(WebError::internal)?;
    Ok(body_response(headers, body))
}

/// A body from [`resources`], which the static export writes too.
fn body_response(headers: &HeaderMap, body: String) -> Response {
    one_off(StatusCode::OK, headers, JSON, API_CACHE, body)
}

fn query_pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, WebError> {
    serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|e| {
        WebError::bad_request("bad_query", format!("the query string is malformed: {e}"))
    })
}

fn summary<'a>(state: &AppState, t: &'a Topic) -> TopicSummary<'a> {
    resources::summary(&state.site.urls, t)
}

fn suggestions(state: &AppState, topics: &[&Topic]) -> Vec<Suggestion> {
    topics
        .iter()
        .map(|t| Suggestion {
            slug: t.slug.clone(),
            name: t.name.clone(),
            url: state.site.urls.topic(&t.slug),
        })
        .collect()
}

/// `GET /api/v1/topics?category=&kind=`
pub async fn topics(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let mut category = None;
    let mut kind = None;
    for (k, v) in query_pairs(raw.as_deref())? {
        match k.as_str() {
            "category" => {
                if state.catalog.category(&v).is_none() {
                    return Err(WebError::bad_request(
                        "unknown_category",
                        format!("category `{v}` does not exist"),
                    ));
                }
                category = Some(v);
            }
            "kind" => {
                kind = Some(Kind::parse(&v).ok_or_else(|| {
                    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                    WebError::bad_request(
                        "unknown_kind",
                        format!("kind `{v}` does not exist; kinds are {}", kinds.join(", ")),
                    )
                })?);
            }
            _ => {}
        }
    }
    Ok(body_response(
        &headers,
        resources::topics(&state.site, &state.catalog, category.as_deref(), kind),
    ))
}

/// `GET /api/v1/topics/{slug}` (slug, alias or name)
pub async fn topic(
    State(state): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Path(slug) = slug.map_err(WebError::from)?;
    let resolved = match state.catalog.topic(&slug) {
        Some(t) => Resolved::Found(t),
        // No name is this long: answer at once, without looking it up.
        None if slug.len() > search::MAX_NAME_BYTES => Resolved::Unknown(Vec::new()),
        None => search::resolve(&state.catalog, &slug.replace(['-', '_'], " ")),
    };
    let t = match resolved {
        Resolved::Found(t) => t,
        Resolved::Unknown(ts) => {
            return Err(WebError::not_found(
                "unknown_topic",
                format!("topic `{}` does not exist", search::excerpt(&slug)),
            )
            .with_suggestions(suggestions(&state, &ts)));
        }
    };
    Ok(body_response(
        &headers,
        resources::topic(&state.site, &state.catalog, t),
    ))
}

/// `GET /api/v1/categories`
pub async fn categories(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    Ok(body_response(
        &headers,
        resources::categories(&state.site, &state.catalog),
    ))
}

/// `GET /api/v1/criteria`: criteria and reader profiles.
pub async fn criteria(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    Ok(body_response(&headers, resources::criteria(&state.catalog)))
}

/// `GET /api/v1/comparisons/{a}-vs-{b}[-vs-…]?profile=&w.<criterion>=`
pub async fn comparison(
    State(state): State<AppState>,
    pair: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Path(pair) = pair.map_err(WebError::from)?;
    let catalog = &state.catalog;
    let found = key::resolve(catalog, &pair).map_err(|e| lookup::no_comparison(&state, e))?;
    let topics = found.topics;
    let prefs = prefs::parse(raw.as_deref()).and_then(|p| prefs::canonical(catalog, &topics, p))?;
    let build = || -> Result<String, WebError> {
        let view = ComparisonView::build(catalog, &state.site.urls, &topics, &prefs)
            .map_err(prefs::decide_error)?;
        Ok(resources::comparison(&view))
    };
    let key = found.key.to_string();
    let Some(votes) = &state.votes else {
        if !prefs.is_default() {
            return Ok(body_response(&headers, build()?));
        }
        // The same bytes as the static export's file for this comparison.
        let body = state
            .pages
            .get_or_prepare(&format!("/api/v1/comparisons/{key}"), || {
                Ok(Prepared::new(JSON, API_CACHE, build()?))
            })?;
        return Ok(body.respond(StatusCode::OK, &headers));
    };
    // The static export writes the same JSON without `votes`; here the live
    // tally goes in as the last member.
    let tally = format!(",\"votes\":{}", votes.tally_json(&key).await);
    if !prefs.is_default() {
        return Ok(body_response(&headers, last_member(&build()?, &tally)));
    }
    let spliced = match state.api_json.get(&key) {
        Some(s) => s,
        None => {
            let with_hole = last_member(&build()?, VOTES_HOLE);
            let s = Arc::new(
                Spliced::new(&with_hole, &[VOTES_HOLE])
                    .ok_or_else(|| WebError::internal("comparison JSON without its end"))?,
            );
            state.api_json.insert(key, s.clone());
            s
        }
    };
    Ok(spliced.respond(&headers, &[Fill::Raw(tally.as_bytes())], JSON, API_CACHE))
}

/// Where the tally goes in a cached comparison JSON: a NUL, which JSON text
/// never holds unescaped.
const VOTES_HOLE: &str = "\0";

/// The JSON object `body` with `member` (`,"name":value`) added last.
fn last_member(body: &str, member: &str) -> String {
    let inner = body.strip_suffix('}').expect("a JSON object");
    format!("{inner}{member}}}")
}

#[derive(Debug, Serialize)]
struct SearchHit<'a> {
    #[serde(flatten)]
    topic: TopicSummary<'a>,
    matched: MatchKind,
}

/// `GET /api/v1/search?q=`
pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Some(q) = query_pairs(raw.as_deref())?
        .into_iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v)
    else {
        return Err(WebError::bad_request(
            "missing_query",
            "give a search query as `q`, for example ?q=postgres",
        ));
    };
    let q = q.trim();
    if q.chars().count() > 200 {
        return Err(WebError::bad_request(
            "query_too_long",
            "a search can be at most 200 characters long",
        ));
    }
    let found = if q.is_empty() {
        Vec::new()
    } else {
        search::search(&state.catalog, q, 30)
    };
    let hits: Vec<SearchHit<'_>> = found
        .into_iter()
        .map(|h| SearchHit {
            topic: summary(&state, h.topic),
            matched: h.matched,
        })
        .collect();
    // A blank query finds nothing and suggests nothing; it is not an error.
    let did_you_mean = if hits.is_empty() && !q.is_empty() {
        suggestions(&state, &search::suggest(&state.catalog, q, 3))
    } else {
        Vec::new()
    };
    json(
        &headers,
        &serde_json::json!({ "query": q, "count": hits.len(), "results": hits, "did_you_mean": did_you_mean }),
    )
}

/// `GET /api/v1/openapi.json`
pub async fn openapi(State(state): State<AppState>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        state.openapi.clone(),
    )
        .into_response()
}

pub async fn not_found(uri: Uri) -> WebError {
    WebError::not_found(
        "not_found",
        format!(
            "there is no API endpoint at {}; see /api/v1/openapi.json",
            uri.path()
        ),
    )
}
