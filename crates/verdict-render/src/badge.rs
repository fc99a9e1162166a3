//! Embeddable SVG badges: "verdict | Django over Flask" for a comparison,
//! "verdict | Rust: our pick in 3 of 5" for a topic. Plain SVG with a title
//! for screen readers, no script, no external font; the server and the
//! static export serve the same bytes (`/badges/<key>.svg`,
//! `/badges/topics/<slug>.svg`).

use std::fmt::Write as _;

use askama::Template;

use verdict_core::Catalog;
use verdict_core::decide::{Editors, Preferences, Weights, decide};
use verdict_core::model::{Outcome, Topic};

use crate::html::SiteConfig;
use crate::view::ComparisonView;

/// The badge of a page with the snippets that embed it. Template:
/// `embed.html`, included at the end of comparison and topic pages.
#[derive(Template, Debug, Clone)]
#[template(path = "embed.html")]
pub struct Embed {
    pub badge_url: String,
    pub alt: String,
    pub markdown: String,
    pub html: String,
}

impl Embed {
    /// The embed of the badge at `badge_path` linking to `page_path`.
    pub fn new(site: &SiteConfig, badge_path: &str, page_path: &str, alt: &str) -> Embed {
        let (badge, page) = (
            site.urls.absolute(badge_path),
            site.urls.absolute(page_path),
        );
        Embed {
            markdown: format!("[![{}]({badge})]({page})", alt.replace(['[', ']'], "")),
            html: format!(
                "<a href=\"{page}\"><img src=\"{badge}\" alt=\"{}\"></a>",
                escape(alt)
            ),
            badge_url: badge,
            alt: alt.to_owned(),
        }
    }

    /// The embed as HTML, to splice into a page.
    pub fn to_html(&self) -> String {
        self.render().expect("the embed renders")
    }
}

/// Average width of a character at the badge's 11 px font, in px: wide
/// enough for Verdana, the widest of the fallbacks.
const CHAR_WIDTH: f64 = 6.8;
/// The site's name on badges and Open Graph images.
pub(crate) const LABEL: &str = "verdict";

/// What a comparison concludes, in the words badges and Open Graph images
/// share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Conclusion {
    /// The outcome: "Our pick", "Too close to call", "Used together",
    /// "Different jobs".
    pub label: &'static str,
    /// The badge's message: "Django over Flask", "Go vs Rust: too close to
    /// call".
    pub message: String,
    /// The outcome's colour.
    pub colour: &'static str,
}

pub(crate) fn conclusion(view: &ComparisonView) -> Conclusion {
    let d = &view.decision;
    let names: Vec<&str> = view.sides.iter().map(|s| s.name).collect();
    let (label, message, colour) = match (d.outcome, d.pick.as_deref()) {
        (Outcome::Pick, Some(p)) => {
            let others: Vec<&str> = view
                .sides
                .iter()
                .filter(|s| s.slug != p)
                .map(|s| s.name)
                .collect();
            (
                "Our pick",
                format!("{} over {}", view.name(p), others.join(", ")),
                "#0f7a4a",
            )
        }
        (Outcome::TooClose, _) => (
            "Too close to call",
            format!("{}: too close to call", names.join(" vs ")),
            "#8a5a00",
        ),
        (Outcome::Complements, _) => (
            "Used together",
            format!("{}: used together", names.join(" + ")),
            "#2f5d9e",
        ),
        _ => (
            "Different jobs",
            format!("{}: different jobs", names.join(" vs ")),
            "#5b606b",
        ),
    };
    Conclusion {
        label,
        message,
        colour,
    }
}

/// The badge of a comparison: what the page concludes, in a few words.
pub fn comparison(view: &ComparisonView) -> String {
    let c = conclusion(view);
    svg(&c.message, c.colour)
}

/// The badge of a topic: in how many of the comparisons with its
/// alternatives (topics that share a job) it is our pick.
pub fn topic(catalog: &Catalog, t: &Topic) -> String {
    let mut alternatives: Vec<&Topic> = t
        .jobs
        .iter()
        .flat_map(|j| catalog.doing(j))
        .filter(|o| o.slug != t.slug)
        .collect();
    alternatives.sort_by(|a, b| a.slug.cmp(&b.slug));
    alternatives.dedup_by(|a, b| a.slug == b.slug);
    let mut picked = 0;
    let mut decided = 0;
    for o in &alternatives {
        let pair = [t, *o];
        let Ok(w) = Weights::resolve(catalog, &pair, &Preferences::default()) else {
            continue;
        };
        let Ok(d) = decide(catalog, &pair, &w, Editors::Bind) else {
            continue;
        };
        decided += 1;
        if d.pick.as_deref() == Some(t.slug.as_str()) {
            picked += 1;
        }
    }
    let message = if decided == 0 {
        format!("{}: no alternatives yet", t.name)
    } else {
        format!("{}: our pick in {picked} of {decided}", t.name)
    };
    svg(&message, "#0f7a4a")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn text_width(s: &str) -> u32 {
    (s.chars().count() as f64 * CHAR_WIDTH).ceil() as u32 + 12
}

/// A two-part badge, `verdict | message`, 20 px high.
fn svg(message: &str, colour: &str) -> String {
    let (lw, mw) = (text_width(LABEL), text_width(message));
    let width = lw + mw;
    let title = escape(&format!("{LABEL}: {message}"));
    let message = escape(message);
    let mut s = String::with_capacity(700);
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"20\" role=\"img\" aria-label=\"{title}\">\
<title>{title}</title>\
<rect width=\"{lw}\" height=\"20\" fill=\"#3b3f46\"/>\
<rect x=\"{lw}\" width=\"{mw}\" height=\"20\" fill=\"{colour}\"/>\
<g fill=\"#fff\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\">\
<text x=\"6\" y=\"14\">{LABEL}</text>\
<text x=\"{}\" y=\"14\">{message}</text>\
</g></svg>",
        lw + 6
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_the_badge_fits_it() {
        let s = svg("C++ & <Rust>", "#000");
        assert!(s.contains("C++ &amp; &lt;Rust&gt;"));
        assert!(!s.contains("<Rust>"));
        let long = svg(&"x".repeat(40), "#000");
        let short = svg("x", "#000");
        assert!(long.len() > short.len());
        // 7 + 40 characters at 6.8 px, plus 12 px of padding per part.
        assert!(long.contains("width=\"344\""), "{long}");
    }
}
