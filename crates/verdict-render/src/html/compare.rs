//! The comparison page: its sections' view models, the pick box, the
//! scorecard, the side cards, and the data the page script recomputes from.

use askama::Template;
use serde::Serialize;

use verdict_core::decide::{Basis, CLOSE_CALL_MARGIN, MAX_FLIP_FACTOR, MAX_WEIGHT, Weights};
use verdict_core::model::{Catalog, Evidence, Source, Topic, capitalise};
use verdict_core::text::num;

use crate::assets;
use crate::urls::Urls;
use crate::view::ComparisonView;

use super::personal::{Part, PersonalParts, Slot, personal_parts};
use super::{Layout, Link, OgImage, SiteConfig, layout, markdown_html, script_json};

/// The "our pick" box. Part of `compare.html`.
#[derive(Debug, Clone)]
pub struct PickBox {
    /// The outcome's id, also the box's CSS class: `pick`, `too-close`,
    /// `complements` or `different-jobs`.
    pub outcome: &'static str,
    /// True for pick and too close to call: the scores decide, so the box
    /// shows them and the reader's weights can change the outcome.
    pub alternatives: bool,
    pub badge: &'static str,
    /// The pick's name, or the names the outcome is about.
    pub name: String,
    /// The pick's topic page; `None` when there is no pick.
    pub url: Option<String>,
    /// Said after the pick's name in its link, hidden on screen
    /// ([`super::aside`]).
    pub aside: Option<String>,
    pub confidence: &'static str,
    pub close_call: bool,
    pub deciding: Option<String>,
    pub scores: String,
    pub short_answer: Option<String>,
    pub bottom_line: String,
    /// For complements and different jobs: what each one is for.
    pub division: Option<String>,
    /// For different jobs: the comparisons each topic really belongs to.
    pub instead: Vec<Link>,
    /// "What would flip it?", "What would tip it?" or nothing.
    pub flip_heading: Option<&'static str>,
    pub flip: String,
    pub note: Option<String>,
    /// What the scores rest on ([`ComparisonView::basis_sentence`]), for
    /// outcomes the scores decide.
    pub basis: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ProfileOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone)]
pub struct WeightInput {
    pub id: String,
    pub label: String,
    pub help: String,
    pub value: String,
}

/// One scorecard cell. It borrows its text from the view rather than
/// copying it: a page has a cell per topic and criterion.
#[derive(Debug, Clone)]
pub struct CellView<'a> {
    pub side: usize,
    pub name: &'a str,
    pub score: u8,
    pub reason: &'a str,
    pub winner: bool,
    /// For a score computed from evidence: what it was measured from, as
    /// the marker's text alternative.
    pub measured: Option<String>,
    /// Bar length in the chart, in SVG units.
    pub bar: u32,
}

/// One scorecard row, borrowing its text like [`CellView`].
#[derive(Debug, Clone)]
pub struct RowView<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub high_means: &'a str,
    /// The weight as a number ("3", "1.5").
    pub weight: Slot,
    pub winner: Option<&'a str>,
    pub cells: Vec<CellView<'a>>,
}

#[derive(Debug, Clone)]
pub struct TotalView {
    pub side: usize,
    pub slug: String,
    pub name: String,
    pub score: String,
    pub place: usize,
    pub leader: bool,
}

#[derive(Debug, Clone)]
pub struct EvidenceLine {
    pub text: String,
    pub url: String,
    pub package: String,
    pub stale: bool,
    pub as_of: String,
}

/// One side's card. Template: `compare_card.html`. A card depends only on
/// its topic, its place in the comparison, whether it is the pick and the
/// badge, so a server can keep cards ready and reuse them across
/// comparisons ([`SIDES_OPEN`], [`SIDES_CLOSE`]).
#[derive(Template, Debug, Clone)]
#[template(path = "compare_card.html")]
pub struct SideCard {
    /// "Our pick" or "Your pick".
    pub badge: &'static str,
    pub index: usize,
    pub slug: String,
    pub name: String,
    /// Said after the name in its link, hidden on screen ([`super::aside`]).
    pub aside: Option<String>,
    pub url: String,
    pub kind: String,
    pub tagline: String,
    pub use_when: String,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    pub related: Vec<Link>,
    pub evidence: Vec<EvidenceLine>,
    pub sources: Vec<Source>,
    /// The project's activity section (`activity.html`), or empty.
    pub activity_html: String,
    pub is_pick: bool,
    pub reviewed: String,
}

