//! The four handlers: the page's form (`GET`/`POST /compare/{pair}/votes`)
//! and the JSON API (`GET`/`POST /api/v1/comparisons/{pair}/votes`).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use verdict_render::Urls;
use verdict_render::html::script_json;
use verdict_store::Choice;

use crate::AppState;
use crate::error::WebError;

use super::Votes;
use super::input::{
    VoteInput, check_origin, checked, content_type_is, invalid_utf8, parse_form, rate_limited,
    read_body, store_error, votes_of,
};
use super::reader::ClientAddr;
use super::tally::{TallyJson, contested_rule, tally_json};
use super::target::{Target, target};

/// The content type each vote endpoint takes, and how to say so.
struct Accepts {
    content_type: &'static str,
    hint: &'static str,
}

const FORM: Accepts = Accepts {
    content_type: "application/x-www-form-urlencoded",
    hint: "send the vote form as application/x-www-form-urlencoded",
};

const JSON: Accepts = Accepts {
    content_type: "application/json",
    hint: "send the vote as application/json",
};

/// A vote request that passed the checks both endpoints make before
/// reading its fields.
struct Admitted<'a> {
    votes: Arc<Votes>,
    ip: Option<IpAddr>,
    target: Target<'a>,
    bytes: Bytes,
}

/// Votes on, a same-site origin, the address's rate limit (its 429 is the
/// `Err` response), the comparison, the content type, then the body, in
/// that order.
async fn admit<'a>(
    state: &'a AppState,
    pair: &str,
    addr: ClientAddr,
    headers: &HeaderMap,
    body: Body,
    accepts: Accepts,
) -> Result<Result<Admitted<'a>, Response>, WebError> {
    let votes = votes_of(state)?.clone();
    check_origin(state, headers)?;
    let ip = votes.client_ip(addr, headers);
    if let Err(wait) = votes.limiter.check(ip, Instant::now()) {
        return Ok(Err(rate_limited(wait)));
    }
    let target = target(state, &state.catalog, pair)?;
    if !content_type_is(headers, accepts.content_type) {
        return Err(WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            accepts.hint,
        ));
    }
    let bytes = read_body(headers, body).await?;
    Ok(Ok(Admitted {
        votes,
        ip,
        target,
        bytes,
    }))
}

/// `POST /compare/{pair}/votes`: the page's form.
pub async fn form_post(
    State(state): State<AppState>,
    pair: Result<Path<String>, PathRejection>,
    addr: ClientAddr,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let Path(pair) = pair?;
    let Admitted {
        votes,
        ip,
        target,
        bytes,
    } = match admit(&state, &pair, addr, &headers, body, FORM).await? {
        Ok(admitted) => admitted,
        Err(limited) => return Ok(limited),
    };
    let fields = parse_form(&bytes)?;
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let Some(token) = get("csrf").filter(|t| !t.is_empty()) else {
        return Err(WebError::new(
            StatusCode::FORBIDDEN,
            "csrf_missing",
            "the form token is missing; reload the page and vote again",
        ));
    };
    if !votes.token_ok(&token, ip).await? {
        return Err(WebError::new(
            StatusCode::FORBIDDEN,
            "csrf_invalid",
            "the form has expired; reload the page and vote again",
        ));
    }
    let back = format!("{}?voted=1#votes", Urls::default().comparison(&target.key));
    if get("website").is_some_and(|v| !v.is_empty()) {
        // The honeypot: people never see this field. Answer as if stored.
        tracing::info!(comparison = %target.key, "honeypot field filled; vote dropped");
        return Ok(see_other(&back));
    }
    let input = VoteInput {
        choice: get("choice"),
        reason: get("reason"),
        would_pick: get("would_pick"),
        token: None,
    };
    let ballot = checked(&target, input)?;
    votes.store_vote(&target, ip, ballot).await?;
    Ok(see_other(&back))
}

pub(super) fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, location.to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
    )
        .into_response()
}

/// `GET /compare/{pair}/votes`: someone followed the form's URL; send them
/// to the block on the page.
pub async fn form_get(
    State(state): State<AppState>,
    pair: Result<Path<String>, PathRejection>,
) -> Result<Response, WebError> {
    let Path(pair) = pair?;
    let catalog = state.catalog.clone();
    let target = target(&state, &catalog, &pair)?;
    Ok(see_other(&format!(
        "{}#votes",
        Urls::default().comparison(&target.key)
    )))
}

