//! Personal comparison pages: the reader's own profile or weights, on a page
//! that is otherwise ready-made.
//!
//! On a personal page only the pick, the weights form, the scorecard's
//! weights and totals, the verdict section and the marked side card depend
//! on the weights;
//! everything else (head, chart, side cards' text, editorial sections, the
//! page script's data) is the same for every choice. So each comparison's
//! page is rendered and compressed once as a *frame* with holes
//! ([`html::comparison_frame`]), and each request renders only those parts,
//! from the same templates, into the holes ([`crate::splice`]). The side
//! cards depend only on which topic is picked, so they are kept compressed
//! per pick.

use std::sync::{Arc, Mutex};

use askama::Template;
use axum::http::HeaderMap;
use axum::response::Response;

use verdict_core::decide::Preferences;
use verdict_core::model::Topic;
use verdict_render::ComparisonView;
use verdict_render::html;

use crate::splice::{Fill, HTML, PRIVATE, Packed, Spliced};
use crate::votes::{self, ClientAddr, PageMeta};
use crate::{AppState, WebError};

/// One comparison's personal page, ready-made around its holes.
struct Frame {
    page: Spliced,
    /// Side cards with each pick marked, compressed: at most one per side.
    sides: Mutex<Vec<(String, Arc<Packed>)>>,
    /// The comparison as most readers see it, for the votes block.
    meta: Option<PageMeta>,
}

/// Frames by canonical comparison key (`a-vs-b`).
pub struct Frames(crate::cache::ByteCache<Frame>);

impl Frames {
    pub fn new(bytes: u64) -> Frames {
        Frames(crate::cache::ByteCache::new(bytes))
    }
}

impl Frames {
    pub(crate) fn bytes(&self) -> u64 {
        self.0.bytes()
    }

    pub(crate) fn budget(&self) -> u64 {
        self.0.budget()
    }
}

impl crate::cache::Weigh for Frame {
    /// The frame, and room for its side cards: one compressed copy per
    /// side, each smaller than the frame's pieces together.
    fn heap_bytes(&self) -> usize {
        let page = crate::cache::Weigh::heap_bytes(&self.page);
        page + page / 2
    }
}

impl Frame {
    fn new(state: &AppState, topics: &[&Topic], view: &ComparisonView) -> Result<Frame, WebError> {
        let mut page = html::comparison_frame(&state.site, &state.catalog, view);
        let mut holes = vec![html::PICK_HOLE, html::FORM_HOLE];
        holes.extend(std::iter::repeat_n(
            html::WEIGHT_HOLE,
            view.decision.rows.len(),
        ));
        holes.extend([html::TOTALS_HOLE, html::SIDES_HOLE, html::VERDICT_HOLE]);
        if state.votes.is_some() {
            page.votes_html = votes::votes_holes();
            holes.extend([votes::MARKER; 3]);
        }
        let rendered = page.render().map_err(WebError::internal)?;
        let page = Spliced::new(&rendered, &holes)
            .ok_or_else(|| WebError::internal("the comparison frame lacks a hole"))?;
        let meta = match state.votes {
            Some(_) => Some(PageMeta::new(state, topics)?),
            None => None,
        };
        Ok(Frame {
            page,
            sides: Mutex::new(Vec::new()),
            meta,
        })
    }

    /// The side cards for `view`'s pick, rendered on first use.
    fn sides(&self, state: &AppState, view: &ComparisonView) -> Result<Arc<Packed>, WebError> {
        let pick = view.decision.pick.clone().unwrap_or_default();
        let mut sides = self.sides.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, p)) = sides.iter().find(|(slug, _)| *slug == pick) {
            return Ok(p.clone());
        }
        let html = html::sides_section(&state.site, view)
            .render()
            .map_err(WebError::internal)?;
        let packed = Arc::new(Packed::new(html));
        sides.push((pick, packed.clone()));
        Ok(packed)
    }
}

/// The page for `topics` (canonical order) under the reader's `prefs`
/// (not the defaults).
pub async fn page(
    state: &AppState,
    topics: &[&Topic],
    prefs: &Preferences,
    thanks: bool,
    headers: &HeaderMap,
    addr: ClientAddr,
) -> Result<Response, WebError> {
    let view = ComparisonView::build(&state.catalog, &state.site.urls, topics, prefs)
        .map_err(crate::prefs::decide_error)?;
    let key = view.key().to_string();
    let frame = match state.personal.0.get(&key) {
        Some(f) => f,
        None => {
            let f = Arc::new(Frame::new(state, topics, &view)?);
            state.personal.0.insert(key, f.clone());
            f
        }
    };
    let parts = html::personal_parts(&state.site, &state.catalog, &view);
    let mut buf = String::with_capacity(6 * 1024);
    let pick_end = append(&mut buf, &parts.pick)?;
    let form_end = append(&mut buf, &parts.form)?;
    let foot_end = append(&mut buf, &parts.foot)?;
    append(&mut buf, &parts.verdict)?;
    let sides = frame.sides(state, &view)?;
    let block = match (&state.votes, &frame.meta) {
        (Some(v), Some(meta)) => Some(v.reader_block(meta, addr, headers, thanks).await),
        _ => None,
    };
    let b = buf.as_bytes();
    let mut fills = Vec::with_capacity(parts.weights_by_row.len() + 6);
    fills.push(Fill::Raw(&b[..pick_end]));
    fills.push(Fill::Raw(&b[pick_end..form_end]));
    fills.extend(parts.weights_by_row.iter().map(|w| Fill::Raw(w.as_bytes())));
    fills.push(Fill::Raw(&b[form_end..foot_end]));
    fills.push(Fill::Packed(&sides));
    fills.push(Fill::Raw(&b[foot_end..]));
    let cache_control = match &block {
        Some(block) => {
            fills.extend(block.fills());
            PRIVATE
        }
        None => crate::pages::PAGE_CACHE,
    };
    Ok(frame.page.respond(headers, &fills, HTML, cache_control))
}

/// Renders `part` at the end of `buf`; returns where it ends.
fn append(buf: &mut String, part: &impl Template) -> Result<usize, WebError> {
    part.render_into(buf).map_err(WebError::internal)?;
    Ok(buf.len())
}
