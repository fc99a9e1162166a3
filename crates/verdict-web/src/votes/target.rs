//! The comparison a vote or tally request names, and what the votes
//! block needs to know about it.

use verdict_core::decide::Preferences;
use verdict_core::model::{Catalog, Topic};
use verdict_render::ComparisonView;
use verdict_render::urls::split_pair;
use verdict_render::votes::PickOption;

use crate::AppState;
use crate::error::{Suggestion, WebError};

/// A comparison named in a URL: its canonical key and topics.
pub(super) struct Target<'a> {
    pub(super) key: String,
    pub(super) topics: Vec<&'a Topic>,
}

/// Resolves `a-vs-b[-vs-…]` by slug or alias, in any order.
pub(super) fn target<'a>(
    state: &AppState,
    catalog: &'a Catalog,
    pair: &str,
) -> Result<Target<'a>, WebError> {
    let parts = split_pair(pair);
    if !(2..=4).contains(&parts.len()) {
        return Err(WebError::not_found(
            "bad_comparison",
            "a comparison names 2 to 4 topics joined by `-vs-`, like go-vs-rust",
        ));
    }
    let mut topics = Vec::new();
    for p in &parts {
        let lower = p.to_lowercase();
        let Some(t) = catalog
            .topic(&lower)
            .or_else(|| catalog.topic_by_alias(&lower))
        else {
            let suggestions = verdict_core::search::suggest(catalog, &lower.replace('-', " "), 3)
                .into_iter()
                .map(|t| Suggestion {
                    slug: t.slug.clone(),
                    name: t.name.clone(),
                    url: state.site.urls.topic(&t.slug),
                })
                .collect();
            return Err(WebError::not_found(
                "unknown_topic",
                format!("topic `{p}` does not exist"),
            )
            .with_suggestions(suggestions));
        };
        topics.push(t);
    }
    topics.sort_by(|a, b| a.slug.cmp(&b.slug));
    if topics.windows(2).any(|w| w[0].slug == w[1].slug) {
        return Err(WebError::not_found(
            "bad_comparison",
            "compare a topic with a different one",
        ));
    }
    let key = topics
        .iter()
        .map(|t| t.slug.as_str())
        .collect::<Vec<_>>()
        .join("-vs-");
    Ok(Target { key, topics })
}

/// What the votes block needs to know about its comparison.
#[derive(Debug, Clone)]
pub struct PageMeta {
    pub(super) key: String,
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
        let names: Vec<(String, String)> = view
            .sides
            .iter()
            .map(|s| (s.slug.clone(), s.name.clone()))
            .collect();
        Ok(PageMeta {
            key: view.decision.topics.join("-vs-"),
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
        })
    }

    pub(super) fn name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.names
            .iter()
            .find(|(s, _)| s == slug)
            .map_or(slug, |(_, n)| n.as_str())
    }
}
