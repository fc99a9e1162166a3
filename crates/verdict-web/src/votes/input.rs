//! What a vote request must be: its origin, content type, body and fields,
//! checked into a [`Ballot`]; and how store and rate-limit failures answer.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use verdict_store::{Choice, MAX_REASON_CHARS, NewVote, StoreError, Tally};

use crate::AppState;
use crate::error::WebError;

use super::reader::{form_token, reader_hash, reader_of, same, today, yesterday};
use super::target::Target;
use super::{MAX_BODY, Votes};

/// A vote as the JSON API takes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VoteInput {
    pub(super) choice: Option<String>,
    #[serde(default)]
    pub(super) reason: Option<String>,
    #[serde(default)]
    pub(super) would_pick: Option<String>,
    /// The reader's vote token (the form sends it as `csrf`).
    #[serde(default)]
    pub(super) token: Option<String>,
}

/// A vote that passed every check, ready to store.
#[derive(Debug)]
pub(super) struct Ballot {
    pub(super) choice: Choice,
    pub(super) would_pick: Option<String>,
    pub(super) reason: Option<String>,
}

/// Checks the fields every vote shares; the error says which is wrong.
pub(super) fn checked(target: &Target<'_>, input: VoteInput) -> Result<Ballot, WebError> {
    let unprocessable =
        |code, msg: String| WebError::new(StatusCode::UNPROCESSABLE_ENTITY, code, msg);
    let choice = input
        .choice
        .as_deref()
        .map(str::trim)
        .and_then(Choice::parse)
        .ok_or_else(|| {
            unprocessable(
                "bad_choice",
                "`choice` must be `agree` or `disagree`".into(),
            )
        })?;
    let reason = input
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if let Some(r) = &reason {
        let n = r.chars().count();
        if n > MAX_REASON_CHARS {
            return Err(unprocessable(
                "reason_too_long",
                format!(
                    "a reason can be at most {MAX_REASON_CHARS} characters long; this one has {n}"
                ),
            ));
        }
        if r.chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(unprocessable(
                "bad_reason",
                "a reason cannot contain control characters".into(),
            ));
        }
    }
    let would_pick = input
        .would_pick
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    if let Some(p) = &would_pick
        && !target.topics.iter().any(|t| &t.slug == p)
    {
        let slugs: Vec<String> = target
            .topics
            .iter()
            .map(|t| format!("`{}`", t.slug))
            .collect();
        return Err(unprocessable(
            "bad_pick",
            format!(
                "`would_pick` must be one of {}, not `{p}`",
                verdict_core::text::join_or(&slugs)
            ),
        ));
    }
    Ok(Ballot {
        choice,
        would_pick,
        reason,
    })
}

/// Rejects requests from other sites' pages. Scripts and tools send no
/// `Origin`; browsers always send it on a POST.
pub(super) fn check_origin(state: &AppState, headers: &HeaderMap) -> Result<(), WebError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or("null").trim_end_matches('/');
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let base = state.site.urls.absolute("");
    let ours = (!base.is_empty() && origin.eq_ignore_ascii_case(base.trim_end_matches('/')))
        || (!host.is_empty()
            && (origin.eq_ignore_ascii_case(&format!("http://{host}"))
                || origin.eq_ignore_ascii_case(&format!("https://{host}"))));
    if ours {
        Ok(())
    } else {
        Err(WebError::new(
            StatusCode::FORBIDDEN,
            "cross_origin",
            format!("votes cannot be sent from another site (`{origin}`)"),
        ))
    }
}

pub(super) fn content_type_is(headers: &HeaderMap, want: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(want))
}

pub(super) async fn read_body(headers: &HeaderMap, body: Body) -> Result<bytes::Bytes, WebError> {
    let too_large = || {
        WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("a vote can be at most {} KiB", MAX_BODY / 1024),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| too_large())
}

pub(super) fn invalid_utf8() -> WebError {
    WebError::bad_request("invalid_utf8", "the request body is not valid UTF-8")
}

