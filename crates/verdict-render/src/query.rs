//! Reader preferences in a comparison URL's query string:
//! `?profile=startup&w.performance=3`. The server reads them from requests
//! and writes the canonical form it redirects to; no HTTP here, so the
//! fuzz targets call these very functions.

use std::fmt;

use verdict_core::decide::{DecideError, Preferences, Weights};
use verdict_core::model::{Catalog, Topic};

/// Why a query string cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// Not `application/x-www-form-urlencoded`; the decoder's reason.
    Malformed(String),
    /// A weight that is not a number.
    BadWeight { key: String, value: String },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Malformed(why) => write!(f, "the query string is malformed: {why}"),
            QueryError::BadWeight { key, value } => write!(
                f,
                "weight `{key}` must be a number from 0 to 10, got `{value}`"
            ),
        }
    }
}

impl std::error::Error for QueryError {}

/// What a query string asks for.
#[derive(Debug, Clone, Default)]
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
pub fn parse(raw: Option<&str>) -> Result<Requested, QueryError> {
    let mut req = Requested::default();
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(req);
    };
    let prefs = &mut req.prefs;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw).map_err(|e| QueryError::Malformed(e.to_string()))?;
    for (key, value) in pairs {
        if key == "profile" {
            let v = value.trim();
            prefs.profile = (!v.is_empty()).then(|| v.to_owned());
        } else if key == "from" {
            req.from = Some(value.trim().to_owned());
        } else if let Some(id) = key.strip_prefix("w.") {
            // An empty value is a cleared form field: no weight given. Any
            // other value must be a number as it stands, as the OpenAPI
            // document says.
            if value.is_empty() {
                continue;
            }
            let n: f64 = value.parse().map_err(|_| QueryError::BadWeight {
                key: key.clone(),
                value: value.clone(),
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
) -> Result<Preferences, DecideError> {
    // No profile, no weights: already canonical. Whether these topics
    // share a criterion is for the decision to say (`NoSharedCriteria`),
    // as it does for every request; resolving the weights here too was
    // about 3 % of a comparison page nobody had asked for.
    if req.from.is_none() && req.prefs.profile.is_none() && req.prefs.weights.is_empty() {
        return Ok(req.prefs);
    }
    let profile_weights = |profile: Option<String>| {
        Weights::resolve(
            catalog,
            topics,
            &Preferences {
                profile,
                weights: Default::default(),
            },
        )
    };
    let mut prefs = req.prefs;
    if let Some(from) = req.from {
        let shown = profile_weights((!from.is_empty()).then_some(from))?;
        prefs.weights.retain(|id, w| shown.get(id) != Some(*w));
    }
    let derived = profile_weights(prefs.profile.clone())?;
    // Every weight given must be in range, scored here or not.
    for (id, &value) in &prefs.weights {
        if !value.is_finite() || !(0.0..=verdict_core::decide::MAX_WEIGHT).contains(&value) {
            return Err(DecideError::BadWeight {
                criterion: id.clone(),
                value,
            });
        }
    }
    // A weight for a criterion that this comparison does not score changes
    // nothing, so it is dropped rather than refused: a link made on another
    // comparison still opens. An id no criterion has is still an error.
    prefs
        .weights
        .retain(|id, _| derived.get(id).is_some() || catalog.criterion(id).is_none());
    // Validates every override (unknown criterion, range); with none, the
    // weights are the profile's, resolved above.
    if !prefs.weights.is_empty() {
        Weights::resolve(catalog, topics, &prefs)?;
    }
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
