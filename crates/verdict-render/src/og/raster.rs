//! SVG to PNG: resvg draws into a tiny-skia pixmap with the embedded fonts
//! only, and the png crate encodes it.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use super::text::{BOLD, REGULAR};
use super::{HEIGHT, WIDTH};

/// The `tEXt` keyword under which a PNG carries the hash of its source.
pub const HASH_KEYWORD: &str = "verdict-og";

/// How much of a PNG of ours [`drawn_from`] needs: the signature, the
/// header, a palette of up to 256 colours and the hash's `tEXt` chunk.
pub const HEAD_BYTES: usize = 1024;

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

/// The pixmap as a PNG. The image is opaque and drawn in a handful of flat
/// colours, so even with anti-aliased edges it has fewer than 256 distinct
/// colours (about 180 in practice): it is then stored as an indexed PNG,
/// lossless and a third the size of RGBA at the same speed. An image with
/// more colours (none so far) falls back to RGB. The palette lists colours
/// in the order they first appear, so the same pixels give the same bytes.
fn encode(pixmap: &Pixmap, hash: u64) -> Vec<u8> {
    let pixels = pixmap.data();
    match Palette::of(pixels) {
        Some(palette) => write(
            png::ColorType::Indexed,
            Some(palette.colours),
            &palette.indices,
            hash,
        ),
        None => {
            // Opaque, so premultiplied RGBA is plain RGBA: drop the alpha.
            let rgb: Vec<u8> = pixels
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            write(png::ColorType::Rgb, None, &rgb, hash)
        }
    }
}

fn write(colour: png::ColorType, palette: Option<Vec<u8>>, data: &[u8], hash: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 * 1024);
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    if let Some(palette) = palette {
        encoder.set_palette(palette);
    }
    // The fastest deflate level: on one byte per flat-coloured pixel it is
    // within 10% of the best level at a tenth of its time.
    encoder.set_compression(png::Compression::Fast);
    encoder
        .add_text_chunk(HASH_KEYWORD.to_owned(), format!("{hash:016x}"))
        .expect("a Latin-1 keyword and text");
    let mut writer = encoder.write_header().expect("writing to a Vec");
    writer.write_image_data(data).expect("writing to a Vec");
    writer.finish().expect("writing to a Vec");
    out
}

/// Slots of the colour table: a power of two, four times 256.
const SLOTS: usize = 1024;

/// An image's colours (RGB triples, at most 256) and each pixel's index.
struct Palette {
    colours: Vec<u8>,
    indices: Vec<u8>,
}

impl Palette {
    /// `None` when `rgba` has more than 256 colours. Runs of one colour
    /// (most of the image) cost one comparison a pixel; a new colour is
    /// looked up in a small open-addressed table.
    fn of(rgba: &[u8]) -> Option<Palette> {
        let mut table = [(0u32, 0u8, false); SLOTS];
        let mut colours = Vec::with_capacity(3 * 256);
        let mut indices = Vec::with_capacity(rgba.len() / 4);
        let mut last: Option<(u32, u8)> = None;
        let row_bytes = WIDTH as usize * 4;
        let mut previous: Option<&[u8]> = None;
        for row in rgba.chunks_exact(row_bytes) {
            // Most rows are margin or a flat band, the same as the row
            // above: copy its indices (a memcmp and a memcpy, fast even in
            // the unoptimised builds the tests run).
            if previous == Some(row) {
                let start = indices.len() - WIDTH as usize;
                indices.extend_from_within(start..);
                continue;
            }
            previous = Some(row);
            Self::row(row, &mut table, &mut colours, &mut indices, &mut last)?;
        }
        Some(Palette { colours, indices })
    }

    /// Appends the indices of one row's pixels, adding new colours.
    fn row(
        row: &[u8],
        table: &mut [(u32, u8, bool); SLOTS],
        colours: &mut Vec<u8>,
        indices: &mut Vec<u8>,
        last: &mut Option<(u32, u8)>,
    ) -> Option<()> {
        for p in row.chunks_exact(4) {
            let key = u32::from_le_bytes([p[0], p[1], p[2], 0]);
            if let Some((k, i)) = *last
                && k == key
            {
                indices.push(i);
                continue;
            }
            let mut slot = (key.wrapping_mul(0x9E37_79B1) >> 22) as usize % SLOTS;
            let index = loop {
                match table[slot] {
                    (k, i, true) if k == key => break i,
                    (_, _, true) => slot = (slot + 1) % SLOTS,
                    (_, _, false) => {
                        let n = colours.len() / 3;
                        let i = u8::try_from(n).ok()?;
                        colours.extend_from_slice(&p[..3]);
                        table[slot] = (key, i, true);
                        break i;
                    }
                }
            };
            *last = Some((key, index));
            indices.push(index);
        }
        Some(())
    }
}

/// The hash a PNG of ours was drawn from, read from its `tEXt` chunk,
/// which comes right after the header and the palette (at most 768 bytes):
/// the first [`HEAD_BYTES`] are enough.
pub fn drawn_from(png: &[u8]) -> Option<u64> {
    let head = &png[..png.len().min(HEAD_BYTES)];
    let mut marker = b"tEXt".to_vec();
    marker.extend_from_slice(HASH_KEYWORD.as_bytes());
    marker.push(0);
    let at = head.windows(marker.len()).position(|w| w == marker)? + marker.len();
    let hex = std::str::from_utf8(head.get(at..at + 16)?).ok()?;
    u64::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `png` to RGB triples.
    fn rgb(png: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let colour = reader.info().color_type;
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (colour, buf)
    }

    fn pixmap(colour: impl Fn(u32, u32) -> [u8; 3]) -> Pixmap {
        let mut p = Pixmap::new(WIDTH, HEIGHT).unwrap();
        for (i, px) in p.data_mut().chunks_exact_mut(4).enumerate() {
            let [r, g, b] = colour(i as u32 % WIDTH, i as u32 / WIDTH);
            px.copy_from_slice(&[r, g, b, 255]);
        }
        p
    }

    /// Up to 256 colours are stored as a palette, more as RGB; both keep
    /// every pixel exactly.
    #[test]
    fn palette_when_it_fits_rgb_when_not_and_lossless_either_way() {
        for (colours, want) in [(256, png::ColorType::Indexed), (257, png::ColorType::Rgb)] {
            let image = pixmap(|x, y| {
                let c = (x + y * 7) % colours;
                [c as u8, (c >> 8) as u8, 40]
            });
            let png = encode(&image, 7);
            let (colour, pixels) = rgb(&png);
            assert_eq!(colour, want, "{colours} colours");
            let expected: Vec<u8> = image
                .data()
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            assert!(pixels == expected, "{colours} colours: pixels differ");
            assert_eq!(drawn_from(&png), Some(7));
        }
    }
}
