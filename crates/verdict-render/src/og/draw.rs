//! The image as SVG: where each part goes, and the fitting of its text.

use std::fmt::Write as _;

use verdict_core::model::Outcome;

use super::raster::{self, drawn_from};
use super::text::{self, Span, fit, fit_one};
use super::{HEIGHT, WIDTH};
use crate::assets::fnv64;
use crate::view::ComparisonView;

/// What changes the pixels besides the SVG: the rasteriser, the font and
/// the PNG encoding. Change it when any of them changes (Cargo.lock moving
/// resvg or png included), so that rebuilds draw every image again.
const DRAWN_WITH: &str = "resvg 0.49.0, DejaVu Sans 2.37, png 0.18.1 indexed fast, 2";

const MARGIN: f32 = 64.0;
const INK: &str = "#1d2127";
const MUTED: &str = "#5b606b";
const RULE: &str = "#dfe2e6";
const PAPER: &str = "#ffffff";
/// Scorecard rows shown below the overall score: the heaviest criteria.
const ROWS: usize = 3;

/// An image, as SVG, and the hash that names its pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub svg: String,
    /// Names what the PNG is drawn from (the SVG and [`DRAWN_WITH`]).
    pub hash: u64,
}

impl Image {
    /// The PNG: 1200×630, opaque (indexed colour), with [`Image::hash`] in a `tEXt`
    /// chunk.
    pub fn png(&self) -> Vec<u8> {
        raster::png(&self.svg, self.hash)
    }

    /// Whether `png` (a whole file, or at least its first
    /// [`HEAD_BYTES`](super::HEAD_BYTES) bytes) was
    /// drawn from this image.
    pub fn drawn_in(&self, png: &[u8]) -> bool {
        drawn_from(png) == Some(self.hash)
    }
}

/// The Open Graph image of a comparison (the canonical one: personal
/// weights change no image).
pub fn comparison(view: &ComparisonView) -> Image {
    let svg = svg(view);
    let mut source = String::with_capacity(DRAWN_WITH.len() + svg.len());
    source.push_str(DRAWN_WITH);
    source.push_str(&svg);
    Image {
        hash: fnv64(source.as_bytes()),
        svg,
    }
}

pub(super) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `<text>` of fitted spans, at `x`, `y` (baseline), in `fill`; connectors
/// (spans that are not cut) in the muted colour.
fn text_line(s: &mut String, spans: &[Span], size: f32, x: f32, y: f32, fill: &str) {
    let _ = write!(
        s,
        "<text x=\"{x}\" y=\"{y}\" font-size=\"{size}\" fill=\"{fill}\" xml:space=\"preserve\">"
    );
    for span in spans {
        let weight = if span.bold { "bold" } else { "normal" };
        let colour = if span.cut { fill } else { MUTED };
        let _ = write!(
            s,
            "<tspan font-weight=\"{weight}\" fill=\"{colour}\">{}</tspan>",
            escape(&span.text)
        );
    }
    s.push_str("</text>");
}

/// One line of text in one weight, fitted into `room`.
#[allow(clippy::too_many_arguments)]
fn fitted(
    s: &mut String,
    text: &str,
    bold: bool,
    max: f32,
    min: f32,
    room: f32,
    (x, y): (f32, f32),
    fill: &str,
    anchor: &str,
) {
    let (text, size) = fit_one(text, bold, max, min, room);
    let weight = if bold { "bold" } else { "normal" };
    let _ = write!(
        s,
        "<text x=\"{x}\" y=\"{y}\" font-size=\"{size}\" font-weight=\"{weight}\" fill=\"{fill}\" text-anchor=\"{anchor}\" xml:space=\"preserve\">{}</text>",
        escape(&text)
    );
}

/// The image as SVG. Layout, top to bottom: a band in the outcome's
/// colour, the site's name, the compared names, the outcome with the pick,
/// then a table with a column per topic: the overall score and the
/// heaviest criteria, the pick's column tinted.
fn svg(view: &ComparisonView) -> String {
    let d = &view.decision;
    let c = crate::badge::conclusion(view);
    let room = WIDTH as f32 - 2.0 * MARGIN;
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"DejaVu Sans\">\
<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{PAPER}\"/>\
<rect width=\"{WIDTH}\" height=\"14\" fill=\"{}\"/>",
        c.colour
    );
    fitted(
        &mut s,
        crate::badge::LABEL,
        true,
        30.0,
        30.0,
        room,
        (MARGIN, 78.0),
        MUTED,
        "start",
    );

    // The names, joined by "vs", as large as fits.
    let mut spans = Vec::new();
    for (i, side) in view.sides.iter().enumerate() {
        if i > 0 {
            spans.push(Span {
                text: " vs ".into(),
                bold: false,
                cut: false,
            });
        }
        spans.push(Span {
            text: side.name.to_owned(),
            bold: true,
            cut: true,
        });
    }
    let (spans, size) = fit(spans, 76.0, 40.0, room);
    text_line(&mut s, &spans, size, MARGIN, 180.0, INK);

    // The outcome in a pill, then what it means.
    let label_size = 28.0;
    let (label, _) = fit_one(c.label, true, label_size, label_size, room);
    let pill = text::width(&label, label_size, true) + 40.0;
    let _ = write!(
        s,
        "<rect x=\"{MARGIN}\" y=\"222\" width=\"{pill:.1}\" height=\"52\" rx=\"26\" fill=\"{}\"/>",
        c.colour
    );
    fitted(
        &mut s,
        &label,
        true,
        label_size,
        label_size,
        room,
        (MARGIN + 20.0, 258.0),
        PAPER,
        "start",
    );
    let after = MARGIN + pill + 20.0;
    if let (Outcome::Pick, Some(_)) = (d.outcome, d.pick.as_deref()) {
        fitted(
            &mut s,
            &c.message,
            true,
            34.0,
            22.0,
            WIDTH as f32 - MARGIN - after,
            (after, 260.0),
            INK,
            "start",
        );
    }

    scorecard(&mut s, view, c.colour);
    s.push_str("</svg>");
    s
}