#[derive(Debug, Clone)]
pub struct SectionView {
    pub heading: String,
    pub winner: String,
    pub body_html: String,
}

/// The scorecard chart. Template: `chart.svg`.
#[derive(Template, Debug)]
#[template(path = "chart.svg", escape = "html")]
pub struct Chart<'a> {
    pub rows: &'a [RowView<'a>],
    pub totals: &'a [TotalView],
    pub width: u32,
    pub height: u32,
    pub label_width: u32,
    pub bar_height: u32,
    pub row_height: u32,
    pub title: String,
}

/// The "our pick" section. Template: `compare_pick.html`.
#[derive(Template, Debug)]
#[template(path = "compare_pick.html")]
pub struct PickSection {
    pub pick: PickBox,
}

/// The profile and weights form. Template: `compare_form.html`.
#[derive(Template, Debug)]
#[template(path = "compare_form.html")]
pub struct PersonaliseSection {
    /// False when the topics are not alternatives: no weights can make a
    /// pick, so there is no form.
    pub shown: bool,
    pub personal: bool,
    pub reset_url: String,
    pub action: String,
    /// The profile the weight inputs show ("" for the default).
    pub current_profile: String,
    pub profiles: Vec<ProfileOption>,
    pub weights: Vec<WeightInput>,
}

/// The scorecard table (weights, scores with reasons, totals). Template:
/// `compare_table.html`.
#[derive(Template, Debug)]
#[template(path = "compare_table.html")]
pub struct ScoreTable<'a> {
    pub rows: Vec<RowView<'a>>,
    pub totals: Vec<TotalView>,
    pub foot: Part<TableFoot>,
}

/// The scorecard's "Overall" row. Template: `compare_foot.html`.
#[derive(Template, Debug)]
#[template(path = "compare_foot.html")]
pub struct TableFoot {
    pub totals: Vec<TotalView>,
}

/// One card per side; the pick's card is marked. Template:
/// `compare_sides.html`.
#[derive(Template, Debug)]
#[template(path = "compare_sides.html")]
pub struct SidesSection {
    pub sides: Vec<SideCard>,
}

/// What `compare_sides.html` writes before the first card and after the
/// last: a section made of these and the cards rendered one by one is the
/// same bytes as the section rendered whole (tested).
pub const SIDES_OPEN: &str = "<section class=\"sides\" aria-label=\"The topics\">\n";
pub const SIDES_CLOSE: &str = "</section>";

/// "Use A if / Use B if" and, for topics that go together, which to start
/// with. Template: `compare_verdict.html`.
#[derive(Template, Debug)]
#[template(path = "compare_verdict.html")]
pub struct VerdictSection {
    pub use_if: Vec<String>,
}

/// A comparison page. Template: `compare.html`.
#[derive(Template, Debug)]
#[template(path = "compare.html")]
pub struct ComparePage<'a> {
    pub layout: Layout,
    pub title: String,
    pub intro: String,
    pub category: Option<Link>,
    pub pick_section: Part<PickSection>,
    pub form_section: Part<PersonaliseSection>,
    /// Names and colours of the sides, for the chart's legend.
    pub legend: Vec<TotalView>,
    pub chart: String,
    pub table: Part<ScoreTable<'a>>,
    pub sides_section: Part<SidesSection>,
    pub verdict_section: Part<VerdictSection>,
    pub sections: Vec<SectionView>,
    pub also_consider: Vec<Link>,
    pub related_comparisons: Vec<Link>,
    pub contact_email: Option<String>,
    pub data: String,
    pub multi: bool,
    /// Where the reader-votes block goes (filled by the web layer).
    pub votes_html: String,
    /// The badge and the snippets that embed it (`embed.html`).
    pub embed_html: String,
}

/// What the page's script needs to recompute the pick in the browser.
#[derive(Debug, Serialize)]
pub(super) struct ClientData<'a> {
    // `topics` comes first, written from each topic's own entry
    // ([`client_topic_json`]).
    pub(super) criteria: Vec<ClientCriterion<'a>>,
    /// Category default weights (no profile), by criterion, in row order.
    pub(super) defaults: Vec<(&'a str, f64)>,
    pub(super) profiles: Vec<ClientProfile<'a>>,
    pub(super) editorial_pick: Option<&'a str>,
    pub(super) path: &'a str,
    pub(super) close_call_margin: f64,
    pub(super) max_flip_factor: f64,
    pub(super) max_weight: f64,
}

