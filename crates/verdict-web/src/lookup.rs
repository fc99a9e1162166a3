//! What pages, the API and reader votes answer when a path names no
//! topic or comparison: one error per reason, with "did you mean" links.
//! The lookup itself is `verdict_core::key`.

use verdict_core::key::{ComparisonKey, NotFound};
use verdict_core::model::Topic;

use crate::AppState;
use crate::error::{Suggestion, WebError};

/// A "did you mean" link to a topic.
pub(crate) fn suggestion(state: &AppState, t: &Topic) -> Suggestion {
    Suggestion {
        slug: t.slug.clone(),
        name: t.name.clone(),
        url: state.site.urls.topic(&t.slug),
    }
}

/// The error for a comparison path that names no comparison: a 404
/// everywhere (there is nothing at that path). A wrong number of topics or
/// a repeated one says so (`bad_comparison`); unknown topics come with
/// suggestions:
/// first the whole comparison with each unknown part replaced by its best
/// guess, then the guesses for each part.
pub(crate) fn no_comparison(state: &AppState, e: NotFound<'_>) -> WebError {
    let (parts, known) = match e {
        NotFound::Count(_) => {
            return WebError::not_found(
                "bad_comparison",
                "a comparison names 2 to 4 topics joined by `-vs-`, like /compare/go-vs-rust",
            );
        }
        NotFound::Repeated => {
            return WebError::not_found("bad_comparison", "compare a topic with a different one");
        }
        NotFound::Unknown { parts, known } => (parts, known),
    };
    let mut suggestions: Vec<Suggestion> = Vec::new();
    if parts.iter().all(|(_, s)| !s.is_empty()) {
        let guesses: Vec<&Topic> = known
            .iter()
            .copied()
            .chain(parts.iter().map(|(_, s)| s[0]))
            .collect();
        let fixed = ComparisonKey::of(&guesses);
        if fixed.slugs().len() >= 2 {
            let names: Vec<&str> = fixed
                .slugs()
                .iter()
                .filter_map(|s| state.catalog.topic(s))
                .map(|t| t.name.as_str())
                .collect();
            suggestions.push(Suggestion {
                slug: fixed.to_string(),
                name: names.join(" vs "),
                url: state.site.urls.comparison(&fixed),
            });
        }
    }
    for (_, s) in &parts {
        suggestions.extend(s.iter().map(|t| suggestion(state, t)));
    }
    let names: Vec<String> = parts.iter().map(|(p, _)| format!("`{p}`")).collect();
    WebError::not_found(
        "unknown_topic",
        format!("we have no topic {}", verdict_core::text::join_or(&names)),
    )
    .with_suggestions(suggestions)
}
