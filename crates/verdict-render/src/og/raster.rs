//! SVG to PNG: resvg draws into a tiny-skia pixmap with the embedded fonts
//! only, and the png crate encodes it.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use super::text::{BOLD, REGULAR};
use super::{HEIGHT, WIDTH};

/// The `tEXt` keyword under which a PNG carries the hash of its source.
pub const HASH_KEYWORD: &str = "verdict-og";

/// The embedded fonts, loaded once; no system font is ever looked up.
fn fonts() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        for data in [REGULAR, BOLD] {
            db.load_font_source(fontdb::Source::Binary(Arc::new(data)));
        }
        db.set_sans_serif_family("DejaVu Sans");
        Arc::new(db)
    })
    .clone()
}

/// Draws `svg` (one of ours: it always parses) and encodes it with `hash`.
pub(super) fn png(svg: &str, hash: u64) -> Vec<u8> {
    let options = usvg::Options {
        fontdb: fonts(),
        font_family: "DejaVu Sans".to_owned(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).expect("the image's SVG parses");
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT).expect("a non-empty image");
    resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
    encode(&pixmap, hash)
}

/// The pixmap as an RGBA PNG at the fastest compression, which on flat
/// colours is within a few per cent of the best and many times faster.
/// The image is opaque, so premultiplied alpha is plain RGBA, and every
/// alpha byte filters to zero and costs next to nothing to store; dropping
/// the channel would need a pass over every pixel, which costs more.
fn encode(pixmap: &Pixmap, hash: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder
        .add_text_chunk(HASH_KEYWORD.to_owned(), format!("{hash:016x}"))
        .expect("a Latin-1 keyword and text");
    let mut writer = encoder.write_header().expect("writing to a Vec");
    writer
        .write_image_data(pixmap.data())
        .expect("writing to a Vec");
    writer.finish().expect("writing to a Vec");
    out
}

/// The hash a PNG of ours was drawn from, read from its `tEXt` chunk,
/// which comes right after the header: the first 128 bytes are enough.
pub fn drawn_from(png: &[u8]) -> Option<u64> {
    let head = &png[..png.len().min(128)];
    let mut marker = b"tEXt".to_vec();
    marker.extend_from_slice(HASH_KEYWORD.as_bytes());
    marker.push(0);
    let at = head.windows(marker.len()).position(|w| w == marker)? + marker.len();
    let hex = std::str::from_utf8(head.get(at..at + 16)?).ok()?;
    u64::from_str_radix(hex, 16).ok()
}
