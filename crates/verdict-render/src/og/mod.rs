//! Open Graph images: the picture a link to a comparison shows when shared
//! (1200×630 PNG). The two to four names, the outcome and the pick in the
//! badge's words (`badge::conclusion`), and the heaviest rows of the
//! scorecard with the overall scores, drawn as SVG and rasterised by resvg
//! with the embedded DejaVu Sans (never a system font), so every machine
//! draws the same bytes. The server (`/og/<key>.png`) and the static export
//! (`og/<key>.png`) call [`comparison`].
//!
//! Flat colours and a few dozen glyphs keep an image at a few milliseconds;
//! the export still draws thousands, so each PNG carries a hash of what it
//! was drawn from ([`Image::hash`], in a `tEXt` chunk) and a rebuild keeps
//! an image whose hash has not changed without drawing it again.
//!
//! Drawing needs the `og` feature (resvg, the fonts); the size and the alt
//! text do not, so every page can point at its image without it.

#[cfg(feature = "og")]
mod draw;
#[cfg(feature = "og")]
mod raster;
#[cfg(feature = "og")]
mod text;

#[cfg(feature = "og")]
pub use draw::{Image, comparison};
#[cfg(feature = "og")]
pub use raster::{HASH_KEYWORD, HEAD_BYTES, drawn_from};

use verdict_core::model::Outcome;

use crate::view::ComparisonView;

/// The image's size in px, the one Open Graph and Twitter recommend.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The image's alt text: what it says, in a sentence. A personal view's
/// page shows the canonical image, and its head must not change with the
/// weights, so its alt text names no pick.
pub fn alt(view: &ComparisonView) -> String {
    const SCORES: &str = "with the overall scores and the heaviest criteria";
    if view.personal {
        return format!("{}: our conclusion, {SCORES}", view.title);
    }
    let d = &view.decision;
    match (d.outcome, d.pick.as_deref()) {
        (Outcome::Pick, Some(p)) => {
            format!("{}: our pick is {}, {SCORES}", view.title, view.name(p))
        }
        _ => {
            let label = crate::badge::conclusion(view).label.to_lowercase();
            format!("{}: {label}, {SCORES}", view.title)
        }
    }
}

#[cfg(all(test, feature = "og"))]
mod tests;
