//! The comparison as Markdown, for pasting into a design doc or an issue.

use std::fmt::Write as _;

use verdict_core::model::capitalise;
use verdict_core::text::num;

use crate::view::{ComparisonView, Side};

/// Escapes characters that would break a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn comparison(view: &ComparisonView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", view.title);
    let _ = writeln!(out, "{}\n", view.verdict.intro);
    let (label, subject, detail) = view.headline();
    let detail = detail.map(|d| format!(" ({d})")).unwrap_or_default();
    let _ = writeln!(out, "**{label}: {subject}**{detail}.\n");
    if let Some(short) = &view.verdict.short_answer {
        let _ = writeln!(out, "{short}\n");
    }
    let _ = writeln!(out, "{}\n", view.verdict.bottom_line);

    scorecard(&mut out, view);
    for side in &view.sides {
        side_section(&mut out, view, side);
    }
    verdict(&mut out, view);
    out
}

/// The scorecard table, then each row's reasons.
fn scorecard(out: &mut String, view: &ComparisonView) {
    let d = &view.decision;
    let _ = writeln!(out, "## Scorecard\n");
    let mut header = String::from("| Criterion | Weight |");
    let mut rule = String::from("|---|---:|");
    for s in &view.sides {
        let _ = write!(header, " {} |", cell(s.name));
        rule.push_str("---:|");
    }
    let _ = writeln!(out, "{header}\n{rule}");
    for row in &d.rows {
        let _ = write!(out, "| {} | ×{} |", cell(&row.label), num(row.weight));
        for c in &row.cells {
            if row.winner.as_deref() == Some(c.slug.as_str()) {
                let _ = write!(out, " **{}** |", c.score);
            } else {
                let _ = write!(out, " {} |", c.score);
            }
        }
        out.push('\n');
    }
    let _ = write!(out, "| **Overall** | |");
    for s in &view.sides {
        let _ = write!(out, " **{}** |", num(s.score));
    }
    out.push_str("\n\n");
    let _ = writeln!(out, "{}\n", view.basis_sentence());
    for row in &d.rows {
        let _ = writeln!(out, "- **{}**", row.label);
        for c in &row.cells {
            let _ = writeln!(
                out,
                "  - {} ({}): {}",
                view.name(&c.slug),
                c.score,
                c.reason
            );
        }
    }
    out.push('\n');
}

/// One side: what it is, its pros, cons, evidence, sources and related topics.
fn side_section(out: &mut String, view: &ComparisonView, side: &Side) {
    let pick = if view.is_pick(side.slug) {
        if view.personal {
            " — your pick"
        } else {
            " — our pick"
        }
    } else {
        ""
    };
    let _ = writeln!(out, "## {}{pick}\n", side.name);
    let _ = writeln!(
        out,
        "*{}.* {}\n",
        capitalise(side.kind.with_article()),
        side.tagline
    );
    let _ = writeln!(out, "**Pros**\n");
    for p in side.pros {
        let _ = writeln!(out, "- {p}");
    }
    let _ = writeln!(out, "\n**Cons**\n");
    for c in side.cons {
        let _ = writeln!(out, "- {c}");
    }
    for e in side.evidence {
        let _ = writeln!(
            out,
            "\n**Evidence:** {} for [`{}`]({}) on {} (as of {}).",
            e.figure(),
            e.package,
            e.url,
            e.source_phrase(),
            e.as_of
        );
    }
    if !side.sources.is_empty() {
        let links: Vec<String> = side
            .sources
            .iter()
            .map(|s| {
                format!(
                    "[{}]({}) (read {})",
                    s.title.replace(['[', ']'], ""),
                    s.url,
                    s.read
                )
            })
            .collect();
        let _ = writeln!(out, "\n**Sources:** {}", links.join("; "));
    }
    if !side.related.is_empty() {
        let links: Vec<String> = side
            .related
            .links()
            .map(|r| format!("[{}]({})", r.name, r.url))
            .collect();
        let _ = writeln!(out, "\n**Related:** {}", links.join(", "));
    }
    out.push('\n');
}

/// The verdict, the editorial's sections and what else to consider.
fn verdict(out: &mut String, view: &ComparisonView) {
    let _ = writeln!(out, "## The verdict\n");
    for u in &view.verdict.use_if {
        let _ = writeln!(out, "- {}", u.text);
    }
    out.push('\n');
    for c in [&view.verdict.division, &view.verdict.instead]
        .into_iter()
        .flatten()
    {
        let _ = writeln!(out, "{c}\n");
    }
    if !view.verdict.flip.is_empty() {
        let _ = writeln!(out, "{}", view.verdict.flip);
    }
    if let Some(e) = &view.editorial {
        for s in &e.sections {
            let winner = s
                .winner
                .as_deref()
                .map_or_else(|| "tie".to_owned(), |w| view.name(w).to_owned());
            let _ = writeln!(out, "\n### {} — {winner}\n\n{}", s.heading, s.body);
        }
    }
    if !view.also_consider.is_empty() {
        let links: Vec<String> = view
            .also_consider
            .iter()
            .map(|r| format!("[{}]({})", r.name, r.url))
            .collect();
        let _ = writeln!(out, "\n**Also consider:** {}", links.join(", "));
    }
}
