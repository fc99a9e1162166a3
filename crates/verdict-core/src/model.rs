//! The catalog's types: what a topic, a criterion, a category, a profile and
//! an editorial comparison are once content has been loaded and checked.
//!
//! Everything here is plain data. Values are validated by `verdict-content`
//! before a [`Catalog`] is built, so code that holds a `Catalog` can rely on
//! every cross-reference resolving.

use std::collections::BTreeMap;
use std::fmt;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// What sort of thing a topic is. Drives the wording ("a language", "a
/// practice") and whether two topics are alternatives or complements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Language,
    Framework,
    Library,
    Runtime,
    Database,
    Tool,
    Platform,
    Service,
    Methodology,
    Practice,
    Concept,
    Pattern,
    Protocol,
    Standard,
    Format,
    Skill,
    Role,
}

/// Kinds that can stand in for one another belong to the same family; a
/// comparison across families compares things that are usually combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Technology,
    Language,
    Idea,
    WayOfWorking,
    Skill,
    Role,
}

impl Kind {
    pub const ALL: [Kind; 17] = [
        Kind::Language,
        Kind::Framework,
        Kind::Library,
        Kind::Runtime,
        Kind::Database,
        Kind::Tool,
        Kind::Platform,
        Kind::Service,
        Kind::Methodology,
        Kind::Practice,
        Kind::Concept,
        Kind::Pattern,
        Kind::Protocol,
        Kind::Standard,
        Kind::Format,
        Kind::Skill,
        Kind::Role,
    ];

    /// The identifier used in content files and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Language => "language",
            Kind::Framework => "framework",
            Kind::Library => "library",
            Kind::Runtime => "runtime",
            Kind::Database => "database",
            Kind::Tool => "tool",
            Kind::Platform => "platform",
            Kind::Service => "service",
            Kind::Methodology => "methodology",
            Kind::Practice => "practice",
            Kind::Concept => "concept",
            Kind::Pattern => "pattern",
            Kind::Protocol => "protocol",
            Kind::Standard => "standard",
            Kind::Format => "format",
            Kind::Skill => "skill",
            Kind::Role => "role",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind with its indefinite article, for running text: "a methodology".
    pub fn with_article(self) -> &'static str {
        match self {
            Kind::Language => "a language",
            Kind::Framework => "a framework",
            Kind::Library => "a library",
            Kind::Runtime => "a runtime",
            Kind::Database => "a database",
            Kind::Tool => "a tool",
            Kind::Platform => "a platform",
            Kind::Service => "a service",
            Kind::Methodology => "a methodology",
            Kind::Practice => "a practice",
            Kind::Concept => "a concept",
            Kind::Pattern => "a pattern",
            Kind::Protocol => "a protocol",
            Kind::Standard => "a standard",
            Kind::Format => "a format",
            Kind::Skill => "a skill",
            Kind::Role => "a role",
        }
    }

    fn family(self) -> Family {
        match self {
            Kind::Framework
            | Kind::Library
            | Kind::Runtime
            | Kind::Database
            | Kind::Tool
            | Kind::Platform
            | Kind::Service => Family::Technology,
            Kind::Language => Family::Language,
            Kind::Concept | Kind::Pattern | Kind::Protocol | Kind::Standard | Kind::Format => {
                Family::Idea
            }
            Kind::Methodology | Kind::Practice => Family::WayOfWorking,
            Kind::Skill => Family::Skill,
            Kind::Role => Family::Role,
        }
    }

    /// Whether topics of these two kinds are usually combined rather than
    /// chosen between: a skill and a role, a methodology and a concept.
    pub fn complements(self, other: Kind) -> bool {
        self.family() != other.family()
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something topics are scored on, from 0 to 10.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: String,
    pub label: String,
    /// What a score of 10 means, completing "a high score means …".
    pub high_means: String,
    /// Set when no editor writes this score: it is computed from measured
    /// figures, and only topics that have them are scored on it.
    #[serde(default)]
    pub computed_from: Option<Measure>,
}

/// Measured figures a criterion can be computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// A project's activity, read from its git history
    /// ([`Topic::activity`]).
    GitActivity,
}

impl Measure {
    pub const ALL: [Measure; 1] = [Measure::GitActivity];

    /// The name used in criteria.toml and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::GitActivity => "git-activity",
        }
    }

    /// What a score's basis names as its source.
    pub fn source_label(self) -> &'static str {
        match self {
            Measure::GitActivity => GIT_HISTORY,
        }
    }
}

/// The source label of scores computed from a project's git history.
pub const GIT_HISTORY: &str = "git history";

impl Criterion {
    /// The label as it reads inside a sentence: "job market".
    pub fn phrase(&self) -> String {
        lower_first(&self.label)
    }
}