#[derive(Debug, Serialize)]
pub(super) struct ClientTopic<'a> {
    pub(super) slug: &'a str,
    pub(super) name: &'a str,
    /// The name takes plural verbs ("Passkeys score").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(super) plural: bool,
    pub(super) url: String,
    /// Every score the topic has, in criterion order: the page's script
    /// looks scores up by criterion, so the entry is the same on every page
    /// the topic is on.
    pub(super) scores: Vec<(&'a str, u8, &'a str)>,
}

#[derive(Debug, Serialize)]
pub(super) struct ClientCriterion<'a> {
    pub(super) id: &'a str,
    pub(super) label: &'a str,
    pub(super) phrase: String,
}

#[derive(Debug, Serialize)]
pub(super) struct ClientProfile<'a> {
    pub(super) slug: &'a str,
    pub(super) label: &'a str,
    pub(super) multipliers: &'a std::collections::BTreeMap<String, f64>,
}

pub(super) const CHART_WIDTH: u32 = 640;
pub(super) const CHART_LABEL: u32 = 150;
pub(super) const BAR: u32 = 12;

/// Months between two `YYYY-MM[-DD]` dates (`later` − `earlier`).
pub(crate) fn months_between(earlier: &str, later: &str) -> i64 {
    let ym = |s: &str| -> Option<i64> {
        let y: i64 = s.get(0..4)?.parse().ok()?;
        let m: i64 = s.get(5..7)?.parse().ok()?;
        Some(y * 12 + m)
    };
    match (ym(earlier), ym(later)) {
        (Some(a), Some(b)) => b - a,
        _ => 0,
    }
}

pub fn evidence_line(site: &SiteConfig, e: &Evidence) -> EvidenceLine {
    EvidenceLine {
        text: capitalise(&e.figure()),
        url: e.url.clone(),
        package: e.package.clone(),
        stale: months_between(&e.as_of, &site.today) > i64::from(site.stale_after_months),
        as_of: format!("{} (as of {})", e.source_phrase(), e.as_of),
    }
}

/// The "our pick" box of `view`: the pick, or the outcome that stands in
/// for one.
pub(super) fn pick_box(site: &SiteConfig, catalog: &Catalog, view: &ComparisonView) -> PickBox {
    use verdict_core::model::Outcome;
    let d = &view.decision;
    let score_of = |slug: &str| view.side(slug).map_or(0.0, |s| s.score);
    let (first, second) = match d.pick.as_deref() {
        Some(p) => (p, d.runner_up()),
        None => (d.ranking[0].slug.as_str(), d.ranking[1].slug.as_str()),
    };
    let scores = format!(
        "{} vs {} out of 10",
        num(score_of(first)),
        num(score_of(second))
    );
    let note = if view.personal {
        view.editors_pick
            .as_ref()
            .map(|p| format!("For most readers our editors pick {}.", view.name(p)))
    } else if d.disagreement && d.scorecard_clear {
        Some(format!(
            "Our editors' pick differs from the scorecard, which favours {}; the reasons are below.",
            view.name(&d.computed_pick)
        ))
    } else {
        None
    };
    let names = |slugs: &[&str]| {
        verdict_core::text::join_and(&slugs.iter().map(|s| view.name(s)).collect::<Vec<_>>())
    };
    let all: Vec<&str> = d.topics.iter().map(String::as_str).collect();
    let (badge, name, url, confidence, flip_heading) = match (d.outcome, d.pick.as_deref()) {
        (Outcome::Pick, Some(p)) => (
            pick_badge(view),
            view.name(p).to_owned(),
            Some(site.urls.topic(p)),
            d.confidence.map_or("", verdict_core::Confidence::label),
            Some("What would flip it?"),
        ),
        (Outcome::TooClose, _) | (Outcome::Pick, None) => (
            Outcome::TooClose.label(),
            names(&[first, second]),
            None,
            "no pick",
            Some("What would tip it?"),
        ),
        (outcome, _) => (outcome.label(), names(&all), None, "no pick", None),
    };
    let aside = match (d.outcome, d.pick.as_deref()) {
        (Outcome::Pick, Some(p)) => view
            .sides
            .iter()
            .find(|s| s.slug == p)
            .and_then(|s| super::aside(s.name, s.kind)),
        _ => None,
    };
    PickBox {
        aside,
        outcome: d.outcome.as_str(),
        alternatives: d.outcome.alternatives(),
        badge,
        name,
        url,
        confidence,
        close_call: d.outcome == Outcome::TooClose
            || (d.outcome == Outcome::Pick
                && d.confidence != Some(verdict_core::Confidence::ClearPick)),
        deciding: d
            .deciding
            .as_deref()
            .and_then(|c| catalog.criterion(c))
            .map(|c| c.label.clone()),
        scores,
        short_answer: if view.personal {
            None
        } else {
            view.verdict.short_answer.clone()
        },
        bottom_line: view.verdict.bottom_line.clone(),
        division: view.verdict.division.clone(),
        instead: view
            .verdict
            .compare_instead
            .iter()
            .flat_map(|c| c.with.iter().map(move |o| (c.slug.as_str(), o.as_str())))
            .map(|(a, b)| Link {
                aside: None,
                text: format!(
                    "{} vs {}",
                    view_or_catalog_name(catalog, a),
                    view_or_catalog_name(catalog, b)
                ),
                url: site.urls.compare(&sorted_pair(a, b)),
            })
            .collect(),
        flip_heading,
        flip: view.verdict.flip.clone(),
        note,
        basis: d.outcome.alternatives().then(|| basis_text(site, view)),
    }
}

