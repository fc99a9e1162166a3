//! Reader votes: "do you agree with our pick?"
//!
//! * `POST /compare/{pair}/votes`: the page's form (works without
//!   JavaScript): checks the form token, stores the vote, answers `303` back
//!   to the page with a thank-you.
//! * `POST /api/v1/comparisons/{pair}/votes`: the same as JSON (the page
//!   script uses it to vote in place); `GET` there gives the tally and the
//!   latest public reasons.
//!
//! **Surprising state.** The comparison page stays a ready-made, compressed
//! body; the votes block is spliced into it per request ([`crate::splice`]). The
//! block's tally and reasons are re-read from the store at most once per
//! `tally_ttl` per comparison (and at once after a vote through this
//! process), so page views do not hit the database. Per-address rate
//! limits live in memory, per process.
//!
//! **Privacy.** A reader is `HMAC-SHA256(daily salt, comparison, address)`,
//! truncated to 128 bits (IPv6 by /64): the store never sees an address,
//! the hash differs per comparison (no tracking across pages), and the
//! salt is deleted after two days, after which no hash can be recomputed.
//! Nothing a client chooses (a User-Agent, a cookie) is part of it, so
//! changing one does not make a new reader. The vote token (the form's
//! hidden field, and `token` in the JSON API) is the same kind of HMAC of
//! the address, so no cookie is needed. docs/VOTES.md has the threat model.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use verdict_core::decide::Preferences;
use verdict_core::model::{Catalog, Topic};
use verdict_render::ComparisonView;
use verdict_render::html::script_json;
use verdict_render::urls::split_pair;
use verdict_render::votes::{
    ContestedItem, ContestedList, PickOption, ReasonView, TOKEN_PLACEHOLDER, VotesBlock,
};
use verdict_store::{
    Choice, ListFilter, MAX_REASON_CHARS, NewVote, StoreError, Tally, Vote, VoteStore,
};

use crate::AppState;
use crate::cache::{ByteCache, Weigh};
use crate::error::{Suggestion, WebError};

use crate::splice::{Fill, HTML, PRIVATE, Packed, Spliced};

/// Where the votes block goes in a rendered comparison page.
pub const MARKER: &str = "<!--verdict:votes-->";

/// Largest vote body accepted: a 1,000-character reason percent-encoded
/// (up to 12 bytes per character) plus the other fields.
pub const MAX_BODY: usize = 16 * 1024;

/// Public reasons shown with a tally.
const PUBLIC_REASONS: u32 = 5;

/// How long the home page's contested list is reused.
const CONTESTED_TTL: Duration = Duration::from_secs(30);

/// Comparisons in the home page's contested list.
const CONTESTED_SHOWN: usize = 8;

type HmacSha256 = Hmac<Sha256>;

/// How votes behave on this server.
#[derive(Debug, Clone)]
pub struct VoteSettings {
    /// Votes one address may send per minute (also the burst); 0 turns
    /// the limit off (benchmarks only).
    pub rate_per_minute: u32,
    /// Bearer token for `/api/v1/admin/…`; `None` turns the admin API off.
    pub admin_token: Option<String>,
    /// How long a comparison's tally and reasons are reused for pages.
    pub tally_ttl: Duration,
    /// Take the reader's address from this header instead of the
    /// connection: the entry `trusted_proxies` from the right, across every
    /// line of the header (each proxy appends one).
    pub client_ip_header: Option<String>,
    /// Reverse proxies in front of the server that append to
    /// `client_ip_header` (1 for one load balancer).
    pub trusted_proxies: usize,
}

impl VoteSettings {
    /// Checks what the server cannot start without.
    pub fn check(&self) -> Result<(), String> {
        if let Some(h) = &self.client_ip_header {
            h.parse::<HeaderName>()
                .map_err(|_| format!("`{h}` is not a header name"))?;
            if self.trusted_proxies == 0 {
                return Err("a client address header needs at least one trusted proxy".into());
            }
        }
        Ok(())
    }
}

impl Default for VoteSettings {
    fn default() -> Self {
        VoteSettings {
            rate_per_minute: 10,
            admin_token: None,
            tally_ttl: Duration::from_secs(1),
            client_ip_header: None,
            trusted_proxies: 1,
        }
    }
}

