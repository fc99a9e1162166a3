//! criteria.toml and categories.toml (read by `load/criteria.rs`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::values::{MeasureName, Multiplier, NonEmpty, Slug, Text, Weight};

/// The criteria topics are scored on, how much each counts in each
/// category, and the reader profiles that reweigh them.
///
/// The file is `content/criteria.toml`. `verdict check content` checks what
/// a schema cannot: that each `[weights.<category>]` names a category of
/// categories.toml and each weight or multiplier a criterion defined here.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "verdict criteria")]
pub struct CriteriaFile {
    /// One `[criteria.<id>]` table per criterion, in the order scorecards
    /// list them. The id is a slug. Example: `[criteria.learning-curve]`.
    pub criteria: NonEmpty<Slug, Criterion>,
    /// One `[weights.<category>]` table per category: which criteria its
    /// topics are scored on, and how much each counts. Example:
    /// `[weights.languages]` with `productivity = 3`.
    pub weights: BTreeMap<Slug, Weights>,
    /// Reader profiles, `[profiles.<slug>]`: a kind of reader, and the
    /// multipliers their page applies to the category's weights.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// A criterion: a quality topics are scored on from 0 to 10. Its key is
/// its id, a slug that `[weights.<category>]`, profiles' `multipliers` and
/// topics' `[scores]` name. Example: `[criteria.learning-curve]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Criterion {
    /// The name scorecards show. Example: `label = "Ease of learning"`.
    pub label: Text,
    /// What a high score means, completing "High means …". Example:
    /// `high_means = "a newcomer becomes productive with it quickly"`.
    pub high_means: Text,
    /// Set when editors never write this score: it is computed from
    /// measured figures, and only topics that have them are scored on it.
    /// Example: `computed_from = "git-activity"` (Maintenance, from the
    /// project's git history).
    #[serde(default)]
    pub computed_from: Option<MeasureName>,
}

/// One category's weights: the criteria its topics are scored on, each
/// with how much it counts. Its key is the category's slug. Example:
/// `[weights.frontend]` with `productivity = 3`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(inline)]
pub struct Weights(pub NonEmpty<Slug, Weight>);

/// A reader profile: a kind of reader and how their page reweighs the
/// criteria. Its key names it in the page's weights form. Example:
/// `[profiles.beginner]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Profile {
    /// The profile's name on the weights form. Example: `label =
    /// "Beginner"`.
    pub label: Text,
    /// Who it is for, in a sentence. Example: `"Learning to program or new
    /// to this area: easy to pick up, with answers online."`
    pub description: Text,
    /// Per criterion id, a number from 0 to 10 the category's weight is
    /// multiplied by: 2 doubles it, 0.5 halves it, 0 ignores it. Example:
    /// `multipliers = { learning-curve = 3, performance = 0.5 }`.
    pub multipliers: BTreeMap<Slug, Multiplier>,
}

/// The categories topics belong to.
///
/// The file is `content/categories.toml`: one `[<slug>]` table per category,
/// whose slug is also the folder of its topics (`topics/<slug>/`) and the
/// name of its `[weights.<slug>]` table in criteria.toml.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(title = "verdict categories")]
pub struct CategoriesFile(pub NonEmpty<Slug, Category>);

/// A category. Its key is its slug: the folder its topics sit in
/// (`topics/<slug>/`) and the name of its `[weights.<slug>]` table in
/// criteria.toml. Example: `[frontend]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Category {
    /// The name readers see. Example: `name = "Front-end"`.
    pub name: Text,
    /// What the category holds, in a sentence. Example: `description =
    /// "Libraries and frameworks for what runs in the browser."`
    pub description: Text,
}
