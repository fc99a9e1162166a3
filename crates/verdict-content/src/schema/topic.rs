//! A topic file, `topics/<category>/<slug>.toml` (read by `load/topic.rs`
//! and `load/sources.rs`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::values::{Date, KindName, ScoreValue, Slug, Text, WebAddress};

/// A topic: one thing readers compare, such as a language, a framework or a
/// role.
///
/// The file is `content/topics/<category>/<slug>.toml`: the file name is the
/// topic's slug and the folder its category. `verdict check content
/// --strict` checks what a schema cannot: that references resolve, that
/// every criterion the category weighs is scored, and the prose rules.
/// docs/CONTENT.md describes every field.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "verdict topic")]
pub struct TopicFile {
    /// The name readers see, as the project spells it: `"Ruby on Rails"`,
    /// `"PostgreSQL"`.
    pub name: Text,
    /// What sort of thing the topic is. It sets the wording ("a language",
    /// "a practice"). Example: `kind = "framework"`.
    pub kind: KindName,
    /// The category's slug, from categories.toml; it must be the folder the
    /// file is in. Example: `category = "frontend"`.
    pub category: Slug,
    /// Other names readers type for it, matched by search and redirected
    /// to this topic. Example: `aliases = ["postgres", "pg"]`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One sentence saying what it is, shown under the name. Starts with a
    /// capital and ends with a full stop. Example: `"A relational database
    /// known for correctness and extensibility."`
    pub tagline: Text,
    /// When to choose it, completing "Use X if …": starts with "you" or
    /// "your", no final full stop. Example: `"you want one database that
    /// does relational, JSON and full-text search well"`.
    pub use_when: Text,
    /// Strengths, one sentence each with a full stop. `--strict` asks for
    /// at least 3.
    #[schemars(length(min = 1))]
    pub pros: Vec<Text>,
    /// Weaknesses, one sentence each with a full stop. `--strict` asks for
    /// at least 2.
    #[schemars(length(min = 1))]
    pub cons: Vec<Text>,
    /// Slugs of topics shown as links on its page. `--strict` asks for at
    /// least 2. Example: `related = ["mysql", "sqlite"]`.
    pub related: Vec<Slug>,
    /// Slugs of topics commonly compared with it; each must share a job
    /// with it. Example: `alternatives = ["mysql"]`.
    #[serde(default)]
    pub alternatives: Vec<Slug>,
    /// What readers use it for: 1 to 3 job ids from jobs.toml (or
    /// jobs/*.toml). Topics that share a job are alternatives. Example:
    /// `jobs = ["relational-database"]`.
    #[schemars(length(min = 1))]
    pub jobs: Vec<Slug>,
    /// Slugs of topics used together with it rather than instead of it;
    /// they must not share a job with it. Example: `used_with = ["docker"]`.
    #[serde(default)]
    pub used_with: Vec<Slug>,
    /// `true` when the name takes "are" ("Passkeys are …"); `false` when
    /// absent.
    #[serde(default)]
    pub plural: Option<bool>,
    /// The day someone last checked the whole file, as a TOML date.
    /// Example: `reviewed = 2026-11-20`.
    pub reviewed: Date,
    /// Where its facts were checked: `[[sources]]` tables, each with a
    /// `url`, a `title` and the day it was `read`. `--strict` asks for at
    /// least 2.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// One score per criterion its category weighs in criteria.toml, and
    /// no other. Example: `performance = { score = 8, reason = "…" }`.
    pub scores: BTreeMap<Slug, Score>,
    /// The registry package that measures its popularity, one per
    /// registry; `verdict import` reads the figures. Example: `npm =
    /// "react"`.
    #[serde(default)]
    pub packages: Option<Packages>,
}

/// A topic's score on one criterion, with the reason for it. Example:
/// `performance = { score = 8, reason = "…" }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Score {
    /// A whole number from 0 to 10; read the criterion's `high_means` in
    /// criteria.toml for what 10 is. Example: `score = 8`.
    pub score: ScoreValue,
    /// One sentence a reader can check, saying why the score is what it
    /// is. Example: `"Its planner and indexes handle complex queries on
    /// large tables."`
    pub reason: Text,
}

/// A primary source a fact of the topic was checked against: the project's
/// own site, documentation, repository, licence or release notes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Source {
    /// The page the fact was read on, starting with `https://`. Example:
    /// `"https://www.postgresql.org/about/licence/"`.
    pub url: WebAddress,
    /// The link text readers see. Example: `"PostgreSQL: Licence"`.
    pub title: Text,
    /// The day someone read it, as a TOML date. Example: `read =
    /// 2026-12-06`.
    pub read: Date,
}

/// A topic's package on each registry that `verdict import` reads.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Packages {
    /// The npm package, scope included. Example: `npm = "@angular/core"`.
    pub npm: Option<Text>,
    /// The PyPI project (case and `-`/`_`/`.` do not matter). Example:
    /// `pypi = "django"`.
    pub pypi: Option<Text>,
    /// The crates.io crate. Example: `crates = "tokio"`.
    pub crates: Option<Text>,
}
