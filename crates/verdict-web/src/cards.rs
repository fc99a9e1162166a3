//! Side cards kept ready.
//!
//! A comparison page's side section is one card per topic, and a card
//! depends only on its topic, its place in the comparison and whether it is
//! the pick. So each card is rendered once and kept, bounded in bytes like
//! every cache, and a page nobody asked for yet is put together from the
//! cards of its topics instead of rendering and compressing them again
//! (`Spliced::cold`). A card is kept uncompressed; a page that is asked for
//! again is compressed with its cards, off the request path.

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

/// Side `i`'s card: from the cache, or rendered now. Cards are kept
/// uncompressed: a page asked for again is compressed whole, its cards
/// with it, off the request path ([`crate::splice::Spliced::compressed`]),
/// so a crawl of pages nobody asks for twice compresses nothing.
fn card(state: &AppState, view: &ComparisonView, i: usize) -> Arc<Packed> {
    let side = &view.sides[i];
    let is_pick = view.decision.pick.as_deref() == Some(side.slug);
    let key = format!(
        "{}/{i}/{}/{}",
        side.slug,
        u8::from(is_pick),
        u8::from(view.personal)
    );
    if let Some(card) = state.cards.get(&key) {
        return card;
    }
    let packed = Arc::new(Packed::stored(html::side_card_html(&state.site, view, i)));
    state.cards.insert(key, packed.clone());
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