/// [`ComparisonView::basis_sentence`], with a warning when the measured
/// figures are older than the site's staleness limit.
fn basis_text(site: &SiteConfig, view: &ComparisonView) -> String {
    let mut text = view.basis_sentence();
    let stale = view.measured_rows().iter().any(|(_, b)| match b {
        Basis::Evidence { as_of, .. } => {
            months_between(as_of, &site.today) > i64::from(site.stale_after_months)
        }
        Basis::Editors => false,
    });
    if stale {
        text.push_str(&format!(
            " Some of those figures are more than {} months old: treat them as stale.",
            site.stale_after_months
        ));
    }
    text
}

pub(super) fn view_or_catalog_name<'a>(catalog: &'a Catalog, slug: &'a str) -> &'a str {
    catalog.topic(slug).map_or(slug, |t| t.name.as_str())
}

pub(super) fn sorted_pair<'a>(a: &'a str, b: &'a str) -> [&'a str; 2] {
    if a <= b { [a, b] } else { [b, a] }
}

/// The scorecard table of `view`, with its weights and totals filled in.
pub(super) fn score_table<'a>(
    catalog: &'a Catalog,
    view: &'a ComparisonView,
    parts: &PersonalParts,
) -> ScoreTable<'a> {
    let d = &view.decision;
    let index_of = |slug: &str| view.sides.iter().position(|s| s.slug == slug).unwrap_or(0);
    let rows: Vec<RowView> = d
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| RowView {
            id: &r.criterion,
            label: &r.label,
            high_means: catalog
                .criterion(&r.criterion)
                .map_or("", |c| c.high_means.as_str()),
            weight: Slot::Text(parts.weights_by_row[i].clone()),
            winner: r.winner.as_deref().map(|w| view.name(w)),
            cells: r
                .cells
                .iter()
                .map(|c| CellView {
                    side: index_of(&c.slug),
                    name: view.name(&c.slug),
                    score: c.score,
                    reason: &c.reason,
                    winner: r.winner.as_deref() == Some(c.slug.as_str()),
                    measured: match &c.basis {
                        Basis::Evidence {
                            source,
                            metric,
                            as_of,
                            ..
                        } => Some(format!("Measured: {source}, {metric}, as of {as_of}")),
                        Basis::Editors => None,
                    },
                    bar: (CHART_WIDTH - CHART_LABEL - 40) * u32::from(c.score) / 10,
                })
                .collect(),
        })
        .collect();
    ScoreTable {
        rows,
        totals: parts.foot.totals.clone(),
        foot: Part::Filled(TableFoot {
            totals: parts.foot.totals.clone(),
        }),
    }
}