/// Lowercases the first letter unless the first word is an acronym
/// ("Adoption" → "adoption", "API design" stays).
pub fn lower_first(s: &str) -> String {
    let first_word = s.split_whitespace().next().unwrap_or("");
    let acronym = first_word.chars().filter(|c| c.is_uppercase()).count() > 1;
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if !acronym => c.to_lowercase().chain(chars).collect(),
        _ => s.to_owned(),
    }
}

/// A group of topics, with the default weight of each criterion scored in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Criterion id and weight, in the order the criteria are declared.
    pub weights: Vec<(String, f64)>,
}

impl Category {
    pub fn weight(&self, criterion: &str) -> Option<f64> {
        self.weights
            .iter()
            .find(|(id, _)| id == criterion)
            .map(|&(_, w)| w)
    }
}

/// A reader profile: multipliers applied to a category's default weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub slug: String,
    pub label: String,
    pub description: String,
    pub multipliers: BTreeMap<String, f64>,
}

/// One criterion's score for a topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub value: u8,
    /// Shared, not copied, by every scorecard that shows it: a comparison
    /// page's scorecard has a cell per topic and criterion, and copying
    /// the reasons into them was about 4 % of a page nobody had asked for.
    pub reason: std::sync::Arc<str>,
    /// Set when the score was computed from registry evidence rather than
    /// written by an editor; names the evidence's source.
    #[serde(default)]
    pub from_evidence: Option<String>,
}

/// A measured figure about a topic, with where and when it was measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Source id, e.g. `npm` or `pypi`.
    pub source: String,
    /// Human name of the source, e.g. "npm registry".
    pub source_label: String,
    pub package: String,
    /// What the number is, e.g. "downloads in the last month".
    pub metric: String,
    pub value: u64,
    /// True when a smaller value is better (a rank).
    pub lower_is_better: bool,
    /// Date the figure was true, `YYYY-MM-DD`.
    pub as_of: String,
    /// Where a reader can check the figure.
    pub url: String,
}

impl Evidence {
    /// The source as it reads after "on": "the npm registry", "PyPI".
    pub fn source_phrase(&self) -> String {
        if self.source_label.ends_with("registry") {
            format!("the {}", self.source_label)
        } else {
            self.source_label.clone()
        }
    }

    /// The figure as running text: "4.2 million downloads in the last
    /// month", "download rank #35".
    pub fn figure(&self) -> String {
        if self.lower_is_better {
            format!("{} #{}", self.metric, group_thousands(self.value))
        } else {
            format!("{} {}", human_count(self.value), self.metric)
        }
    }
}

/// 1_234 → "1,234"; 4_200_000 → "4.2 million"; 2_100_000_000 → "2.1 billion".
pub fn human_count(n: u64) -> String {
    let trim1 = |x: f64| {
        let s = format!("{x:.1}");
        s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
    };
    if n >= 1_000_000_000 {
        format!("{} billion", trim1(n as f64 / 1e9))
    } else if n >= 1_000_000 {
        format!("{} million", trim1(n as f64 / 1e6))
    } else {
        group_thousands(n)
    }
}

/// 1234567 → "1,234,567".
pub fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Uppercases the first letter.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// A topic: one side of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub slug: String,
    pub name: String,
    pub kind: Kind,
    pub category: String,
    pub aliases: Vec<String>,
    pub tagline: String,
    /// A clause completing "use it if …", starting with "you".
    pub use_when: String,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    pub related: Vec<String>,
    /// Topics it is commonly compared with.
    pub alternatives: Vec<String>,
    /// Ids of the jobs it is used for (see [`Job`]); two topics that share
    /// one are alternatives, and only alternatives get a pick.
    pub jobs: Vec<String>,
    /// Topics it is commonly used together with: comparing them explains how
    /// the work divides instead of naming a winner.
    pub used_with: Vec<String>,
    /// True when the name is grammatically plural ("Passkeys are …").
    pub plural: bool,
    /// `YYYY-MM-DD`.
    pub reviewed: String,
    pub scores: BTreeMap<String, Score>,
    /// Registry → package name, the hooks evidence is imported for.
    pub packages: BTreeMap<String, String>,
    pub evidence: Vec<Evidence>,
    /// Where the facts on the page were checked, in the order written.
    pub sources: Vec<Source>,
    /// The project's activity, read from its git history by `verdict
    /// import git`; `None` when nobody imported it.
    #[serde(default)]
    pub activity: Option<Activity>,
}

/// A project's activity as its git history shows it, read from one
/// commit of its repository. Every window ends at `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// The repository's web address, where a reader checks the figures.
    pub url: String,
    /// The commit whose history was read (full hexadecimal id).
    pub commit: String,
    /// That commit's date, `YYYY-MM-DD` (UTC, committer date).
    pub commit_date: String,
    /// The day the windows end on: `commit_date`, or the date the import
    /// was told to measure at. `YYYY-MM-DD`.
    pub as_of: String,
    /// The year of the oldest commit in the history.
    pub first_commit_year: u16,
    /// The newest commit on or before `as_of`, `YYYY-MM-DD`.
    pub last_commit_date: String,
    /// Commits in each of the 24 calendar months up to and including
    /// `as_of`'s month, oldest first: (`YYYY-MM`, commits).
    pub commits_per_month: Vec<(String, u32)>,
    /// Distinct commit authors (by email, case-folded) in the 12 months up
    /// to `as_of`.
    pub authors_last_12_months: u32,
    /// Tags that look like releases, made in the 12 months up to `as_of`.
    pub releases_last_12_months: u32,
}

