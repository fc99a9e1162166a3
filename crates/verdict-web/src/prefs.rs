//! Reader preferences from a query string, as the server answers them:
//! the parsing and the canonical form are `verdict_render::query`; here
//! their errors become the API's and the pages' error codes.

use verdict_core::decide::{DecideError, Preferences};
use verdict_core::model::{Catalog, Topic};
use verdict_render::query::{QueryError, Requested};

use crate::error::WebError;

pub use verdict_render::query::query_string;

/// [`verdict_render::query::parse`], with its error as a 400.
pub fn parse(raw: Option<&str>) -> Result<Requested, WebError> {
    verdict_render::query::parse(raw).map_err(query_error)
}

/// [`verdict_render::query::canonical`], with its error as a 400.
pub fn canonical(
    catalog: &Catalog,
    topics: &[&Topic],
    req: Requested,
) -> Result<Preferences, WebError> {
    verdict_render::query::canonical(catalog, topics, req).map_err(decide_error)
}

fn query_error(e: QueryError) -> WebError {
    let code = match e {
        QueryError::Malformed(_) => "bad_query",
        QueryError::BadWeight { .. } => "bad_weight",
    };
    WebError::bad_request(code, e.to_string())
}

pub fn decide_error(e: DecideError) -> WebError {
    let code = match e {
        DecideError::UnknownProfile(_) => "unknown_profile",
        DecideError::UnknownCriterion(_) | DecideError::CriterionNotShared(_) => {
            "unknown_criterion"
        }
        DecideError::BadWeight { .. } => "bad_weight",
        DecideError::TopicCount(_) | DecideError::Repeated(_) => "bad_comparison",
        DecideError::NoSharedCriteria => "no_shared_criteria",
    };
    WebError::bad_request(code, e.to_string())
}
