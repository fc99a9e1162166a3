//! HTML pages. Each page has a view model whose doc comment names its
//! template; templates hold no logic beyond loops and conditionals, and
//! every URL comes from [`Urls`].
//!
//! The web server and the static export both call these functions, so a
//! page is the same bytes wherever it is served from.

use askama::Template;
use serde::Serialize;

use verdict_core::decide::{CLOSE_CALL_MARGIN, MAX_FLIP_FACTOR, MAX_WEIGHT, Weights};
use verdict_core::model::{Catalog, Evidence, Source, Topic, capitalise};
use verdict_core::search::Hit;
use verdict_core::text::num;

use crate::assets;
use crate::urls::Urls;
use crate::view::{ComparisonView, TopicLink};

/// Site-wide settings a page needs.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub name: String,
    pub urls: Urls,
    /// Shown as "Disagree with our pick? Write to …"; `None` hides it.
    pub contact_email: Option<String>,
    /// Evidence older than this many months is flagged as stale.
    pub stale_after_months: u32,
    /// Today's date (`YYYY-MM-DD`), passed in so rendering never reads the
    /// clock; only used to flag stale evidence.
    pub today: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            name: "verdict".into(),
            urls: Urls::default(),
            contact_email: None,
            stale_after_months: 12,
            today: "1970-01-01".into(),
        }
    }
}

/// The frame around every page. Template: `base.html`.
#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub noindex: bool,
    pub site_name: String,
    pub css: String,
    pub icon: String,
    pub script: Option<String>,
    /// Serialised JSON-LD, already safe to embed.
    pub json_ld: Option<String>,
    pub og_type: &'static str,
    pub home: String,
    pub search_action: String,
    pub query: String,
    /// The footer's categories: the first [`FOOTER_CATEGORIES`] of the
    /// catalog, and a link to all of them when there are more.
    pub categories: Vec<Link>,
    pub more_categories: Option<Link>,
}

/// How many categories the footer of every page lists. A catalog with many
/// categories would otherwise put a long list on every page (1,000
/// categories made 93 KB of a 120 KB page); the home page lists them all.
pub const FOOTER_CATEGORIES: usize = 24;

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub text: String,
    pub url: String,
}

impl From<&TopicLink> for Link {
    fn from(t: &TopicLink) -> Self {
        Link {
            text: t.name.clone(),
            url: t.url.clone(),
        }
    }
}

fn layout(
    site: &SiteConfig,
    catalog: &Catalog,
    title: String,
    description: String,
    path: &str,
) -> Layout {
    Layout {
        title,
        description,
        canonical: site.urls.absolute(path),
        noindex: false,
        site_name: site.name.clone(),
        css: assets::css().path.clone(),
        icon: site.urls.absolute(&assets::favicon().path),
        script: None,
        json_ld: None,
        og_type: "website",
        home: site.urls.home(),
        search_action: site.urls.search(),
        query: String::new(),
        categories: catalog
            .categories()
            .iter()
            .take(FOOTER_CATEGORIES)
            .map(|c| Link {
                text: c.name.clone(),
                url: site.urls.category(&c.slug),
            })
            .collect(),
        more_categories: (catalog.categories().len() > FOOTER_CATEGORIES).then(|| Link {
            text: format!("All {} categories", catalog.categories().len()),
            url: format!("{}#categories-heading", site.urls.home()),
        }),
    }
}