/// A primary source a topic's facts were checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// An `http` or `https` address.
    pub url: String,
    pub title: String,
    /// The date someone read it, `YYYY-MM-DD`.
    pub read: String,
}

impl Topic {
    /// "is" or "are", agreeing with the name.
    pub fn is(&self) -> &'static str {
        if self.plural { "are" } else { "is" }
    }

    /// The pronoun that stands for the name: "it" or "they".
    pub fn pronoun(&self) -> &'static str {
        if self.plural { "they" } else { "it" }
    }

    /// A verb in the present tense agreeing with the name: `verb("leads",
    /// "lead")`.
    pub fn verb<'a>(&self, singular: &'a str, plural: &'a str) -> &'a str {
        if self.plural { plural } else { singular }
    }
}

/// A job topics do for a reader: "version control", "container
/// orchestration", "a career path". Topics that share a job are
/// alternatives for one decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: String,
    /// A lowercase noun phrase that reads after "is for": "version control".
    pub label: String,
}

/// What comparing some topics can conclude. Only [`Outcome::Pick`] names a
/// winner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// They do the same job and one leads by more than the scores' precision.
    Pick,
    /// They do the same job, and the lead is within the scores' precision.
    TooClose,
    /// They are used together; the page says how the work divides.
    Complements,
    /// They do unrelated jobs; the page says what each is for.
    DifferentJobs,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Pick,
        Outcome::TooClose,
        Outcome::Complements,
        Outcome::DifferentJobs,
    ];

    /// The identifier used in content files and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pick => "pick",
            Outcome::TooClose => "too-close",
            Outcome::Complements => "complements",
            Outcome::DifferentJobs => "different-jobs",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// How the outcome reads as a heading: "Too close to call".
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pick => "Our pick",
            Outcome::TooClose => "Too close to call",
            Outcome::Complements => "Used together",
            Outcome::DifferentJobs => "Different jobs",
        }
    }

    /// Whether the topics are alternatives for one decision.
    pub fn alternatives(self) -> bool {
        matches!(self, Outcome::Pick | Outcome::TooClose)
    }
}

/// How the topics of a comparison relate, before any score is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relation {
    /// Every topic does these jobs (at least one).
    Alternatives(Vec<String>),
    /// Not all one job, but every pair either shares a job or is used
    /// together, and at least one pair is used together.
    Complements,
    /// Otherwise.
    DifferentJobs,
}

/// One section of an editorial comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    /// The slug this aspect goes to, or `None` for a tie.
    pub winner: Option<String>,
    /// Markdown.
    pub body: String,
}

/// Hand-written text for a comparison. It sets the pick and overrides the
/// generated wording; the computed scorecard is still shown beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Editorial {
    /// The compared slugs in canonical (sorted) order.
    pub slugs: Vec<String>,
    /// What the editors conclude; [`Outcome::Pick`] exactly when `pick` is set.
    pub outcome: Outcome,
    /// The editors' pick, for [`Outcome::Pick`].
    pub pick: Option<String>,
    pub title: Option<String>,
    pub category: Option<String>,
    pub short_answer: String,
    /// Slug → clauses completing "pick it if …".
    pub pick_if: BTreeMap<String, Vec<String>>,
    pub also_consider: Vec<String>,
    pub sections: Vec<Section>,
    pub reviewed: String,
}

/// A catalog's content without its indexes, as stored by a precompiled
/// bundle: [`Catalog::data`] writes it and `Catalog::from` rebuilds the
/// indexes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogData {
    pub criteria: Vec<Criterion>,
    pub categories: Vec<Category>,
    pub profiles: Vec<Profile>,
    pub jobs: Vec<Job>,
    pub topics: Vec<Topic>,
    pub editorials: Vec<Editorial>,
}

/// [`CatalogData`] borrowed from a catalog, for writing it out.
#[derive(Debug, Serialize)]
pub struct CatalogDataRef<'a> {
    pub criteria: &'a [Criterion],
    pub categories: &'a [Category],
    pub profiles: &'a [Profile],
    pub jobs: &'a [Job],
    pub topics: &'a [Topic],
    pub editorials: &'a [Editorial],
}

impl From<CatalogData> for Catalog {
    fn from(d: CatalogData) -> Catalog {
        Catalog::new(d.criteria, d.categories, d.profiles, d.topics, d.editorials).with_jobs(d.jobs)
    }
}