/// `/compare/a-vs-b` for `view`, in canonical order.
pub(super) fn comparison_path(view: &ComparisonView) -> String {
    Urls::default().comparison(&view.key())
}

/// The side cards of `view`, with its pick marked.
pub fn sides_section(site: &SiteConfig, view: &ComparisonView) -> SidesSection {
    SidesSection {
        sides: (0..view.sides.len())
            .map(|i| side_card(site, view, i))
            .collect(),
    }
}

/// Side `i`'s card as it stands in the side section: rendered, with the
/// line break the section puts after each card.
pub fn side_card_html(site: &SiteConfig, view: &ComparisonView, i: usize) -> String {
    let mut html = side_card(site, view, i)
        .render()
        .expect("a side card renders: its fields are plain strings");
    html.push('\n');
    html
}

/// The card of `view`'s side number `i`.
pub fn side_card(site: &SiteConfig, view: &ComparisonView, i: usize) -> SideCard {
    let d = &view.decision;
    let s = &view.sides[i];
    SideCard {
        badge: pick_badge(view),
        index: i,
        slug: s.slug.to_owned(),
        name: s.name.to_owned(),
        url: s.url.clone(),
        aside: super::aside(s.name, s.kind),
        kind: capitalise(s.kind.with_article()),
        tagline: s.tagline.to_owned(),
        use_when: format!("Choose it if {}.", s.use_when),
        pros: s.pros.to_vec(),
        cons: s.cons.to_vec(),
        related: s.related.links().map(Link::from).collect(),
        evidence: s.evidence.iter().map(|e| evidence_line(site, e)).collect(),
        sources: s.sources.to_vec(),
        activity_html: s
            .activity
            .map(|a| {
                super::activity_view(site, s.slug, s.name, a, "h3")
                    .render()
                    .expect("activity renders")
            })
            .unwrap_or_default(),
        is_pick: d.pick.as_deref() == Some(s.slug),
        reviewed: s.reviewed.to_owned(),
    }
}

pub(super) fn pick_badge(view: &ComparisonView) -> &'static str {
    if view.personal {
        "Your pick"
    } else {
        "Our pick"
    }
}

/// A comparison page with every part rendered in place.
pub fn comparison<'a>(
    site: &SiteConfig,
    catalog: &'a Catalog,
    view: &'a ComparisonView,
) -> ComparePage<'a> {
    comparison_with_sides(
        site,
        catalog,
        view,
        Part::Filled(sides_section(site, view)),
        &|t| client_topic_json(site, t).into(),
    )
}

/// A comparison page with [`SIDES_HOLE`](super::SIDES_HOLE) where its side
/// section goes: a server fills it with [`SIDES_OPEN`], the cards it keeps
/// ready ([`side_card`]) and [`SIDES_CLOSE`].
///
/// Each topic's entry in the page's script data comes from `topic_json`
/// ([`client_topic_json`], or a server's cache of it).
pub fn comparison_without_sides<'a>(
    site: &SiteConfig,
    catalog: &'a Catalog,
    view: &'a ComparisonView,
    topic_json: &dyn Fn(&Topic) -> std::sync::Arc<str>,
) -> ComparePage<'a> {
    comparison_with_sides(
        site,
        catalog,
        view,
        Part::Hole(super::SIDES_HOLE),
        topic_json,
    )
}

fn comparison_with_sides<'a>(
    site: &SiteConfig,
    catalog: &'a Catalog,
    view: &'a ComparisonView,
    sides_section: Part<SidesSection>,
    topic_json: &dyn Fn(&Topic) -> std::sync::Arc<str>,
) -> ComparePage<'a> {
    let canonical_path: Vec<&str> = view.decision.topics.iter().map(String::as_str).collect();
    let parts = personal_parts(site, catalog, view);
    let table = score_table(catalog, view, &parts);
    ComparePage {
        layout: comparison_layout(site, catalog, view),
        title: view.title.clone(),
        intro: view.verdict.intro.clone(),
        category: view
            .category
            .as_deref()
            .and_then(|c| catalog.category(c))
            .map(|c| Link {
                aside: None,
                text: c.name.clone(),
                url: site.urls.category(&c.slug),
            }),
        legend: parts.foot.totals.clone(),
        chart: chart(view, &table),
        sides_section,
        pick_section: Part::Filled(parts.pick),
        form_section: Part::Filled(parts.form),
        table: Part::Filled(table),
        verdict_section: Part::Filled(parts.verdict),
        sections: editorial_sections(view),
        also_consider: view.also_consider.iter().map(Link::from).collect(),
        related_comparisons: related_comparisons(site, catalog, &canonical_path),
        contact_email: site.contact_email.clone(),
        data: client_data_with(site, catalog, view, topic_json),
        multi: view.sides.len() > 2,
        votes_html: String::new(),
        embed_html: crate::badge::Embed::new(
            site,
            &format!("/badges/{}.svg", view.key()),
            &comparison_path(view),
            &format!("verdict: {}", view.title),
        )
        .to_html(),
    }
}

