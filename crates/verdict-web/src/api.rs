//! The JSON API under `/api/v1`. Its own serializable types; every error is
//! the one envelope. Documented in `openapi.json` (a test checks that the
//! document and the router agree).

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use verdict_core::model::{Kind, Topic};
use verdict_core::search::{self, MatchKind, Resolved};
use verdict_render::urls::split_pair;
use verdict_render::{ComparisonView, html};

use crate::AppState;
use crate::body::one_off;
use crate::error::{Suggestion, WebError};
use crate::prefs;

const JSON: &str = "application/json";
const API_CACHE: &str = "public, max-age=300";

pub const OPENAPI: &str = include_str!("openapi.json");

fn json<T: Serialize>(headers: &HeaderMap, value: &T) -> Result<Response, WebError> {
    let body = serde_json::to_string(value).map_err(WebError::internal)?;
    Ok(one_off(StatusCode::OK, headers, JSON, API_CACHE, body))
}

fn query_pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, WebError> {
    serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| WebError::bad_request("bad_query", format!("the query string is malformed: {e}")).api())
}

#[derive(Debug, Serialize)]
struct TopicSummary<'a> {
    slug: &'a str,
    name: &'a str,
    kind: Kind,
    category: &'a str,
    tagline: &'a str,
    url: String,
    api_url: String,
}

fn summary<'a>(state: &AppState, t: &'a Topic) -> TopicSummary<'a> {
    TopicSummary {
        slug: &t.slug,
        name: &t.name,
        kind: t.kind,
        category: &t.category,
        tagline: &t.tagline,
        url: state.site.urls.topic(&t.slug),
        api_url: format!("/api/v1/topics/{}", t.slug),
    }
}

fn suggestions(state: &AppState, topics: &[&Topic]) -> Vec<Suggestion> {
    topics
        .iter()
        .map(|t| Suggestion { slug: t.slug.clone(), name: t.name.clone(), url: state.site.urls.topic(&t.slug) })
        .collect()
}