/// The whole catalog, immutable once built. Lookups by slug and alias are
/// indexed; iteration orders are stable (slug order) so output is
/// deterministic.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    criteria: Vec<Criterion>,
    categories: Vec<Category>,
    profiles: Vec<Profile>,
    jobs: Vec<Job>,
    topics: Vec<Topic>,
    editorials: Vec<Editorial>,
    by_slug: FxHashMap<String, usize>,
    /// Category slug → its index in `categories`: weights are resolved
    /// per criterion and topic on every request, and a catalog can have a
    /// thousand categories.
    category_index: FxHashMap<String, usize>,
    by_alias: FxHashMap<String, usize>,
    editorial_by_key: FxHashMap<String, usize>,
    /// Topic slug → the editorials that compare it, in `editorials` order:
    /// every comparison page links the editorials of its topics, and a
    /// catalog can have thousands.
    editorials_of: FxHashMap<String, Vec<usize>>,
    /// Category slug → its topics, in slug order.
    by_category: FxHashMap<String, Vec<usize>>,
    /// Slug → the topics that declare it among their alternatives, in slug
    /// order.
    alternative_of: FxHashMap<String, Vec<usize>>,
    /// Job id → the topics that do it, in slug order.
    by_job: FxHashMap<String, Vec<usize>>,
    /// Normalised names and tagline words for lookups, built on first use.
    search: std::sync::OnceLock<crate::search::Index>,
    /// Topic index → the first [`SAME_JOB_KEPT`] of [`Catalog::same_job`],
    /// made on first use: every page of two topics that do different jobs
    /// suggests what to compare each with instead, and working it out
    /// again for each such page was about 3 % of one nobody had asked for.
    same_job_memo: Vec<std::sync::OnceLock<Box<[u32]>>>,
}

/// How many of a topic's [`Catalog::same_job`] are kept once made.
const SAME_JOB_KEPT: usize = 8;

