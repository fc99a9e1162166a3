//! Comparison pages with the votes block spliced in per reader.

use std::sync::Arc;
use std::time::Instant;

use axum::http::HeaderMap;
use axum::response::Response;

use verdict_core::key::{self, ComparisonKey};
use verdict_core::model::Topic;
use verdict_render::votes::{ContestedItem, ContestedList};

use crate::AppState;
use crate::cache::Weigh;
use crate::error::WebError;
use crate::splice::{HTML, PRIVATE, Spliced};

use super::reader::ClientAddr;
use super::tally::{Block, NoVotesBlock, contested_rule, tally_json};
use super::target::PageMeta;
use super::{CONTESTED_SHOWN, CONTESTED_TTL, Votes};

/// A cached comparison page with the hole for the votes block.
pub(super) struct SplicedPage {
    pub(super) page: Spliced,
    pub(super) meta: Arc<PageMeta>,
    /// The votes block while nobody has voted on the comparison.
    no_votes: NoVotesBlock,
    /// Set once a compressed copy of a cold page is being made.
    upgrading: std::sync::atomic::AtomicBool,
}

impl SplicedPage {
    pub(super) fn new(page: Spliced, meta: Arc<PageMeta>) -> SplicedPage {
        let no_votes = if page.is_cold() {
            NoVotesBlock::stored()
        } else {
            NoVotesBlock::fast()
        };
        SplicedPage::with(page, meta, no_votes)
    }

    fn with(page: Spliced, meta: Arc<PageMeta>, no_votes: NoVotesBlock) -> SplicedPage {
        SplicedPage {
            page,
            meta,
            no_votes,
            upgrading: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

impl Weigh for SplicedPage {
    fn heap_bytes(&self) -> usize {
        // The votes block, once made, is about 4 KB (stored).
        self.page.heap_bytes() + 512 + 4096
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
        topics: &[&Topic],
        thanks: bool,
        headers: &HeaderMap,
        addr: ClientAddr,
        build: impl FnOnce() -> Result<(Spliced, PageMeta), WebError>,
    ) -> Result<Response, WebError> {
        let ip = self.client_ip(addr, headers);
        let key = ComparisonKey::of(topics).to_string();
        let cached = match self.pages.get(&key) {
            Some(p) => {
                self.compress_when_asked_again(&key, &p);
                p
            }
            None => {
                let (page, meta) = build()?;
                let p = Arc::new(SplicedPage::new(page, Arc::new(meta)));
                self.pages.insert(key, p.clone());
                p
            }
        };
        let block = self
            .block(&cached.meta, ip, thanks, Some(&cached.no_votes))
            .await;
        Ok(cached.page.respond(headers, &block.fills(), HTML, PRIVATE))
    }

    /// A page built cold (its own parts uncompressed, so that a first
    /// request costs no compression) is compressed when it is asked for a
    /// second time, off the request path, and the compressed copy replaces
    /// it: pages nobody asks for twice are never compressed at all.
    fn compress_when_asked_again(&self, key: &str, p: &Arc<SplicedPage>) {
        use std::sync::atomic::Ordering;
        if !p.page.is_cold() || p.upgrading.swap(true, Ordering::Relaxed) {
            return;
        }
        let Some(slot) = crate::splice::compress_slot() else {
            // Busy compressing others: a later request tries again.
            p.upgrading.store(false, Ordering::Relaxed);
            return;
        };
        let (pages, key, p) = (self.pages.clone(), key.to_owned(), p.clone());
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            let warm =
                SplicedPage::with(p.page.compressed(), p.meta.clone(), p.no_votes.compressed());
            pages.insert(key, Arc::new(warm));
        });
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
        self.block(meta, ip, thanks, None).await
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
                        let slugs = key::split(&key);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thank_you_parameter_is_taken_out_of_the_query() {
        assert_eq!(take_thanks(Some("voted=1".into())), (None, true));
        assert_eq!(
            take_thanks(Some("profile=startup&voted=1".into())),
            (Some("profile=startup".into()), true)
        );
        assert_eq!(
            take_thanks(Some("profile=startup".into())),
            (Some("profile=startup".into()), false)
        );
        assert_eq!(take_thanks(None), (None, false));
    }
}