/// Makes JSON safe inside `<script>`: no `</script>` or `<!--` can end or
/// confuse the element.
pub fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .expect("view models serialise")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Renders editorial Markdown to HTML. Raw HTML in the source is shown as
/// text, not passed through.
pub fn markdown_html(src: &str) -> String {
    use pulldown_cmark::{Event, Parser, html};
    let parser = Parser::new(src).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

// ---------------------------------------------------------------- comparison

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

#[derive(Debug, Clone)]
pub struct CellView {
    pub side: usize,
    pub name: String,
    pub score: u8,
    pub reason: String,
    pub winner: bool,
    /// Bar length in the chart, in SVG units.
    pub bar: u32,
}

#[derive(Debug, Clone)]
pub struct RowView {
    pub id: String,
    pub label: String,
    pub high_means: String,
    /// The weight as a number ("3", "1.5").
    pub weight: Slot,
    pub winner: Option<String>,
    pub cells: Vec<CellView>,
    pub evidence: bool,
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

#[derive(Debug, Clone)]
pub struct SideCard {
    pub index: usize,
    pub slug: String,
    pub name: String,
    pub url: String,
    pub kind: String,
    pub tagline: String,
    pub use_when: String,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    pub related: Vec<Link>,
    pub evidence: Vec<EvidenceLine>,
    pub sources: Vec<Source>,
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
    pub rows: &'a [RowView],
    pub totals: &'a [TotalView],
    pub width: u32,
    pub height: u32,
    pub label_width: u32,
    pub bar_height: u32,
    pub row_height: u32,
    pub title: String,
}

/// Marks where a part that changes with the reader's weights goes when a
/// comparison page is rendered as a frame ([`comparison_frame`]).
pub const PICK_HOLE: &str = "<!--verdict:pick-->";
pub const FORM_HOLE: &str = "<!--verdict:form-->";
pub const SIDES_HOLE: &str = "<!--verdict:sides-->";
pub const VERDICT_HOLE: &str = "<!--verdict:verdict-->";
/// One per scorecard row, where its weight goes.
pub const WEIGHT_HOLE: &str = "<!--verdict:weight-->";
pub const TOTALS_HOLE: &str = "<!--verdict:totals-->";

/// A short value that needs no escaping (a number), or a marker where a
/// server splices it in per request.
#[derive(Debug, Clone)]
pub enum Slot {
    Text(String),
    Hole(&'static str),
}

impl std::fmt::Display for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Slot::Text(t) => t,
            Slot::Hole(marker) => marker,
        })
    }
}

/// A part of a page, rendered in place or left as a marker where a server
/// splices in the same part rendered for one request. Either way the part
/// comes from the same template, so a spliced page is the same bytes as
/// one rendered whole.
#[derive(Debug)]
pub enum Part<T> {
    Filled(T),
    Hole(&'static str),
}

impl<T: Template> std::fmt::Display for Part<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Part::Filled(t) => t.render_into(f).map_err(|_| std::fmt::Error),
            Part::Hole(marker) => f.write_str(marker),
        }
    }
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
pub struct ScoreTable {
    pub rows: Vec<RowView>,
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
    pub badge: &'static str,
    pub sides: Vec<SideCard>,
}

/// "Use A if / Use B if" and, for topics that go together, which to start
/// with. Template: `compare_verdict.html`.
#[derive(Template, Debug)]
#[template(path = "compare_verdict.html")]
pub struct VerdictSection {
    pub use_if: Vec<String>,
}

/// The parts of a comparison page that depend on the reader's weights,
/// apart from the side cards (which depend only on the pick).
#[derive(Debug)]
pub struct PersonalParts {
    pub pick: PickSection,
    pub form: PersonaliseSection,
    /// What goes in each scorecard row's weight cell, in row order.
    pub weights_by_row: Vec<String>,
    pub foot: TableFoot,
    pub verdict: VerdictSection,
}

/// A comparison page. Template: `compare.html`.
#[derive(Template, Debug)]
#[template(path = "compare.html")]
pub struct ComparePage {
    pub layout: Layout,
    pub title: String,
    pub intro: String,
    pub category: Option<Link>,
    pub pick_section: Part<PickSection>,
    pub form_section: Part<PersonaliseSection>,
    /// Names and colours of the sides, for the chart's legend.
    pub legend: Vec<TotalView>,
    pub chart: String,
    pub table: Part<ScoreTable>,
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
}

/// What the page's script needs to recompute the pick in the browser.
#[derive(Debug, Serialize)]
struct ClientData<'a> {
    topics: Vec<ClientTopic<'a>>,
    criteria: Vec<ClientCriterion<'a>>,
    /// Category default weights (no profile), by criterion, in row order.
    defaults: Vec<(&'a str, f64)>,
    profiles: Vec<ClientProfile<'a>>,
    editorial_pick: Option<&'a str>,
    path: &'a str,
    close_call_margin: f64,
    max_flip_factor: f64,
    max_weight: f64,
}