/// `application/x-www-form-urlencoded`, strictly: every name and value
/// must decode to UTF-8.
pub(super) fn parse_form(body: &[u8]) -> Result<Vec<(String, String)>, WebError> {
    pub(super) fn decode(s: &[u8]) -> Result<String, WebError> {
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < s.len() => {
                    let hexval = |c: u8| (c as char).to_digit(16);
                    match (hexval(s[i + 1]), hexval(s[i + 2])) {
                        (Some(h), Some(l)) => {
                            out.push((h * 16 + l) as u8);
                            i += 2;
                        }
                        _ => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).map_err(|_| invalid_utf8())
    }
    std::str::from_utf8(body).map_err(|_| invalid_utf8())?;
    body.split(|b| *b == b'&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = match p.iter().position(|b| *b == b'=') {
                Some(i) => (&p[..i], &p[i + 1..]),
                None => (p, &[][..]),
            };
            Ok((decode(k)?, decode(v)?))
        })
        .collect()
}

pub(super) fn votes_of(state: &AppState) -> Result<&Arc<Votes>, WebError> {
    state.votes.as_ref().ok_or_else(|| {
        WebError::not_found("votes_off", "reader votes are not turned on on this server")
    })
}

pub(super) fn store_error(e: StoreError) -> WebError {
    match e {
        StoreError::Conflict(_) => WebError::new(
            StatusCode::CONFLICT,
            "already_voted",
            "you already voted on this comparison today; thank you",
        ),
        StoreError::Unavailable(msg) => {
            tracing::warn!(error = %msg, "vote store unavailable");
            WebError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "votes_unavailable",
                "votes cannot be stored right now; please try again in a minute",
            )
        }
        StoreError::NotFound(msg) => WebError::not_found("not_found", msg),
        StoreError::Other(msg) => WebError::internal(msg),
    }
}

/// 429 with `Retry-After` (the HTML error page keeps it too).
pub(super) fn rate_limited(wait: Duration) -> Response {
    let err = WebError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "too many votes from your address; please wait a minute",
    );
    let mut res = err.into_response();
    res.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(wait.as_secs().max(1)),
    );
    res
}

impl Votes {
    pub(super) async fn store_vote(
        &self,
        target: &Target<'_>,
        ip: Option<IpAddr>,
        ballot: Ballot,
    ) -> Result<(i64, Tally), WebError> {
        let (now, day) = today();
        let salt = self.salt(&day).await.map_err(store_error)?;
        let Ballot {
            choice,
            would_pick,
            reason,
        } = ballot;
        let vote = NewVote {
            comparison: target.key.to_string(),
            choice,
            would_pick,
            reason,
            reader: Some(reader_hash(&salt, target.key.as_str(), &reader_of(ip))),
            at: now,
        };
        let recorded = self.store.record(vote).await.map_err(store_error)?;
        // The counts come from the commit itself, so answering costs no
        // read; the picks are the cached ones (at most `tally_ttl` old).
        let mut tally = recorded.tally;
        if let Some(cached) = self.snapshots.get(target.key.as_str()) {
            tally.picks = cached.tally.picks.clone();
        }
        self.voted.add(target.key.as_str());
        self.forget(Some(target.key.as_str()));
        Ok((recorded.id, tally))
    }

    /// Today's vote token for the reader at `ip`.
    pub(super) async fn token_for(&self, ip: Option<IpAddr>) -> Result<String, StoreError> {
        let (_, day) = today();
        Ok(form_token(&self.salt(&day).await?, &reader_of(ip)))
    }

    /// Whether `token` is this reader's token for today or yesterday.
    pub(super) async fn token_ok(&self, token: &str, ip: Option<IpAddr>) -> Result<bool, WebError> {
        let (_, day) = today();
        let reader = reader_of(ip);
        for d in [day.clone(), yesterday(&day)] {
            let salt = self.salt(&d).await.map_err(store_error)?;
            if same(form_token(&salt, &reader).as_bytes(), token.as_bytes()) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
