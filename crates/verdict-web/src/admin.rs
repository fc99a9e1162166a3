//! `/api/v1/admin/…`: vote moderation over HTTP, the same as
//! `verdict votes list|export|hide`.
//!
//! Off unless the server was given a bearer token (`VERDICT_ADMIN_TOKEN`):
//! without one every admin path answers 404, as if it did not exist. With
//! one, a request without `Authorization: Bearer <token>` gets 401. These
//! routes sit outside the API's CORS layer: no other site's page may call
//! them.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use verdict_core::key::{self, ComparisonKey};
use verdict_store::{StoreError, Vote};

use crate::AppState;
use crate::error::WebError;
use crate::votes::Votes;

/// Most votes one list request returns.
const MAX_LIST: u32 = 1000;

fn unauthorized() -> WebError {
    WebError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "send the admin token as `Authorization: Bearer <token>`",
    )
}

/// The error as a response; a 401 says how to authenticate.
fn deny(e: WebError) -> Response {
    let challenge = e.status == StatusCode::UNAUTHORIZED;
    let mut res = e.into_response();
    if challenge {
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"verdict admin\""),
        );
    }
    res
}

/// The votes runtime, if the caller holds the admin token.
fn authorised<'a>(state: &'a AppState, headers: &HeaderMap) -> Result<&'a Votes, WebError> {
    // No token can succeed while the admin API is off: a 401 like any
    // other refused credential, with its own code to say why.
    let off = || {
        WebError::new(
            StatusCode::UNAUTHORIZED,
            "admin_off",
            "the admin API is off; start the server with VERDICT_ADMIN_TOKEN set to turn it on",
        )
    };
    let votes = state.votes.as_deref().ok_or_else(off)?;
    let want = votes.settings.admin_token.as_deref().ok_or_else(off)?;
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or_else(unauthorized)?;
    if same(given.as_bytes(), want.as_bytes()) {
        Ok(votes)
    } else {
        Err(unauthorized())
    }
}

/// Compares secrets in time independent of where they differ.
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn store_error(e: StoreError) -> WebError {
    match e {
        StoreError::NotFound(m) => WebError::not_found("unknown_vote", m),
        StoreError::Unavailable(m) => {
            WebError::new(StatusCode::SERVICE_UNAVAILABLE, "votes_unavailable", m)
        }
        other => WebError::internal(other),
    }
}

fn query(raw: Option<&str>) -> Result<Vec<(String, String)>, WebError> {
    serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|e| {
        WebError::bad_request("bad_query", format!("the query string is malformed: {e}"))
    })
}

fn canonical_comparison(s: &str) -> String {
    let lower = s.to_lowercase();
    ComparisonKey::new(&key::split(&lower)).to_string()
}

#[derive(Debug, Serialize)]
struct VoteList<'a> {
    count: usize,
    votes: &'a [Vote],
}

fn no_store_json(value: &impl Serialize) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        verdict_render::html::script_json(value),
    )
        .into_response()
}

/// `GET /api/v1/admin/votes?comparison=a-vs-b&contested=true&limit=100`
pub async fn list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let votes = authorised(&state, &headers).map_err(deny)?;
    let mut comparison = None;
    let mut contested = false;
    let mut limit = 100;
    for (k, v) in query(raw.as_deref()).map_err(IntoResponse::into_response)? {
        match k.as_str() {
            "comparison" if !v.is_empty() => comparison = Some(canonical_comparison(&v)),
            "contested" => contested = matches!(v.as_str(), "" | "1" | "true" | "yes"),
            "limit" => {
                limit = v
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=MAX_LIST).contains(n))
                    .ok_or_else(|| {
                        WebError::bad_request(
                            "bad_limit",
                            format!("`limit` must be a number from 1 to {MAX_LIST}"),
                        )
                        .into_response()
                    })?;
            }
            _ => {}
        }
    }
    let list =
        verdict_store::moderation_list(&*votes.store, comparison.as_deref(), contested, limit)
            .await
            .map_err(|e| store_error(e).into_response())?;
    Ok(no_store_json(&VoteList {
        count: list.len(),
        votes: &list,
    }))
}

/// `GET /api/v1/admin/votes/export?format=csv|json`
pub async fn export(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let votes = authorised(&state, &headers).map_err(deny)?;
    let format = query(raw.as_deref())
        .map_err(IntoResponse::into_response)?
        .into_iter()
        .find(|(k, _)| k == "format")
        .map_or_else(|| "json".to_owned(), |(_, v)| v);
    if format != "csv" && format != "json" {
        return Err(WebError::bad_request(
            "bad_format",
            format!("`format` must be `csv` or `json`, not `{format}`"),
        )
        .into_response());
    }
    let all = verdict_store::all_votes(&*votes.store)
        .await
        .map_err(|e| store_error(e).into_response())?;
    if format == "csv" {
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"votes.csv\"",
                ),
            ],
            verdict_store::export::csv(&all),
        )
            .into_response());
    }
    Ok(no_store_json(&VoteList {
        count: all.len(),
        votes: &all,
    }))
}

/// `POST /api/v1/admin/votes/{id}/hide`
pub async fn hide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let votes = authorised(&state, &headers).map_err(deny)?;
    let id: i64 = id.parse().map_err(|_| {
        WebError::bad_request("bad_vote_id", format!("a vote id is a number, not `{id}`"))
            .into_response()
    })?;
    votes
        .store
        .hide(id)
        .await
        .map_err(|e| store_error(e).into_response())?;
    // Hidden reasons must leave every public page now, not in a second.
    votes.forget(None);
    tracing::info!(vote = id, "vote reason hidden by a moderator");
    Ok(no_store_json(
        &serde_json::json!({ "id": id, "hidden": true }),
    ))
}
