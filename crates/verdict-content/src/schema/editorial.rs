//! An editorial comparison, `comparisons/<a>--<b>.toml` (read by
//! `load/editorial.rs`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::values::{Date, OutcomeName, Slug, Text};

/// An editorial comparison: what the editors conclude about 2 to 4 topics,
/// in their own words.
///
/// The file is `content/comparisons/<a>--<b>.toml`, the compared slugs in
/// alphabetical order joined by `--`. Name the winner in `pick`, or say
/// with `outcome` why there is none. `verdict check content --strict`
/// checks what a schema cannot: that `pick`, each `winner` and each
/// `pick_if` key is one of the compared topics, and that picked topics
/// share a job.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "verdict editorial comparison")]
#[schemars(extend(
    // `pick` goes with a pick: required when `outcome` is absent or
    // "pick", refused otherwise (the loader's `pick-not-allowed`).
    "if" = json!({
        "required": ["outcome"],
        "properties": { "outcome": { "not": { "const": "pick" } } }
    }),
    "then" = json!({ "properties": { "pick": false } }),
    "else" = json!({ "required": ["pick"] }),
))]
pub struct EditorialFile {
    /// What the comparison concludes when there is no winner: `"too-close"`
    /// (same job, no real lead), `"complements"` (used together) or
    /// `"different-jobs"`. Absent (or `"pick"`) means the editors name a
    /// winner in `pick`.
    pub outcome: Option<OutcomeName>,
    /// The editors' pick: one of the compared topics' slugs. Required
    /// unless `outcome` says there is no winner, and refused then. Example:
    /// `pick = "postgresql"`.
    pub pick: Option<Slug>,
    /// A heading to use instead of "A vs B". Example: `title = "Picking a
    /// first database"`.
    pub title: Option<Text>,
    /// The category whose weights score the comparison; defaults to the
    /// topics' own category. Example: `category = "databases"`.
    pub category: Option<Slug>,
    /// The answer in a sentence or two, shown first on the page. For an
    /// outcome without a winner, say how the work divides.
    pub short_answer: Text,
    /// The day someone last checked it, as a TOML date. Example:
    /// `reviewed = 2026-11-20`.
    pub reviewed: Date,
    /// Slugs of other topics worth a look. Example: `also_consider =
    /// ["sqlite"]`.
    #[serde(default)]
    pub also_consider: Vec<Slug>,
    /// Per compared topic, the clauses that make it the right choice,
    /// completing "Use X if …": each starts with "you" or "your", no final
    /// full stop. Example: `postgresql = ["you need many writers at
    /// once"]`.
    #[serde(default)]
    pub pick_if: BTreeMap<Slug, Vec<Text>>,
    /// Free Markdown sections, each under a heading and naming its winner:
    /// `[[sections]]` with `heading`, `winner` and `body`.
    #[serde(default)]
    pub sections: Vec<Section>,
}

impl EditorialFile {
    /// The rule the schema's `if`/`then`/`else` states: `pick` is
    /// required when the outcome is a pick, and refused otherwise.
    pub fn check_pick(&self) -> Result<(), String> {
        let picks = self.outcome.as_ref().is_none_or(|o| o.0 == "pick");
        match (picks, &self.pick) {
            (true, None) => Err("`pick` is required when the outcome is a pick".into()),
            (false, Some(_)) => Err("`pick` is only allowed when the outcome is a pick".into()),
            _ => Ok(()),
        }
    }
}

/// One section of an editorial.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Section {
    /// The section's heading. Example: `heading = "Concurrency"`.
    pub heading: Text,
    /// The compared topic that wins this aspect, or `"tie"`; absent means
    /// no winner is named. Example: `winner = "postgresql"`.
    pub winner: Option<Slug>,
    /// The section's text, in Markdown (raw HTML is shown as text). A
    /// multi-line string (`"""`) suits it.
    pub body: Text,
}
