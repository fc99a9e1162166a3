use super::*;
use draw::escape;

use verdict_core::decide::Preferences;

use crate::Urls;

fn view(slugs: &[&str]) -> ComparisonView<'static> {
    static CATALOG: std::sync::OnceLock<verdict_core::Catalog> = std::sync::OnceLock::new();
    let catalog = CATALOG.get_or_init(|| verdict_content::load_embedded().catalog);
    let topics: Vec<_> = slugs.iter().map(|s| catalog.topic(s).unwrap()).collect();
    ComparisonView::build(catalog, Urls::relative(), &topics, &Preferences::default()).unwrap()
}

/// The decoded image: width, height and RGBA pixels.
fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().unwrap();
    assert_eq!(
        reader.info().color_type,
        png::ColorType::Indexed,
        "a palette"
    );
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// A pixel's colour; every pixel is opaque.
fn pixel(rgba: &[u8], x: u32, y: u32) -> [u8; 3] {
    let i = ((y * WIDTH + x) * 4) as usize;
    assert_eq!(rgba[i + 3], 255, "opaque at {x}, {y}");
    [rgba[i], rgba[i + 1], rgba[i + 2]]
}

fn hex(colour: &str) -> [u8; 3] {
    let v = u32::from_str_radix(colour.trim_start_matches('#'), 16).unwrap();
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}

/// Whether every pixel in the rectangle is the paper colour.
fn blank(rgb: &[u8], xs: std::ops::Range<u32>, ys: std::ops::Range<u32>) -> bool {
    ys.flat_map(|y| xs.clone().map(move |x| (x, y)))
        .all(|(x, y)| pixel(rgb, x, y) == [255, 255, 255])
}

#[test]
fn a_comparison_is_a_1200_by_630_png_in_its_outcomes_colour() {
    let v = view(&["django", "flask"]);
    let image = comparison(&v);
    let png = image.png();
    let (w, h, rgb) = decode(&png);
    assert_eq!((w, h), (1200, 630));
    let c = crate::badge::conclusion(&v);
    assert_eq!(pixel(&rgb, 600, 5), hex(c.colour), "the band on top");
    // The names are drawn: ink where the first name starts.
    assert!(!blank(&rgb, 64..400, 120..190), "names drawn");
    assert!(blank(&rgb, 1168..1200, 20..630), "right margin is empty");
    assert!(image.svg.contains(">Django</tspan>"), "{}", image.svg);
    assert!(image.svg.contains(&escape(&c.message)));
    assert!(image.drawn_in(&png));
    // A rebuild reads only the head of a file on disk.
    assert!(image.drawn_in(&png[..HEAD_BYTES]));
    assert!(png.len() < 40_000, "{} bytes", png.len());
}

#[test]
fn text_is_escaped_and_long_names_never_leave_the_image() {
    let long_name = "An Extraordinarily Long Framework Name ".repeat(6);
    let mut v = view(&["django", "flask"]);
    v.sides[0].name = "C++ & <Rust> \"quoted\"";
    v.sides[1].name = &long_name;
    let image = comparison(&v);
    assert!(
        image
            .svg
            .contains("C++ &amp; &lt;Rust&gt; &quot;quoted&quot;")
    );
    assert!(!image.svg.contains("<Rust>"));
    assert!(image.svg.contains('…'), "the long name is cut");
    let (_, _, rgb) = decode(&image.png());
    assert!(
        blank(&rgb, 1168..1200, 20..630),
        "nothing runs into the right margin"
    );
}

#[test]
fn four_way_comparisons_show_every_name_and_column() {
    let v = view(&["angular", "react", "svelte", "vue"]);
    let image = comparison(&v);
    for side in &v.sides {
        assert!(
            image
                .svg
                .matches(&format!(">{}<", escape(side.name)))
                .count()
                >= 2,
            "{} in the title and as a column head",
            side.name
        );
    }
    let (_, _, rgb) = decode(&image.png());
    assert!(blank(&rgb, 1168..1200, 20..630));
}

#[test]
fn the_same_comparison_gives_the_same_bytes_and_another_a_different_hash() {
    let a = comparison(&view(&["django", "flask"]));
    let b = comparison(&view(&["django", "flask"]));
    assert_eq!(a, b);
    assert_eq!(a.png(), b.png());
    let other = comparison(&view(&["go", "rust"]));
    assert_ne!(a.hash, other.hash);
    assert!(!other.drawn_in(&a.png()));
    assert_eq!(drawn_from(b"\x89PNG not ours"), None);
}