#[derive(Debug, Serialize)]
struct ClientTopic<'a> {
    slug: &'a str,
    name: &'a str,
    /// The name takes plural verbs ("Passkeys score").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    plural: bool,
    url: String,
    scores: Vec<(&'a str, u8, &'a str)>,
}

#[derive(Debug, Serialize)]
struct ClientCriterion<'a> {
    id: &'a str,
    label: &'a str,
    phrase: String,
}

#[derive(Debug, Serialize)]
struct ClientProfile<'a> {
    slug: &'a str,
    label: &'a str,
    multipliers: &'a std::collections::BTreeMap<String, f64>,
}

const CHART_WIDTH: u32 = 640;
const CHART_LABEL: u32 = 150;
const BAR: u32 = 12;

/// Months between two `YYYY-MM[-DD]` dates (`later` − `earlier`).
fn months_between(earlier: &str, later: &str) -> i64 {
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

/// The parts of a comparison page that change with the reader's weights,
/// for `view`.
pub fn personal_parts(
    site: &SiteConfig,
    catalog: &Catalog,
    view: &ComparisonView,
) -> PersonalParts {
    let d = &view.decision;
    let path = comparison_path(view);
    let pick = pick_box(site, catalog, view);
    let profiles = std::iter::once(ProfileOption {
        value: String::new(),
        label: "Typical reader (default)".into(),
        selected: view.preferences.profile.is_none(),
    })
    .chain(catalog.profiles().iter().map(|p| ProfileOption {
        value: p.slug.clone(),
        label: p.label.clone(),
        selected: view.preferences.profile.as_deref() == Some(p.slug.as_str()),
    }))
    .collect();

    let weights = d
        .weights
        .0
        .iter()
        .map(|(id, w)| {
            let c = catalog.criterion(id);
            WeightInput {
                id: id.clone(),
                label: c.map_or_else(|| id.clone(), |c| c.label.clone()),
                help: c.map_or_else(String::new, |c| format!("High means {}.", c.high_means)),
                value: num(*w),
            }
        })
        .collect();

    let totals: Vec<TotalView> = view
        .sides
        .iter()
        .enumerate()
        .map(|(i, s)| TotalView {
            side: i,
            slug: s.slug.clone(),
            name: s.name.clone(),
            score: num(s.score),
            place: s.rank,
            leader: d.scorecard_leader() == Some(s.slug.as_str()),
        })
        .collect();
    PersonalParts {
        pick: PickSection { pick },
        form: PersonaliseSection {
            shown: d.outcome.alternatives(),
            personal: view.personal,
            reset_url: site.urls.absolute(&path),
            action: site.urls.absolute(&path),
            current_profile: view.preferences.profile.clone().unwrap_or_default(),
            profiles,
            weights,
        },
        weights_by_row: d.rows.iter().map(|r| num(r.weight)).collect(),
        foot: TableFoot { totals },
        verdict: VerdictSection {
            use_if: view.verdict.use_if.iter().map(|u| u.text.clone()).collect(),
        },
    }
}

/// The "our pick" box of `view`: the pick, or the outcome that stands in
/// for one.
fn pick_box(site: &SiteConfig, catalog: &Catalog, view: &ComparisonView) -> PickBox {
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
    PickBox {
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
    }
}

fn view_or_catalog_name<'a>(catalog: &'a Catalog, slug: &'a str) -> &'a str {
    catalog.topic(slug).map_or(slug, |t| t.name.as_str())
}

fn sorted_pair<'a>(a: &'a str, b: &'a str) -> [&'a str; 2] {
    if a <= b { [a, b] } else { [b, a] }
}