impl Catalog {
    /// Builds the indexes. Callers (the content loader) have already checked
    /// that slugs are unique and references resolve; duplicates keep the
    /// first occurrence.
    pub fn new(
        criteria: Vec<Criterion>,
        categories: Vec<Category>,
        profiles: Vec<Profile>,
        mut topics: Vec<Topic>,
        mut editorials: Vec<Editorial>,
    ) -> Catalog {
        topics.sort_by(|a, b| a.slug.cmp(&b.slug));
        topics.dedup_by(|a, b| a.slug == b.slug);
        editorials.sort_by(|a, b| a.slugs.cmp(&b.slugs));
        editorials.dedup_by(|a, b| a.slugs == b.slugs);
        let by_slug = topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.clone(), i))
            .collect();
        let mut by_alias = FxHashMap::default();
        for (i, t) in topics.iter().enumerate() {
            for alias in &t.aliases {
                by_alias.entry(alias.to_lowercase()).or_insert(i);
            }
        }
        let editorial_by_key = editorials
            .iter()
            .enumerate()
            .map(|(i, e)| (e.slugs.join("--"), i))
            .collect();
        let mut editorials_of: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, e) in editorials.iter().enumerate() {
            for (j, slug) in e.slugs.iter().enumerate() {
                if !e.slugs[..j].contains(slug) {
                    editorials_of.entry(slug.clone()).or_default().push(i);
                }
            }
        }
        let mut by_category: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut alternative_of: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut by_job: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, t) in topics.iter().enumerate() {
            for (j, job) in t.jobs.iter().enumerate() {
                if !t.jobs[..j].contains(job) {
                    by_job.entry(job.clone()).or_default().push(i);
                }
            }
            by_category.entry(t.category.clone()).or_default().push(i);
            for (j, alt) in t.alternatives.iter().enumerate() {
                if !t.alternatives[..j].contains(alt) {
                    alternative_of.entry(alt.clone()).or_default().push(i);
                }
            }
        }
        let category_index = categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.clone(), i))
            .rev()
            .collect();
        let topic_count = topics.len();
        Catalog {
            criteria,
            category_index,
            categories,
            profiles,
            jobs: Vec::new(),
            topics,
            editorials,
            by_slug,
            by_alias,
            editorial_by_key,
            editorials_of,
            by_category,
            alternative_of,
            by_job,
            same_job_memo: std::iter::repeat_with(Default::default)
                .take(topic_count)
                .collect(),
            search: std::sync::OnceLock::new(),
        }
    }

    /// The catalog's content, to be written out and read back with
    /// [`CatalogData`].
    pub fn data(&self) -> CatalogDataRef<'_> {
        CatalogDataRef {
            criteria: &self.criteria,
            categories: &self.categories,
            profiles: &self.profiles,
            jobs: &self.jobs,
            topics: &self.topics,
            editorials: &self.editorials,
        }
    }

    /// What lookups compare queries with, built once per catalog.
    pub fn search_index(&self) -> &crate::search::Index {
        self.search
            .get_or_init(|| crate::search::Index::new(&self.topics))
    }

    /// The catalog with its job definitions.
    pub fn with_jobs(mut self, mut jobs: Vec<Job>) -> Catalog {
        jobs.sort_by(|a, b| a.id.cmp(&b.id));
        jobs.dedup_by(|a, b| a.id == b.id);
        self.jobs = jobs;
        self
    }

    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    pub fn job(&self, id: &str) -> Option<&Job> {
        self.jobs
            .binary_search_by(|j| j.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.jobs[i])
    }

    /// The job ids `a` and `b` share, in `a`'s order.
    pub fn shared_jobs<'t>(&self, a: &'t Topic, b: &Topic) -> Vec<&'t str> {
        a.jobs
            .iter()
            .filter(|j| b.jobs.contains(j))
            .map(String::as_str)
            .collect()
    }

    /// Whether `a` and `b` are used together (either lists the other).
    pub fn used_together(&self, a: &Topic, b: &Topic) -> bool {
        a.used_with.contains(&b.slug) || b.used_with.contains(&a.slug)
    }

    /// How `topics` relate: alternatives when one job is common to all,
    /// complements when every pair either shares a job or is used together
    /// (and one pair is used together), different jobs otherwise.
    pub fn relation(&self, topics: &[&Topic]) -> Relation {
        let Some((first, rest)) = topics.split_first() else {
            return Relation::DifferentJobs;
        };
        let common: Vec<String> = first
            .jobs
            .iter()
            .filter(|j| rest.iter().all(|t| t.jobs.contains(j)))
            .cloned()
            .collect();
        if !common.is_empty() {
            return Relation::Alternatives(common);
        }
        let mut together = false;
        for (i, a) in topics.iter().enumerate() {
            for b in &topics[i + 1..] {
                if self.used_together(a, b) {
                    together = true;
                } else if self.shared_jobs(a, b).is_empty() {
                    return Relation::DifferentJobs;
                }
            }
        }
        if together {
            Relation::Complements
        } else {
            Relation::DifferentJobs
        }
    }

    /// The topics that do job `id`, in slug order.
    pub fn doing<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Topic> + use<'a> {
        self.indexed(self.by_job.get(id))
    }

    /// Topics that do one of `topic`'s jobs: its declared alternatives
    /// first, then the rest of the catalog in slug order; at most `limit`.
    pub fn same_job<'a>(&'a self, topic: &Topic, limit: usize) -> Vec<&'a Topic> {
        // The list for a smaller limit is the start of the list for a
        // larger one, so one kept list answers every limit up to its size.
        if limit <= SAME_JOB_KEPT
            && let Some(&i) = self.by_slug.get(&topic.slug)
            && std::ptr::eq(&self.topics[i], topic)
        {
            let kept = self.same_job_memo[i].get_or_init(|| {
                self.same_job_uncached(topic, SAME_JOB_KEPT)
                    .into_iter()
                    .map(|t| self.by_slug[&t.slug] as u32)
                    .collect()
            });
            return kept
                .iter()
                .take(limit)
                .map(|&j| &self.topics[j as usize])
                .collect();
        }
        self.same_job_uncached(topic, limit)
    }

    fn same_job_uncached<'a>(&'a self, topic: &Topic, limit: usize) -> Vec<&'a Topic> {
        let mut out: Vec<&Topic> = Vec::new();
        let shares =
            |t: &Topic| t.slug != topic.slug && t.jobs.iter().any(|j| topic.jobs.contains(j));
        for slug in &topic.alternatives {
            if let Some(t) = self.topic(slug).filter(|t| shares(t))
                && !out.iter().any(|o| o.slug == t.slug)
            {
                out.push(t);
            }
        }
        // Each job's list is in slug (index) order, so the lists are merged
        // as they are walked and the walk stops at `limit`: a job done by
        // thousands of topics costs no more than one done by a few.
        let mut lists: Vec<&[usize]> = topic
            .jobs
            .iter()
            .filter_map(|j| self.by_job.get(j))
            .map(Vec::as_slice)
            .collect();
        while out.len() < limit {
            let Some(next) = lists.iter().filter_map(|l| l.first()).copied().min() else {
                break;
            };
            for list in &mut lists {
                if list.first() == Some(&next) {
                    *list = &list[1..];
                }
            }
            let t = &self.topics[next];
            if t.slug != topic.slug && !out.iter().any(|o| std::ptr::eq(*o, t)) {
                out.push(t);
            }
        }
        out.truncate(limit);
        out
    }

    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }

    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    pub fn category(&self, slug: &str) -> Option<&Category> {
        self.category_index.get(slug).map(|&i| &self.categories[i])
    }

    pub fn profiles(&self) -> &[Profile] {
        &self.profiles
    }

    pub fn profile(&self, slug: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.slug == slug)
    }

    /// All topics, in slug order.
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    pub fn topic(&self, slug: &str) -> Option<&Topic> {
        self.by_slug.get(slug).map(|&i| &self.topics[i])
    }

    /// The topic an alias (any case) belongs to.
    pub fn topic_by_alias(&self, alias: &str) -> Option<&Topic> {
        self.by_alias
            .get(&alias.to_lowercase())
            .map(|&i| &self.topics[i])
    }

    /// The topics of a category, in slug order.
    pub fn topics_in<'a>(&'a self, category: &str) -> impl Iterator<Item = &'a Topic> + use<'a> {
        self.indexed(self.by_category.get(category))
    }

    /// The topics that declare `slug` among their alternatives, in slug
    /// order.
    pub fn declaring_alternative<'a>(
        &'a self,
        slug: &str,
    ) -> impl Iterator<Item = &'a Topic> + use<'a> {
        self.indexed(self.alternative_of.get(slug))
    }

    fn indexed<'a>(
        &'a self,
        list: Option<&'a Vec<usize>>,
    ) -> impl Iterator<Item = &'a Topic> + use<'a> {
        list.into_iter().flatten().map(|&i| &self.topics[i])
    }

    pub fn editorials(&self) -> &[Editorial] {
        &self.editorials
    }

    /// The editorials that compare any of `slugs`, in [`Catalog::editorials`]
    /// order, each once.
    pub fn editorials_naming(&self, slugs: &[&str]) -> Vec<&Editorial> {
        let mut found: Vec<usize> = slugs
            .iter()
            .filter_map(|s| self.editorials_of.get(*s))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|i| &self.editorials[i]).collect()
    }

    /// The editorial for exactly these topics, in any order.
    pub fn editorial(&self, slugs: &[&str]) -> Option<&Editorial> {
        let mut key: Vec<&str> = slugs.to_vec();
        key.sort_unstable();
        self.editorial_by_key
            .get(&key.join("--"))
            .map(|&i| &self.editorials[i])
    }
}