/// The scorecard as an inline SVG bar chart.
fn chart(view: &ComparisonView, table: &ScoreTable) -> String {
    let rows = &table.rows;
    let row_height = BAR * view.sides.len() as u32 + 14;
    let names: Vec<&str> = view.sides.iter().map(|s| s.name).collect();
    Chart {
        rows,
        totals: &table.totals,
        width: CHART_WIDTH,
        height: row_height * rows.len() as u32 + 8,
        label_width: CHART_LABEL,
        bar_height: BAR,
        row_height,
        title: format!(
            "Scores of {} by criterion",
            verdict_core::text::join_and(&names)
        ),
    }
    .render()
    .expect("chart renders")
}

/// The editorial's free sections, each with its winner.
fn editorial_sections(view: &ComparisonView) -> Vec<SectionView> {
    let Some(e) = view.editorial.as_ref() else {
        return Vec::new();
    };
    e.sections
        .iter()
        .map(|s| SectionView {
            heading: s.heading.clone(),
            winner: s.winner.as_deref().map_or_else(
                || "A tie".to_owned(),
                |w| format!("Winner: {}", view.name(w)),
            ),
            body_html: markdown_html(&s.body),
        })
        .collect()
}

/// The page's head: title, description, robots and structured data.
fn comparison_layout(site: &SiteConfig, catalog: &Catalog, view: &ComparisonView) -> Layout {
    let d = &view.decision;
    let path = comparison_path(view);
    let description = if view.personal {
        format!(
            "{}: the pick for your own priorities, recomputed from our scorecard.",
            view.title
        )
    } else if let Some(p) = d.pick.as_deref() {
        format!(
            "{}: our pick is {}. {}",
            view.title,
            view.name(p),
            first_sentence(&view.verdict.bottom_line)
        )
    } else {
        format!(
            "{}: {}",
            view.title,
            first_sentence(&view.verdict.bottom_line)
        )
    };
    let mut l = layout(
        site,
        catalog,
        format!("{} — {}", view.title, site.name),
        description,
        &path,
    );
    // A personal page is a view of the canonical one: search engines are
    // asked not to index it, and its head (like its canonical link) does
    // not depend on the weights, so the server can keep it ready-made.
    // Topics that do different jobs make a page nobody should land on from
    // a search engine: it is served, but not indexed or listed.
    l.noindex = view.personal || !crate::site::worth_publishing(d.outcome);
    l.og_type = "article";
    // The canonical comparison's image: weights change no image.
    l.og_image = Some(OgImage {
        url: site.urls.og_image(&view.key()),
        alt: crate::og::alt(view),
        width: crate::og::WIDTH,
        height: crate::og::HEIGHT,
    });
    l.script = Some(assets::script().path.clone());
    l.json_ld = (!l.noindex).then(|| script_json(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": view.title,
        "description": first_sentence(&view.verdict.bottom_line),
        "url": site.urls.absolute(&path),
        "dateModified": view.editorial.as_ref().map_or_else(
            || view.sides.iter().map(|s| s.reviewed).max().unwrap_or_default().to_owned(),
            |e| e.reviewed.clone()),
        "about": view.sides.iter().map(|s| serde_json::json!({"@type": "Thing", "name": s.name})).collect::<Vec<_>>(),
        "publisher": {"@type": "Organization", "name": site.name},
    })));
    l
}

/// The JSON the comparison page's script reads: scores, default weights and
/// profiles, enough to recompute the pick exactly as the server does.
pub fn client_data(site: &SiteConfig, catalog: &Catalog, view: &ComparisonView) -> String {
    client_data_with(site, catalog, view, &|t| client_topic_json(site, t).into())
}

