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
//!
//! The parts made per request go out as stored deflate blocks: compressing
//! them inline halved the rate personal pages are served at. A personal
//! page asked for a second time (a shared link, a profile's link) is
//! therefore rendered whole and compressed off the request path, and kept
//! by its URL ([`Whole`]): from then on it goes out at the size of a plain
//! page instead of about twice that.

use std::sync::atomic::{AtomicBool, Ordering};
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

/// A personal page by its URL (`a-vs-b?profile=…`): seen once, or rendered
/// whole and compressed, with holes only for the votes block.
enum Whole {
    /// Asked for once; set when a compressed copy is being made.
    Seen(AtomicBool),
    Ready {
        page: Spliced,
        meta: Option<PageMeta>,
    },
}

impl crate::cache::Weigh for Whole {
    fn heap_bytes(&self) -> usize {
        match self {
            Whole::Seen(_) => 64,
            Whole::Ready { page, .. } => crate::cache::Weigh::heap_bytes(page) + 512,
        }
    }
}

/// Frames by canonical comparison key (`a-vs-b`), and whole pages by URL;
/// each half of the personal budget.
pub struct Frames {
    frames: crate::cache::ByteCache<Frame>,
    wholes: crate::cache::ByteCache<Whole>,
}

impl Frames {
    pub fn new(bytes: u64) -> Frames {
        Frames {
            frames: crate::cache::ByteCache::new(bytes / 2),
            wholes: crate::cache::ByteCache::new(bytes - bytes / 2),
        }
    }

    pub(crate) fn bytes(&self) -> u64 {
        self.frames.bytes() + self.wholes.bytes()
    }

    pub(crate) fn budget(&self) -> u64 {
        self.frames.budget() + self.wholes.budget()
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
    let key = verdict_core::key::ComparisonKey::of(topics).to_string();
    let url = format!("{key}{}", crate::prefs::query_string(prefs));
    let whole = state.personal.wholes.get(&url);
    if let Some(Whole::Ready { page, meta }) = whole.as_deref() {
        // Asked for before and compressed whole: nothing to render.
        let block = match (&state.votes, meta) {
            (Some(v), Some(meta)) => Some(v.reader_block(meta, addr, headers, thanks).await),
            _ => None,
        };
        return Ok(match &block {
            Some(block) => page.respond(headers, &block.fills(), HTML, PRIVATE),
            None => page.respond(headers, &[], HTML, crate::pages::PAGE_CACHE),
        });
    }
    // Built before anything is kept, so a choice the decision refuses (every
    // weight zero) leaves no entry behind.
    let view = ComparisonView::build(&state.catalog, &state.site.urls, topics, prefs)
        .map_err(crate::prefs::decide_error)?;
    // Asked for a second time: compressed whole once this request's parts
    // are known (below).
    let second = match whole.as_deref() {
        Some(Whole::Seen(building)) => Some(building),
        Some(Whole::Ready { .. }) => None,
        None => {
            state
                .personal
                .wholes
                .insert(url.clone(), Arc::new(Whole::Seen(AtomicBool::new(false))));
            None
        }
    };
    let frame = match state.personal.frames.get(&key) {
        Some(f) => f,
        None => {
            let f = Arc::new(Frame::new(state, topics, &view)?);
            state.personal.frames.insert(key, f.clone());
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
    if let Some(building) = second.filter(|b| !b.swap(true, Ordering::Relaxed)) {
        // The whole page answers with the validator this one does: the same
        // bytes keep one ETag whichever copy serves them.
        let tag = frame.page.tag_with(&fills);
        let meta = frame.meta.clone();
        compress_whole(state, url, prefs.clone(), topics, (tag, meta), building);
    }
    let cache_control = match &block {
        Some(block) => {
            fills.extend(block.fills());
            PRIVATE
        }
        None => crate::pages::PAGE_CACHE,
    };
    Ok(frame.page.respond(headers, &fills, HTML, cache_control))
}

/// Renders the personal page at `url` whole and compresses it, off the
/// request path, then keeps it in place of its [`Whole::Seen`] entry. It
/// takes from the frame the validator the frame gave the same page before
/// its votes block ([`Spliced::tag_with`]) and the votes block's
/// [`PageMeta`]. When every compression slot is taken, `building` is
/// cleared so that a later request tries again.
fn compress_whole(
    state: &AppState,
    url: String,
    prefs: Preferences,
    topics: &[&Topic],
    from_frame: (u64, Option<PageMeta>),
    building: &AtomicBool,
) {
    let Some(slot) = crate::splice::compress_slot() else {
        building.store(false, Ordering::Relaxed);
        return;
    };
    let state = state.clone();
    let slugs: Vec<String> = topics.iter().map(|t| t.slug.clone()).collect();
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let topics: Vec<&Topic> = slugs
            .iter()
            .filter_map(|s| state.catalog.topic(s))
            .collect();
        match whole_page(&state, &topics, &prefs, from_frame) {
            Ok(whole) => state.personal.wholes.insert(url, Arc::new(whole)),
            Err(e) => tracing::warn!(%url, error = ?e, "cannot render a personal page whole"),
        }
    });
}

/// The personal page for `topics` under `prefs`, rendered whole with holes
/// for the votes block, compressed at the best level, answering with
/// validator `tag` before the votes block is folded in.
fn whole_page(
    state: &AppState,
    topics: &[&Topic],
    prefs: &Preferences,
    (tag, meta): (u64, Option<PageMeta>),
) -> Result<Whole, WebError> {
    let view = ComparisonView::build(&state.catalog, &state.site.urls, topics, prefs)
        .map_err(crate::prefs::decide_error)?;
    let mut page = html::comparison(&state.site, &state.catalog, &view);
    let holes: &[&str] = match state.votes {
        Some(_) => {
            page.votes_html = votes::votes_holes();
            &[votes::MARKER; 3]
        }
        None => &[],
    };
    let rendered = page.render().map_err(WebError::internal)?;
    let page = Spliced::new(&rendered, holes)
        .ok_or_else(|| WebError::internal("the personal page lacks its votes holes"))?
        .with_tag(tag);
    Ok(Whole::Ready { page, meta })
}

/// Renders `part` at the end of `buf`; returns where it ends.
fn append(buf: &mut String, part: &impl Template) -> Result<usize, WebError> {
    part.render_into(buf).map_err(WebError::internal)?;
    Ok(buf.len())
}