/// Whether `s` is a valid slug: lowercase ASCII letters and digits in words
/// joined by single hyphens, never containing `-vs-` nor ending in `-vs`,
/// so that `a-vs-b` in a URL always splits one way.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && !s.contains("-vs-")
        && !s.ends_with("-vs")
        && s != "vs"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["rust", "c", "ruby-on-rails", "oauth2", "k8s", "vs-code"] {
            assert!(is_valid_slug(ok), "{ok}");
        }
        for bad in [
            "",
            "Rust",
            "ruby--on-rails",
            "-rust",
            "rust-",
            "c++",
            "react-vs-vue",
            "react-vs",
            "né",
        ] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn category_and_alternative_indexes_keep_slug_order() {
        use crate::test_support::topic;
        let t = |slug: &str, category: &str, alternatives: &[&str]| {
            let mut t = topic(slug, slug, Kind::Tool, category, &[]);
            t.alternatives = alternatives.iter().map(|a| a.to_string()).collect();
            t
        };
        let catalog = Catalog::new(
            vec![],
            vec![],
            vec![],
            vec![
                t("vim", "tools", &["emacs", "emacs"]),
                t("emacs", "tools", &[]),
                t("go", "languages", &["rust"]),
                t("atom", "tools", &["emacs"]),
            ],
            vec![],
        );
        let slugs =
            |it: &mut dyn Iterator<Item = &Topic>| it.map(|t| t.slug.clone()).collect::<Vec<_>>();
        assert_eq!(
            slugs(&mut catalog.topics_in("tools")),
            ["atom", "emacs", "vim"]
        );
        assert_eq!(
            slugs(&mut catalog.topics_in("nothing")),
            Vec::<String>::new()
        );
        assert_eq!(
            slugs(&mut catalog.declaring_alternative("emacs")),
            ["atom", "vim"]
        );
        assert_eq!(slugs(&mut catalog.declaring_alternative("rust")), ["go"]);
        assert_eq!(
            slugs(&mut catalog.declaring_alternative("go")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn editorials_naming_a_topic_come_in_catalog_order_once_each() {
        use crate::test_support::{editorial, topic};
        let topics = ["emacs", "helix", "vim", "zed"]
            .map(|s| topic(s, s, Kind::Tool, "tools", &[]))
            .to_vec();
        let catalog = Catalog::new(
            vec![],
            vec![],
            vec![],
            topics,
            vec![
                editorial(&["vim", "zed"], Outcome::Pick, Some("vim")),
                editorial(&["emacs", "vim"], Outcome::Pick, Some("vim")),
                editorial(&["emacs", "helix", "vim"], Outcome::TooClose, None),
                editorial(&["helix", "zed"], Outcome::TooClose, None),
            ],
        );
        let naming = |slugs: &[&str]| -> Vec<String> {
            catalog
                .editorials_naming(slugs)
                .iter()
                .map(|e| e.slugs.join("+"))
                .collect()
        };
        // The same as filtering every editorial, which is what it replaces.
        for slugs in [
            &["vim", "zed"][..],
            &["helix"],
            &["emacs", "zed"],
            &["nano"],
        ] {
            let scanned: Vec<String> = catalog
                .editorials()
                .iter()
                .filter(|e| e.slugs.iter().any(|s| slugs.contains(&s.as_str())))
                .map(|e| e.slugs.join("+"))
                .collect();
            assert_eq!(naming(slugs), scanned, "{slugs:?}");
        }
        assert_eq!(
            naming(&["emacs", "vim"]),
            ["emacs+helix+vim", "emacs+vim", "vim+zed"]
        );
    }

    /// Slugs of the topics an index lookup yields, in the order yielded.
    fn listed<'a>(it: impl Iterator<Item = &'a Topic>) -> Vec<&'a str> {
        it.map(|t| t.slug.as_str()).collect()
    }

    /// Topics with categories and alternatives, in no particular order:
    /// repeated and unknown alternatives, a topic nobody declares, and one
    /// that declares alternatives without being declared itself.
    fn index_fixture() -> Vec<Topic> {
        use crate::test_support::topic;
        let t = |slug: &str, category: &str, alternatives: &[&str]| {
            let mut t = topic(slug, slug, Kind::Tool, category, &[]);
            t.alternatives = alternatives.iter().map(|a| a.to_string()).collect();
            t
        };
        vec![
            t("zed", "editors", &["vim", "helix", "vim"]),
            t("go", "languages", &["rust", "zig"]),
            t("vim", "editors", &["emacs", "helix"]),
            t("rust", "languages", &["go", "zig", "c"]),
            t("helix", "editors", &["vim"]),
            t("emacs", "editors", &[]),
            t("zig", "languages", &["rust"]),
            t("make", "build", &["not-a-topic"]),
            t("c", "languages", &[]),
        ]
    }

    /// Every lookup key worth asking: each category and slug in the
    /// fixture, plus names that are neither.
    fn index_keys(topics: &[Topic]) -> Vec<String> {
        let mut keys: Vec<String> = topics
            .iter()
            .flat_map(|t| [t.slug.clone(), t.category.clone()])
            .chain(["nothing", "not-a-topic", "", "Vim"].map(String::from))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    #[test]
    fn indexes_agree_with_a_full_scan() {
        let catalog = Catalog::new(vec![], vec![], vec![], index_fixture(), vec![]);
        for key in index_keys(catalog.topics()) {
            let in_category = listed(catalog.topics_in(&key));
            let scanned: Vec<&str> = listed(catalog.topics().iter().filter(|t| t.category == key));
            assert_eq!(in_category, scanned, "topics_in({key:?})");
            // Documented order: slug order, each topic once.
            assert!(in_category.windows(2).all(|w| w[0] < w[1]), "{key:?}");

            let declaring = listed(catalog.declaring_alternative(&key));
            let scanned: Vec<&str> = listed(
                catalog
                    .topics()
                    .iter()
                    .filter(|t| t.alternatives.contains(&key)),
            );
            assert_eq!(declaring, scanned, "declaring_alternative({key:?})");
            assert!(declaring.windows(2).all(|w| w[0] < w[1]), "{key:?}");
            assert!(
                !declaring.contains(&key.as_str()),
                "{key:?} declares itself"
            );
        }
        // The same facts spelled out, so a wrong scan cannot hide a wrong index.
        assert_eq!(
            listed(catalog.topics_in("editors")),
            ["emacs", "helix", "vim", "zed"]
        );
        assert_eq!(
            listed(catalog.topics_in("languages")),
            ["c", "go", "rust", "zig"]
        );
        assert!(listed(catalog.topics_in("nothing")).is_empty());
        assert!(listed(catalog.topics_in("Editors")).is_empty());
        assert!(
            listed(catalog.topics_in("vim")).is_empty(),
            "a slug is no category"
        );
        // Topics that list vim, not vim's own alternatives; zed lists it twice.
        assert_eq!(
            listed(catalog.declaring_alternative("vim")),
            ["helix", "zed"]
        );
        assert_eq!(listed(catalog.declaring_alternative("rust")), ["go", "zig"]);
        assert_eq!(listed(catalog.declaring_alternative("zig")), ["go", "rust"]);
        assert_eq!(
            listed(catalog.declaring_alternative("not-a-topic")),
            ["make"]
        );
        assert!(listed(catalog.declaring_alternative("zed")).is_empty());
        assert!(listed(catalog.declaring_alternative("editors")).is_empty());
    }

    #[test]
    fn indexes_follow_the_kept_duplicate() {
        use crate::test_support::topic;
        let mut first = topic("vim", "Vim", Kind::Tool, "editors", &[]);
        first.alternatives = vec!["emacs".into()];
        let mut second = topic("vim", "Vim again", Kind::Tool, "shells", &[]);
        second.alternatives = vec!["bash".into()];
        let emacs = topic("emacs", "Emacs", Kind::Tool, "editors", &[]);
        let catalog = Catalog::new(vec![], vec![], vec![], vec![first, emacs, second], vec![]);
        assert_eq!(catalog.topic("vim").map(|t| t.name.as_str()), Some("Vim"));
        assert_eq!(listed(catalog.topics_in("editors")), ["emacs", "vim"]);
        assert!(listed(catalog.topics_in("shells")).is_empty());
        assert_eq!(listed(catalog.declaring_alternative("emacs")), ["vim"]);
        assert!(listed(catalog.declaring_alternative("bash")).is_empty());
    }

    #[test]
    fn indexes_are_the_same_for_every_build_and_input_order() {
        let topics = index_fixture();
        let mut reversed = topics.clone();
        reversed.reverse();
        let mut rotated = topics.clone();
        rotated.rotate_left(4);
        let builds = [topics.clone(), topics.clone(), reversed, rotated]
            .map(|t| Catalog::new(vec![], vec![], vec![], t, vec![]));
        let answers = |c: &Catalog| {
            index_keys(c.topics())
                .into_iter()
                .map(|k| {
                    let in_category = listed(c.topics_in(&k)).join(" ");
                    let declaring = listed(c.declaring_alternative(&k)).join(" ");
                    (k, in_category, declaring)
                })
                .collect::<Vec<_>>()
        };
        let first = answers(&builds[0]);
        for (i, build) in builds.iter().enumerate().skip(1) {
            assert_eq!(answers(build), first, "build {i}");
        }
        // The shared unit-test catalog too, built twice.
        let (a, b) = (
            crate::test_support::catalog(),
            crate::test_support::catalog(),
        );
        assert_eq!(answers(&a), answers(&b));
        assert_eq!(listed(a.topics_in("languages")), ["go", "python", "rust"]);
        assert_eq!(
            listed(a.topics_in("career")),
            ["product-management", "technical-leadership"]
        );
    }

    #[test]
    fn kinds_round_trip_and_complement() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert!(Kind::Skill.complements(Kind::Role));
        assert!(Kind::Methodology.complements(Kind::Concept));
        assert!(!Kind::Framework.complements(Kind::Library));
        assert!(!Kind::Concept.complements(Kind::Standard));
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(human_count(950), "950");
        assert_eq!(human_count(123_456), "123,456");
        assert_eq!(human_count(4_200_000), "4.2 million");
        assert_eq!(human_count(3_000_000), "3 million");
        assert_eq!(human_count(2_123_000_000), "2.1 billion");
    }

    #[test]
    fn lower_first_keeps_acronyms() {
        assert_eq!(lower_first("Job market"), "job market");
        assert_eq!(lower_first("API design"), "API design");
    }

    #[test]
    fn same_job_lists_declared_alternatives_then_the_others_in_slug_order() {
        use crate::test_support::{catalog_with, topic_doing};
        let mut me = topic_doing("build", "me", "Me", Kind::Tool, "tools", &[]);
        me.jobs.push("test".into());
        me.alternatives = vec!["zeta".into(), "other-job".into()];
        let mut both = topic_doing("test", "both", "Both", Kind::Tool, "tools", &[]);
        both.jobs.push("build".into());
        let catalog = catalog_with(
            vec![
                me,
                both,
                topic_doing("build", "alpha", "Alpha", Kind::Tool, "tools", &[]),
                topic_doing("test", "beta", "Beta", Kind::Tool, "tools", &[]),
                topic_doing("build", "zeta", "Zeta", Kind::Tool, "tools", &[]),
                topic_doing("deploy", "other-job", "Other", Kind::Tool, "tools", &[]),
            ],
            vec![],
        );
        let me = catalog.topic("me").unwrap();
        let slugs = |limit| -> Vec<String> {
            catalog
                .same_job(me, limit)
                .iter()
                .map(|t| t.slug.clone())
                .collect()
        };
        // A declared alternative that does another job is left out; a
        // topic doing both jobs comes once; the topic itself never.
        assert_eq!(slugs(10), ["zeta", "alpha", "beta", "both"]);
        assert_eq!(slugs(2), ["zeta", "alpha"]);
        assert_eq!(slugs(0), Vec::<String>::new());
        // The kept list answers every limit as working it out afresh
        // would, before and after it is made.
        for _ in 0..2 {
            for limit in 0..=SAME_JOB_KEPT + 2 {
                let fresh: Vec<&str> = catalog
                    .same_job_uncached(me, limit)
                    .iter()
                    .map(|t| t.slug.as_str())
                    .collect();
                assert_eq!(slugs(limit), fresh, "limit {limit}");
            }
        }
        // A topic from elsewhere (not this catalog's own) is answered
        // afresh, never from another topic's kept list.
        let stranger = topic_doing("build", "me", "Me", Kind::Tool, "tools", &[]);
        let names: Vec<&str> = catalog
            .same_job(&stranger, 2)
            .iter()
            .map(|t| t.slug.as_str())
            .collect();
        assert_eq!(names, ["alpha", "both"]);
    }
}