/// The scorecard table of `view`, with its weights and totals filled in.
fn score_table(catalog: &Catalog, view: &ComparisonView, parts: &PersonalParts) -> ScoreTable {
    let d = &view.decision;
    let index_of = |slug: &str| view.sides.iter().position(|s| s.slug == slug).unwrap_or(0);
    let rows: Vec<RowView> = d
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| RowView {
            id: r.criterion.clone(),
            label: r.label.clone(),
            high_means: catalog
                .criterion(&r.criterion)
                .map_or_else(String::new, |c| c.high_means.clone()),
            weight: Slot::Text(parts.weights_by_row[i].clone()),
            winner: r.winner.as_deref().map(|w| view.name(w).to_owned()),
            evidence: r.criterion == "popularity"
                && view.sides.iter().any(|s| !s.evidence.is_empty()),
            cells: r
                .cells
                .iter()
                .map(|c| CellView {
                    side: index_of(&c.slug),
                    name: view.name(&c.slug).to_owned(),
                    score: c.score,
                    reason: c.reason.clone(),
                    winner: r.winner.as_deref() == Some(c.slug.as_str()),
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
fn comparison_path(view: &ComparisonView) -> String {
    format!("/compare/{}", view.decision.topics.join("-vs-"))
}

/// The side cards of `view`, with its pick marked.
pub fn sides_section(site: &SiteConfig, view: &ComparisonView) -> SidesSection {
    let d = &view.decision;
    let sides = view
        .sides
        .iter()
        .enumerate()
        .map(|(i, s)| SideCard {
            index: i,
            slug: s.slug.clone(),
            name: s.name.clone(),
            url: s.url.clone(),
            kind: capitalise(s.kind.with_article()),
            tagline: s.tagline.clone(),
            use_when: format!("Choose it if {}.", s.use_when),
            pros: s.pros.clone(),
            cons: s.cons.clone(),
            related: s.related.iter().map(Link::from).collect(),
            evidence: s.evidence.iter().map(|e| evidence_line(site, e)).collect(),
            sources: s.sources.clone(),
            is_pick: d.pick.as_deref() == Some(s.slug.as_str()),
            reviewed: s.reviewed.clone(),
        })
        .collect();

    SidesSection {
        badge: pick_badge(view),
        sides,
    }
}

fn pick_badge(view: &ComparisonView) -> &'static str {
    if view.personal {
        "Your pick"
    } else {
        "Our pick"
    }
}

/// A comparison page with every part rendered in place.
pub fn comparison(site: &SiteConfig, catalog: &Catalog, view: &ComparisonView) -> ComparePage {
    let d = &view.decision;
    let canonical_path: Vec<&str> = d.topics.iter().map(String::as_str).collect();
    let path = comparison_path(view);
    let parts = personal_parts(site, catalog, view);
    let table = score_table(catalog, view, &parts);
    let rows = &table.rows;
    let totals = &table.totals;
    let row_height = BAR * view.sides.len() as u32 + 14;
    let chart = Chart {
        rows,
        totals,
        width: CHART_WIDTH,
        height: row_height * rows.len() as u32 + 8,
        label_width: CHART_LABEL,
        bar_height: BAR,
        row_height,
        title: format!(
            "Scores of {} by criterion",
            verdict_core::text::join_and(
                &view
                    .sides
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
            )
        ),
    }
    .render()
    .expect("chart renders");

    let sections = view
        .editorial
        .as_ref()
        .map(|e| {
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
        })
        .unwrap_or_default();

    let related_comparisons = related_comparisons(site, catalog, &canonical_path);

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
    l.script = Some(assets::script().path.clone());
    l.json_ld = (!l.noindex).then(|| script_json(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": view.title,
        "description": first_sentence(&view.verdict.bottom_line),
        "url": site.urls.absolute(&path),
        "dateModified": view.editorial.as_ref().map_or_else(
            || view.sides.iter().map(|s| s.reviewed.as_str()).max().unwrap_or_default().to_owned(),
            |e| e.reviewed.clone()),
        "about": view.sides.iter().map(|s| serde_json::json!({"@type": "Thing", "name": s.name})).collect::<Vec<_>>(),
        "publisher": {"@type": "Organization", "name": site.name},
    })));

    ComparePage {
        layout: l,
        title: view.title.clone(),
        intro: view.verdict.intro.clone(),
        category: view
            .category
            .as_deref()
            .and_then(|c| catalog.category(c))
            .map(|c| Link {
                text: c.name.clone(),
                url: site.urls.category(&c.slug),
            }),
        legend: parts.foot.totals.clone(),
        chart,
        sides_section: Part::Filled(sides_section(site, view)),
        pick_section: Part::Filled(parts.pick),
        form_section: Part::Filled(parts.form),
        table: Part::Filled(table),
        verdict_section: Part::Filled(parts.verdict),
        sections,
        also_consider: view.also_consider.iter().map(Link::from).collect(),
        related_comparisons,
        contact_email: site.contact_email.clone(),
        data: client_data(site, catalog, view),
        multi: view.sides.len() > 2,
        votes_html: String::new(),
    }
}

/// A comparison page with markers where the parts that change with the
/// reader's weights go: [`PICK_HOLE`], [`FORM_HOLE`], one [`WEIGHT_HOLE`]
/// per scorecard row, [`TOTALS_HOLE`], [`SIDES_HOLE`] and [`VERDICT_HOLE`],
/// in this order. For a personal `view`, everything else on the page
/// is the same for every choice of weights.
pub fn comparison_frame(
    site: &SiteConfig,
    catalog: &Catalog,
    view: &ComparisonView,
) -> ComparePage {
    let mut page = comparison(site, catalog, view);
    page.pick_section = Part::Hole(PICK_HOLE);
    page.form_section = Part::Hole(FORM_HOLE);
    if let Part::Filled(table) = &mut page.table {
        for row in &mut table.rows {
            row.weight = Slot::Hole(WEIGHT_HOLE);
        }
        table.foot = Part::Hole(TOTALS_HOLE);
    }
    page.sides_section = Part::Hole(SIDES_HOLE);
    page.verdict_section = Part::Hole(VERDICT_HOLE);
    page
}

/// The JSON the comparison page's script reads: scores, default weights and
/// profiles, enough to recompute the pick exactly as the server does.
pub fn client_data(site: &SiteConfig, catalog: &Catalog, view: &ComparisonView) -> String {
    let d = &view.decision;
    let path = view
        .url
        .strip_prefix(&site.urls.absolute(""))
        .unwrap_or(&view.url)
        .to_owned();
    let topics: Vec<&Topic> = d.topics.iter().filter_map(|s| catalog.topic(s)).collect();
    let defaults = Weights::resolve(catalog, &topics, &Default::default())
        .map(|w| w.0)
        .unwrap_or_default();
    let data = ClientData {
        topics: topics
            .iter()
            .map(|t| ClientTopic {
                slug: &t.slug,
                name: &t.name,
                plural: t.plural,
                url: site.urls.topic(&t.slug),
                scores: d
                    .rows
                    .iter()
                    .map(|r| {
                        let s = &t.scores[&r.criterion];
                        (r.criterion.as_str(), s.value, s.reason.as_str())
                    })
                    .collect(),
            })
            .collect(),
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

    script_json(&data)
}

fn first_sentence(s: &str) -> &str {
    s.find(". ").map_or(s, |i| &s[..=i])
}

/// Other comparisons a reader of this one may want: editorials and
/// declared alternatives that involve one of these topics.
fn related_comparisons(site: &SiteConfig, catalog: &Catalog, slugs: &[&str]) -> Vec<Link> {
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
    for e in catalog.editorials() {
        if e.slugs.iter().any(|s| slugs.contains(&s.as_str())) {
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
            url: site
                .urls
                .compare(&pair.iter().map(String::as_str).collect::<Vec<_>>()),
            text,
        })
        .collect()
}

// ---------------------------------------------------------------- topic

#[derive(Debug, Clone)]
pub struct ScoreLine {
    pub label: String,
    pub score: u8,
    pub reason: String,
    pub bar: u32,
}

/// A topic page. Template: `topic.html`.
#[derive(Template, Debug)]
#[template(path = "topic.html")]
pub struct TopicPage {
    pub layout: Layout,
    pub name: String,
    pub kind: String,
    pub category: Link,
    pub tagline: String,
    pub use_when: String,
    pub aliases: String,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    pub scores: Vec<ScoreLine>,
    pub evidence: Vec<EvidenceLine>,
    pub sources: Vec<Source>,
    pub related: Vec<Link>,
    pub compared_with: Vec<Link>,
    /// What it is used for, as a sentence ("Prometheus is for metrics and
    /// alerting."), or empty.
    pub jobs: String,
    /// Topics it is used together with.
    pub used_with: Vec<Link>,
    pub reviewed: String,
}

/// The topics `topic` is most often compared with, best first: editorial
/// comparisons, then declared alternatives (either direction), then other
/// topics that do one of its jobs, then topics it is used with. Pairs that
/// do different jobs are never offered.
pub fn compared_with<'a>(catalog: &'a Catalog, topic: &Topic) -> Vec<&'a Topic> {
    // Points by slug: 100 for a two-way editorial, 50 for a declared
    // alternative, 30 for being declared an alternative by the other topic,
    // 10 for sharing a job, 5 for being used together. Only candidates are
    // looked at, through the catalog's indexes: going through every topic
    // made each topic page cost O(topics), seconds in all for 10,000 topics.
    let mut points: std::collections::BTreeMap<&str, (u32, &'a Topic)> = Default::default();
    let mut add = |t: &'a Topic, n: u32| {
        if t.slug != topic.slug {
            points.entry(t.slug.as_str()).or_insert((0, t)).0 += n;
        }
    };
    for e in catalog.editorials() {
        if e.slugs.len() == 2
            && e.slugs.contains(&topic.slug)
            && crate::site::worth_publishing(e.outcome)
        {
            e.slugs
                .iter()
                .filter_map(|s| catalog.topic(s))
                .for_each(|t| add(t, 100));
        }
    }
    for (i, alt) in topic.alternatives.iter().enumerate() {
        if !topic.alternatives[..i].contains(alt) {
            catalog.topic(alt).into_iter().for_each(|t| add(t, 50));
        }
    }
    catalog
        .declaring_alternative(&topic.slug)
        .for_each(|t| add(t, 30));
    for (i, job) in topic.jobs.iter().enumerate() {
        if !topic.jobs[..i].contains(job) {
            catalog.doing(job).for_each(|t| add(t, 10));
        }
    }
    for other in &topic.used_with {
        catalog.topic(other).into_iter().for_each(|t| add(t, 5));
    }
    // Only pairs with something to read: alternatives, complements, or an
    // editorial.
    points.retain(|_, (_, t)| {
        catalog
            .editorial(&[topic.slug.as_str(), t.slug.as_str()])
            .is_some()
            || verdict_core::decide::relation(catalog, &[topic, *t]).is_ok()
            || catalog.used_together(topic, t)
    });
    // Slug order from the map; a stable sort keeps it within equal points.
    let mut ranked: Vec<(u32, &Topic)> = points.into_values().collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
    ranked.into_iter().take(10).map(|(_, t)| t).collect()
}