/// The table: topic names as column heads, the overall score, then the
/// heaviest criteria (ties in the scorecard's order), each cell a score and
/// a bar; a row's best score is bold.
fn scorecard(s: &mut String, view: &ComparisonView, colour: &str) {
    let d = &view.decision;
    let n = view.sides.len().max(1) as f32;
    let label_w = 380.0;
    let left = MARGIN + label_w;
    let col = (WIDTH as f32 - MARGIN - left) / n;
    let (head_y, first_y, row_h) = (350.0, 408.0, 54.0);
    let mut rows: Vec<&verdict_core::decide::Row> = d.rows.iter().collect();
    rows.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    rows.truncate(ROWS);
    let bottom = first_y + row_h * rows.len() as f32 + 10.0;

    // The pick's column, tinted.
    if let Some(i) = d
        .pick
        .as_deref()
        .and_then(|p| view.sides.iter().position(|side| side.slug == p))
    {
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"10\" fill=\"{colour}\" fill-opacity=\"0.1\"/>",
            left + col * i as f32,
            head_y - 40.0,
            col - 8.0,
            bottom - head_y + 40.0,
        );
    }
    for (i, side) in view.sides.iter().enumerate() {
        fitted(
            s,
            side.name,
            true,
            24.0,
            18.0,
            col - 32.0,
            (left + col * i as f32 + 14.0, head_y),
            INK,
            "start",
        );
    }
    let _ = write!(
        s,
        "<rect x=\"{MARGIN}\" y=\"{}\" width=\"{}\" height=\"2\" fill=\"{RULE}\"/>",
        head_y + 16.0,
        WIDTH as f32 - 2.0 * MARGIN
    );

    let best = view.sides.iter().map(|side| side.score).fold(0.0, f64::max);
    let overall: Vec<(String, f64, bool)> = view
        .sides
        .iter()
        .map(|side| (format!("{:.1}", side.score), side.score, side.score >= best))
        .collect();
    cells(s, "Overall", true, &overall, first_y, left, col, colour);
    for (r, row) in rows.iter().enumerate() {
        let top = row.top();
        let scores: Vec<(String, f64, bool)> = row
            .cells
            .iter()
            .map(|cell| {
                (
                    cell.score.to_string(),
                    f64::from(cell.score),
                    row.winner.is_some() && cell.score == top,
                )
            })
            .collect();
        let y = first_y + row_h * (r + 1) as f32;
        cells(s, &row.label, false, &scores, y, left, col, colour);
    }
}

/// One row of the table: its label and, per column, the score (out of 10)
/// and a bar of that length.
#[allow(clippy::too_many_arguments)]
fn cells(
    s: &mut String,
    label: &str,
    bold: bool,
    scores: &[(String, f64, bool)],
    y: f32,
    left: f32,
    col: f32,
    colour: &str,
) {
    fitted(
        s,
        label,
        bold,
        24.0,
        18.0,
        left - MARGIN - 24.0,
        (MARGIN, y),
        if bold { INK } else { MUTED },
        "start",
    );
    for (i, (text, score, best)) in scores.iter().enumerate() {
        let x = left + col * i as f32 + 14.0;
        let _ = write!(
            s,
            "<text x=\"{x}\" y=\"{y}\" font-size=\"24\" font-weight=\"{}\" fill=\"{INK}\">{}</text>",
            if *best { "bold" } else { "normal" },
            escape(text)
        );
        let bar_x = x + 56.0;
        let full = (col - 32.0 - 56.0).max(0.0);
        let _ = write!(
            s,
            "<rect x=\"{bar_x:.1}\" y=\"{}\" width=\"{full:.1}\" height=\"10\" rx=\"5\" fill=\"{RULE}\"/>\
<rect x=\"{bar_x:.1}\" y=\"{}\" width=\"{:.1}\" height=\"10\" rx=\"5\" fill=\"{}\"/>",
            y - 12.0,
            y - 12.0,
            full * (score / 10.0).clamp(0.0, 1.0) as f32,
            if *best { colour } else { MUTED },
        );
    }
}