/// Everything votes need at run time.
pub struct Votes {
    pub store: Arc<dyn VoteStore>,
    pub(crate) settings: VoteSettings,
    limiter: RateLimiter,
    client_ip_header: Option<HeaderName>,
    snapshots: ByteCache<Snapshot>,
    pages: ByteCache<SplicedPage>,
    salts: Mutex<Vec<(String, [u8; 32])>>,
    contested: tokio::sync::Mutex<Option<(Instant, Arc<String>)>>,
}

impl std::fmt::Debug for Votes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Votes")
            .field("store", &self.store)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Votes {
    /// Votes kept in `store`, with at most `cache_bytes` of tallies and
    /// pages cached.
    pub fn new(store: Arc<dyn VoteStore>, settings: VoteSettings, cache_bytes: u64) -> Votes {
        Votes {
            store,
            limiter: RateLimiter::new(settings.rate_per_minute),
            client_ip_header: settings
                .client_ip_header
                .as_deref()
                .and_then(|h| h.parse().ok()),
            settings,
            snapshots: ByteCache::new(cache_bytes / 4),
            pages: ByteCache::new(cache_bytes - cache_bytes / 4),
            salts: Mutex::new(Vec::new()),
            contested: tokio::sync::Mutex::new(None),
        }
    }
}

impl Votes {
    /// The votes caches' names, bytes held and budgets.
    pub(crate) fn cache_stats(&self) -> [(&'static str, u64, u64); 2] {
        [
            (
                "votes_tallies",
                self.snapshots.bytes(),
                self.snapshots.budget(),
            ),
            ("votes_pages", self.pages.bytes(), self.pages.budget()),
        ]
    }
}

// ---------------------------------------------------------------- readers

/// The reader's address: the connection's, or the configured proxy header's.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// The address a limit applies to: IPv4 as is, IPv6 by /64 (one
/// household or host usually owns a whole /64).
fn limit_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

impl Votes {
    fn client_ip(&self, addr: ClientAddr, headers: &HeaderMap) -> Option<IpAddr> {
        match &self.client_ip_header {
            Some(name) => forwarded_client(headers, name, self.settings.trusted_proxies),
            None => addr.0,
        }
    }

