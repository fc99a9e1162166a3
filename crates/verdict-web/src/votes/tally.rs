//! Tallies as last read from the store, cached per comparison, and the
//! votes block and API answer built from them.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use serde::Serialize;

use verdict_render::Urls;
use verdict_render::votes::{self as votes_text, ReasonView, TOKEN_PLACEHOLDER, VotesBlock};
use verdict_store::{Choice, ListFilter, MAX_REASON_CHARS, StoreError, Tally, Vote};

use crate::cache::Weigh;
use crate::splice::{Fill, Packed};

use super::target::PageMeta;
use super::{MARKER, PUBLIC_REASONS, Votes};

/// One comparison's votes as last read from the store.
pub(crate) struct Snapshot {
    pub(super) at: Instant,
    /// Why the store could not be read; kept for one TTL too, so a database
    /// outage costs one slow read per comparison per TTL, not one per view.
    pub(super) failed: Option<StoreError>,
    pub(super) tally: Tally,
    pub(super) reasons: Vec<Vote>,
    /// The block rendered around the form token (no thank-you).
    /// Compressed once per snapshot, so pages send it as it is.
    pub(super) block: OnceLock<Arc<BlockParts>>,
}

impl Snapshot {
    /// Whether it says nobody voted: the block is then the same for every
    /// reading, and a page keeps its own ([`NoVotesBlock`]).
    fn is_empty(&self) -> bool {
        self.failed.is_none() && self.tally == Tally::default() && self.reasons.is_empty()
    }
}

/// The votes block around the form token: before it, and after it.
pub(crate) type BlockParts = (Packed, Packed);

/// A comparison's votes block while nobody has voted on it, kept with its
/// page: it depends only on the comparison, so it is rendered once per page
/// rather than once per tally read. `pack` is how it is kept: as stored
/// blocks on a page nobody asked for twice (no compression on a first
/// request), compressed on a page asked for again.
pub(crate) struct NoVotesBlock {
    parts: OnceLock<Arc<BlockParts>>,
    pack: fn(Vec<u8>) -> Packed,
}

impl NoVotesBlock {
    /// Kept as stored blocks, for a page's first request.
    pub(crate) fn stored() -> NoVotesBlock {
        NoVotesBlock {
            parts: OnceLock::new(),
            pack: Packed::stored,
        }
    }

    /// Compressed at the fastest level when first needed.
    pub(crate) fn fast() -> NoVotesBlock {
        NoVotesBlock {
            parts: OnceLock::new(),
            pack: Packed::fast,
        }
    }

    /// The same block compressed at the best level, if it was made
    /// (off the request path: a page being compressed).
    pub(crate) fn compressed(&self) -> NoVotesBlock {
        let out = NoVotesBlock::fast();
        if let Some(parts) = self.parts.get() {
            let (head, tail) = &**parts;
            let _ = out.parts.set(Arc::new((
                Packed::new(head.raw().clone()),
                Packed::new(tail.raw().clone()),
            )));
        }
        out
    }
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
    Split {
        parts: Arc<BlockParts>,
        token: String,
    },
    Whole(String),
}

impl Block {
    /// The block as three fills, for three consecutive holes.
    pub(crate) fn fills(&self) -> [Fill<'_>; 3] {
        match self {
            Block::Split { parts, token } => {
                let (head, tail) = &**parts;
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

pub(super) fn tally_json(t: &Tally) -> TallyJson {
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
        summary: votes_text::tally_summary(t.agree_percent(), t.total()),
    }
}

/// How `contested` is decided, in words (pages, API and docs).
pub fn contested_rule() -> String {
    votes_text::contested_rule(verdict_store::CONTESTED_MIN_VOTES)
}

impl Votes {
    pub(super) async fn snapshot(&self, key: &str) -> Result<Arc<Snapshot>, StoreError> {
        if let Some(s) = self.snapshots.get(key) {
            if s.at.elapsed() < self.settings.tally_ttl {
                return Ok(s);
            }
            self.snapshots.remove(key);
        }
        let ttl = self.settings.tally_ttl;
        if let Some(at) = self.voted.no_votes_as_of(&*self.store, key, ttl).await {
            // What reading the tally at `at` would have given; kept, like
            // one, until `at + tally_ttl`.
            let snap = Arc::new(Snapshot {
                at,
                failed: None,
                tally: Tally::default(),
                reasons: Vec::new(),
                block: OnceLock::new(),
            });
            self.snapshots.insert(key.to_owned(), snap.clone());
            if self.voted.has(key) {
                // A vote through this process landed meanwhile.
                self.snapshots.remove(key);
            }
            return Ok(snap);
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

    pub(super) fn render_block(
        meta: &PageMeta,
        snap: Option<&Snapshot>,
        token: &str,
        thanks: bool,
    ) -> String {
        let tally = snap.map(|s| &s.tally);
        let picks_line = tally.filter(|t| !t.picks.is_empty()).map(|t| {
            let named: u64 = t.picks.iter().map(|(_, n)| n).sum();
            let shares: Vec<(&str, f64)> = t
                .picks
                .iter()
                .map(|(slug, n)| (meta.name(slug), *n as f64 * 100.0 / named as f64))
                .collect();
            votes_text::would_pick_line(&shares)
        });
        let block = VotesBlock {
            action: Urls::default().comparison_votes(&meta.key),
            api: Urls::default().api_votes(&meta.key),
            pick_name: meta.pick_name.clone(),
            outcome_label: meta.outcome_label,
            summary: tally.map_or_else(votes_text::unavailable, |t| {
                votes_text::tally_summary(t.agree_percent(), t.total())
            }),
            contested: tally.is_some_and(Tally::contested),
            contested_note: tally
                .map(|t| votes_text::contested_note(t.disagree, t.total()))
                .unwrap_or_default(),
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

    /// The votes block for one reader. `no_votes` is the page's own copy
    /// of the block while nobody has voted, if it keeps one.
    pub(super) async fn block(
        &self,
        meta: &PageMeta,
        ip: Option<IpAddr>,
        thanks: bool,
        no_votes: Option<&NoVotesBlock>,
    ) -> Block {
        let token = match self.token_for(ip).await {
            Ok(token) => token,
            Err(e) => {
                tracing::warn!(error = %e, "no salt for form tokens; votes are shown without the form");
                String::new()
            }
        };
        let snap = match self.snapshot(meta.key.as_str()).await {
            Ok(s) => Some(s),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the tally; the page shows votes as unavailable");
                None
            }
        };
        match snap {
            Some(snap) if !thanks && !token.is_empty() => {
                let split = |pack: fn(Vec<u8>) -> Packed| {
                    let html = Self::render_block(meta, Some(&snap), TOKEN_PLACEHOLDER, false);
                    let (a, b) = html.split_once(TOKEN_PLACEHOLDER).unwrap_or((&html, ""));
                    Arc::new((pack(a.as_bytes().to_vec()), pack(b.as_bytes().to_vec())))
                };
                let parts = match no_votes {
                    Some(kept) if snap.is_empty() => {
                        kept.parts.get_or_init(|| split(kept.pack)).clone()
                    }
                    // Made when a tally is first read, on a request's path:
                    // the fastest level.
                    _ => snap.block.get_or_init(|| split(Packed::fast)).clone(),
                };
                Block::Split { parts, token }
            }
            s => Block::Whole(Self::render_block(meta, s.as_deref(), &token, thanks)),
        }
    }
}