/// `GET /api/v1/topics?category=&kind=`
pub async fn topics(State(state): State<AppState>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Result<Response, WebError> {
    let mut category = None;
    let mut kind = None;
    for (k, v) in query_pairs(raw.as_deref())? {
        match k.as_str() {
            "category" => {
                if state.catalog.category(&v).is_none() {
                    return Err(WebError::bad_request("unknown_category", format!("category `{v}` does not exist")).api());
                }
                category = Some(v);
            }
            "kind" => {
                kind = Some(Kind::parse(&v).ok_or_else(|| {
                    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                    WebError::bad_request("unknown_kind", format!("kind `{v}` does not exist; kinds are {}", kinds.join(", "))).api()
                })?);
            }
            _ => {}
        }
    }
    let list: Vec<TopicSummary<'_>> = state
        .catalog
        .topics()
        .iter()
        .filter(|t| category.as_ref().is_none_or(|c| &t.category == c))
        .filter(|t| kind.is_none_or(|k| t.kind == k))
        .map(|t| summary(&state, t))
        .collect();
    json(&headers, &serde_json::json!({ "count": list.len(), "topics": list }))
}

/// `GET /api/v1/topics/{slug}` (slug, alias or name)
pub async fn topic(State(state): State<AppState>, Path(slug): Path<String>, headers: HeaderMap) -> Result<Response, WebError> {
    let resolved = match state.catalog.topic(&slug) {
        Some(t) => Resolved::Found(t),
        None => search::resolve(&state.catalog, &slug.replace(['-', '_'], " ")),
    };
    let t = match resolved {
        Resolved::Found(t) => t,
        Resolved::Corrected(t) => {
            return Err(WebError::not_found("unknown_topic", format!("topic `{slug}` does not exist"))
                .with_suggestions(suggestions(&state, &[t]))
                .api());
        }
        Resolved::Unknown(ts) => {
            return Err(WebError::not_found("unknown_topic", format!("topic `{slug}` does not exist"))
                .with_suggestions(suggestions(&state, &ts))
                .api());
        }
    };
    let compared: Vec<TopicSummary<'_>> = html::compared_with(&state.catalog, t).into_iter().map(|o| summary(&state, o)).collect();
    json(
        &headers,
        &serde_json::json!({
            "topic": t,
            "url": state.site.urls.topic(&t.slug),
            "compared_with": compared,
        }),
    )
}

/// `GET /api/v1/categories`
pub async fn categories(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    let list: Vec<serde_json::Value> = state
        .catalog
        .categories()
        .iter()
        .map(|c| {
            serde_json::json!({
                "slug": c.slug,
                "name": c.name,
                "description": c.description,
                "topics": state.catalog.topics_in(&c.slug).count(),
                "weights": c.weights.iter().map(|(id, w)| serde_json::json!({"criterion": id, "weight": w})).collect::<Vec<_>>(),
                "url": state.site.urls.category(&c.slug),
            })
        })
        .collect();
    json(&headers, &serde_json::json!({ "categories": list }))
}

/// `GET /api/v1/criteria`: criteria and reader profiles.
pub async fn criteria(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    json(
        &headers,
        &serde_json::json!({
            "criteria": state.catalog.criteria(),
            "profiles": state.catalog.profiles(),
        }),
    )
}

/// `GET /api/v1/comparisons/{a}-vs-{b}[-vs-…]?profile=&w.<criterion>=`
pub async fn comparison(
    State(state): State<AppState>,
    Path(pair): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let catalog = &state.catalog;
    let parts = split_pair(&pair);
    if !(2..=4).contains(&parts.len()) {
        return Err(WebError::bad_request("bad_comparison", "a comparison names 2 to 4 topics joined by `-vs-`, like go-vs-rust").api());
    }
    let mut topics = Vec::new();
    for p in &parts {
        match catalog.topic(p).map(Resolved::Found).unwrap_or_else(|| search::resolve(catalog, &p.replace(['-', '_'], " "))) {
            Resolved::Found(t) => topics.push(t),
            Resolved::Corrected(t) => {
                return Err(WebError::not_found("unknown_topic", format!("topic `{p}` does not exist"))
                    .with_suggestions(suggestions(&state, &[t]))
                    .api());
            }
            Resolved::Unknown(ts) => {
                let ts = if ts.is_empty() { search::suggest(catalog, p, 3) } else { ts };
                return Err(WebError::not_found("unknown_topic", format!("topic `{p}` does not exist"))
                    .with_suggestions(suggestions(&state, &ts))
                    .api());
            }
        }
    }
    let prefs = prefs::parse(raw.as_deref())
        .and_then(|p| prefs::canonical(catalog, &topics, p))
        .map_err(WebError::api)?;
    let view = ComparisonView::build(catalog, &state.site.urls, &topics, &prefs).map_err(|e| prefs::decide_error(e).api())?;
    json(&headers, &view)
}

#[derive(Debug, Serialize)]
struct SearchHit<'a> {
    #[serde(flatten)]
    topic: TopicSummary<'a>,
    matched: MatchKind,
}

/// `GET /api/v1/search?q=`
pub async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Result<Response, WebError> {
    let q = query_pairs(raw.as_deref())?.into_iter().find(|(k, _)| k == "q").map(|(_, v)| v).unwrap_or_default();
    let q = q.trim();
    if q.is_empty() {
        return Err(WebError::bad_request("missing_query", "give a search query as `q`, for example ?q=postgres").api());
    }
    if q.chars().count() > 200 {
        return Err(WebError::bad_request("query_too_long", "a search can be at most 200 characters long").api());
    }
    let hits: Vec<SearchHit<'_>> = search::search(&state.catalog, q, 30)
        .into_iter()
        .map(|h| SearchHit { topic: summary(&state, h.topic), matched: h.matched })
        .collect();
    let did_you_mean = if hits.is_empty() { suggestions(&state, &search::suggest(&state.catalog, q, 3)) } else { Vec::new() };
    json(&headers, &serde_json::json!({ "query": q, "count": hits.len(), "results": hits, "did_you_mean": did_you_mean }))
}

/// `GET /api/v1/openapi.json`
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=300")], OPENAPI).into_response()
}

pub async fn not_found(uri: Uri) -> WebError {
    WebError::not_found("not_found", format!("there is no API endpoint at {}; see /api/v1/openapi.json", uri.path())).api()
}