    /// The salt for `day`, cached; made by the store on first use.
    async fn salt(&self, day: &str) -> Result<[u8; 32], StoreError> {
        if let Some((_, s)) = self
            .salts
            .lock()
            .expect("salt cache")
            .iter()
            .find(|(d, _)| d == day)
        {
            return Ok(*s);
        }
        let salt = self.store.daily_salt(day).await?;
        let mut cache = self.salts.lock().expect("salt cache");
        cache.retain(|(d, _)| d != day);
        cache.push((day.to_owned(), salt));
        cache.sort_by(|a, b| b.0.cmp(&a.0));
        cache.truncate(3);
        Ok(salt)
    }
}

/// The client address a chain of `trusted` proxies reports in `name`: the
/// `trusted`-th entry from the right, across every line of the header in
/// order (a proxy that appends a line of its own is read as well as one that
/// extends the last line). Entries a client wrote sit further left and are
/// never used. `None` when the chain is shorter than `trusted` or the entry
/// is not an address.
pub fn forwarded_client(headers: &HeaderMap, name: &HeaderName, trusted: usize) -> Option<IpAddr> {
    let mut entries: Vec<&str> = Vec::new();
    for line in headers.get_all(name) {
        let line = line.to_str().ok()?;
        entries.extend(line.split(',').map(str::trim).filter(|e| !e.is_empty()));
    }
    let entry = entries.len().checked_sub(trusted).map(|i| entries[i])?;
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    for p in parts {
        mac.update(&(p.len() as u64).to_le_bytes());
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// The reader as votes know them: their address (IPv6 by /64), and
/// nothing the client chooses.
fn reader_of(ip: Option<IpAddr>) -> String {
    ip.map(limit_key)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// One reader on one comparison on one day, as the store sees them.
fn reader_hash(salt: &[u8; 32], comparison: &str, reader: &str) -> Vec<u8> {
    hmac(salt, &[b"reader", comparison.as_bytes(), reader.as_bytes()])[..16].to_vec()
}

/// The vote token for this reader under one day's salt.
fn form_token(salt: &[u8; 32], reader: &str) -> String {
    hex(&hmac(salt, &[b"form", reader.as_bytes()])[..16])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares in time independent of where the strings differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn today() -> (jiff::Timestamp, String) {
    let now = jiff::Timestamp::now();
    (now, verdict_store::day_of(now))
}

fn yesterday(day: &str) -> String {
    day.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.yesterday().ok())
        .map_or_else(|| day.to_owned(), |d| d.to_string())
}

// ---------------------------------------------------------------- rate limit

/// A token bucket per address: `per_minute` votes per minute, bursts of
/// up to `per_minute`.
struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

/// Buckets kept before idle ones are dropped.
const MAX_BUCKETS: usize = 100_000;

impl RateLimiter {
    fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(wait)` when `ip` is over its limit.
    fn check(&self, ip: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let key = ip.map_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), limit_key);
        let capacity = f64::from(self.per_minute);
        let per_sec = capacity / 60.0;
        let mut buckets = self.buckets.lock().expect("rate limiter");
        if buckets.len() >= MAX_BUCKETS {
            // Full buckets hold no information: drop them first.
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * per_sec < capacity
            });
        }
        let (tokens, at) = buckets.entry(key).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * per_sec).min(capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / per_sec))
        }
    }
}

// ---------------------------------------------------------------- comparisons

/// A comparison named in a URL: its canonical key and topics.
struct Target<'a> {
    key: String,
    topics: Vec<&'a Topic>,
}

/// Resolves `a-vs-b[-vs-…]` by slug or alias, in any order.
fn target<'a>(state: &AppState, catalog: &'a Catalog, pair: &str) -> Result<Target<'a>, WebError> {
    let parts = split_pair(pair);
    if !(2..=4).contains(&parts.len()) {
        return Err(WebError::not_found(
            "bad_comparison",
            "a comparison names 2 to 4 topics joined by `-vs-`, like go-vs-rust",
        ));
    }
    let mut topics = Vec::new();
    for p in &parts {
        let lower = p.to_lowercase();
        let Some(t) = catalog
            .topic(&lower)
            .or_else(|| catalog.topic_by_alias(&lower))
        else {
            let suggestions = verdict_core::search::suggest(catalog, &lower.replace('-', " "), 3)
                .into_iter()
                .map(|t| Suggestion {
                    slug: t.slug.clone(),
                    name: t.name.clone(),
                    url: state.site.urls.topic(&t.slug),
                })
                .collect();
            return Err(WebError::not_found(
                "unknown_topic",
                format!("topic `{p}` does not exist"),
            )
            .with_suggestions(suggestions));
        };
        topics.push(t);
    }
    topics.sort_by(|a, b| a.slug.cmp(&b.slug));
    if topics.windows(2).any(|w| w[0].slug == w[1].slug) {
        return Err(WebError::not_found(
            "bad_comparison",
            "compare a topic with a different one",
        ));
    }
    let key = topics
        .iter()
        .map(|t| t.slug.as_str())
        .collect::<Vec<_>>()
        .join("-vs-");
    Ok(Target { key, topics })
}

/// What the votes block needs to know about its comparison.
#[derive(Debug, Clone)]
pub struct PageMeta {
    key: String,
    pick_name: Option<String>,
    outcome_label: &'static str,
    options: Vec<PickOption>,
    names: Vec<(String, String)>,
}

impl PageMeta {
    /// Our (default, non-personal) pick for `topics`.
    pub fn new(state: &AppState, topics: &[&Topic]) -> Result<PageMeta, WebError> {
        let view = ComparisonView::build(
            &state.catalog,
            &state.site.urls,
            topics,
            &Preferences::default(),
        )
        .map_err(crate::prefs::decide_error)?;
        let names: Vec<(String, String)> = view
            .sides
            .iter()
            .map(|s| (s.slug.clone(), s.name.clone()))
            .collect();
        Ok(PageMeta {
            key: view.decision.topics.join("-vs-"),
            pick_name: view
                .decision
                .pick
                .as_deref()
                .map(|p| view.name(p).to_owned()),
            outcome_label: view.decision.outcome.label(),
            options: names
                .iter()
                .map(|(s, n)| PickOption {
                    value: s.clone(),
                    label: n.clone(),
                })
                .collect(),
            names,
        })
    }

    fn name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.names
            .iter()
            .find(|(s, _)| s == slug)
            .map_or(slug, |(_, n)| n.as_str())
    }
}

// ---------------------------------------------------------------- tallies

/// One comparison's votes as last read from the store.
pub(crate) struct Snapshot {
    at: Instant,
    /// Why the store could not be read; kept for one TTL too, so a database
    /// outage costs one slow read per comparison per TTL, not one per view.
    failed: Option<StoreError>,
    tally: Tally,
    reasons: Vec<Vote>,
    /// The block rendered around the form token (no thank-you).
    /// Compressed once per snapshot, so pages send it as it is.
    block: OnceLock<(Packed, Packed)>,
}

impl Weigh for Snapshot {
    fn heap_bytes(&self) -> usize {
        let reasons: usize = self
            .reasons
            .iter()
            .map(|v| {
                std::mem::size_of::<Vote>()
                    + v.comparison.len()
                    + v.reason.as_ref().map_or(0, String::len)
                    + v.would_pick.as_ref().map_or(0, String::len)
                    + v.day.len()
            })
            .sum();
        // The block is rendered later, once: about 4 KB compressed twice.
        std::mem::size_of::<Snapshot>() + reasons + self.tally.picks.len() * 48 + 8 * 1024
    }
}

/// The votes block for one reader: the snapshot's block around the
/// reader's form token, or one rendered for this request (a thank-you, or
/// votes unavailable).
pub(crate) enum Block {
    Split { snap: Arc<Snapshot>, token: String },
    Whole(String),
}

impl Block {
    /// The block as three fills, for three consecutive holes.
    pub(crate) fn fills(&self) -> [Fill<'_>; 3] {
        match self {
            Block::Split { snap, token } => {
                let (head, tail) = snap.block.get().expect("made with the block");
                [
                    Fill::Packed(head),
                    Fill::Raw(token.as_bytes()),
                    Fill::Packed(tail),
                ]
            }
            Block::Whole(html) => [Fill::Raw(html.as_bytes()), Fill::Raw(b""), Fill::Raw(b"")],
        }
    }
}

/// The marker for the votes block, three times: the block fills three
/// holes (before the token, the token, after it).
pub(crate) fn votes_holes() -> String {
    MARKER.repeat(3)
}

/// The tally in API answers.
#[derive(Debug, Serialize)]
pub struct TallyJson {
    pub agree: u64,
    pub disagree: u64,
    pub total: u64,
    pub agree_percent: Option<u8>,
    pub contested: bool,
    /// 95 % Wilson lower bound of the disagree share, to 3 decimals.
    pub disagree_lower_bound: f64,
    pub picks: Vec<PickCount>,
    /// The sentence the page shows.
    pub summary: String,
}

#[derive(Debug, Serialize)]
pub struct PickCount {
    pub topic: String,
    pub count: u64,
}

fn summary(t: &Tally) -> String {
    match t.agree_percent() {
        None => "No reader has voted yet. Be the first.".to_owned(),
        Some(p) => {
            let readers = if t.total() == 1 { "reader" } else { "readers" };
            let verb = if t.total() == 1 { "agrees" } else { "agree" };
            format!("{p} % of {} {readers} {verb} with our pick.", t.total())
        }
    }
}

fn contested_note(t: &Tally) -> String {
    format!(
        "{} of {} readers disagree: even the cautious estimate of the disagree share is above half.",
        t.disagree,
        t.total()
    )
}

fn tally_json(t: &Tally) -> TallyJson {
    TallyJson {
        agree: t.agree,
        disagree: t.disagree,
        total: t.total(),
        agree_percent: t.agree_percent(),
        contested: t.contested(),
        disagree_lower_bound: (t.disagree_lower_bound() * 1000.0).round() / 1000.0,
        picks: t
            .picks
            .iter()
            .map(|(topic, count)| PickCount {
                topic: topic.clone(),
                count: *count,
            })
            .collect(),
        summary: summary(t),
    }
}

/// How `contested` is decided, in words (pages, API and docs).
pub fn contested_rule() -> String {
    format!(
        "at least {} votes, and the 95 % Wilson lower bound of the share who disagree is above one half",
        verdict_store::CONTESTED_MIN_VOTES
    )
}

impl Votes {
    async fn snapshot(&self, key: &str) -> Result<Arc<Snapshot>, StoreError> {
        if let Some(s) = self.snapshots.get(key) {
            if s.at.elapsed() < self.settings.tally_ttl {
                return Ok(s);
            }
            self.snapshots.remove(key);
        }
        let snap = self
            .snapshots
            .get_or_insert_async(key, async {
                let read = async {
                    let tally = self.store.tally(key).await?;
                    let reasons = if tally.total() == 0 {
                        Vec::new()
                    } else {
                        self.store
                            .list(&ListFilter {
                                comparison: Some(key.to_owned()),
                                include_hidden: false,
                                with_reason: true,
                                before: None,
                                limit: PUBLIC_REASONS,
                            })
                            .await?
                    };
                    Ok::<_, StoreError>((tally, reasons))
                };
                let (failed, tally, reasons) = match read.await {
                    Ok((t, r)) => (None, t, r),
                    Err(e) => (Some(e), Tally::default(), Vec::new()),
                };
                Ok::<_, Infallible>(Arc::new(Snapshot {
                    at: Instant::now(),
                    failed,
                    tally,
                    reasons,
                    block: OnceLock::new(),
                }))
            })
            .await
            .unwrap_or_else(|never| match never {});
        match &snap.failed {
            Some(e) => Err(e.clone()),
            None => Ok(snap),
        }
    }

    /// Forgets cached tallies (after a vote or a moderation).
    pub(crate) fn forget(&self, key: Option<&str>) {
        match key {
            Some(k) => {
                self.snapshots.remove(k);
            }
            None => self.snapshots.clear(),
        }
    }

    fn render_block(meta: &PageMeta, snap: Option<&Snapshot>, token: &str, thanks: bool) -> String {
        let tally = snap.map(|s| &s.tally);
        let picks_line = tally.filter(|t| !t.picks.is_empty()).map(|t| {
            let named: u64 = t.picks.iter().map(|(_, n)| n).sum();
            let parts: Vec<String> = t
                .picks
                .iter()
                .map(|(slug, n)| {
                    format!(
                        "{} {} %",
                        meta.name(slug),
                        (*n as f64 * 100.0 / named as f64).round()
                    )
                })
                .collect();
            format!("Readers would pick: {}.", parts.join(", "))
        });
        let block = VotesBlock {
            action: format!("/compare/{}/votes", meta.key),
            api: format!("/api/v1/comparisons/{}/votes", meta.key),
            pick_name: meta.pick_name.clone(),
            outcome_label: meta.outcome_label,
            summary: tally.map_or_else(
                || "Reader votes are unavailable right now.".to_owned(),
                summary,
            ),
            contested: tally.is_some_and(Tally::contested),
            contested_note: tally.map(contested_note).unwrap_or_default(),
            picks_line,
            options: meta.options.clone(),
            reasons: snap
                .map(|s| {
                    s.reasons
                        .iter()
                        .map(|v| ReasonView {
                            class: if v.choice == Choice::Agree {
                                "agrees"
                            } else {
                                "disagrees"
                            },
                            stance: if v.choice == Choice::Agree {
                                "Agrees"
                            } else {
                                "Disagrees"
                            },
                            would_pick: v.would_pick.as_deref().map(|p| meta.name(p).to_owned()),
                            text: v.reason.clone().unwrap_or_default(),
                            day: v.day.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            token: token.to_owned(),
            max_reason: MAX_REASON_CHARS,
            thanks,
            unavailable: snap.is_none() || token.is_empty(),
        };
        askama::Template::render(&block).unwrap_or_else(|e| {
            tracing::error!(error = %e, "votes block failed to render");
            String::new()
        })
    }

    /// The votes block for one reader.
    async fn block(&self, meta: &PageMeta, ip: Option<IpAddr>, thanks: bool) -> Block {
        let token = match self.token_for(ip).await {
            Ok(token) => token,
            Err(e) => {
                tracing::warn!(error = %e, "no salt for form tokens; votes are shown without the form");
                String::new()
            }
        };
        let snap = match self.snapshot(&meta.key).await {
            Ok(s) => Some(s),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the tally; the page shows votes as unavailable");
                None
            }
        };
        match snap {
            Some(snap) if !thanks && !token.is_empty() => {
                snap.block.get_or_init(|| {
                    let html = Self::render_block(meta, Some(&snap), TOKEN_PLACEHOLDER, false);
                    let (a, b) = html.split_once(TOKEN_PLACEHOLDER).unwrap_or((&html, ""));
                    (
                        Packed::new(a.as_bytes().to_vec()),
                        Packed::new(b.as_bytes().to_vec()),
                    )
                });
                Block::Split { snap, token }
            }
            s => Block::Whole(Self::render_block(meta, s.as_deref(), &token, thanks)),
        }
    }
}

/// A cached comparison page with the hole for the votes block.
struct SplicedPage {
    page: Spliced,
    meta: PageMeta,
}

impl Weigh for SplicedPage {
    fn heap_bytes(&self) -> usize {
        self.page.heap_bytes() + 512
    }
}

/// `?voted=1` (added by the form's redirect) asks for the thank-you; the
/// rest of the query is the page's own.
pub fn take_thanks(query: Option<String>) -> (Option<String>, bool) {
    let Some(q) = query else { return (None, false) };
    let mut thanks = false;
    let rest: Vec<&str> = q
        .split('&')
        .filter(|p| {
            let voted = *p == "voted=1";
            thanks |= voted;
            !voted
        })
        .collect();
    let rest = rest.join("&");
    ((!rest.is_empty()).then_some(rest), thanks)
}

impl Votes {
    /// A comparison page with its votes block. `build` renders the page with
    /// [`MARKER`] where the block goes.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn compare_page(
        &self,
        state: &AppState,
        topics: &[&Topic],
        thanks: bool,
        headers: &HeaderMap,
        addr: ClientAddr,
        build: impl FnOnce() -> Result<String, WebError>,
    ) -> Result<Response, WebError> {
        let ip = self.client_ip(addr, headers);
        let key = topics
            .iter()
            .map(|t| t.slug.as_str())
            .collect::<Vec<_>>()
            .join("-vs-");
        let cached = match self.pages.get(&key) {
            Some(p) => p,
            None => {
                let html = build()?.replacen(MARKER, &votes_holes(), 1);
                let page = Spliced::new(&html, &[MARKER; 3])
                    .ok_or_else(|| WebError::internal("the comparison page has no votes slot"))?;
                let p = Arc::new(SplicedPage {
                    page,
                    meta: PageMeta::new(state, topics)?,
                });
                self.pages.insert(key, p.clone());
                p
            }
        };
        let block = self.block(&cached.meta, ip, thanks).await;
        Ok(cached.page.respond(headers, &block.fills(), HTML, PRIVATE))
    }

    /// The votes block for one reader of a personal page; `meta` describes
    /// the comparison as it stands for most readers.
    pub(crate) async fn reader_block(
        &self,
        meta: &PageMeta,
        addr: ClientAddr,
        headers: &HeaderMap,
        thanks: bool,
    ) -> Block {
        let ip = self.client_ip(addr, headers);
        self.block(meta, ip, thanks).await
    }

    /// The tally for the comparison JSON, as JSON text (`null` when the
    /// store is down).
    pub(crate) async fn tally_json(&self, key: &str) -> String {
        match self.snapshot(key).await {
            Ok(s) => serde_json::to_string(&tally_json(&s.tally)).unwrap_or_else(|_| "null".into()),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the tally for the comparison JSON");
                "null".into()
            }
        }
    }

    /// The home page's "most contested" section, and a hash of it for the
    /// page cache key (0 when there is nothing to show).
    pub(crate) async fn contested_html(&self, state: &AppState) -> (u64, Arc<String>) {
        let mut cached = self.contested.lock().await;
        if let Some((at, html)) = cached.as_ref()
            && at.elapsed() < CONTESTED_TTL
        {
            let hash = if html.is_empty() {
                0
            } else {
                verdict_render::assets::fnv64(html.as_bytes())
            };
            return (hash, html.clone());
        }
        let html = match self.store.tallies().await {
            Ok(all) => {
                let items: Vec<ContestedItem> = verdict_store::most_contested(all, CONTESTED_SHOWN)
                    .into_iter()
                    .filter_map(|(key, t)| {
                        let slugs = split_pair(&key);
                        let names: Option<Vec<&str>> = slugs
                            .iter()
                            .map(|s| state.catalog.topic(s).map(|t| t.name.as_str()))
                            .collect();
                        Some(ContestedItem {
                            title: names?.join(" vs "),
                            url: state.site.urls.compare(&slugs),
                            detail: format!(
                                "{} % of {} readers disagree with our pick",
                                100 - t.agree_percent().unwrap_or(100),
                                t.total()
                            ),
                        })
                    })
                    .collect();
                if items.is_empty() {
                    String::new()
                } else {
                    askama::Template::render(&ContestedList {
                        items,
                        rule: format!("{}.", contested_rule()),
                    })
                    .unwrap_or_default()
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read tallies for the contested list");
                String::new()
            }
        };
        let html = Arc::new(html);
        *cached = Some((Instant::now(), html.clone()));
        let hash = if html.is_empty() {
            0
        } else {
            verdict_render::assets::fnv64(html.as_bytes())
        };
        (hash, html)
    }
}

// ---------------------------------------------------------------- input

/// A vote as the JSON API takes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VoteInput {
    choice: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    would_pick: Option<String>,
    /// The reader's vote token (the form sends it as `csrf`).
    #[serde(default)]
    token: Option<String>,
}

/// A vote that passed every check, ready to store.
#[derive(Debug)]
struct Ballot {
    choice: Choice,
    would_pick: Option<String>,
    reason: Option<String>,
}

/// Checks the fields every vote shares; the error says which is wrong.
fn checked(target: &Target<'_>, input: VoteInput) -> Result<Ballot, WebError> {
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
fn check_origin(state: &AppState, headers: &HeaderMap) -> Result<(), WebError> {
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

fn content_type_is(headers: &HeaderMap, want: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(want))
}

async fn read_body(headers: &HeaderMap, body: Body) -> Result<bytes::Bytes, WebError> {
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

fn invalid_utf8() -> WebError {
    WebError::bad_request("invalid_utf8", "the request body is not valid UTF-8")
}

/// `application/x-www-form-urlencoded`, strictly: every name and value
/// must decode to UTF-8.
fn parse_form(body: &[u8]) -> Result<Vec<(String, String)>, WebError> {
    fn decode(s: &[u8]) -> Result<String, WebError> {
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

fn votes_of(state: &AppState) -> Result<&Arc<Votes>, WebError> {
    state.votes.as_ref().ok_or_else(|| {
        WebError::not_found("votes_off", "reader votes are not turned on on this server")
    })
}

fn store_error(e: StoreError) -> WebError {
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

/// 429 with `Retry-After` (the HTML error page keeps the status only).
fn rate_limited(wait: Duration, api: bool) -> Response {
    let err = WebError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "too many votes from your address; please wait a minute",
    );
    let mut res = if api { err.api() } else { err }.into_response();
    res.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(wait.as_secs().max(1)),
    );
    res
}

impl Votes {
    async fn store_vote(
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
            comparison: target.key.clone(),
            choice,
            would_pick,
            reason,
            reader: Some(reader_hash(&salt, &target.key, &reader_of(ip))),
            at: now,
        };
        let recorded = self.store.record(vote).await.map_err(store_error)?;
        // The counts come from the commit itself, so answering costs no
        // read; the picks are the cached ones (at most `tally_ttl` old).
        let mut tally = recorded.tally;
        if let Some(cached) = self.snapshots.get(target.key.as_str()) {
            tally.picks = cached.tally.picks.clone();
        }
        self.forget(Some(&target.key));
        Ok((recorded.id, tally))
    }

    /// Today's vote token for the reader at `ip`.
    async fn token_for(&self, ip: Option<IpAddr>) -> Result<String, StoreError> {
        let (_, day) = today();
        Ok(form_token(&self.salt(&day).await?, &reader_of(ip)))
    }

    /// Whether `token` is this reader's token for today or yesterday.
    async fn token_ok(&self, token: &str, ip: Option<IpAddr>) -> Result<bool, WebError> {
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

// ---------------------------------------------------------------- handlers

/// `POST /compare/{pair}/votes`: the page's form.
pub async fn form_post(
    State(state): State<AppState>,
    pair: Result<Path<String>, PathRejection>,
    addr: ClientAddr,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let Path(pair) = pair?;
    let votes = votes_of(&state)?.clone();
    check_origin(&state, &headers)?;
    let ip = votes.client_ip(addr, &headers);
    if let Err(wait) = votes.limiter.check(ip, Instant::now()) {
        return Ok(rate_limited(wait, false));
    }
    let catalog = state.catalog.clone();
    let target = target(&state, &catalog, &pair)?;
    if !content_type_is(&headers, "application/x-www-form-urlencoded") {
        return Err(WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the vote form as application/x-www-form-urlencoded",
        ));
    }
    let bytes = read_body(&headers, body).await?;
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
    let back = format!("/compare/{}?voted=1#votes", target.key);
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

fn see_other(location: &str) -> Response {
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
    Ok(see_other(&format!("/compare/{}#votes", target.key)))
}

/// The JSON answer to a vote.
#[derive(Debug, Serialize)]
struct Recorded {
    id: i64,
    comparison: String,
    tally: TallyJson,
}

fn json_response(status: StatusCode, value: &impl Serialize, cache: &'static str) -> Response {
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
    let Path(pair) = pair.map_err(|e| WebError::from(e).api())?;
    let votes = votes_of(&state).map_err(WebError::api)?.clone();
    check_origin(&state, &headers).map_err(WebError::api)?;
    let ip = votes.client_ip(addr, &headers);
    if let Err(wait) = votes.limiter.check(ip, Instant::now()) {
        return Ok(rate_limited(wait, true));
    }
    let catalog = state.catalog.clone();
    let target = target(&state, &catalog, &pair).map_err(WebError::api)?;
    if !content_type_is(&headers, "application/json") {
        return Err(WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the vote as application/json",
        )
        .api());
    }
    let bytes = read_body(&headers, body).await.map_err(WebError::api)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| invalid_utf8().api())?;
    // serde reads a struct from an array too; a vote is an object.
    if !text.trim_start().starts_with('{') {
        return Err(WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_an_object",
            r#"a vote is a JSON object, such as {"choice": "agree", "token": "…"}"#,
        )
        .api());
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
        .api()
    })?;
    let Some(token) = input.token.clone().filter(|t| !t.is_empty()) else {
        return Err(WebError::new(
            StatusCode::FORBIDDEN,
            "token_missing",
            format!(
                "a vote needs the reader's `token`: GET /api/v1/comparisons/{}/votes gives it",
                target.key
            ),
        )
        .api());
    };
    if !votes.token_ok(&token, ip).await.map_err(WebError::api)? {
        return Err(WebError::new(
            StatusCode::FORBIDDEN,
            "token_invalid",
            "the vote token is not this reader's, or has expired; get a new one and vote again",
        )
        .api());
    }
    let ballot = checked(&target, input).map_err(WebError::api)?;
    let (id, tally) = votes
        .store_vote(&target, ip, ballot)
        .await
        .map_err(WebError::api)?;
    Ok(json_response(
        StatusCode::CREATED,
        &Recorded {
            id,
            comparison: target.key.clone(),
            tally: tally_json(&tally),
        },
        "no-store",
    ))
}

#[derive(Debug, Serialize)]
struct PublicReason<'a> {
    choice: Choice,
    would_pick: Option<&'a str>,
    reason: &'a str,
    day: &'a str,
}

/// `GET /api/v1/comparisons/{pair}/votes`: the tally, the latest public
/// reasons, and this reader's vote token.
pub async fn api_get(
    State(state): State<AppState>,
    pair: Result<Path<String>, PathRejection>,
    addr: ClientAddr,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Path(pair) = pair.map_err(|e| WebError::from(e).api())?;
    let votes = votes_of(&state).map_err(WebError::api)?.clone();
    let catalog = state.catalog.clone();
    let target = target(&state, &catalog, &pair).map_err(WebError::api)?;
    let token = votes
        .token_for(votes.client_ip(addr, &headers))
        .await
        .map_err(|e| store_error(e).api())?;
    let snap = votes
        .snapshot(&target.key)
        .await
        .map_err(|e| store_error(e).api())?;
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
            "comparison": target.key,
            "tally": tally_json(&snap.tally),
            "reasons": reasons,
            "contested_rule": contested_rule(),
            "token": token,
        }),
        // The token is this reader's: no shared cache may keep the answer.
        "private, no-cache",
    ))
}

#[cfg(test)]
mod tests;