pub fn topic(site: &SiteConfig, catalog: &Catalog, t: &Topic) -> TopicPage {
    let category = catalog.category(&t.category);
    let order: Vec<&str> = category
        .map(|c| c.weights.iter().map(|(id, _)| id.as_str()).collect())
        .unwrap_or_default();
    let scores = order
        .iter()
        .filter_map(|id| Some((catalog.criterion(id)?, t.scores.get(*id)?)))
        .map(|(c, s)| ScoreLine {
            label: c.label.clone(),
            score: s.value,
            reason: s.reason.clone(),
            bar: u32::from(s.value) * 10,
        })
        .collect();
    let link = |o: &Topic| Link {
        text: o.name.clone(),
        url: site.urls.topic(&o.slug),
    };
    let compared_with = compared_with(catalog, t)
        .into_iter()
        .map(|o| {
            let mut pair = [t.slug.as_str(), o.slug.as_str()];
            pair.sort_unstable();
            Link {
                text: format!("{} vs {}", t.name, o.name),
                url: site.urls.compare(&pair),
            }
        })
        .collect();
    let path = format!("/topics/{}", t.slug);
    let mut l = layout(
        site,
        catalog,
        format!("{} — {}", t.name, site.name),
        t.tagline.clone(),
        &path,
    );
    l.json_ld = Some(script_json(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "name": t.name,
        "description": t.tagline,
        "url": site.urls.absolute(&path),
        "inDefinedTermSet": category.map(|c| c.name.clone()),
    })));
    TopicPage {
        layout: l,
        name: t.name.clone(),
        kind: capitalise(t.kind.with_article()),
        category: Link {
            text: category.map_or_else(|| t.category.clone(), |c| c.name.clone()),
            url: site.urls.category(&t.category),
        },
        tagline: t.tagline.clone(),
        use_when: format!("Choose {} if {}.", t.name, t.use_when),
        aliases: t.aliases.join(", "),
        pros: t.pros.clone(),
        cons: t.cons.clone(),
        scores,
        evidence: t.evidence.iter().map(|e| evidence_line(site, e)).collect(),
        sources: t.sources.clone(),
        related: t
            .related
            .iter()
            .filter_map(|r| catalog.topic(r))
            .map(link)
            .collect(),
        compared_with,
        jobs: verdict_core::text::jobs_sentence(catalog, t).unwrap_or_default(),
        used_with: t
            .used_with
            .iter()
            .filter_map(|r| catalog.topic(r))
            .map(link)
            .collect(),
        reviewed: t.reviewed.clone(),
    }
}

