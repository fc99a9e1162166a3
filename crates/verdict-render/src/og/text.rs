//! Measuring and fitting text in the embedded font, so that no name, however
//! long, runs off the image: the widths are the font's own advances, not an
//! estimate per character.

use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider as _};

pub(super) static REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
pub(super) static BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// The smallest step by which fitting shrinks a line, in px.
const STEP: f32 = 2.0;
const ELLIPSIS: char = '…';

/// Advance widths of one face, in em, for the characters we draw most.
struct Face {
    font: FontRef<'static>,
    units_per_em: f32,
}

fn face(bold: bool) -> &'static Face {
    static FACES: OnceLock<[Face; 2]> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        [REGULAR, BOLD].map(|data| {
            let font = FontRef::new(data).expect("the embedded font parses");
            let units_per_em = f32::from(
                font.metrics(Size::unscaled(), LocationRef::default())
                    .units_per_em,
            );
            Face { font, units_per_em }
        })
    });
    &faces[usize::from(bold)]
}

/// The width of `text` at `size` px, kerning left out (DejaVu's kerning
/// only ever narrows a line by a few px, so a fitted line stays inside).
pub(super) fn width(text: &str, size: f32, bold: bool) -> f32 {
    let f = face(bold);
    let charmap = f.font.charmap();
    let metrics = f
        .font
        .glyph_metrics(Size::unscaled(), LocationRef::default());
    let units: f32 = text
        .chars()
        .map(|c| {
            let glyph = charmap.map(c).unwrap_or_default();
            metrics.advance_width(glyph).unwrap_or(0.0)
        })
        .sum();
    units * size / f.units_per_em
}

/// A run of text in one weight.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Span {
    pub text: String,
    pub bold: bool,
    /// Whether fitting may cut this span short (names may; " vs " may not).
    pub cut: bool,
}

fn line_width(spans: &[Span], size: f32) -> f32 {
    spans.iter().map(|s| width(&s.text, size, s.bold)).sum()
}

/// `spans` on one line at the largest size from `max` down to `min` px that
/// fits in `room` px; if even `min` is too wide, the longest cuttable span
/// loses characters, one at a time, and ends in "…" until the line fits.
pub(super) fn fit(mut spans: Vec<Span>, max: f32, min: f32, room: f32) -> (Vec<Span>, f32) {
    let mut size = max;
    while size > min && line_width(&spans, size) > room {
        size = (size - STEP).max(min);
    }
    while line_width(&spans, size) > room {
        let Some(longest) = spans
            .iter_mut()
            .filter(|s| s.cut && s.text.chars().count() > 1)
            .max_by_key(|s| s.text.chars().count())
        else {
            break;
        };
        let mut chars: Vec<char> = longest.text.chars().collect();
        if chars.last() == Some(&ELLIPSIS) {
            chars.pop();
        }
        chars.pop();
        while chars.last().is_some_and(|c| c.is_whitespace()) {
            chars.pop();
        }
        chars.push(ELLIPSIS);
        longest.text = chars.into_iter().collect();
    }
    (spans, size)
}

/// One span, fitted: its text and size.
pub(super) fn fit_one(text: &str, bold: bool, max: f32, min: f32, room: f32) -> (String, f32) {
    let (mut spans, size) = fit(
        vec![Span {
            text: text.to_owned(),
            bold,
            cut: true,
        }],
        max,
        min,
        room,
    );
    (spans.remove(0).text, size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font() {
        // Bold is wider than regular, "W" wider than "i", and width scales
        // with size.
        assert!(width("Rust", 40.0, true) > width("Rust", 40.0, false));
        assert!(width("W", 40.0, false) > 3.0 * width("i", 40.0, false));
        let w = width("Django", 20.0, false);
        assert!((width("Django", 40.0, false) - 2.0 * w).abs() < 0.01);
    }

    #[test]
    fn a_short_line_keeps_its_size_and_a_long_one_shrinks_then_is_cut() {
        let (text, size) = fit_one("Go", true, 72.0, 40.0, 1000.0);
        assert_eq!((text.as_str(), size), ("Go", 72.0));

        let name = "Kubernetes Operators";
        let (text, size) = fit_one(name, true, 72.0, 40.0, 600.0);
        assert_eq!(text, name);
        assert!((40.0..72.0).contains(&size));
        assert!(width(&text, size, true) <= 600.0);

        let long = "W".repeat(300);
        let (text, size) = fit_one(&long, true, 72.0, 40.0, 600.0);
        assert_eq!(size, 40.0);
        assert!(text.ends_with('…'), "{text}");
        assert!(width(&text, size, true) <= 600.0);
        assert!(width(&text, size, true) > 500.0, "cut no more than needed");
    }

    #[test]
    fn fitting_cuts_the_longest_name_and_never_the_connector() {
        let spans = vec![
            Span {
                text: "Go".into(),
                bold: true,
                cut: true,
            },
            Span {
                text: " vs ".into(),
                bold: false,
                cut: false,
            },
            Span {
                text: "A very long framework name that goes on".into(),
                bold: true,
                cut: true,
            },
        ];
        let (spans, size) = fit(spans, 72.0, 40.0, 700.0);
        assert_eq!(size, 40.0);
        assert_eq!(spans[0].text, "Go");
        assert_eq!(spans[1].text, " vs ");
        assert!(spans[2].text.starts_with("A very long") && spans[2].text.ends_with('…'));
        assert!(line_width(&spans, size) <= 700.0);
    }
}