/// One topic's entry in a comparison page's script data, safe inside
/// `<script>`. It depends only on the topic, so a server makes it once per
/// topic and passes it to [`client_data_with`].
pub fn client_topic_json(site: &SiteConfig, t: &Topic) -> String {
    script_json(&ClientTopic {
        slug: &t.slug,
        name: &t.name,
        plural: t.plural,
        url: site.urls.topic(&t.slug),
        scores: t
            .scores
            .iter()
            .map(|(c, s)| (c.as_str(), s.value, &*s.reason))
            .collect(),
    })
}

/// [`client_data`] with each topic's entry from `topic_json` (normally a
/// cache of [`client_topic_json`]).
pub fn client_data_with(
    site: &SiteConfig,
    catalog: &Catalog,
    view: &ComparisonView,
    topic_json: &dyn Fn(&Topic) -> std::sync::Arc<str>,
) -> String {
    let d = &view.decision;
    let path = view
        .url
        .strip_prefix(&site.urls.absolute(""))
        .unwrap_or(&view.url)
        .to_owned();
    let topics: Vec<&Topic> = d.topics.iter().filter_map(|s| catalog.topic(s)).collect();
    // Without the reader's weights, the decision's are the defaults.
    let defaults = if view.personal {
        Weights::resolve(catalog, &topics, &Default::default())
            .map(|w| w.0)
            .unwrap_or_default()
    } else {
        d.weights.0.clone()
    };
    let data = ClientData {
        criteria: d
            .rows
            .iter()
            .filter_map(|r| catalog.criterion(&r.criterion))
            .map(|c| ClientCriterion {
                id: &c.id,
                label: &c.label,
                phrase: c.phrase(),
            })
            .collect(),
        defaults: defaults.iter().map(|(c, w)| (c.as_str(), *w)).collect(),
        profiles: catalog
            .profiles()
            .iter()
            .map(|p| ClientProfile {
                slug: &p.slug,
                label: &p.label,
                multipliers: &p.multipliers,
            })
            .collect(),
        editorial_pick: view.editorial.as_ref().and_then(|e| e.pick.as_deref()),
        path: &path,
        close_call_margin: CLOSE_CALL_MARGIN,
        max_flip_factor: MAX_FLIP_FACTOR,
        max_weight: MAX_WEIGHT,
    };
    // `{"topics":[…],` and then the rest of the object after its `{`.
    let rest = script_json(&data);
    let mut out = String::with_capacity(rest.len() + 4096);
    out.push_str("{\"topics\":[");
    for (i, t) in topics.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&topic_json(t));
    }
    out.push_str("],");
    out.push_str(&rest[1..]);
    out
}

pub(super) fn first_sentence(s: &str) -> &str {
    s.find(". ").map_or(s, |i| &s[..=i])
}

/// Other comparisons a reader of this one may want: editorials and
/// declared alternatives that involve one of these topics.
pub(super) fn related_comparisons(
    site: &SiteConfig,
    catalog: &Catalog,
    slugs: &[&str],
) -> Vec<Link> {
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    let mut push = |pair: Vec<String>| {
        let mut pair = pair;
        pair.sort();
        pair.dedup();
        if pair.len() < 2 || pair.iter().map(String::as_str).collect::<Vec<_>>() == slugs {
            return;
        }
        if out.iter().any(|(p, _)| *p == pair) {
            return;
        }
        let names: Vec<&str> = pair
            .iter()
            .filter_map(|s| catalog.topic(s))
            .map(|t| t.name.as_str())
            .collect();
        out.push((pair.clone(), names.join(" vs ")));
    };
    // Those of `published_editorials` that name one of `slugs`, in order.
    for e in catalog.editorials_naming(slugs) {
        if crate::site::worth_publishing(e.outcome) {
            push(e.slugs.clone());
        }
    }
    for s in slugs {
        if let Some(t) = catalog.topic(s) {
            for alt in &t.alternatives {
                push(vec![t.slug.clone(), alt.clone()]);
            }
        }
    }
    out.into_iter()
        .take(8)
        .map(|(pair, text)| Link {
            aside: None,
            url: site
                .urls
                .compare(&pair.iter().map(String::as_str).collect::<Vec<_>>()),
            text,
        })
        .collect()
}