// ---------------------------------------------------------------- category

#[derive(Debug, Clone)]
pub struct TopicItem {
    pub name: String,
    pub url: String,
    pub slug: String,
    pub kind: String,
    pub tagline: String,
}

fn topic_item(site: &SiteConfig, t: &Topic) -> TopicItem {
    TopicItem {
        name: t.name.clone(),
        url: site.urls.topic(&t.slug),
        slug: t.slug.clone(),
        kind: t.kind.as_str().to_owned(),
        tagline: t.tagline.clone(),
    }
}

/// A category page. Template: `category.html`.
#[derive(Template, Debug)]
#[template(path = "category.html")]
pub struct CategoryPage {
    pub layout: Layout,
    pub name: String,
    pub description: String,
    pub topics: Vec<TopicItem>,
    pub comparisons: Vec<Link>,
    pub criteria: Vec<(String, String)>,
    pub compare_action: String,
}

pub fn category(site: &SiteConfig, catalog: &Catalog, slug: &str) -> Option<CategoryPage> {
    let c = catalog.category(slug)?;
    let topics: Vec<TopicItem> = catalog
        .topics_in(slug)
        .map(|t| topic_item(site, t))
        .collect();
    let comparisons = catalog
        .editorials()
        .iter()
        .filter(|e| {
            e.category.as_deref() == Some(slug)
                || (e.category.is_none()
                    && e.slugs
                        .iter()
                        .all(|s| catalog.topic(s).is_some_and(|t| t.category == slug)))
        })
        .map(|e| editorial_link(site, catalog, &e.slugs))
        .collect();
    let criteria = c
        .weights
        .iter()
        .filter_map(|(id, w)| {
            catalog
                .criterion(id)
                .map(|k| (format!("{} ×{}", k.label, num(*w)), k.high_means.clone()))
        })
        .collect();
    let path = format!("/categories/{slug}");
    let mut l = layout(
        site,
        catalog,
        format!("{} — {}", c.name, site.name),
        c.description.clone(),
        &path,
    );
    // Sends "Compare two" straight to the comparison (the static site has
    // no server to redirect `/compare?a=&b=`).
    l.script = Some(assets::script().path.clone());
    Some(CategoryPage {
        layout: l,
        name: c.name.clone(),
        description: c.description.clone(),
        topics,
        comparisons,
        criteria,
        compare_action: site.urls.absolute("/compare"),
    })
}