/// The JSON answer to a vote.
#[derive(Debug, Serialize)]
pub(super) struct Recorded {
    pub(super) id: i64,
    pub(super) comparison: String,
    pub(super) tally: TallyJson,
}

pub(super) fn json_response(
    status: StatusCode,
    value: &impl Serialize,
    cache: &'static str,
) -> Response {
    // `<`, `>` and `&` are \u-escaped: reasons stay inert even if a client
    // mistakes the JSON for HTML.
    let body = script_json(value);
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}

/// `POST /api/v1/comparisons/{pair}/votes`
pub async fn api_post(
    State(state): State<AppState>,
    pair: Result<Path<String>, PathRejection>,
    addr: ClientAddr,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let Path(pair) = pair.map_err(WebError::from)?;
    let Admitted {
        votes,
        ip,
        target,
        bytes,
    } = match admit(&state, &pair, addr, &headers, body, JSON).await? {
        Ok(admitted) => admitted,
        Err(limited) => return Ok(limited),
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| invalid_utf8())?;
    // serde reads a struct from an array too; a vote is an object.
    if !text.trim_start().starts_with('{') {
        return Err(WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_an_object",
            r#"a vote is a JSON object, such as {"choice": "agree", "token": "…"}"#,
        ));
    }
    let input: VoteInput = serde_json::from_str(text).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Data => WebError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_field",
                format!("the vote has a bad field: {e}"),
            ),
            _ => {
                WebError::bad_request("malformed_json", format!("the body is not valid JSON: {e}"))
            }
        }
    })?;
    let Some(token) = input.token.clone().filter(|t| !t.is_empty()) else {
        return Err(WebError::new(
            StatusCode::FORBIDDEN,
            "token_missing",
            format!(
                "a vote needs the reader's `token`: GET /api/v1/comparisons/{}/votes gives it",
                target.key
            ),
        ));
    };
    if !votes.token_ok(&token, ip).await? {
        return Err(WebError::new(
            StatusCode::FORBIDDEN,
            "token_invalid",
            "the vote token is not this reader's, or has expired; get a new one and vote again",
        ));
    }
    let ballot = checked(&target, input)?;
    let (id, tally) = votes.store_vote(&target, ip, ballot).await?;
    Ok(json_response(
        StatusCode::CREATED,
        &Recorded {
            id,
            comparison: target.key.to_string(),
            tally: tally_json(&tally),
        },
        "no-store",
    ))
}

#[derive(Debug, Serialize)]
pub(super) struct PublicReason<'a> {
    pub(super) choice: Choice,
    pub(super) would_pick: Option<&'a str>,
    pub(super) reason: &'a str,
    pub(super) day: &'a str,
}

/// `GET /api/v1/comparisons/{pair}/votes`: the tally, the latest public
/// reasons, and this reader's vote token.
pub async fn api_get(
    State(state): State<AppState>,
    pair: Result<Path<String>, PathRejection>,
    addr: ClientAddr,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Path(pair) = pair.map_err(WebError::from)?;
    let votes = votes_of(&state)?.clone();
    let catalog = state.catalog.clone();
    let target = target(&state, &catalog, &pair)?;
    let token = votes
        .token_for(votes.client_ip(addr, &headers))
        .await
        .map_err(store_error)?;
    let snap = votes
        .snapshot(target.key.as_str())
        .await
        .map_err(store_error)?;
    let reasons: Vec<PublicReason<'_>> = snap
        .reasons
        .iter()
        .map(|v| PublicReason {
            choice: v.choice,
            would_pick: v.would_pick.as_deref(),
            reason: v.reason.as_deref().unwrap_or(""),
            day: &v.day,
        })
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &serde_json::json!({
            "comparison": target.key.as_str(),
            "tally": tally_json(&snap.tally),
            "reasons": reasons,
            "contested_rule": contested_rule(),
            "token": token,
        }),
        // The token is this reader's: no shared cache may keep the answer.
        "private, no-cache",
    ))
}
