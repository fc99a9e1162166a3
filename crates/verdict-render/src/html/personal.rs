//! A comparison page as a frame with holes, and the parts a personal
//! page renders per request to fill them (see `verdict-web`'s `personal.rs`).

use askama::Template;

use verdict_core::model::Catalog;
use verdict_core::text::num;

use crate::view::ComparisonView;

use super::SiteConfig;
use super::compare::{
    ComparePage, PersonaliseSection, PickSection, ProfileOption, TableFoot, TotalView,
    VerdictSection, WeightInput, comparison, comparison_path, pick_box,
};

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

/// The parts of a comparison page that change with the reader's weights,
/// for `view`.
pub fn personal_parts(
    site: &SiteConfig,
    catalog: &Catalog,
    view: &ComparisonView,
) -> PersonalParts {
    let d = &view.decision;
    let pick = pick_box(site, catalog, view);
    let totals: Vec<TotalView> = view
        .sides
        .iter()
        .enumerate()
        .map(|(i, s)| TotalView {
            side: i,
            slug: s.slug.to_owned(),
            name: s.name.to_owned(),
            score: num(s.score),
            place: s.rank,
            leader: d.scorecard_leader() == Some(s.slug),
        })
        .collect();
    PersonalParts {
        pick: PickSection { pick },
        form: personalise_form(site, catalog, view),
        weights_by_row: d.rows.iter().map(|r| num(r.weight)).collect(),
        foot: TableFoot { totals },
        verdict: VerdictSection {
            use_if: view.verdict.use_if.iter().map(|u| u.text.clone()).collect(),
        },
    }
}

/// The profile and weights form. Topics that are not alternatives get none
/// (the template renders nothing), so none of it is made for them: most
/// pairs nobody has asked for before are such pairs.
fn personalise_form(
    site: &SiteConfig,
    catalog: &Catalog,
    view: &ComparisonView,
) -> PersonaliseSection {
    let d = &view.decision;
    if !d.outcome.alternatives() {
        return PersonaliseSection {
            shown: false,
            personal: view.personal,
            reset_url: String::new(),
            action: String::new(),
            current_profile: String::new(),
            profiles: Vec::new(),
            weights: Vec::new(),
        };
    }
    let path = comparison_path(view);
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
    PersonaliseSection {
        shown: true,
        personal: view.personal,
        reset_url: site.urls.absolute(&path),
        action: site.urls.absolute(&path),
        current_profile: view.preferences.profile.clone().unwrap_or_default(),
        profiles,
        weights,
    }
}

/// A comparison page with markers where the parts that change with the
/// reader's weights go: [`PICK_HOLE`], [`FORM_HOLE`], one [`WEIGHT_HOLE`]
/// per scorecard row, [`TOTALS_HOLE`], [`SIDES_HOLE`] and [`VERDICT_HOLE`],
/// in this order. For a personal `view`, everything else on the page
/// is the same for every choice of weights.
pub fn comparison_frame<'a>(
    site: &SiteConfig,
    catalog: &'a Catalog,
    view: &'a ComparisonView,
) -> ComparePage<'a> {
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
