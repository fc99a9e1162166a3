//! The comparison as text for a terminal.
//!
//! Output always carries ANSI styles; the caller writes it through
//! `anstream`, which strips them when stdout is not a terminal or when
//! `NO_COLOR` is set. Lines are wrapped to the given width.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use verdict_core::decide::Flip;
use verdict_core::model::Outcome;
use verdict_core::text::num;

use crate::view::{ComparisonView, Side};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const PICK: Style = AnsiColor::Green.on_default().bold();
const GOOD: Style = AnsiColor::Green.on_default();
const BAD: Style = AnsiColor::Red.on_default();
const WARN: Style = AnsiColor::Yellow.on_default();

fn styled(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

fn wrap(text: &str, width: usize, indent: &str) -> String {
    let opts = textwrap::Options::new(width.max(40))
        .initial_indent(indent)
        .subsequent_indent(indent);
    textwrap::fill(text, opts)
}

fn wrap_hanging(text: &str, width: usize, first: &str, rest: &str) -> String {
    let opts = textwrap::Options::new(width.max(40))
        .initial_indent(first)
        .subsequent_indent(rest);
    textwrap::fill(text, opts)
}

/// Renders the whole comparison for a terminal `width` columns wide.
pub fn comparison(view: &ComparisonView, width: usize) -> String {
    let d = &view.decision;
    let mut out = String::new();
    let w = width.clamp(40, 100);

    let _ = writeln!(out, "{}", styled(BOLD, &view.title));
    let _ = writeln!(out, "{}\n", "─".repeat(view.title.chars().count().min(w)));
    let _ = writeln!(out, "{}\n", wrap(&view.verdict.intro, w, ""));

    let (label, subject, detail) = view.headline();
    let marker = if d.pick.is_some() { "★ " } else { "" };
    let detail = detail
        .map(|d| format!("  {}", styled(DIM, &format!("({d})"))))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} {}{detail}",
        styled(PICK, &format!("{marker}{label}:")),
        styled(BOLD, &subject),
    );
    if let Some(short) = &view.verdict.short_answer {
        let _ = writeln!(out, "{}", wrap(short, w, "  "));
    }
    let _ = writeln!(out, "{}", wrap(&view.verdict.bottom_line, w, "  "));
    if d.disagreement && d.scorecard_clear {
        let _ = writeln!(
            out,
            "{}",
            styled(
                WARN,
                &wrap(
                    &format!(
                        "Note: our editors' pick differs from the scorecard's, which favours {}.",
                        view.name(&d.computed_pick)
                    ),
                    w,
                    "  "
                )
            )
        );
    }
    out.push('\n');

    scorecard(&mut out, view, w);
    for side in &view.sides {
        side_card(&mut out, view, side, w);
    }
    verdict(&mut out, view, w);
    out
}

/// The scorecard: a table of criteria × topics, then the overall scores.
fn scorecard(out: &mut String, view: &ComparisonView, w: usize) {
    let d = &view.decision;
    // Scorecard: a table of criteria × topics.
    let _ = writeln!(out, "{}", styled(BOLD, "Scorecard"));
    // Names are never cut: when one is too long for a column, the columns
    // are numbered and a legend gives the names in full.
    let numbered = view
        .sides
        .iter()
        .any(|s| s.name.chars().count() > COLUMN_NAME);
    let names: Vec<String> = if numbered {
        let legend: Vec<String> = view
            .sides
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{} = {}", i + 1, s.name))
            .collect();
        let _ = writeln!(out, "{}", styled(DIM, &wrap(&legend.join(", "), w, "  ")));
        (1..=view.sides.len()).map(|i| i.to_string()).collect()
    } else {
        view.sides.iter().map(|s| s.name.to_owned()).collect()
    };
    let label_w = d
        .rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(8)
        .max(8);
    let col_w = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(6)
        .max(6)
        + 2;
    let mut header = format!("  {:label_w$}  {:>6}", "", "weight");
    for n in &names {
        let _ = write!(header, "{n:>col_w$}");
    }
    let _ = writeln!(out, "{}", styled(DIM, &header));
    for row in &d.rows {
        let mut line = format!(
            "  {:label_w$}  {:>6}",
            row.label,
            format!("×{}", num(row.weight))
        );
        for cell in &row.cells {
            let text = format!("{:>col_w$}", cell.score);
            if row.winner.as_deref() == Some(cell.slug.as_str()) {
                line.push_str(&styled(GOOD, &text));
            } else {
                line.push_str(&text);
            }
        }
        let _ = writeln!(out, "{line}");
    }
    let mut total = format!("  {:label_w$}  {:>6}", "Overall", "");
    for side in &view.sides {
        let text = format!("{:>col_w$}", num(side.score));
        if d.scorecard_leader() == Some(side.slug) {
            total.push_str(&styled(PICK, &text));
        } else {
            total.push_str(&styled(BOLD, &text));
        }
    }
    let _ = writeln!(out, "{total}");
    let _ = writeln!(
        out,
        "{}\n",
        styled(DIM, &wrap(&view.basis_sentence(), w, "  "))
    );
}

