//! The read API's JSON bodies as pure functions of the catalog and the site
//! settings. The handlers in `api` send them and the static export
//! (`verdict build`) writes them to `api/v1/...json`, so a static
//! deployment publishes the same bytes the server sends. Nothing here knows
//! HTTP.

use serde::Serialize;

use crate::{ComparisonView, SiteConfig, Urls, html};
use verdict_core::model::{Catalog, Kind, Topic};

/// The OpenAPI document's fixed part: everything that does not depend on
/// the catalog. [`openapi`] fills in the rest.
pub const OPENAPI: &str = include_str!("openapi.json");

/// The OpenAPI document served at `/api/v1/openapi.json` and written by
/// the static export. It describes the server's HTTP API for this catalog:
/// the category and profile parameters list the values the server
/// accepts, and each criterion has its own `w.<criterion>` weight
/// parameter, so a client (or a tool such as schemathesis) that keeps to
/// the document is never refused. It lives here, beside the bodies it
/// describes, so the export needs no HTTP crate.
pub fn openapi(catalog: &Catalog) -> String {
    let mut doc: serde_json::Value =
        serde_json::from_str(OPENAPI).expect("openapi.json is valid JSON (tested)");
    let categories: Vec<&str> = catalog
        .categories()
        .iter()
        .map(|c| c.slug.as_str())
        .collect();
    let profiles: Vec<&str> = catalog.profiles().iter().map(|p| p.slug.as_str()).collect();
    for op in doc["paths"]
        .as_object_mut()
        .expect("paths")
        .values_mut()
        .flat_map(|item| item.as_object_mut().expect("path item").values_mut())
    {
        let Some(params) = op.get_mut("parameters").and_then(|p| p.as_array_mut()) else {
            continue;
        };
        let mut out = Vec::with_capacity(params.len());
        for p in params.drain(..) {
            match p["name"].as_str() {
                Some("category") if p["in"] == "query" => out.push(with_enum(p, &categories)),
                Some("profile") => {
                    // Empty, as the form's "typical reader" option sends: no profile.
                    let mut all = vec![""];
                    all.extend(profiles.iter().copied());
                    out.push(with_enum(p, &all));
                }
                Some("w.{criterion}") => {
                    for c in catalog.criteria() {
                        out.push(serde_json::json!({
                            "name": format!("w.{}", c.id),
                            "in": "query",
                            "required": false,
                            "schema": { "anyOf": [
                                { "type": "number", "minimum": 0, "maximum": verdict_core::decide::MAX_WEIGHT },
                                { "type": "string", "maxLength": 0 },
                            ] },
                            "description": format!(
                                "How much {} counts for this reader, from 0 (not at all) to {}; ignored where the comparison does not score it. Empty, as a cleared form field sends, gives no weight.",
                                c.phrase(), verdict_core::decide::MAX_WEIGHT
                            ),
                        }));
                    }
                }
                _ => out.push(p),
            }
        }
        *params = out;
    }
    serde_json::to_string_pretty(&doc).expect("JSON values serialise")
}

fn with_enum(mut param: serde_json::Value, values: &[&str]) -> serde_json::Value {
    param["schema"]["enum"] = values.iter().copied().collect();
    if let Some(first) = values.first()
        && !values.contains(&param["example"].as_str().unwrap_or(""))
    {
        param["example"] = (*first).into();
    }
    param
}

/// A topic in a list: `/api/v1/topics`, `compared_with`, search results.
#[derive(Debug, Serialize)]
pub struct TopicSummary<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: Kind,
    pub category: &'a str,
    pub tagline: &'a str,
    pub url: String,
    pub api_url: String,
}

pub fn summary<'a>(urls: &Urls, t: &'a Topic) -> TopicSummary<'a> {
    TopicSummary {
        slug: &t.slug,
        name: &t.name,
        kind: t.kind,
        category: &t.category,
        tagline: &t.tagline,
        url: urls.topic(&t.slug),
        api_url: format!("/api/v1/topics/{}", t.slug),
    }
}

/// Serialises an API body. Our types have string keys only, so this cannot
/// fail.
fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("API bodies serialise")
}

/// `GET /api/v1/topics[?category=&kind=]`; the filters are already checked.
pub fn topics(
    site: &SiteConfig,
    catalog: &Catalog,
    category: Option<&str>,
    kind: Option<Kind>,
) -> String {
    let list: Vec<TopicSummary<'_>> = catalog
        .topics()
        .iter()
        .filter(|t| category.is_none_or(|c| t.category == c))
        .filter(|t| kind.is_none_or(|k| t.kind == k))
        .map(|t| summary(&site.urls, t))
        .collect();
    to_json(&serde_json::json!({ "count": list.len(), "topics": list }))
}

/// `GET /api/v1/topics/{slug}`
pub fn topic(site: &SiteConfig, catalog: &Catalog, t: &Topic) -> String {
    let compared: Vec<TopicSummary<'_>> = html::compared_with(catalog, t)
        .into_iter()
        .map(|o| summary(&site.urls, o))
        .collect();
    to_json(&serde_json::json!({
        "topic": t,
        "url": site.urls.topic(&t.slug),
        "compared_with": compared,
    }))
}

/// `GET /api/v1/categories`
pub fn categories(site: &SiteConfig, catalog: &Catalog) -> String {
    let list: Vec<serde_json::Value> = catalog
        .categories()
        .iter()
        .map(|c| {
            serde_json::json!({
                "slug": c.slug,
                "name": c.name,
                "description": c.description,
                "topics": catalog.topics_in(&c.slug).count(),
                "weights": c.weights.iter().map(|(id, w)| serde_json::json!({"criterion": id, "weight": w})).collect::<Vec<_>>(),
                "url": site.urls.category(&c.slug),
            })
        })
        .collect();
    to_json(&serde_json::json!({ "categories": list }))
}

/// `GET /api/v1/criteria`: criteria and reader profiles.
pub fn criteria(catalog: &Catalog) -> String {
    to_json(&serde_json::json!({
        "criteria": catalog.criteria(),
        "profiles": catalog.profiles(),
    }))
}

/// `GET /api/v1/comparisons/{a}-vs-{b}[-vs-…]` for the view's preferences.
pub fn comparison(view: &ComparisonView) -> String {
    to_json(view)
}
