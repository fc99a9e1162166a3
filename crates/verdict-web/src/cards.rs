//! Side cards kept ready.
//!
//! A comparison page's side section is one card per topic, and a card
//! depends only on its topic, its place in the comparison and whether it is
//! the pick. So each card is rendered once and kept, bounded in bytes like
//! every cache, and a page nobody asked for yet is put together from the
//! cards of its topics instead of rendering and compressing them again
//! (`Spliced::cold`). A card is kept uncompressed at first and compressed,
//! off the request path, once a few pages have used it: a card used once or
//! twice is never compressed, one used often is compressed once.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, LazyLock};

use verdict_core::model::Topic;
use verdict_render::{ComparisonView, html};

use crate::AppState;
use crate::splice::Packed;

static OPEN: LazyLock<Arc<Packed>> = LazyLock::new(|| Arc::new(Packed::new(html::SIDES_OPEN)));
static CLOSE: LazyLock<Arc<Packed>> = LazyLock::new(|| Arc::new(Packed::new(html::SIDES_CLOSE)));

/// The side section of `view`'s page: its opening, the cards, its close.
pub(crate) fn side_section(state: &AppState, view: &ComparisonView) -> Vec<Arc<Packed>> {
    let mut out = Vec::with_capacity(view.sides.len() + 2);
    out.push(OPEN.clone());
    for i in 0..view.sides.len() {
        out.push(card(state, view, i));
    }
    out.push(CLOSE.clone());
    out
}

/// How many pages use a card before it is compressed: a topic that comes
/// up this often is worth the few hundred microseconds, one seen once or
/// twice (most of a crawler's long tail) is not.
const COMPRESS_AT_USE: u32 = 4;

/// A card in the cache, counting its uses until it is compressed.
#[derive(Debug)]
pub(crate) struct Card {
    packed: Arc<Packed>,
    uses: AtomicU32,
    /// Set while (or once) a compressed copy is being made.
    upgrading: AtomicBool,
}

impl crate::cache::Weigh for Card {
    fn heap_bytes(&self) -> usize {
        crate::cache::Weigh::heap_bytes(&*self.packed)
    }
}

/// Side `i`'s card: from the cache, or rendered now. A card kept
/// uncompressed is compressed off the request path on its
/// [`COMPRESS_AT_USE`]th use; pages made before that keep the uncompressed
/// copy, pages made after get the compressed one.
fn card(state: &AppState, view: &ComparisonView, i: usize) -> Arc<Packed> {
    let side = &view.sides[i];
    let is_pick = view.decision.pick.as_deref() == Some(side.slug.as_str());
    let key = format!(
        "{}/{i}/{}/{}",
        side.slug,
        u8::from(is_pick),
        u8::from(view.personal)
    );
    if let Some(card) = state.cards.get(&key) {
        if card.packed.is_stored()
            && card.uses.fetch_add(1, Ordering::Relaxed) + 1 >= COMPRESS_AT_USE
            && !card.upgrading.swap(true, Ordering::Relaxed)
        {
            let Some(slot) = crate::splice::compress_slot() else {
                // Busy compressing others: a later use tries again.
                card.upgrading.store(false, Ordering::Relaxed);
                return card.packed.clone();
            };
            let (cards, packed) = (state.cards.clone(), card.packed.clone());
            tokio::task::spawn_blocking(move || {
                let _slot = slot;
                let compressed = Card {
                    packed: Arc::new(Packed::new(packed.raw().clone())),
                    uses: AtomicU32::new(COMPRESS_AT_USE),
                    upgrading: AtomicBool::new(true),
                };
                cards.insert(key, Arc::new(compressed));
            });
        }
        return card.packed.clone();
    }
    let packed = Arc::new(Packed::stored(html::side_card_html(&state.site, view, i)));
    let card = Card {
        packed: packed.clone(),
        uses: AtomicU32::new(1),
        upgrading: AtomicBool::new(false),
    };
    state.cards.insert(key, Arc::new(card));
    packed
}

/// A topic's entry in comparison pages' script data
/// ([`html::client_topic_json`]): the same on every page the topic is on.
#[derive(Debug)]
pub(crate) struct TopicData(Arc<str>);

impl crate::cache::Weigh for TopicData {
    fn heap_bytes(&self) -> usize {
        self.0.len()
    }
}

/// `topic`'s script-data entry: from the cache, or made now and kept.
pub(crate) fn topic_data(state: &AppState, topic: &Topic) -> Arc<str> {
    if let Some(d) = state.topic_data.get(&topic.slug) {
        return d.0.clone();
    }
    let json: Arc<str> = html::client_topic_json(&state.site, topic).into();
    state
        .topic_data
        .insert(topic.slug.clone(), Arc::new(TopicData(json.clone())));
    json
}
