//! The comparison a vote or tally request names, and what the votes
//! block needs to know about it.

use verdict_core::decide::Preferences;
use verdict_core::key::{self, ComparisonKey};
use verdict_core::model::{Catalog, Topic};
use verdict_render::ComparisonView;
use verdict_render::votes::PickOption;

use crate::AppState;
use crate::error::WebError;
use crate::lookup;

/// A comparison named in a URL: its canonical key and topics.
pub(super) struct Target<'a> {
    pub(super) key: ComparisonKey,
    pub(super) topics: Vec<&'a Topic>,
}

/// The comparison `pair` names, found as pages find it
/// ([`verdict_core::key::resolve`]), in any order or spelling.
pub(super) fn target<'a>(
    state: &AppState,
    catalog: &'a Catalog,
    pair: &str,
) -> Result<Target<'a>, WebError> {
    let found = key::resolve(catalog, pair).map_err(|e| lookup::no_comparison(state, e))?;
    Ok(Target {
        key: found.key,
        topics: found.topics,
    })
}

/// What the votes block needs to know about its comparison.
#[derive(Debug, Clone)]
pub struct PageMeta {
    pub(super) key: ComparisonKey,
    pub(super) pick_name: Option<String>,
    pub(super) outcome_label: &'static str,
    pub(super) options: Vec<PickOption>,
    pub(super) names: Vec<(String, String)>,
}

impl PageMeta {
    /// Our (default, non-personal) pick for `topics`.
    pub fn new(state: &AppState, topics: &[&Topic]) -> Result<PageMeta, WebError> {
        let view = ComparisonView::build(
            &state.catalog,
            &state.site.urls,
            topics,
            &Preferences::default(),
        )
        .map_err(crate::prefs::decide_error)?;
        Ok(PageMeta::of(&view))
    }

    /// What the votes block says about the comparison `view` shows (its
    /// default pick).
    pub fn of(view: &ComparisonView) -> PageMeta {
        let names: Vec<(String, String)> = view
            .sides
            .iter()
            .map(|s| (s.slug.to_owned(), s.name.to_owned()))
            .collect();
        PageMeta {
            key: view.key(),
            pick_name: view
                .decision
                .pick
                .as_deref()
                .map(|p| view.name(p).to_owned()),
            outcome_label: view.decision.outcome.label(),
            options: names
                .iter()
                .map(|(s, n)| PickOption {
                    value: s.clone(),
                    label: n.clone(),
                })
                .collect(),
            names,
        }
    }

    pub(super) fn name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.names
            .iter()
            .find(|(s, _)| s == slug)
            .map_or(slug, |(_, n)| n.as_str())
    }
}