fn editorial_link(site: &SiteConfig, catalog: &Catalog, slugs: &[String]) -> Link {
    let names: Vec<&str> = slugs
        .iter()
        .filter_map(|s| catalog.topic(s))
        .map(|t| t.name.as_str())
        .collect();
    Link {
        text: names.join(" vs "),
        url: site
            .urls
            .compare(&slugs.iter().map(String::as_str).collect::<Vec<_>>()),
    }
}

// ---------------------------------------------------------------- home

#[derive(Debug, Clone)]
pub struct CategoryCard {
    pub name: String,
    pub url: String,
    pub description: String,
    pub count: usize,
}

/// The home page. Template: `home.html`.
#[derive(Template, Debug)]
#[template(path = "home.html")]
pub struct HomePage {
    pub layout: Layout,
    pub topic_count: usize,
    pub categories: Vec<CategoryCard>,
    pub featured: Vec<Link>,
    /// Filled by the web layer when votes exist.
    pub contested_html: String,
}

pub fn home(site: &SiteConfig, catalog: &Catalog) -> HomePage {
    let categories = catalog
        .categories()
        .iter()
        .map(|c| CategoryCard {
            name: c.name.clone(),
            url: site.urls.category(&c.slug),
            description: c.description.clone(),
            count: catalog.topics_in(&c.slug).count(),
        })
        .collect();
    let mut featured: Vec<Link> = catalog
        .editorials()
        .iter()
        .map(|e| editorial_link(site, catalog, &e.slugs))
        .collect();
    featured.sort_by_key(|l| l.text.to_lowercase());
    let mut l = layout(
        site,
        catalog,
        format!("{} — opinionated, evidence-backed picks for developers", site.name),
        "Which should you learn or use? Clear picks between developer topics, with the scorecard, the evidence and what would change our mind.".into(),
        "/",
    );
    l.json_ld = Some(script_json(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.name,
        "url": site.urls.home(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": format!("{}?q={{query}}", site.urls.absolute("/search")),
            "query-input": "required name=query",
        },
    })));
    HomePage {
        layout: l,
        topic_count: catalog.topics().len(),
        categories,
        featured,
        contested_html: String::new(),
    }
}

