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
//! process), so page views do not hit the database; a comparison without
//! votes is not read at all while the set of comparisons with votes, read
//! whole at most once per `tally_ttl`, does not name it (`voted`). Per-address rate
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

mod handlers;
mod input;
mod limit;
mod page;
mod reader;
mod tally;
mod target;
mod voted;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::HeaderName;

use verdict_store::VoteStore;

use crate::cache::ByteCache;

use limit::RateLimiter;
use page::SplicedPage;
use tally::Snapshot;
use voted::Voted;

pub use handlers::{api_get, api_post, form_get, form_post};
pub(crate) use page::take_thanks;
pub(crate) use reader::ClientAddr;
pub use reader::forwarded_client;
pub use tally::contested_rule;
pub(crate) use tally::votes_holes;
pub(crate) use target::PageMeta;

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
    /// Comparisons with votes, so those without need no query.
    voted: Voted,
    pages: Arc<ByteCache<SplicedPage>>,
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
            voted: Voted::default(),
            pages: Arc::new(ByteCache::new(cache_bytes - cache_bytes / 4)),
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
