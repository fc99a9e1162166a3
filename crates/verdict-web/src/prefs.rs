//! Reader preferences from a query string: `?profile=startup&w.performance=3`.

use verdict_core::decide::{DecideError, Preferences, Weights};
use verdict_core::model::{Catalog, Topic};

use crate::error::WebError;

/// What a query string asks for.
#[derive(Debug, Default)]
pub struct Requested {
    pub prefs: Preferences,
    /// The profile the page's weight inputs were filled from (the form's
    /// hidden `from` field): submitted weights equal to that profile's are
    /// not the reader's own, so a newly chosen profile is not overridden
    /// by the old profile's numbers.
    pub from: Option<String>,
}

/// Parses the query string. Unknown parameters (tracking tags and the like)
/// are ignored; a malformed query or a weight that is not a number is an
/// error naming the parameter.
pub fn parse(raw: Option<&str>) -> Result<Requested, WebError> {
    let mut req = Requested::default();
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(req);
    };
    let prefs = &mut req.prefs;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw).map_err(|e| {
        WebError::bad_request("bad_query", format!("the query string is malformed: {e}"))
    })?;
    for (key, value) in pairs {
        if key == "profile" {
            let v = value.trim();
            prefs.profile = (!v.is_empty()).then(|| v.to_owned());
        } else if key == "from" {
            req.from = Some(value.trim().to_owned());
        } else if let Some(id) = key.strip_prefix("w.") {
            let v = value.trim();
            if v.is_empty() {
                continue;
            }
            let n: f64 = v.parse().map_err(|_| {
                WebError::bad_request(
                    "bad_weight",
                    format!("weight `{key}` must be a number from 0 to 10, got `{value}`"),
                )
            })?;
            // Rounded as the canonical URL writes it, so the weights checked
            // here are the ones the redirect carries (0.001 is 0, not a
            // weight that passes here and fails after the redirect).
            prefs
                .weights
                .insert(id.to_owned(), verdict_core::decide::round2(n));
        }
    }
    Ok(req)
}

/// Checks the request against the compared topics and drops weights equal
/// to what the profile already gives, so equivalent URLs share one form.
pub fn canonical(
    catalog: &Catalog,
    topics: &[&Topic],
    req: Requested,
) -> Result<Preferences, WebError> {
    let profile_weights = |profile: Option<String>| {
        Weights::resolve(
            catalog,
            topics,
            &Preferences {
                profile,
                weights: Default::default(),
            },
        )
        .map_err(decide_error)
    };
    let mut prefs = req.prefs;
    if let Some(from) = req.from {
        let shown = profile_weights((!from.is_empty()).then_some(from))?;
        prefs.weights.retain(|id, w| shown.get(id) != Some(*w));
    }
    let derived = profile_weights(prefs.profile.clone())?;
    // Validates every override (unknown criterion, range, all zero).
    Weights::resolve(catalog, topics, &prefs).map_err(decide_error)?;
    let weights = prefs
        .weights
        .into_iter()
        .filter(|(id, w)| derived.get(id) != Some(*w))
        .collect();
    Ok(Preferences {
        profile: prefs.profile,
        weights,
    })
}

/// The canonical query string for `prefs`, starting with `?`, or empty.
pub fn query_string(prefs: &Preferences) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &prefs.profile {
        parts.push(serde_urlencoded::to_string([("profile", p)]).unwrap_or_default());
    }
    for (id, w) in &prefs.weights {
        parts.push(format!("w.{id}={}", verdict_core::text::num(*w)));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

pub fn decide_error(e: DecideError) -> WebError {
    let code = match e {
        DecideError::UnknownProfile(_) => "unknown_profile",
        DecideError::UnknownCriterion(_) | DecideError::CriterionNotShared(_) => {
            "unknown_criterion"
        }
        DecideError::BadWeight { .. } => "bad_weight",
        DecideError::AllZero => "all_weights_zero",
        DecideError::TopicCount(_) | DecideError::Repeated(_) => "bad_comparison",
        DecideError::NoSharedCriteria => "no_shared_criteria",
    };
    WebError::bad_request(code, e.to_string())
}