// ---------------------------------------------------------------- search

/// Search results. Template: `search.html`.
#[derive(Template, Debug)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub layout: Layout,
    pub query: String,
    pub results: Vec<TopicItem>,
    pub suggestions: Vec<Link>,
    /// The static site's search index; `None` on the server, which answers
    /// the query itself.
    pub index_url: Option<String>,
}

pub fn search(
    site: &SiteConfig,
    catalog: &Catalog,
    query: &str,
    hits: &[Hit<'_>],
    suggestions: &[&Topic],
) -> SearchPage {
    let mut l = layout(
        site,
        catalog,
        if query.is_empty() {
            format!("Search — {}", site.name)
        } else {
            format!("“{query}” — search — {}", site.name)
        },
        "Search developer topics by name, alias or description.".into(),
        "/search",
    );
    l.noindex = true;
    l.query = query.to_owned();
    SearchPage {
        layout: l,
        query: query.to_owned(),
        results: hits.iter().map(|h| topic_item(site, h.topic)).collect(),
        suggestions: suggestions
            .iter()
            .map(|t| Link {
                text: t.name.clone(),
                url: site.urls.topic(&t.slug),
            })
            .collect(),
        index_url: None,
    }
}

/// The static site's search page (`verdict build`): the server's page with
/// no query, plus `search.js`, which filters the index at `index_url` in
/// the browser.
pub fn static_search(site: &SiteConfig, catalog: &Catalog, index_url: &str) -> SearchPage {
    let mut page = search(site, catalog, "", &[], &[]);
    page.layout.script = Some(assets::search_script().path.clone());
    page.index_url = Some(index_url.to_owned());
    page
}

// ---------------------------------------------------------------- errors

/// An error page (404 and others). Template: `error.html`.
#[derive(Template, Debug)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub heading: String,
    pub message: String,
    pub suggestions: Vec<Link>,
}

pub fn error(
    site: &SiteConfig,
    catalog: &Catalog,
    status: u16,
    heading: &str,
    message: &str,
    suggestions: Vec<Link>,
) -> ErrorPage {
    let mut l = layout(
        site,
        catalog,
        format!("{heading} — {}", site.name),
        message.to_owned(),
        "/",
    );
    l.noindex = true;
    ErrorPage {
        layout: l,
        status,
        heading: heading.to_owned(),
        message: message.to_owned(),
        suggestions,
    }
}

/// Links for a "did you mean" list of topics.
pub fn topic_links(site: &SiteConfig, topics: &[&Topic]) -> Vec<Link> {
    topics
        .iter()
        .map(|t| Link {
            text: t.name.clone(),
            url: site.urls.topic(&t.slug),
        })
        .collect()
}
