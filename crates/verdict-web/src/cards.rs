//! Side cards kept ready.
//!
//! A comparison page's side section is one card per topic, and a card
//! depends only on its topic, its place in the comparison and whether it is
//! the pick. So each card is rendered once and kept, bounded in bytes like
//! every cache, and a page nobody asked for yet is put together from the
//! cards of its topics instead of rendering and compressing them again
//! (`Spliced::cold`). A card is kept uncompressed at first and compressed
//! the second time a page needs it: a card used once is never compressed,
//! one used often is compressed once.

use std::sync::{Arc, LazyLock};

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

/// Side `i`'s card: from the cache, compressed there on its second use, or
/// rendered now.
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
        if !card.is_stored() {
            return card;
        }
        let compressed = Arc::new(Packed::new(card.raw().clone()));
        state.cards.insert(key, compressed.clone());
        return compressed;
    }
    let card = Arc::new(Packed::stored(html::side_card_html(&state.site, view, i)));
    state.cards.insert(key, card.clone());
    card
}
