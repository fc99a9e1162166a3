//! The generated evidence files: `evidence/<registry>.toml` (read by
//! `evidence.rs`) and `evidence/git/<topic>.toml` (read by `activity.rs`).
//! Nobody edits them by hand; their schemas help a reviewer read a diff.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::activity::MONTHS;

use super::values::{CommitId, Counted, Day, Figure, Month, MonthOrDate, RegistryName, Text, Year};

/// Figures from one package registry, written by `verdict import`; do not
/// edit by hand.
///
/// The file is `content/evidence/<registry>.toml`. Topics name their
/// package in `[packages]`; pages show the figure with its source and date,
/// and Adoption scores are computed from it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "verdict registry evidence")]
pub struct EvidenceFile {
    /// The registry id; it must match the file name. Example: `source =
    /// "npm"`.
    pub source: RegistryName,
    /// How pages cite the source. Example: `label = "npm registry"`.
    pub label: Text,
    /// What the figures count. Example: `metric = "downloads in the last
    /// month"`.
    pub metric: Text,
    /// `true` when a lower figure is better, as for a rank (1 = most used);
    /// `false` when absent.
    #[serde(default)]
    pub lower_is_better: Option<bool>,
    /// When the figures were true, as a string `"YYYY-MM"` or
    /// `"YYYY-MM-DD"`. Example: `as_of = "2026-11"`.
    pub as_of: MonthOrDate,
    /// Where a reader checks a figure, with `{package}` for the package
    /// name. Example: `"https://www.npmjs.com/package/{package}"`.
    pub url: Text,
    /// Package name (as the registry spells it) = its figure, a positive
    /// whole number. Example: `react = 351327975`.
    pub values: BTreeMap<String, Figure>,
}

/// A project's activity read from its git history, written by `verdict
/// import git`; do not edit by hand.
///
/// The file is `content/evidence/git/<topic>.toml`, named for the topic's
/// slug. docs/CONTENT.md says how each figure is computed.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "verdict project activity")]
pub struct ActivityFile {
    /// The repository's web address, where a reader checks the figures.
    /// Example: `url = "https://github.com/atom/atom"`.
    #[schemars(regex(pattern = r"^https?://"))]
    pub url: Text,
    /// The full id of the commit whose history was read.
    pub commit: CommitId,
    /// That commit's date (UTC), as a string. Example: `commit_date =
    /// "2022-11-22"`.
    pub commit_date: Day,
    /// The day every window ends on, as a string. Example: `as_of =
    /// "2022-11-22"`.
    pub as_of: Day,
    /// The year of the oldest commit. Example: `first_commit_year = 2011`.
    pub first_commit_year: Year,
    /// The newest commit's date, on or before `as_of`, as a string.
    pub last_commit_date: Day,
    /// Distinct authors of the commits in the 12 months up to `as_of`.
    pub authors_last_12_months: u32,
    /// Release tags made in the 12 months up to `as_of`.
    pub releases_last_12_months: u32,
    /// Commits per calendar month, `"YYYY-MM" = count`: exactly the 24
    /// months ending with `as_of`'s month, oldest first.
    pub commits_per_month: Counted<Month, u32, { MONTHS }, true>,
}