/// One side: what it is, pros, cons, evidence, sources, related topics.
fn side_card(out: &mut String, view: &ComparisonView, side: &Side, w: usize) {
    let marker = if view.is_pick(side.slug) {
        styled(
            PICK,
            if view.personal {
                " ★ your pick"
            } else {
                " ★ our pick"
            },
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{} {}{marker}",
        styled(BOLD, side.name),
        styled(DIM, &format!("— {}", side.kind.with_article())),
    );
    let _ = writeln!(out, "{}", wrap(side.tagline, w, "  "));
    for p in side.pros {
        let _ = writeln!(
            out,
            "{}",
            wrap_hanging(p, w, &format!("  {} ", styled(GOOD, "+")), "    ")
        );
    }
    for c in side.cons {
        let _ = writeln!(
            out,
            "{}",
            wrap_hanging(c, w, &format!("  {} ", styled(BAD, "−")), "    ")
        );
    }
    for e in side.evidence {
        let _ = writeln!(
            out,
            "{}",
            styled(
                DIM,
                &wrap(
                    &format!(
                        "Evidence: {} for `{}` on {} (as of {}).",
                        e.figure(),
                        e.package,
                        e.source_phrase(),
                        e.as_of
                    ),
                    w,
                    "  "
                )
            )
        );
    }
    for src in side.sources {
        let _ = writeln!(
            out,
            "{}",
            styled(
                DIM,
                &wrap(
                    &format!("Source: {} <{}>, read {}", src.title, src.url, src.read),
                    w,
                    "  "
                )
            )
        );
    }
    if !side.related.is_empty() {
        let related: Vec<String> = side.related.links().map(|r| r.name).collect();
        let _ = writeln!(
            out,
            "{}",
            styled(
                DIM,
                &wrap(&format!("Related: {}", related.join(", ")), w, "  ")
            )
        );
    }
    out.push('\n');
}

/// The verdict: who should use which, what would change it, and the
/// editorial's sections.
fn verdict(out: &mut String, view: &ComparisonView, w: usize) {
    let d = &view.decision;
    let _ = writeln!(out, "{}", styled(BOLD, "The verdict"));
    for u in &view.verdict.use_if {
        let _ = writeln!(out, "{}", wrap_hanging(&u.text, w, "  • ", "    "));
    }
    for c in [&view.verdict.division, &view.verdict.instead]
        .into_iter()
        .flatten()
    {
        let _ = writeln!(out, "{}", wrap(c, w, "  "));
    }
    let flip_label = match (d.outcome, &d.flip) {
        (Outcome::TooClose, _) => "What would tip it: ",
        (_, Flip::Weight { .. }) => "What would flip it: ",
        (_, Flip::Nothing) => "",
    };
    if !view.verdict.flip.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            wrap(&format!("{flip_label}{}", view.verdict.flip), w, "  ")
        );
    }

    if let Some(e) = &view.editorial {
        for s in &e.sections {
            out.push('\n');
            let winner = s
                .winner
                .as_deref()
                .map_or_else(|| "tie".to_owned(), |w| view.name(w).to_owned());
            let _ = writeln!(
                out,
                "{} {}",
                styled(BOLD, &s.heading),
                styled(DIM, &format!("— {winner}"))
            );
            for para in s.body.split("\n\n") {
                let _ = writeln!(out, "{}", wrap(&para.replace('\n', " "), w, "  "));
            }
        }
    }
    if !view.also_consider.is_empty() {
        let names: Vec<&str> = view.also_consider.iter().map(|t| t.name.as_str()).collect();
        let _ = writeln!(
            out,
            "\n{} {}",
            styled(BOLD, "Also consider:"),
            names.join(", ")
        );
    }
}

/// The longest name a scorecard column shows as its heading.
const COLUMN_NAME: usize = 20;
